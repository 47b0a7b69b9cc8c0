from __future__ import annotations

import hashlib
import zoneinfo
from datetime import timedelta
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import DEFAULT_DB_ALIAS, models
from django.utils import timezone

from tending.lib.plans import Planned


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        email = self.normalize_email(email).lower()
        user = self.model(email=email, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)

    def get(self, *args: Any, **kwargs: Any) -> User:
        """`get(pk=…)` alone, which every signed-in request asks (Django's ModelBackend
        reads the session's person with it), runs SQL built once per process
        (tending.lib.plans); anything else is Django's own `get`. Same answer either
        way: the person, or User.DoesNotExist."""
        pk = kwargs.get("pk")
        plain = self.model is User and self._db is None  # not a migration's historical model
        if args or kwargs.keys() != {"pk"} or not plain or not _is_id(pk):
            return super().get(*args, **kwargs)
        rows = list(_BY_PK.rows("", int(pk)))
        if not rows:
            raise User.DoesNotExist("User matching query does not exist.")
        return User.from_db(DEFAULT_DB_ALIAS, _USER_COLUMNS, rows[0])


def _is_id(value: Any) -> bool:
    return (isinstance(value, int) and not isinstance(value, bool)) or (
        isinstance(value, str) and value.isascii() and value.isdigit() and len(value) < 19
    )


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(unique=True, max_length=254)
    display_name = models.CharField(max_length=60)
    time_zone = models.CharField(max_length=64, default="UTC")
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    def __str__(self) -> str:
        return self.display_name or f"user {self.pk}"

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        try:
            return zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo("UTC")


class Throttle(models.Model):
    """Failed log-ins counted under one key (see throttle.py).

    After `slow_after` failures in a row each attempt must wait a little longer;
    at the lock threshold the key is locked for LOGIN_LOCK_MINUTES. Stored in the
    database so that several web processes agree."""

    key = models.CharField(max_length=64, unique=True)  # a sha256, never the value itself
    failures = models.PositiveIntegerField(default=0)
    last_failure = models.DateTimeField(null=True)
    locked_until = models.DateTimeField(null=True)

    class Meta:
        abstract = True

    def wait_seconds(self, slow_after: int) -> int:
        """Seconds until another attempt is accepted; 0 when one may try now."""
        now = timezone.now()
        if self.locked_until and self.locked_until > now:
            return int((self.locked_until - now).total_seconds()) + 1
        extra = self.failures - slow_after
        if extra >= 0 and self.last_failure:
            ready = self.last_failure + timedelta(seconds=min(2 ** (extra + 1), 60))
            if ready > now:
                return int((ready - now).total_seconds()) + 1
        return 0


class LoginThrottle(Throttle):
    """Failed log-ins per email address (the key: sha256 of the lowered address)."""


class ClientThrottle(Throttle):
    """Failed log-ins per client address, to any accounts (the key: its sha256)."""


class PendingSignup(models.Model):
    """A sign-up waiting for its email link to be followed.

    No account exists until then, so a sign-up never reveals whether an email is
    already registered, and nobody can claim an address they cannot read."""

    email = models.EmailField(max_length=254)
    display_name = models.CharField(max_length=60)
    time_zone = models.CharField(max_length=64, default="UTC")
    password = models.CharField(max_length=256)  # already hashed
    token_hash = models.CharField(max_length=64, unique=True)
    next_url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    LIFETIME = timedelta(days=3)

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    def expired(self) -> bool:
        return self.created_at + self.LIFETIME < timezone.now()


class AccountEmail(models.Model):
    """A sign-up or password-reset email waiting for the worker.

    The request only writes this row, whether or not the address has an
    account, so both answers take the same time and tell nobody which it was;
    the worker looks the address up and sends the email that fits, then
    deletes the row."""

    class Kind(models.TextChoices):
        SIGNUP = "signup", "Sign-up"
        RESET = "reset", "Password reset"

    kind = models.CharField(max_length=8, choices=Kind.choices)
    email = models.EmailField(max_length=254)
    # For a sign-up, what becomes a PendingSignup if the address is free.
    display_name = models.CharField(max_length=60, blank=True)
    time_zone = models.CharField(max_length=64, blank=True)
    password = models.CharField(max_length=256, blank=True)  # already hashed
    next_url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveSmallIntegerField(default=0)
    claim = models.CharField(max_length=32, blank=True, default="")
    claimed_until = models.DateTimeField(null=True, blank=True)


_USER_COLUMNS = [f.attname for f in User._meta.concrete_fields]
# UserManager.get(pk=…), built once per process.
_BY_PK = Planned(lambda shape, pk: User._base_manager.filter(pk=pk).values_list(*_USER_COLUMNS))
