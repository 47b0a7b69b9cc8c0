"""Bonds and invitations. Alice and Bob share `bond`; `open_bond` is a friend bond
Alice has started and not yet shared. Charlie must never learn that either exists."""

from __future__ import annotations

import html
import re
from datetime import timedelta
from urllib.parse import quote, urlsplit

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tending.accounts.jobs import send_account_emails
from tending.accounts.models import User
from tending.bonds.models import Bond, Invitation, Kind, Membership

from .conftest import client_for


def _text(response) -> str:  # type: ignore[no-untyped-def]
    return html.unescape(response.content.decode())


@pytest.fixture
def open_bond(alice: User) -> Bond:
    bond = Bond.objects.create(kind=Kind.FRIEND, created_by=alice)
    Membership.objects.create(bond=bond, user=alice)
    Invitation.objects.create(bond=bond, created_by=alice)
    return bond


def _invitation(bond: Bond) -> Invitation:
    return bond.invitations.get(accepted_at=None, revoked_at=None, declined_at=None)


# Creating and listing


@pytest.mark.parametrize("kind", [k.value for k in Kind])
def test_create_each_kind(alice: User, kind: str) -> None:
    response = client_for(alice).post(reverse("bonds:create"), {"kind": kind})
    bond = Bond.objects.get(created_by=alice)
    assert response.status_code == 302
    assert response["Location"] == bond.get_absolute_url()
    assert bond.kind == kind
    assert list(bond.memberships.values_list("user", flat=True)) == [alice.pk]
    invitations = list(bond.invitations.all())
    if kind == Kind.JUST_ME:
        assert invitations == []
    else:
        assert len(invitations) == 1
        assert invitations[0].status == "pending"
        page = _text(client_for(alice).get(bond.get_absolute_url()))
        assert invitations[0].get_absolute_url() in page


def test_create_without_a_kind_asks_for_one(alice: User) -> None:
    response = client_for(alice).post(reverse("bonds:create"), {"kind": ""})
    assert response.status_code == 200
    assert "Please choose the kind of bond." in _text(response)
    assert not Bond.objects.exists()


def test_home_lists_bonds_with_the_other_members_name(
    bond: Bond, open_bond: Bond, as_alice: Client, as_bob: Client
) -> None:
    alice_home = _text(as_alice.get(reverse("bonds:home")))
    assert "With Bob" in alice_home
    assert bond.get_absolute_url() in alice_home
    assert open_bond.get_absolute_url() in alice_home
    assert "Waiting for someone to join" in alice_home
    bob_home = _text(as_bob.get(reverse("bonds:home")))
    assert "With Alice" in bob_home
    assert open_bond.get_absolute_url() not in bob_home


# Invitations


def test_invitation_page_for_anonymous_visitors(open_bond: Bond) -> None:
    path = _invitation(open_bond).get_absolute_url()
    response = Client().get(path)
    assert response.status_code == 200
    page = _text(response)
    assert "Alice invites you" in page
    assert "friend" in page
    raw = response.content.decode()
    nxt = quote(path, safe="/")
    assert f'href="{reverse("accounts:signup")}?next={nxt}"' in raw
    assert f'href="{reverse("accounts:login")}?next={nxt}"' in raw


def test_signing_up_from_an_invitation_comes_back_to_it(open_bond: Bond) -> None:
    path = _invitation(open_bond).get_absolute_url()
    client = Client()
    client.post(
        f"{reverse('accounts:signup')}?next={quote(path, safe='/')}",
        {
            "display_name": "Dana",
            "email": "dana@example.org",
            "password": "lanterns over the harbour at dusk",
            "time_zone": "UTC",
        },
    )
    send_account_emails()  # the worker sends the sign-up link
    confirm = urlsplit(re.findall(r"https?://\S+", mail.outbox[0].body)[0]).path
    response = client.post(confirm)
    assert response["Location"] == path
    page = client.get(path)
    assert page.status_code == 200
    assert reverse("bonds:invitation_accept", args=[_invitation(open_bond).token]) in _text(page)


def test_bob_accepts_and_a_second_acceptance_is_refused(
    open_bond: Bond, bob: User, charlie: User
) -> None:
    inv = _invitation(open_bond)
    accept = reverse("bonds:invitation_accept", args=[inv.token])
    response = client_for(bob).post(accept)
    assert response.status_code == 302
    assert response["Location"] == open_bond.get_absolute_url()
    assert open_bond.memberships.filter(user=bob).exists()
    inv.refresh_from_db()
    assert inv.accepted_by == bob

    late = client_for(charlie).post(accept, follow=True)
    assert late.status_code == 410
    assert "already been used" in _text(late)
    assert not open_bond.memberships.filter(user=charlie).exists()
    assert open_bond.memberships.count() == 2
    detail = client_for(bob).get(open_bond.get_absolute_url())
    assert "You and Alice" in _text(detail)


def test_expired_invitation(open_bond: Bond, bob: User) -> None:
    path = _invitation(open_bond).get_absolute_url()
    with time_machine.travel(timezone.now() + timedelta(days=15)):
        response = client_for(bob).get(path)
        assert response.status_code == 410
        assert "This invitation has expired" in _text(response)
        client_for(bob).post(path + "accept/")
    assert not open_bond.memberships.filter(user=bob).exists()


def test_revoked_invitation(open_bond: Bond, as_alice: Client, bob: User) -> None:
    inv = _invitation(open_bond)
    as_alice.post(reverse("bonds:invite_revoke", args=[open_bond.pk]))
    response = client_for(bob).get(inv.get_absolute_url())
    assert response.status_code == 410
    assert "withdrawn by the person who made it" in _text(response)
    client_for(bob).post(reverse("bonds:invitation_accept", args=[inv.token]))
    assert not open_bond.memberships.filter(user=bob).exists()


def test_declined_invitation(open_bond: Bond, bob: User) -> None:
    inv = _invitation(open_bond)
    response = Client().post(reverse("bonds:invitation_decline", args=[inv.token]))
    assert response.status_code == 200
    assert "The invitation has been declined" in _text(response)
    again = client_for(bob).get(inv.get_absolute_url())
    assert again.status_code == 410
    assert "This invitation was declined" in _text(again)
    client_for(bob).post(reverse("bonds:invitation_accept", args=[inv.token]))
    assert not open_bond.memberships.filter(user=bob).exists()


@pytest.mark.parametrize(
    "token",
    ["garbage", "eyJhIjoxfQ:1abc:def", "%00", "a" * 300],
    ids=["word", "forged", "nul", "long"],
)
def test_unreadable_token(db, token: str) -> None:  # type: ignore[no-untyped-def]
    response = Client().get(f"/bonds/join/{token}/")
    assert response.status_code == 404
    assert "We couldn't read this link" in _text(response)


def test_token_with_another_nonce_is_unreadable(open_bond: Bond) -> None:
    inv = _invitation(open_bond)
    original = inv.token
    inv.nonce = "0" * 32
    response = Client().get(reverse("bonds:invitation", args=[inv.token]))
    assert response.status_code == 404
    assert Client().get(reverse("bonds:invitation", args=[original])).status_code == 200


def test_a_new_link_revokes_the_old_one(open_bond: Bond, as_alice: Client) -> None:
    old = _invitation(open_bond)
    response = as_alice.post(reverse("bonds:invite_new", args=[open_bond.pk]))
    assert response.status_code == 302
    new = _invitation(open_bond)
    assert new.pk != old.pk
    gone = Client().get(old.get_absolute_url())
    assert gone.status_code == 410
    assert "withdrawn" in _text(gone)
    assert Client().get(new.get_absolute_url()).status_code == 200
    assert new.get_absolute_url() in _text(as_alice.get(open_bond.get_absolute_url()))


def test_emailing_the_link(open_bond: Bond, as_alice: Client) -> None:
    inv = _invitation(open_bond)
    response = as_alice.post(
        reverse("bonds:invite_email", args=[open_bond.pk]), {"email": "dana@example.org"}
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["dana@example.org"]
    link = settings.SITE_URL + inv.get_absolute_url()
    assert re.findall(r"https?://\S+", message.body) == [link]
    body_html = message.alternatives[0][0]
    assert re.findall(r'href="([^"]*)"', body_html) == [link]
    everything = message.subject + message.body + body_html
    assert "Alice" in everything
    # Nothing about the inviter beyond their name: no address, no bond details.
    assert "alice@example.org" not in everything
    assert f"/bonds/{open_bond.pk}/" not in everything
    inv.refresh_from_db()
    assert inv.email == "dana@example.org"


def test_emailing_to_an_invalid_address_shows_a_form_error(
    open_bond: Bond, as_alice: Client
) -> None:
    response = as_alice.post(
        reverse("bonds:invite_email", args=[open_bond.pk]), {"email": "not an address"}
    )
    assert response.status_code == 400
    assert "Enter a valid email address." in _text(response)
    assert mail.outbox == []


def test_inviter_opening_their_own_link(open_bond: Bond, as_alice: Client) -> None:
    inv = _invitation(open_bond)
    response = as_alice.get(inv.get_absolute_url())
    assert response.status_code == 200
    assert "your own invitation" in _text(response)
    assert reverse("bonds:invitation_accept", args=[inv.token]) not in _text(response)
    as_alice.post(reverse("bonds:invitation_accept", args=[inv.token]))
    inv.refresh_from_db()
    assert inv.status == "pending"
    assert open_bond.memberships.count() == 1


# Leaving and the archive


def test_leaving_ends_the_bond_for_both(bond: Bond, as_alice: Client, as_bob: Client) -> None:
    response = as_alice.post(reverse("bonds:leave", args=[bond.pk]))
    assert response.status_code == 302
    bond.refresh_from_db()
    assert bond.ended_at is not None

    home = _text(as_bob.get(reverse("bonds:home")))
    active, _, archive = home.partition("<h2>Archive</h2>")
    assert bond.get_absolute_url() not in active
    assert bond.get_absolute_url() in archive
    assert "With Alice" in archive
    assert "This bond ended on" in _text(as_bob.get(bond.get_absolute_url()))

    for client in (as_bob, as_alice):
        for name in ("invite_new", "invite_revoke", "invite_email", "leave"):
            url = reverse(f"bonds:{name}", args=[bond.pk])
            assert client.post(url, {"email": "x@example.org"}).status_code == 404, name
        assert client.get(reverse("bonds:leave", args=[bond.pk])).status_code == 404
    assert mail.outbox == []


def test_deleting_the_archive_hides_it_from_that_person_only(
    bond: Bond, as_alice: Client, as_bob: Client
) -> None:
    as_alice.post(reverse("bonds:leave", args=[bond.pk]))
    url = reverse("bonds:delete_archive", args=[bond.pk])
    assert as_bob.get(url).status_code == 200

    response = as_bob.post(url)
    assert response.status_code == 302
    assert as_bob.get(bond.get_absolute_url()).status_code == 404
    assert bond.get_absolute_url() not in _text(as_bob.get(reverse("bonds:home")))
    assert as_alice.get(bond.get_absolute_url()).status_code == 200
    assert bond.get_absolute_url() in _text(as_alice.get(reverse("bonds:home")))
    assert as_bob.post(url).status_code == 404

    as_alice.post(url)
    assert not Bond.objects.filter(pk=bond.pk).exists()


def test_an_active_bonds_archive_cannot_be_deleted(bond: Bond, as_alice: Client) -> None:
    url = reverse("bonds:delete_archive", args=[bond.pk])
    assert as_alice.get(url).status_code == 404
    assert as_alice.post(url).status_code == 404
    assert Bond.objects.filter(pk=bond.pk, ended_at=None).exists()


# Outsiders


_MEMBER_URLS = [
    ("get", "detail"),
    ("get", "leave"),
    ("post", "leave"),
    ("post", "invite_new"),
    ("post", "invite_revoke"),
    ("post", "invite_email"),
    ("get", "delete_archive"),
    ("post", "delete_archive"),
]


@pytest.mark.parametrize("ended", [False, True], ids=["active", "ended"])
@pytest.mark.parametrize(("method", "name"), _MEMBER_URLS)
def test_charlie_gets_404_on_every_bond_url(
    bond: Bond, open_bond: Bond, as_charlie: Client, method: str, name: str, ended: bool
) -> None:
    for target in (bond, open_bond):
        if ended:
            target.end(target.created_by)
        url = reverse(f"bonds:{name}", args=[target.pk])
        response = getattr(as_charlie, method)(url, {"email": "charlie@example.org"})
        assert response.status_code == 404, (target, method, name)
    assert mail.outbox == []
    assert not Membership.objects.filter(user__email="charlie@example.org").exists()
    bond.refresh_from_db()
    assert (bond.ended_at is not None) == ended
    assert Bond.objects.filter(pk=open_bond.pk).exists()
    assert open_bond.invitations.filter(revoked_at=None).exists() != ended


@pytest.mark.parametrize(("method", "name"), _MEMBER_URLS + [("get", "home"), ("get", "create")])
def test_anonymous_is_sent_to_log_in(bond: Bond, method: str, name: str) -> None:
    args = [] if name in ("home", "create") else [bond.pk]
    url = reverse(f"bonds:{name}", args=args)
    response = getattr(Client(), method)(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={quote(url)}"
    bond.refresh_from_db()
    assert bond.ended_at is None


def test_anonymous_cannot_accept(open_bond: Bond) -> None:
    inv = _invitation(open_bond)
    response = Client().post(reverse("bonds:invitation_accept", args=[inv.token]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert open_bond.memberships.count() == 1


def test_invitation_nonce_fits_its_column() -> None:
    field = Invitation._meta.get_field("nonce")
    assert len(field.get_default()) <= field.max_length


def test_the_inviter_is_told_when_someone_joins(open_bond: Bond, alice: User, bob: User) -> None:
    from tending.notify.models import Notification

    client_for(bob).post(reverse("bonds:invitation_accept", args=[_invitation(open_bond).token]))
    told = Notification.objects.get()
    assert (told.user, told.bond, told.topic) == (alice, open_bond, "bond")
    assert told.title == "Bob joined your friend bond."


def test_the_other_member_is_told_when_a_bond_ends(
    bond: Bond, alice: User, bob: User, as_alice: Client
) -> None:
    from tending.notify.models import Notification

    as_alice.post(reverse("bonds:leave", args=[bond.pk]))
    told = Notification.objects.get()
    assert (told.user, told.bond, told.topic) == (bob, bond, "bond")
    assert told.title == "Your partner bond with Alice has ended."
    bond.leave(alice)  # already ended: nobody is told twice
    assert Notification.objects.count() == 1


def test_a_deleted_account_ends_its_bonds_and_the_other_is_told(
    bond: Bond, alice: User, bob: User, as_alice: Client
) -> None:
    from tending.notify.models import Notification
    from tests.conftest import PASSWORD

    as_alice.post(reverse("accounts:delete"), {"password": PASSWORD, "confirm": "on"})
    assert not User.objects.filter(pk=alice.pk).exists()
    told = Notification.objects.get()
    # Told by name, which then gives way to a neutral one with her account.
    assert (told.user, told.topic, told.title) == (
        bob,
        "bond",
        "Your partner bond with someone who has left has ended.",
    )
