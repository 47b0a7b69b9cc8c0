"""Named people: alice and bob share a partner bond; charlie must never see
anything of theirs. Every test file builds on these."""

from __future__ import annotations

from typing import Any, NamedTuple

import pytest
from django.db import transaction
from django.test import Client

from tending.accounts.models import User
from tending.bonds.models import Bond, Kind, Membership
from tests.pushservice import push_service  # noqa: F401  (a local Web Push service)

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


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """tests.world's populated world, built once per test module. Tests that use
    it also ask for `db`: what each test writes is rolled back after it (a
    savepoint inside this fixture's transaction), and the world itself when the
    module is done."""
    from tests.world import make_world

    with django_db_blocker.unblock(), transaction.atomic():
        yield make_world()
        transaction.set_rollback(True)


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
def playwright_driver():  # type: ignore[no-untyped-def]
    """Playwright, once per session (its sync API allows one at a time)."""
    import os

    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the live server's
    # database work happens in its own thread, and tests only read rows.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright_driver):  # type: ignore[no-untyped-def]
    """Debian's Chromium driven by Playwright; never a browser a tool downloads."""
    chromium = playwright_driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()


PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}


class Pair(NamedTuple):
    alice: User
    bob: User
    bond: Bond


@pytest.fixture
def pair(transactional_db) -> Pair:  # type: ignore[no-untyped-def]
    """alice (Berlin) and bob (New York) in a partner bond, committed so that the
    live server's thread sees them: for browser tests."""
    alice = _person("alice@example.org", "Alice", "Europe/Berlin")
    bob = _person("bob@example.org", "Bob", "America/New_York")
    bond = Bond.objects.create(kind=Kind.PARTNER, created_by=alice)
    Membership.objects.create(bond=bond, user=alice)
    Membership.objects.create(bond=bond, user=bob)
    return Pair(alice, bob, bond)


def log_in_page(page: Any, live_server: Any, email: str) -> None:
    """Log `email` in on `page` through the real log-in form."""
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_email", email)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def open_practices(page: Any) -> None:
    """From a bond's home to its practices page (issue 13 moved the practice cards
    there), waiting until it has loaded, so the next click finds its link."""
    page.get_by_role("link", name="All practices").click()
    page.wait_for_url("**/practices/")
    page.wait_for_load_state()


def log_in(browser: Any, live_server: Any, email: str, **options: Any) -> tuple[Any, Any]:
    """A new browser context (with `options`, e.g. **PHONE) with `email` logged in."""
    context = browser.new_context(**options)
    page = context.new_page()
    log_in_page(page, live_server, email)
    return context, page


# A real S3 endpoint: moto in server mode, on 127.0.0.1, for the storage tests
# and the two-node test. Each test takes a bucket of its own.

S3_KEYS = {"access_key": "tending-test", "secret_key": "tending-test-secret"}


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def s3_endpoint(tmp_path_factory):  # type: ignore[no-untyped-def]
    """The address of a moto S3 server started for this test run."""
    import os
    import signal
    import subprocess
    import sys
    import time
    import urllib.request

    port = free_port()
    log_path = tmp_path_factory.mktemp("moto") / "moto.log"
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        assert server.poll() is None, log_path.read_text()
        try:
            with urllib.request.urlopen(f"{url}/moto-api/", timeout=2):  # noqa: S310
                break
        except OSError:
            assert time.monotonic() < deadline, log_path.read_text()
            time.sleep(0.2)
    yield url
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=30)


def s3_client(endpoint: str):  # type: ignore[no-untyped-def]
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=S3_KEYS["access_key"],
        aws_secret_access_key=S3_KEYS["secret_key"],
    )


def new_bucket(endpoint: str) -> str:
    import uuid

    name = f"tending-{uuid.uuid4().hex[:16]}"
    s3_client(endpoint).create_bucket(Bucket=name)
    return name


def s3_storage(endpoint: str, bucket: str, folder: str, **options: Any) -> dict[str, Any]:
    """A STORAGES entry like the one FILE_STORAGE=s3 makes, against moto."""
    return {
        "BACKEND": "tending.lib.s3.PrivateS3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "location": folder,
            "endpoint_url": endpoint,
            "region_name": "us-east-1",
            **S3_KEYS,
            **options,
        },
    }


@pytest.fixture
def phones(playwright_driver, tmp_path):  # type: ignore[no-untyped-def]
    """Makes phones: persistent Chromium profiles (a fresh context counts as
    incognito, which is never installable and keeps no service worker)."""
    made = []

    def make(**options: object):  # type: ignore[no-untyped-def]
        folder = tmp_path / f"profile-{len(made)}"
        context = playwright_driver.chromium.launch_persistent_context(
            str(folder), executable_path=CHROMIUM, args=CHROMIUM_ARGS, **PHONE, **options
        )
        made.append(context)
        return context

    yield make
    for context in made:
        context.close()


@pytest.fixture
def phone(phones):  # type: ignore[no-untyped-def]
    return phones()


def until(page, script: str, tries: int = 600) -> object:  # type: ignore[no-untyped-def]
    """Evaluate `script` until it is truthy, for up to a minute on a loaded
    machine (the page's CSP forbids the eval that wait_for_function needs)."""
    for _ in range(tries):
        found = page.evaluate(script)
        if found:
            return found
        page.wait_for_timeout(100)
    state = page.evaluate(
        """navigator.serviceWorker.getRegistration().then(r => r ? {
             installing: !!r.installing, waiting: !!r.waiting,
             active: r.active && r.active.state, url: location.href} : {url: location.href})"""
    )
    raise AssertionError(f"never true: {script} (service worker: {state})")


def controlled(page) -> None:  # type: ignore[no-untyped-def]
    """Wait until the service worker controls `page`. A page whose navigation
    began while the worker was still installing (the log-in redirect) stays
    uncontrolled until it is loaded again, as in any browser."""
    until(page, "navigator.serviceWorker.ready.then(() => true)")
    if not page.evaluate("navigator.serviceWorker.controller !== null"):
        page.reload()
    until(page, "navigator.serviceWorker.controller !== null")
