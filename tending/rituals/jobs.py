"""Ritual reminders, sent by the worker.

Due schedule rows are claimed in batches (tending.lib.claims), then each is
handled atomically: the row moves on to its next moment and the notification
is recorded together, or neither happens. Hence any number of workers never
send one reminder twice, and rows of a worker that dies stay claimed until
their lease runs out, after which another worker sends them.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import F, QuerySet
from django.urls import reverse

from tending.bonds.models import Membership
from tending.lib import claims
from tending.lib.timeutil import outside_quiet_hours
from tending.notify.models import Preferences
from tending.notify.service import notify
from tending.ops.jobs import STOP, chore, job
from tending.rituals.models import Completion, ReminderSchedule
from tending.rituals.schedule import next_reminder, refresh_person

BATCH = 50
LEASE = timedelta(minutes=10)
# A reminder found long after its moment (the worker was down) is let go:
# a morning-coffee reminder in the afternoon helps nobody.
TOO_LATE = timedelta(hours=2)


def due_schedules(now: datetime) -> QuerySet[ReminderSchedule]:
    return ReminderSchedule.objects.filter(next_due_at__lte=now).order_by("next_due_at", "pk")


@job
def send_ritual_reminders() -> bool:
    return remind_due() > 0


def remind_due(limit: int = BATCH) -> int:
    """Handle up to `limit` due reminders; returns how many were claimed."""
    return claims.run(
        due_schedules, handle_batch, limit=limit, lease=LEASE, related=("ritual__bond", "user")
    )


def handle_batch(schedules: list[ReminderSchedule], now: datetime) -> None:
    """Send and advance claimed schedules, all in one transaction
    (tending.lib.claims.handle): one commit for the batch keeps the worker from
    waiting on a disk flush per item. Rows whose claim has meanwhile been
    cleared (the person changed their settings) are left as the person left them."""
    if not schedules:
        return
    lease = claims.Lease.of(schedules[0], LEASE)
    context = _Context(schedules)
    claims.handle(
        lease,
        schedules,
        lambda schedule: _remind(schedule, context, now),
        failed="ritual reminder %s failed",
        stop=STOP.is_set,
        finish=lambda done: _save(lease, done),
    )


def _save(lease: claims.Lease[ReminderSchedule], schedules: list[ReminderSchedule]) -> None:
    """Write the handled rows, one UPDATE per set of equal values (rituals at
    the same time in the same zone move alike), cheaper than a CASE per row."""
    groups: dict[tuple[Any, ...], list[ReminderSchedule]] = {}
    for s in schedules:
        values = (s.next_due_at, s.enabled, s.zone, s.last_sent_at)
        groups.setdefault(values, []).append(s)
    for (next_due_at, enabled, zone, last_sent_at), rows in groups.items():
        lease.release(
            *rows,
            next_due_at=next_due_at,
            enabled=enabled,
            zone=zone,
            last_sent_at=last_sent_at,
        )


class _Context:
    """What a batch needs to know, fetched with a few queries for the whole batch."""

    def __init__(self, schedules: list[ReminderSchedule]) -> None:
        users = {s.user_id for s in schedules}
        bonds = {s.ritual.bond_id for s in schedules}
        self.prefs = {p.user_id: p for p in Preferences.objects.filter(user_id__in=users)}
        self.members: dict[int, list[tuple[int, str, bool]]] = {}
        rows = Membership.objects.filter(bond_id__in=bonds).values_list(
            "bond_id", "user_id", "user__display_name", "left_at", "bond__ended_at"
        )
        for bond_id, user_id, name, left_at, ended_at in rows:
            active = left_at is None and ended_at is None
            self.members.setdefault(bond_id, []).append((user_id, name, active))
        days = [s.next_due_at.astimezone(s.user.tz).date() for s in schedules if s.next_due_at]
        self.done: set[tuple[int, date]] = set()
        if days:
            self.done = set(
                Completion.objects.filter(
                    ritual_id__in={s.ritual_id for s in schedules},
                    day__gte=min(days),
                    day__lte=max(days),
                ).values_list("ritual_id", "day")
            )

    def may_remind(self, schedule: ReminderSchedule) -> bool:
        members = self.members.get(schedule.ritual.bond_id, [])
        return any(uid == schedule.user_id and active for uid, _name, active in members)

    def other_name(self, schedule: ReminderSchedule) -> str:
        members = self.members.get(schedule.ritual.bond_id, [])
        return next((name for uid, name, _a in members if uid != schedule.user_id), "")

    def preferences(self, user_id: int) -> Preferences:
        return self.prefs.get(user_id) or Preferences(user_id=user_id)


def _should_send(schedule: ReminderSchedule, context: _Context, now: datetime) -> bool:
    moment = schedule.next_due_at
    if moment is None:
        return False
    tz = schedule.user.tz
    if now - moment > TOO_LATE:
        return False
    if (schedule.ritual_id, moment.astimezone(tz).date()) in context.done:
        return False  # already done today: nothing to remind of
    prefs = context.preferences(schedule.user_id)
    # A reminder postponed past quiet hours would come after the moment: skip it.
    return outside_quiet_hours(moment, tz, prefs.quiet_start, prefs.quiet_end) == moment


def reminder_title(schedule: ReminderSchedule, other: str) -> str:
    """Fixed wording with our template's name and a display name; never a
    custom ritual's name, which a person wrote."""
    what = schedule.ritual.template_name or "your ritual"
    return f"A reminder: {what} with {other}" if other else f"A reminder: {what}"


def _remind(schedule: ReminderSchedule, context: _Context, now: datetime) -> None:
    """Notify if the reminder is wanted, and move the (unsaved) row on."""
    active = context.may_remind(schedule)
    after = max(now, schedule.next_due_at or now)
    if active and _should_send(schedule, context, now):
        ritual = schedule.ritual
        notify(
            schedule.user,
            topic="rituals",
            title=reminder_title(schedule, context.other_name(schedule)),
            url=reverse("rituals:index", args=[ritual.bond_id]) + f"#ritual-{ritual.pk}",
            bond=ritual.bond,
        )
        schedule.last_sent_at = now
    schedule.next_due_at = next_reminder(schedule.ritual, schedule.user, after) if active else None
    schedule.enabled = schedule.enabled and active
    schedule.zone = schedule.user.time_zone


@chore(every=timedelta(minutes=15))
def refresh_moved_people() -> int:
    """Schedules computed in a zone the person has since left (a change the
    save signal did not see, such as a bulk update), recomputed."""
    from django.contrib.auth import get_user_model

    stale_users = (
        ReminderSchedule.objects.filter(enabled=True)
        .exclude(zone=F("user__time_zone"))
        .values_list("user_id", flat=True)
        .distinct()
    )
    count = 0
    for user in get_user_model().objects.filter(pk__in=list(stale_users[:500])):
        count += refresh_person(user)
    return count
