"""Accounts: sign-up through an emailed link, log-in and its throttle, password
reset, profile, export and deletion. Alice and Bob share a bond; sign-ups use
fresh addresses so no fixture person is involved unless a test says so."""

from __future__ import annotations

import html
import json
import re
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from tending.accounts.jobs import send_account_emails
from tending.accounts.models import LoginThrottle, PendingSignup, User
from tending.bonds.models import Bond

from .conftest import PASSWORD, client_for

NEW_PASSWORD = "lanterns over the harbour at dusk"
# Masked CSRF tokens differ on every render; they carry no information about the person.
_CSRF = re.compile(r"[A-Za-z0-9]{64}")


def _normalised(response, *texts: str) -> str:  # type: ignore[no-untyped-def]
    page = _CSRF.sub("<csrf>", response.content.decode())
    for text in texts:
        page = page.replace(text, "<removed>")
    return page


def _text(response) -> str:  # type: ignore[no-untyped-def]
    return html.unescape(response.content.decode())


def _link_path(message: mail.EmailMessage) -> str:
    """The path of the single site link in an email's text body."""
    links = re.findall(r"https?://\S+", message.body)
    assert len(links) == 1, links
    assert links[0].startswith(settings.SITE_URL + "/")
    return urlsplit(links[0]).path


def _signup(client: Client, email: str, name: str = "Dana", **extra: str):  # type: ignore[no-untyped-def]
    data = {
        "display_name": name,
        "email": email,
        "password": NEW_PASSWORD,
        "time_zone": "Europe/Berlin",
    }
    data.update(extra)
    response = client.post(reverse("accounts:signup"), data)
    send_account_emails()  # the worker sends it (accounts.jobs)
    return response


def _logged_in_as(client: Client) -> User | None:
    pk = client.session.get("_auth_user_id")
    return User.objects.get(pk=pk) if pk else None


def _login(client: Client, email: str, password: str):  # type: ignore[no-untyped-def]
    return client.post(reverse("accounts:login"), {"email": email, "password": password})


# Sign-up


@pytest.mark.django_db
def test_signup_sends_a_link_and_creates_nobody_until_it_is_confirmed() -> None:
    client = Client()
    response = _signup(client, "dana@example.org")
    assert response.status_code == 200
    assert "Check your inbox" in response.content.decode()
    assert not User.objects.filter(email="dana@example.org").exists()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["dana@example.org"]
    assert "Finish signing up" in mail.outbox[0].subject
    confirm_path = _link_path(mail.outbox[0])

    # Mail scanners follow links with GET: that must create nothing.
    page = client.get(confirm_path)
    assert page.status_code == 200
    assert 'method="post"' in page.content.decode()
    assert not User.objects.filter(email="dana@example.org").exists()
    assert PendingSignup.objects.filter(email="dana@example.org").count() == 1

    response = client.post(confirm_path)
    assert response.status_code == 302
    assert response["Location"] == reverse("bonds:home")
    dana = User.objects.get(email="dana@example.org")
    assert dana.display_name == "Dana"
    assert dana.time_zone == "Europe/Berlin"
    assert dana.check_password(NEW_PASSWORD)
    assert _logged_in_as(client) == dana
    assert not PendingSignup.objects.exists()


@pytest.mark.django_db
def test_confirmed_signup_stores_an_argon2_hash(settings) -> None:  # type: ignore[no-untyped-def]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    client = Client()
    _signup(client, "erin@example.org", name="Erin")
    client.post(_link_path(mail.outbox[0]))
    erin = User.objects.get(email="erin@example.org")
    assert erin.password.startswith("argon2$")
    assert erin.check_password(NEW_PASSWORD)
    assert _logged_in_as(client) == erin


@pytest.mark.django_db
def test_confirm_follows_a_safe_next() -> None:
    client = Client()
    target = "/bonds/join/some-token/"
    _signup(client, "dana@example.org", next=target)
    response = client.post(_link_path(mail.outbox[0]))
    assert response.status_code == 302
    assert response["Location"] == target


@pytest.mark.django_db
@pytest.mark.parametrize("target", ["https://evil.example.net/", "//evil.example.net/x"])
def test_confirm_ignores_an_external_next(target: str) -> None:
    client = Client()
    _signup(client, "dana@example.org", next=target)
    response = client.post(_link_path(mail.outbox[0]))
    assert response.status_code == 302
    assert response["Location"] == reverse("bonds:home")


def test_signup_with_a_registered_email_looks_the_same_and_sends_a_different_email(
    alice: User,
) -> None:
    fresh = _signup(Client(), "fresh@example.org", name="Alice")
    taken = _signup(Client(), "alice@example.org", name="Alice")
    assert fresh.status_code == taken.status_code == 200
    assert _normalised(fresh, "fresh@example.org") == _normalised(taken, "alice@example.org")

    assert [m.to for m in mail.outbox] == [["fresh@example.org"], ["alice@example.org"]]
    existing = mail.outbox[1]
    assert "already has an account" in existing.body
    assert "/accounts/signup/confirm/" not in existing.body
    assert "/accounts/signup/confirm/" in mail.outbox[0].body
    assert User.objects.filter(email="alice@example.org").count() == 1
    assert not PendingSignup.objects.filter(email="alice@example.org").exists()
    assert User.objects.get(email="alice@example.org").check_password(PASSWORD)


@pytest.mark.django_db
def test_a_very_long_next_does_not_break_signup() -> None:
    response = _signup(Client(), "dana@example.org", next="/bonds/" + "a" * 400 + "/")
    assert response.status_code == 200
    pending = PendingSignup.objects.get(email="dana@example.org")
    assert len(pending.next_url) <= PendingSignup._meta.get_field("next_url").max_length


@pytest.mark.django_db
def test_unknown_confirmation_link_gets_the_kind_page() -> None:
    response = Client().post(reverse("accounts:confirm", args=["no-such-token"]))
    assert response.status_code == 404
    assert "This link doesn't work any more" in _text(response)
    assert not User.objects.exists()


@pytest.mark.django_db
def test_expired_confirmation_link_gets_the_kind_page() -> None:
    client = Client()
    with time_machine.travel(datetime(2026, 5, 1, 9, 0, tzinfo=UTC), tick=False) as traveller:
        _signup(client, "dana@example.org")
        confirm_path = _link_path(mail.outbox[0])
        traveller.shift(PendingSignup.LIFETIME + timedelta(minutes=1))
        for response in (client.get(confirm_path), client.post(confirm_path)):
            assert response.status_code == 410
            assert "This link doesn't work any more" in _text(response)
    assert not User.objects.exists()


@pytest.mark.django_db
def test_of_two_pending_signups_for_one_address_only_the_confirmed_one_wins() -> None:
    first, second = Client(), Client()
    _signup(first, "dana@example.org", name="Dana one")
    _signup(second, "dana@example.org", name="Dana two", password="copper kettles in the rain")
    first_path, second_path = _link_path(mail.outbox[0]), _link_path(mail.outbox[1])
    assert first_path != second_path

    second.post(second_path)
    dana = User.objects.get(email="dana@example.org")
    assert dana.display_name == "Dana two"
    assert dana.check_password("copper kettles in the rain")
    assert not dana.check_password(NEW_PASSWORD)

    late = first.post(first_path)
    assert late.status_code in (404, 410)
    assert "This link doesn't work any more" in _text(late)
    assert User.objects.filter(email="dana@example.org").count() == 1
    assert _logged_in_as(first) is None


# Log-in, log-out, throttle


def test_login_works_and_logout_is_post_only(alice: User) -> None:
    client = Client()
    response = _login(client, "Alice@Example.org", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("bonds:home")
    assert _logged_in_as(client) == alice

    assert client.get(reverse("accounts:logout")).status_code == 405
    assert _logged_in_as(client) == alice
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert _logged_in_as(client) is None


def test_wrong_password_does_not_log_in(alice: User) -> None:
    client = Client()
    response = _login(client, "alice@example.org", "not the right one at all")
    assert response.status_code == 200
    assert "don't match" in _text(response)
    assert _logged_in_as(client) is None


def _fail(client: Client, email: str, times: int) -> None:
    for _ in range(times):
        response = _login(client, email, "not the right one at all")
        assert "don't match" in _text(response)


@time_machine.travel(datetime(2026, 5, 1, 9, 0, tzinfo=UTC), tick=False)
def test_after_slow_after_failures_even_the_right_password_must_wait(alice: User) -> None:
    client = Client()
    _fail(client, "alice@example.org", settings.LOGIN_SLOW_AFTER)
    response = _login(client, "alice@example.org", PASSWORD)
    assert response.status_code == 200
    assert "please wait" in response.content.decode()
    assert _logged_in_as(client) is None


def test_lock_lasts_login_lock_minutes(alice: User) -> None:
    client = Client()
    with time_machine.travel(datetime(2026, 5, 1, 9, 0, tzinfo=UTC), tick=False) as traveller:
        for _ in range(settings.LOGIN_LOCK_AFTER):
            _fail(client, "alice@example.org", 1)
            traveller.shift(timedelta(seconds=61))  # past the longest slow-down
        # The last shift used up 61 s of the lock.
        lock = timedelta(minutes=settings.LOGIN_LOCK_MINUTES) - timedelta(seconds=61)
        traveller.shift(lock - timedelta(seconds=30))
        response = _login(client, "alice@example.org", PASSWORD)
        assert "please wait" in response.content.decode()
        assert _logged_in_as(client) is None

        traveller.shift(timedelta(seconds=31))
        response = _login(client, "alice@example.org", PASSWORD)
        assert response.status_code == 302
        assert _logged_in_as(client) == alice


@time_machine.travel(datetime(2026, 5, 1, 9, 0, tzinfo=UTC), tick=False)
def test_throttle_treats_unknown_addresses_like_known_ones(alice: User) -> None:
    known, unknown = Client(), Client()
    for attempt in range(settings.LOGIN_SLOW_AFTER + 1):
        a = _login(known, "alice@example.org", "not the right one at all")
        b = _login(unknown, "nobody@example.org", "not the right one at all")
        assert a.status_code == b.status_code == 200
        assert _normalised(a, "alice@example.org") == _normalised(b, "nobody@example.org")
        if attempt == settings.LOGIN_SLOW_AFTER:
            assert "please wait" in a.content.decode()
    assert LoginThrottle.objects.count() == 2


@time_machine.travel(datetime(2026, 5, 1, 9, 0, tzinfo=UTC), tick=False)
def test_success_clears_the_failures(alice: User) -> None:
    client = Client()
    _fail(client, "alice@example.org", settings.LOGIN_SLOW_AFTER - 1)
    assert _login(client, "alice@example.org", PASSWORD).status_code == 302
    assert not LoginThrottle.objects.exists()
    client.post(reverse("accounts:logout"))
    # Had the earlier failures counted, these would reach the slow-down.
    _fail(client, "alice@example.org", settings.LOGIN_SLOW_AFTER - 1)
    assert _login(client, "alice@example.org", PASSWORD).status_code == 302
    assert _logged_in_as(client) == alice


# Password reset


def test_password_reset_looks_the_same_and_mails_only_known_addresses(alice: User) -> None:
    url = reverse("accounts:password_reset")
    known = Client().post(url, {"email": "alice@example.org"}, follow=True)
    unknown = Client().post(url, {"email": "nobody@example.org"}, follow=True)
    send_account_emails()
    assert known.redirect_chain == unknown.redirect_chain
    assert _normalised(known) == _normalised(unknown)
    assert [m.to for m in mail.outbox] == [["alice@example.org"]]


def test_password_reset_link_sets_a_new_password(alice: User) -> None:
    client = Client()
    client.post(reverse("accounts:password_reset"), {"email": "alice@example.org"})
    send_account_emails()
    page = client.get(_link_path(mail.outbox[0]), follow=True)
    assert page.status_code == 200
    assert "Choose a new password" in page.content.decode()
    form_path = page.redirect_chain[-1][0]
    response = client.post(
        form_path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_complete")
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)
    assert _login(Client(), "alice@example.org", NEW_PASSWORD).status_code == 302


# Profile, export, delete


def test_profile_rejects_an_unknown_time_zone(alice: User) -> None:
    client = client_for(alice)
    response = client.post(
        reverse("accounts:account"), {"display_name": "Alice", "time_zone": "Mars/Olympus_Mons"}
    )
    assert response.status_code == 200
    assert "Please choose a time zone from the list" in response.content.decode()
    alice.refresh_from_db()
    assert alice.time_zone == "Europe/Berlin"


def test_profile_saves_a_valid_time_zone(alice: User) -> None:
    client = client_for(alice)
    response = client.post(
        reverse("accounts:account"), {"display_name": "Alice B.", "time_zone": "Asia/Tokyo"}
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert (alice.display_name, alice.time_zone) == ("Alice B.", "Asia/Tokyo")


def test_export_needs_a_post_and_returns_json(bond: Bond, alice: User) -> None:
    client = client_for(alice)
    page = client.get(reverse("accounts:export"))
    assert page.status_code == 200
    assert page["Content-Type"].startswith("text/html")
    assert "tending-export" not in page.content.decode()

    response = client.post(reverse("accounts:export"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert {"format", "version", "account", "bonds", "entries"} <= data.keys()
    assert data["format"] == "tending-export"
    assert isinstance(data["version"], int)
    assert data["account"]["email"] == "alice@example.org"
    assert [(b["id"], b["kind"], b["other_member"]) for b in data["bonds"]] == [
        (bond.pk, "partner", "Bob")
    ]
    assert isinstance(data["entries"], list)


def test_export_holds_nothing_of_other_peoples_bonds(bond: Bond, charlie_bond: Bond) -> None:
    charlie = charlie_bond.created_by
    data = json.loads(client_for(charlie).post(reverse("accounts:export")).content)
    assert [b["id"] for b in data["bonds"]] == [charlie_bond.pk]
    assert "Alice" not in json.dumps(data) and "Bob" not in json.dumps(data)


def test_delete_needs_the_right_password_and_the_checkbox(alice: User) -> None:
    client = client_for(alice)
    url = reverse("accounts:delete")
    wrong = client.post(url, {"password": "not the right one at all", "confirm": "on"})
    assert "That password is not right" in wrong.content.decode()
    unticked = client.post(url, {"password": PASSWORD})
    assert unticked.status_code == 200
    assert 'class="error"' in unticked.content.decode()
    assert User.objects.filter(pk=alice.pk).exists()
    assert _logged_in_as(client) == alice


def test_delete_ends_the_bond_and_leaves_the_other_member_intact(
    bond: Bond, alice: User, bob: User
) -> None:
    client = client_for(alice)
    response = client.post(reverse("accounts:delete"), {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 200
    assert "Your account has been deleted" in response.content.decode()
    assert not User.objects.filter(pk=alice.pk).exists()
    assert _logged_in_as(client) is None

    bond.refresh_from_db()
    assert bond.ended_at is not None
    bob.refresh_from_db()
    assert bob.check_password(PASSWORD)
    home = client_for(bob).get(reverse("bonds:home")).content.decode()
    archive = home.split("<h2>Archive</h2>", 1)
    assert len(archive) == 2
    assert bond.get_absolute_url() in archive[1]
    assert "ended" in archive[1]
    detail = client_for(bob).get(bond.get_absolute_url())
    assert detail.status_code == 200
    assert "This bond ended on" in detail.content.decode()


def test_delete_removes_a_bond_nobody_keeps(charlie_bond: Bond, charlie: User) -> None:
    client_for(charlie).post(reverse("accounts:delete"), {"password": PASSWORD, "confirm": "on"})
    assert not User.objects.filter(pk=charlie.pk).exists()
    assert not Bond.objects.filter(pk=charlie_bond.pk).exists()


def test_archive_of_a_deleted_partner_does_not_say_just_you(
    bond: Bond, alice: User, bob: User
) -> None:
    client_for(alice).post(reverse("accounts:delete"), {"password": PASSWORD, "confirm": "on"})
    home = client_for(bob).get(reverse("bonds:home")).content.decode()
    archive = home.split("<h2>Archive</h2>", 1)[1]
    assert "Just you" not in archive
