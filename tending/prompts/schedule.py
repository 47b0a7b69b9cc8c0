"""The weekly conversation slot in time: its next moments in UTC and how it reads in each
member's zone. All local-time maths goes through `tending.lib.timeutil`."""

from __future__ import annotations

import zoneinfo
from datetime import datetime, time, timedelta
from typing import Any

from django.utils import timezone

from tending.lib.timeutil import next_weekly
from tending.prompts.models import ConversationSlot

REMIND_BEFORE = timedelta(minutes=30)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def next_slot(slot: ConversationSlot, after: datetime) -> datetime:
    """The first UTC moment of the slot strictly after `after`."""
    moment = next_weekly(after, {slot.weekday}, slot.at, slot.tz)
    assert moment is not None  # one weekday always gives a moment within eight days
    return moment


def next_reminder(slot: ConversationSlot, after: datetime) -> datetime:
    """The first reminder moment strictly after `after`: REMIND_BEFORE ahead of a slot."""
    return next_slot(slot, after + REMIND_BEFORE) - REMIND_BEFORE


def first_start(slot: ConversationSlot) -> datetime:
    """The calendar event's first start, as a wall-clock moment in the slot's zone: the slot's
    weekday on or after the day it was set."""
    set_on = slot.updated_at.astimezone(slot.tz).date()
    day = set_on + timedelta(days=(slot.weekday - set_on.weekday()) % 7)
    return datetime.combine(day, slot.at, tzinfo=slot.tz)


def every(weekday: int, at: time) -> str:
    return f"{WEEKDAYS[weekday]}s at {at:%H:%M}"


def describe(slot: ConversationSlot, viewer_tz: zoneinfo.ZoneInfo) -> dict[str, Any]:
    """How the slot reads: `text` in the zone it was set in and, when the viewer's own clock
    shows it differently, `yours` (from the next occurrence, so daylight saving is right)."""
    text = every(slot.weekday, slot.at)
    upcoming = next_slot(slot, timezone.now())
    local = upcoming.astimezone(viewer_tz)
    yours = every(local.weekday(), local.time())
    return {
        "text": text,
        "yours": "" if yours == text else yours,
        "zone": slot.zone,
        "next": local,
    }
