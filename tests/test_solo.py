"""When only one is willing: when the solo path applies, what it shows, and that
a positive safety screen swaps the approach steps for support."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tending.accounts.models import User
from tending.bonds.cards import cards_for
from tending.bonds.models import Bond, Invitation, Kind, Membership
from tending.bonds.privacy import entry_models
from tending.feelings.models import FeelingCheckin
from tending.notify.models import Notification
from tending.safety.models import SafetyScreen
from tending.solo.path import QUIET_AFTER, active_since, solo_reason
from tests.conftest import client_for

START = datetime(2026, 4, 1, 12, 0, tzinfo=UTC)
CSRF = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+|("X-CSRFToken": ")[^"]+')


def url(name: str, bond: Bond) -> str:
    return reverse(f"solo:{name}", args=[bond.pk])


def text(response) -> str:  # type: ignore[no-untyped-def]
    return response.content.decode()


def checkin(bond: Bond, author: User, when: datetime) -> FeelingCheckin:
    return FeelingCheckin.objects.create(
        bond=bond,
        author=author,
        family="low",
        word="lonely",
        intensity=2,
        created_at=when,
        visibility="shared",
    )


@pytest.fixture
def waiting_bond(alice: User) -> Bond:
    """alice's friend bond whose invitation nobody has taken up yet."""
    bond = Bond.objects.create(kind=Kind.FRIEND, created_by=alice)
    Membership.objects.create(bond=bond, user=alice)
    Invitation.objects.create(bond=bond, created_by=alice)
    return bond


@pytest.fixture
def old_bond(alice: User, bob: User) -> Bond:
    """alice and bob, both members for two months."""
    with time_machine.travel(START - timedelta(weeks=8), tick=False):
        bond = Bond.objects.create(kind=Kind.PARTNER, created_by=alice)
        Membership.objects.create(bond=bond, user=alice)
        Membership.objects.create(bond=bond, user=bob)
    return bond


# --- when it applies -----------------------------------------------------------------------------


def test_not_joined_and_declined(alice: User, waiting_bond: Bond) -> None:
    assert solo_reason(waiting_bond, alice) == "not_joined"
    Invitation.objects.filter(bond=waiting_bond).update(declined_at=timezone.now())
    assert solo_reason(waiting_bond, alice) == "declined"
    # A fresh invitation after a "no" is waiting again.
    Invitation.objects.create(bond=waiting_bond, created_by=alice)
    assert solo_reason(waiting_bond, alice) == "not_joined"


def test_quiet_for_three_weeks(alice: User, bob: User, old_bond: Bond) -> None:
    with time_machine.travel(START, tick=False):
        checkin(old_bond, alice, START - timedelta(days=1))
        checkin(old_bond, bob, START - QUIET_AFTER - timedelta(minutes=1))
        assert solo_reason(old_bond, alice) == "quiet"
        # bob sees nothing of the sort: alice has written lately.
        assert solo_reason(old_bond, bob) is None
        checkin(old_bond, bob, START - timedelta(days=20))
        assert solo_reason(old_bond, alice) is None


def test_what_the_other_shares_counts_as_being_there(
    alice: User, bob: User, old_bond: Bond
) -> None:
    from tending.repair.models import Rupture

    with time_machine.travel(START, tick=False):
        assert solo_reason(old_bond, alice) == "quiet"
        # A private draft does not count: alice must not learn that bob writes privately.
        Rupture.objects.create(bond=old_bond, author=bob, created_at=START - timedelta(days=2))
        assert solo_reason(old_bond, alice) == "quiet"
        # A repair he sent does.
        Rupture.objects.create(
            bond=old_bond,
            author=bob,
            visibility="shared",
            sent_at=START - timedelta(days=2),
            created_at=START - timedelta(days=2),
        )
        assert solo_reason(old_bond, alice) is None


def test_someone_who_just_joined_is_not_quiet(alice: User, bob: User) -> None:
    with time_machine.travel(START, tick=False):
        bond = Bond.objects.create(kind=Kind.SIBLING, created_by=alice)
        Membership.objects.create(bond=bond, user=alice, joined_at=START - timedelta(weeks=6))
        Membership.objects.create(bond=bond, user=bob, joined_at=START - timedelta(days=10))
        assert solo_reason(bond, alice) is None


def test_no_solo_path_for_just_me_or_ended_bonds(
    alice: User, bob: User, charlie: User, charlie_bond: Bond, old_bond: Bond
) -> None:
    assert solo_reason(charlie_bond, charlie) is None
    old_bond.end(bob)
    assert solo_reason(old_bond, alice) is None


def test_quietness_costs_one_query_per_entry_model_and_stops_at_the_first_sign_of_life(
    alice: User, bob: User, old_bond: Bond
) -> None:
    bond = Bond.objects.prefetch_related("memberships").get(pk=old_bond.pk)
    models = entry_models()
    assert len(models) >= 3
    with time_machine.travel(START, tick=False):
        with CaptureQueriesContext(connection) as queries:
            assert active_since(bond, bob, START - QUIET_AFTER, alice) is False
        assert len(queries.captured_queries) == len(models)
        FeelingCheckin.objects.create(
            bond=bond, author=bob, visibility="shared", family="calm", word="calm", intensity=2
        )
        with CaptureQueriesContext(connection) as queries:
            assert active_since(bond, bob, START - QUIET_AFTER, alice) is True
        assert len(queries.captured_queries) <= 2


# --- the page ------------------------------------------------------------------------------------


def test_offered_to_bonds_of_two_and_closed_to_outsiders(
    as_alice: Client, as_bob: Client, as_charlie: Client, bond: Bond, charlie_bond: Bond
) -> None:
    # The card shows only while the path applies (see the test below); the page stays open.
    assert url("index", bond) not in [p.url for p in cards_for(bond)]
    assert not [p for p in cards_for(charlie_bond) if "/solo/" in p.url]
    for path in (url("index", bond), url("practise", bond)):
        assert as_alice.get(path).status_code == 200
        assert as_bob.get(path).status_code == 200
        assert as_charlie.get(path).status_code == 404
        anonymous = Client().get(path)
        assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    # Issue 13: a just-me bond's owner may walk the path too (it was a 404).
    assert as_charlie.get(url("index", charlie_bond)).status_code == 200


def test_not_joined_shows_the_invitation_to_send(alice: User, waiting_bond: Bond, settings) -> None:  # type: ignore[no-untyped-def]
    page = text(client_for(alice).get(url("index", waiting_bond)))
    invitation = Invitation.objects.get(bond=waiting_bond)
    assert "hasn&#x27;t joined yet" in page or "hasn't joined yet" in page
    assert invitation.get_absolute_url() in page
    assert reverse("bonds:invite_email", args=[waiting_bond.pk]) in page
    assert "Lead with what you feel" in page and url("practise", waiting_bond) in page
    Invitation.objects.filter(bond=waiting_bond).update(declined_at=timezone.now())
    page = text(client_for(alice).get(url("index", waiting_bond)))
    assert "declined for now" in page
    assert invitation.get_absolute_url() not in page
    assert reverse("bonds:invite_new", args=[waiting_bond.pk]) in page


def test_quiet_shows_a_message_to_copy_and_counselling(
    alice: User, bob: User, old_bond: Bond
) -> None:
    with time_machine.travel(START, tick=False):
        page = text(client_for(alice).get(url("index", old_bond)))
    assert "hasn't written anything here for three weeks" in page
    assert 'data-copy="#example-1"' in page and "Only if you feel like it." in page
    assert "/bonds/join/" not in page  # no invitation: bob is already here
    assert reverse("repair:counselling", args=[old_bond.pk]) in page
    assert "Support is there, for both of you or for you alone" in page
    for step in ("Be patient, and clear about what you need", "Tend your own garden"):
        assert step in page


def test_a_positive_screen_leaves_out_the_approach_steps(
    alice: User, bob: User, waiting_bond: Bond, old_bond: Bond
) -> None:
    SafetyScreen.objects.create(user=alice, positive=True)
    with time_machine.travel(START, tick=False):
        pages = [text(client_for(alice).get(url("index", b))) for b in (waiting_bond, old_bond)]
        practise = text(client_for(alice).get(url("practise", old_bond)))
    for page in pages + [practise]:
        assert reverse("safety:support") in page
        assert "Lead with what you feel" not in page
        assert "Invite, and let the answer be theirs" not in page
        assert "Be patient, and clear about what you need" not in page
        assert "/bonds/join/" not in page and 'data-copy="#example-1"' not in page
        assert "<textarea" not in page
    assert "Tend your own garden" in pages[0]


def test_bob_cannot_tell_that_alice_screened_positive(
    alice: User, bob: User, old_bond: Bond
) -> None:
    with time_machine.travel(START, tick=False):
        checkin(old_bond, alice, START - timedelta(days=40))
        before = [text(client_for(bob).get(url(n, old_bond))) for n in ("index", "practise")]
        SafetyScreen.objects.create(user=alice, positive=True)
        after = [text(client_for(bob).get(url(n, old_bond))) for n in ("index", "practise")]
    assert [CSRF.sub(r"\1\2-", p) for p in after] == [CSRF.sub(r"\1\2-", p) for p in before]
    assert "Lead with what you feel" in after[0]


def test_practising_coaches_but_keeps_and_sends_nothing(
    as_alice: Client, bob: User, bond: Bond
) -> None:
    def counts() -> list[int]:
        return [m.objects.count() for m in entry_models()]

    before = counts()
    response = as_alice.post(url("practise", bond), {"text": "you never make time for me"})
    page = text(response)
    assert response.status_code == 200
    assert "<mark>you never</mark>" in page
    assert "\nyou never make time for me</textarea>" in page
    response = as_alice.post(url("practise", bond), {"text": "x", "replace_with": "I miss you."})
    assert "\nI miss you.</textarea>" in text(response)
    assert counts() == before
    assert not Notification.objects.exists()
    assert as_alice.post(url("practise", bond), {"text": "x" * 5000}).status_code == 400


def test_the_solo_card_shows_only_while_one_tends_alone(bond, alice, bob) -> None:  # type: ignore[no-untyped-def]
    from datetime import timedelta

    import time_machine

    from tests.conftest import client_for

    # Issue 13: the cards moved from the bond's home to its practices page.
    assert (
        "When only one of you is ready"
        not in client_for(alice).get(f"/bonds/{bond.pk}/practices/").content.decode()
    )
    with time_machine.travel(timedelta(days=30)):
        page = client_for(alice).get(f"/bonds/{bond.pk}/practices/").content.decode()
    assert "When only one of you is ready" in page


def test_private_writing_does_not_hide_the_solo_path(bond, alice, bob) -> None:  # type: ignore[no-untyped-def]
    """alice must not learn from the solo path that bob writes private entries."""
    from datetime import timedelta

    import time_machine

    from tending.feelings.models import FeelingCheckin

    with time_machine.travel(timedelta(days=30)):
        FeelingCheckin.objects.create(
            bond=bond, author=bob, family="calm", word="calm", intensity=2, visibility="private"
        )
        assert solo_reason(bond, alice) == "quiet"
        FeelingCheckin.objects.create(
            bond=bond, author=bob, family="calm", word="calm", intensity=2, visibility="shared"
        )
        assert solo_reason(bond, alice) is None
