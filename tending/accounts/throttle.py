"""Slowing down and locking repeated failed log-ins: per email address, and per
client address across every account tried from it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from tending.accounts.models import ClientThrottle, LoginThrottle, Throttle


@dataclass(frozen=True)
class Limit:
    model: type[Throttle]
    slow_after: int
    lock_after: int


def _email_limit() -> Limit:
    return Limit(LoginThrottle, settings.LOGIN_SLOW_AFTER, settings.LOGIN_LOCK_AFTER)


def _ip_limit() -> Limit:
    return Limit(ClientThrottle, settings.LOGIN_IP_SLOW_AFTER, settings.LOGIN_IP_LOCK_AFTER)


# A client address's count starts again after this long without a failure.
IP_QUIET = timedelta(hours=1)


def _key(value: str) -> str:
    return hashlib.sha256(value.strip().lower().encode()).hexdigest()


def _wait(limit: Limit, value: str) -> int:
    row = limit.model._default_manager.filter(key=_key(value)).first()
    return row.wait_seconds(limit.slow_after) if row else 0


def wait_seconds(email: str) -> int:
    return _wait(_email_limit(), email)


def ip_wait_seconds(ip: str) -> int:
    return _wait(_ip_limit(), ip) if ip else 0


def _record(limit: Limit, value: str, *, quiet: timedelta | None = None) -> None:
    now = timezone.now()
    rows = limit.model._default_manager
    row, _ = rows.get_or_create(key=_key(value))
    if quiet is not None and row.last_failure and row.last_failure < now - quiet:
        rows.filter(pk=row.pk).update(failures=0)
    rows.filter(pk=row.pk).update(failures=F("failures") + 1, last_failure=now)
    row.refresh_from_db()
    if row.failures >= limit.lock_after:
        # Lock, then resume in the slowed-down phase rather than from zero.
        rows.filter(pk=row.pk).update(
            locked_until=now + timedelta(minutes=settings.LOGIN_LOCK_MINUTES),
            failures=limit.slow_after,
        )


def record_failure(email: str, ip: str = "") -> None:
    _record(_email_limit(), email)
    if ip:
        _record(_ip_limit(), ip, quiet=IP_QUIET)


def record_success(email: str) -> None:
    """Clears the address's count, never the client's: one's own account must
    not reset the count of a client trying other people's."""
    LoginThrottle.objects.filter(key=_key(email)).delete()


def describe_wait(seconds: int) -> str:
    if seconds >= 90:
        minutes = (seconds + 59) // 60
        return f"{minutes} minutes"
    return f"{seconds} seconds" if seconds != 1 else "a second"
