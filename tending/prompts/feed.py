"""A person's private iCalendar feed: each open bond's weekly conversation as a recurring event.

The event starts at the slot's wall-clock time with the TZID of the zone it was set in, and
the zone's VTIMEZONE is included, so calendar applications keep it at that local time across
daylight-saving changes and show it in each reader's own zone. The feed holds no intimate text:
a title with the other member's display name, and a link.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from tending.bonds.models import Bond
from tending.prompts.models import ConversationSlot
from tending.prompts.schedule import first_start

EVENT_LENGTH = timedelta(minutes=30)
_BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def _title(bond: Bond, user: Any) -> str:
    if bond.is_solo_kind:
        return "Weekly reflection"
    other = bond.other_member(user)
    return f"Weekly conversation with {other.display_name}" if other else "Weekly conversation"


def slots_for(user: Any) -> list[ConversationSlot]:
    """The slots of the bonds this person is an active member of, in bond order."""
    return list(
        ConversationSlot.objects.filter(
            bond__ended_at__isnull=True,
            bond__memberships__user=user,
            bond__memberships__left_at__isnull=True,
        )
        .select_related("bond")
        .prefetch_related("bond__memberships__user")
        .order_by("bond_id")
    )


def calendar_for(user: Any) -> bytes:
    host = urlsplit(settings.SITE_URL).hostname or "tending.local"
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Tending//Weekly conversation//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", settings.SITE_NAME)
    earliest = None
    for slot in slots_for(user):
        bond = slot.bond
        start = first_start(slot)
        earliest = min(earliest, start.date()) if earliest else start.date()
        link = settings.SITE_URL + reverse("prompts:conversation", args=[bond.pk])
        event = icalendar.Event()
        event.add("uid", f"conversation-{bond.pk}@{host}")
        event.add("dtstamp", timezone.now())
        event.add("last-modified", slot.updated_at)
        event.add("sequence", slot.sequence)
        event.add("dtstart", start)
        event.add("duration", EVENT_LENGTH)
        event.add("rrule", {"freq": "weekly", "byday": _BYDAY[slot.weekday]})
        event.add("summary", _title(bond, user))
        event.add("description", f"Open the conversation page: {link}")
        event.add("url", link)
        cal.add_component(event)
    if earliest is not None:
        # VTIMEZONE rules from a year before the first event, so the file stays small.
        cal.add_missing_timezones(first_date=earliest - timedelta(days=366))
    return cal.to_ical()
