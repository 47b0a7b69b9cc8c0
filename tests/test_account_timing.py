"""Sign-up and password reset do the same work for an address with an account
and one without: the request writes one row and the worker sends the email that
fits, so the answer's time tells nobody which it was (bench/account_timing.py
measures the times)."""

from __future__ import annotations

from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tending.accounts.jobs import send_account_emails
from tending.accounts.models import AccountEmail, User


def _queries(url: str, data: dict[str, str]) -> tuple[list[str], int]:
    with CaptureQueriesContext(connection) as asked:
        response = Client().post(url, data)
    return [q["sql"].split(" ", 1)[0] for q in asked.captured_queries], response.status_code


def _signup(email: str) -> dict[str, str]:
    return {
        "display_name": "Dana",
        "email": email,
        "password": "a long and quiet river walk",
        "time_zone": "Europe/Berlin",
    }


def test_the_requests_do_the_same_work_either_way(alice: User) -> None:
    reset = reverse("accounts:password_reset")
    assert _queries(reset, {"email": "alice@example.org"}) == _queries(
        reset, {"email": "nobody@example.org"}
    )
    signup = reverse("accounts:signup")
    assert _queries(signup, _signup("alice@example.org")) == _queries(
        signup, _signup("nobody@example.org")
    )
    assert mail.outbox == []  # nothing is sent inside a request
    assert AccountEmail.objects.count() == 4


def test_the_worker_sends_what_fits_and_forgets_the_request(alice: User) -> None:
    Client().post(reverse("accounts:password_reset"), {"email": "alice@example.org"})
    Client().post(reverse("accounts:password_reset"), {"email": "nobody@example.org"})
    Client().post(reverse("accounts:signup"), _signup("alice@example.org"))
    Client().post(reverse("accounts:signup"), _signup("dana@example.org"))
    assert send_account_emails()
    sent = sorted((m.to[0], m.subject) for m in mail.outbox)
    assert [to for to, _ in sent] == ["alice@example.org", "alice@example.org", "dana@example.org"]
    assert not AccountEmail.objects.exists()
    assert not send_account_emails()


def test_a_failing_email_is_tried_again_then_given_up(alice: User, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from datetime import timedelta

    import time_machine
    from django.utils import timezone

    from tending.accounts import jobs
    from tending.lib import emails

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise OSError("mail server away")

    monkeypatch.setattr(emails, "send", broken)
    Client().post(reverse("accounts:password_reset"), {"email": "alice@example.org"})
    now = timezone.now()
    for attempt in range(1, jobs.MAX_ATTEMPTS + 1):
        with time_machine.travel(now + attempt * (jobs.LEASE + timedelta(seconds=1)), tick=False):
            send_account_emails()
        left = AccountEmail.objects.first()
        if attempt < jobs.MAX_ATTEMPTS:
            assert left is not None and left.attempts == attempt
    assert not AccountEmail.objects.exists()
