"""Slowing down and locking repeated failed log-ins, per email address."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from tending.accounts.models import LoginThrottle


def _key(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


def wait_seconds(email: str) -> int:
    row = LoginThrottle.objects.filter(key=_key(email)).first()
    return row.wait_seconds() if row else 0


def record_failure(email: str) -> None:
    now = timezone.now()
    key = _key(email)
    row, _ = LoginThrottle.objects.get_or_create(key=key)
    LoginThrottle.objects.filter(pk=row.pk).update(failures=F("failures") + 1, last_failure=now)
    row.refresh_from_db()
    if row.failures >= settings.LOGIN_LOCK_AFTER:
        # Lock, then resume in the slowed-down phase rather than from zero.
        LoginThrottle.objects.filter(pk=row.pk).update(
            locked_until=now + timedelta(minutes=settings.LOGIN_LOCK_MINUTES),
            failures=settings.LOGIN_SLOW_AFTER,
        )


def record_success(email: str) -> None:
    LoginThrottle.objects.filter(key=_key(email)).delete()


def describe_wait(seconds: int) -> str:
    if seconds >= 90:
        minutes = (seconds + 59) // 60
        return f"{minutes} minutes"
    return f"{seconds} seconds" if seconds != 1 else "a second"
