"""Local-time maths, in one place. The database holds UTC; each person's zone
is used only here, to turn their wall-clock wishes into UTC moments and back."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache

from django.utils import timezone


@lru_cache(maxsize=1)
def zone_names() -> tuple[str, ...]:
    return tuple(sorted(z for z in zoneinfo.available_timezones() if "/" in z or z == "UTC"))


def is_valid_zone(name: str) -> bool:
    return name in zone_names()


def local_now(tz: zoneinfo.ZoneInfo) -> datetime:
    return timezone.now().astimezone(tz)


def local_today(tz: zoneinfo.ZoneInfo) -> date:
    return local_now(tz).date()


def local_time(moment: datetime, tz: zoneinfo.ZoneInfo) -> datetime:
    """`moment` as it reads on a wall clock in `tz`."""
    return moment.astimezone(tz)


def to_utc(day: date, at: time, tz: zoneinfo.ZoneInfo) -> datetime:
    """The UTC moment of wall-clock `at` on `day` in `tz`.

    A time skipped by a spring-forward change is moved forward by the gap (02:30
    that never happens becomes 03:30); a time that happens twice in autumn is
    taken at its first occurrence (fold=0)."""
    # With fold=0 zoneinfo reads a skipped time with the offset in force
    # before the gap (so it lands after the gap) and a repeated time as its
    # first occurrence: both are what we want.
    return datetime.combine(day, at).replace(tzinfo=tz, fold=0).astimezone(UTC)


def next_weekly(
    after: datetime, weekdays: set[int], at: time, tz: zoneinfo.ZoneInfo
) -> datetime | None:
    """The first UTC moment strictly after `after` that falls on one of
    `weekdays` (Monday=0) at wall-clock `at` in `tz`; None if no weekdays."""
    if not weekdays:
        return None
    start = after.astimezone(tz).date()
    for offset in range(0, 8):
        day = start + timedelta(days=offset)
        if day.weekday() in weekdays:
            moment = to_utc(day, at, tz)
            if moment > after:
                return moment
    return None


def outside_quiet_hours(
    moment: datetime, tz: zoneinfo.ZoneInfo, start: time | None, end: time | None
) -> datetime:
    """`moment` if it falls outside the quiet hours [start, end) in `tz`, else
    the UTC moment the quiet hours end. Quiet hours may wrap midnight (22:00–07:00)."""
    if start is None or end is None or start == end:
        return moment
    local = moment.astimezone(tz)
    now_t = local.time().replace(tzinfo=None)
    wraps = start > end
    quiet = (start <= now_t or now_t < end) if wraps else (start <= now_t < end)
    if not quiet:
        return moment
    day = local.date()
    if wraps and now_t >= start:
        day = day + timedelta(days=1)
    return to_utc(day, end, tz)
