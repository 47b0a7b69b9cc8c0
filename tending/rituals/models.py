from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from tending.bonds.models import Bond
from tending.bonds.privacy import Entry, EntryQuerySet, Visibility, visibility_check
from tending.rituals import catalog
from tending.rituals.catalog import days_label


def weekday_mask(days: list[int] | tuple[int, ...] | set[int]) -> int:
    mask = 0
    for day in days:
        mask |= 1 << day
    return mask


def weekday_bit(day: date) -> int:
    """`day`'s bit in `Ritual.weekdays` (Monday is bit 0)."""
    return 1 << day.weekday()


class RitualQuerySet(EntryQuerySet):
    def due_on(self, day: date, bit: int | None = None) -> RitualQuerySet:
        """Rituals kept on `day`'s weekday and not yet marked done for `day`.

        `bit` is that weekday's bit (`weekday_bit(day)`), given apart for a
        query built once with stand-in values (tending.lib.plans)."""
        done = Completion.objects.filter(ritual=OuterRef("pk"), day=day)
        bit = weekday_bit(day) if bit is None else bit
        return (
            self.alias(on_day=F("weekdays").bitand(bit)).filter(on_day__gt=0).exclude(Exists(done))
        )


def default_ritual_time() -> time:
    """A new ritual's time until one is chosen: 08:00 on each member's own clock."""
    return time(8, 0)


class Ritual(Entry):
    """A small habit a bond keeps: on some days of the week, at a wall-clock time.

    The time has no zone of its own: each member's reminder comes at that time
    on their own clock, in their own time zone."""

    template = models.CharField(max_length=48, blank=True, default="")
    name = models.CharField(max_length=80)
    description = models.TextField(blank=True, max_length=500)
    # Bit i set means weekday i (Monday=0) is a ritual day.
    weekdays = models.PositiveSmallIntegerField()
    # A callable, not a fixed time: see notify.models.default_quiet_start (fields.W161).
    at = models.TimeField(default=default_ritual_time)
    minutes = models.PositiveSmallIntegerField(default=10)

    objects = RitualQuerySet.as_manager()

    class Meta:
        constraints = [visibility_check(Visibility.SHARED)]
        indexes = [models.Index(fields=["bond", "created_at"])]

    def save(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        self.visibility = Visibility.SHARED
        super().save(*args, **kwargs)

    @property
    def days(self) -> list[int]:
        return [d for d in range(7) if self.weekdays & (1 << d)]

    @property
    def days_label(self) -> str:
        return days_label(self.days)

    @property
    def template_name(self) -> str:
        """Our own name for the template it came from; never what a person typed."""
        found = catalog.template(self.template) if self.template else None
        return found.name if found else ""


class CompletionQuerySet(models.QuerySet):
    def kept_days(self, bond: Bond, since: date) -> list[date]:
        """The days since `since` on which one of the bond's rituals was marked
        done, once per ritual and day; read through the (bond, recorded_at) index,
        since a ritual is marked done on its own day."""
        start = datetime.combine(since - timedelta(days=2), time(), tzinfo=UTC)
        return list(
            self.filter(bond=bond, recorded_at__gte=start, day__gte=since).values_list(
                "day", flat=True
            )
        )


class Completion(models.Model):
    """ "We did it": one per ritual per day, whoever records it first.

    `day` is the local date of the person who recorded it."""

    ritual = models.ForeignKey(Ritual, on_delete=models.CASCADE, related_name="completions")
    # The ritual's bond, kept here so a bond's records are read with one index.
    bond = models.ForeignKey(Bond, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = CompletionQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ritual", "day"], name="one_completion_per_ritual_day")
        ]
        indexes = [models.Index(fields=["bond", "recorded_at"])]

    def save(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        if self.bond_id is None:
            self.bond_id = self.ritual.bond_id
        super().save(*args, **kwargs)


class ReminderSchedule(models.Model):
    """One person's reminders for one ritual.

    `next_due_at` is the next reminder as a UTC moment, computed from the
    ritual's wall-clock time in `zone` (the person's zone when it was computed);
    None while reminders are off. A worker takes a due row by writing its token
    into `claim` and a lease into `claimed_until`; it advances `next_due_at` and
    records the notification in one transaction, so a reminder is sent once or,
    after a crash, retried once the lease has run out."""

    ritual = models.ForeignKey(Ritual, on_delete=models.CASCADE, related_name="schedules")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    enabled = models.BooleanField(default=False)
    zone = models.CharField(max_length=64, blank=True, default="")
    next_due_at = models.DateTimeField(null=True, blank=True)
    claim = models.CharField(max_length=32, blank=True, default="")
    claimed_until = models.DateTimeField(null=True, blank=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ritual", "user"], name="one_schedule_per_person")
        ]
        indexes = [models.Index(fields=["next_due_at"])]


class TouchSetting(models.Model):
    """Whether a bond sees touch ideas; either member may change it."""

    bond = models.OneToOneField(Bond, on_delete=models.CASCADE, related_name="+")
    enabled = models.BooleanField()
    changed_at = models.DateTimeField(default=timezone.now)
