"""Two people accepting one invitation at the same moment: one joins, the other
gets a calm page, never a 500, and the bond keeps exactly two members."""

from __future__ import annotations

import threading

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from tending.accounts.models import User
from tending.bonds.models import Bond, Invitation, Kind, Membership
from tests.conftest import PASSWORD, client_for


def _open_bond(alice: User) -> tuple[Bond, Invitation]:
    bond = Bond.objects.create(kind=Kind.FRIEND, created_by=alice)
    Membership.objects.create(bond=bond, user=alice)
    return bond, Invitation.objects.create(bond=bond, created_by=alice)


def test_an_invitation_used_between_reading_and_joining_gives_a_calm_page(
    alice: User, bob: User, charlie: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """bob's request read the invitation while it was still open; charlie's
    acceptance lands before bob's join is written."""
    bond, inv = _open_bond(alice)
    stale = Invitation.objects.get(pk=inv.pk)
    assert client_for(charlie).post(f"/bonds/join/{inv.token}/accept/").status_code == 302
    monkeypatch.setattr(Invitation, "from_token", classmethod(lambda cls, token: stale))
    response = client_for(bob).post(f"/bonds/join/{inv.token}/accept/")
    assert response.status_code == 410
    assert "already been used" in response.content.decode()
    assert set(bond.memberships.values_list("user__email", flat=True)) == {
        "alice@example.org",
        "charlie@example.org",
    }


@pytest.mark.postgres
@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="real concurrent connections: the PostgreSQL pass of `make test`",
)
def test_two_connections_accept_at_once(transactional_db) -> None:  # type: ignore[no-untyped-def]
    alice = User.objects.create_user("alice@example.org", PASSWORD, display_name="Alice")
    people = [
        User.objects.create_user(f"p{i}@example.org", PASSWORD, display_name=f"P{i}")
        for i in range(4)
    ]
    bond, inv = _open_bond(alice)
    start = threading.Barrier(len(people))
    answers: list[tuple[int, str]] = []

    def accept(person: User) -> None:
        try:
            client: Client = client_for(person)
            start.wait()
            response = client.post(f"/bonds/join/{inv.token}/accept/")
            answers.append((response.status_code, response.get("Location", "")))
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=(p,)) for p in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    joined = [a for a in answers if a == (302, bond.get_absolute_url())]
    # The others saw it already used: a calm 410, or the invitation page saying so.
    turned_away = [a for a in answers if a[0] == 410 or a == (302, inv.get_absolute_url())]
    assert len(joined) == 1 and len(turned_away) == len(people) - 1, answers
    assert bond.memberships.count() == 2
