"""Log-in throttling per client address: one client cannot try many accounts,
whoever they belong to; X-Forwarded-For is believed only from a trusted proxy."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.test import Client, RequestFactory

from tending.accounts.models import User
from tending.lib.clientip import client_ip
from tests.conftest import PASSWORD

START = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)


def _try(client: Client, email: str, password: str, **headers: str):  # type: ignore[no-untyped-def]
    return client.post("/accounts/login/", {"email": email, "password": password}, headers=headers)


def _spray(client: Client, count: int, traveller, **headers: str) -> None:  # type: ignore[no-untyped-def]
    """`count` wrong passwords, each for a different address, a minute apart
    (past any one address's slowing down)."""
    for i in range(count):
        _try(client, f"someone{i}@example.org", "not the right one", **headers)
        traveller.shift(timedelta(seconds=61))


def test_many_accounts_from_one_address_lock_that_address_only(alice: User) -> None:
    spraying, elsewhere = Client(REMOTE_ADDR="203.0.113.7"), Client(REMOTE_ADDR="198.51.100.2")
    with time_machine.travel(START, tick=False) as traveller:
        _spray(spraying, settings.LOGIN_IP_LOCK_AFTER, traveller)
        refused = _try(spraying, "alice@example.org", PASSWORD)
        assert refused.status_code == 200
        assert "many attempts to log in from this network" in refused.content.decode()
        # alice's own address count was never touched: from elsewhere she gets in.
        assert _try(elsewhere, "alice@example.org", PASSWORD).status_code == 302
        traveller.shift(timedelta(minutes=settings.LOGIN_LOCK_MINUTES, seconds=1))
        assert _try(spraying, "alice@example.org", PASSWORD).status_code == 302


def test_the_address_count_starts_again_after_a_quiet_hour(alice: User) -> None:
    client = Client(REMOTE_ADDR="203.0.113.8")
    with time_machine.travel(START, tick=False) as traveller:
        _spray(client, settings.LOGIN_IP_LOCK_AFTER - 1, traveller)
        traveller.shift(timedelta(hours=1, seconds=1))
        _spray(client, 1, traveller)
        assert _try(client, "alice@example.org", PASSWORD).status_code == 302


def test_a_spoofed_forwarded_for_from_an_untrusted_client_is_ignored(alice: User) -> None:
    client = Client(REMOTE_ADDR="203.0.113.9")
    with time_machine.travel(START, tick=False) as traveller:
        for i in range(settings.LOGIN_IP_LOCK_AFTER):
            _try(client, f"x{i}@example.org", "wrong", X_FORWARDED_FOR=f"10.0.0.{i}")
            traveller.shift(timedelta(seconds=61))
        response = _try(client, "alice@example.org", PASSWORD, X_FORWARDED_FOR="10.9.9.9")
        assert "many attempts to log in from this network" in response.content.decode()


@pytest.mark.parametrize(
    ("remote", "forwarded", "trusted", "expected"),
    [
        ("203.0.113.1", "", ["127.0.0.1"], "203.0.113.1"),
        ("203.0.113.1", "1.2.3.4", ["127.0.0.1"], "203.0.113.1"),  # not from a proxy
        ("127.0.0.1", "198.51.100.5", ["127.0.0.1"], "198.51.100.5"),
        ("127.0.0.1", "6.6.6.6, 198.51.100.5", ["127.0.0.1"], "198.51.100.5"),  # left is forged
        ("10.0.0.2", "198.51.100.5, 10.0.0.1", ["10.0.0.1", "10.0.0.2"], "198.51.100.5"),
        ("10.0.0.2", "198.51.100.5, 10.0.0.1", ["*"], "198.51.100.5"),
        ("127.0.0.1", "", ["127.0.0.1"], "127.0.0.1"),
    ],
)
def test_client_ip(
    settings, remote: str, forwarded: str, trusted: list[str], expected: str
) -> None:  # type: ignore[no-untyped-def]
    settings.FORWARDED_ALLOW_IPS = trusted
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_a_trusted_proxys_forwarded_for_separates_clients(alice: User) -> None:
    proxy = Client(REMOTE_ADDR="127.0.0.1")
    with time_machine.travel(START, tick=False) as traveller:
        _spray(proxy, settings.LOGIN_IP_LOCK_AFTER, traveller, X_FORWARDED_FOR="203.0.113.20")
        locked = _try(proxy, "alice@example.org", PASSWORD, X_FORWARDED_FOR="203.0.113.20")
        assert "many attempts" in locked.content.decode()
        assert (
            _try(proxy, "alice@example.org", PASSWORD, X_FORWARDED_FOR="203.0.113.21").status_code
            == 302
        )
