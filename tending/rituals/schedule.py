"""When each person's next ritual reminder is due, as a UTC moment.

A ritual's time is a wall-clock time; each member's reminder comes at that
time on their own clock (tending.lib.timeutil does the zone maths, including
the skipped and the repeated hour). The moment is stored, and recomputed after
each reminder, when the ritual or the person's reminder choice changes, and
when the person's time zone changes.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from tending.lib.timeutil import next_weekly
from tending.rituals.models import ReminderSchedule, Ritual


def next_reminder(ritual: Ritual, user: Any, after: datetime) -> datetime | None:
    """The first reminder moment strictly after `after` for this person (UTC)."""
    return next_weekly(after, set(ritual.days), ritual.at, user.tz)


def _fields(schedule: ReminderSchedule, ritual: Ritual, user: Any) -> dict[str, Any]:
    due = next_reminder(ritual, user, timezone.now()) if schedule.enabled else None
    # Clearing the claim makes a worker that holds this row give up its
    # (now stale) reminder instead of overwriting what was just decided.
    return {"zone": user.time_zone, "next_due_at": due, "claim": "", "claimed_until": None}


def set_reminders(ritual: Ritual, user: Any, enabled: bool) -> ReminderSchedule:
    with transaction.atomic():
        schedule, _ = ReminderSchedule.objects.select_for_update().get_or_create(
            ritual=ritual, user=user
        )
        schedule.enabled = enabled
        for name, value in _fields(schedule, ritual, user).items():
            setattr(schedule, name, value)
        schedule.save()
    return schedule


def refresh_ritual(ritual: Ritual) -> None:
    """Recompute every member's schedule after the ritual's days or time changed."""
    for schedule in ReminderSchedule.objects.filter(ritual=ritual).select_related("user"):
        ReminderSchedule.objects.filter(pk=schedule.pk).update(
            **_fields(schedule, ritual, schedule.user)
        )


def refresh_person(user: Any) -> int:
    """Recompute this person's schedules computed in another zone; returns how many."""
    stale = (
        ReminderSchedule.objects.filter(user=user, enabled=True)
        .exclude(zone=user.time_zone)
        .select_related("ritual")
    )
    count = 0
    for schedule in stale:
        count += ReminderSchedule.objects.filter(pk=schedule.pk).update(
            **_fields(schedule, schedule.ritual, user)
        )
    return count
