"""Named people: alice and bob share a partner bond; charlie must never see
anything of theirs. Every test file builds on these."""

from __future__ import annotations

import pytest
from django.test import Client

from tending.accounts.models import User
from tending.bonds.models import Bond, Kind, Membership

PASSWORD = "a quiet walk by the river"


@pytest.fixture(autouse=True)
def _fast_hashing(settings):  # type: ignore[no-untyped-def]
    # Argon2 is deliberately slow; tests that care about it ask for it.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _person(email: str, name: str, tz: str) -> User:
    return User.objects.create_user(email, PASSWORD, display_name=name, time_zone=tz)


@pytest.fixture
def alice(db) -> User:  # type: ignore[no-untyped-def]
    return _person("alice@example.org", "Alice", "Europe/Berlin")


@pytest.fixture
def bob(db) -> User:  # type: ignore[no-untyped-def]
    return _person("bob@example.org", "Bob", "America/New_York")


@pytest.fixture
def charlie(db) -> User:  # type: ignore[no-untyped-def]
    return _person("charlie@example.org", "Charlie", "Australia/Sydney")


@pytest.fixture
def bond(alice: User, bob: User) -> Bond:
    bond = Bond.objects.create(kind=Kind.PARTNER, created_by=alice)
    Membership.objects.create(bond=bond, user=alice)
    Membership.objects.create(bond=bond, user=bob)
    return bond


@pytest.fixture
def charlie_bond(charlie: User) -> Bond:
    bond = Bond.objects.create(kind=Kind.JUST_ME, created_by=charlie)
    Membership.objects.create(bond=bond, user=charlie)
    return bond


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def as_alice(alice: User) -> Client:
    return client_for(alice)


@pytest.fixture
def as_bob(bob: User) -> Client:
    return client_for(bob)


@pytest.fixture
def as_charlie(charlie: User) -> Client:
    return client_for(charlie)


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():  # type: ignore[no-untyped-def]
    """Debian's Chromium driven by Playwright; never a browser a tool downloads."""
    import os

    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the live server's
    # database work happens in its own thread, and tests only read rows.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
