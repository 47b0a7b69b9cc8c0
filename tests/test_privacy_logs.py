"""What people type never reaches logs, emails or error pages. Every logger is
turned up to DEBUG (SQL included) while a person signs up, invites, resets a
password and fails to log in, all with unusual text; then nothing they typed as
a password may appear anywhere it could be read later."""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.test import Client, RequestFactory, override_settings
from django.urls import path, reverse
from django.views.debug import ExceptionReporter, get_exception_reporter_filter

from tending.accounts.jobs import send_account_emails
from tending.accounts.models import PendingSignup, User
from tending.bonds.models import Bond
from tending.lib.reporting import NoIntimateTextFilter
from tending.urls import urlpatterns as site_urlpatterns

from .conftest import client_for

# Each secret carries an ASCII run that survives any escaping (repr, HTML, URL).
# The runs are joined at import time so that no line of this file contains one:
# debug pages quote source lines, and a match there would prove nothing.
MARKERS = [
    "".join(p) for p in (("Qu1nce", "Zebra"), ("Hx9Kettle", "Lark"), ("Wv5Ghost", "Orchard"))
]
NOTE_MARK = "".join(("Xk4", "Lantern"))
PASSWORD = MARKERS[0] + ' ⟨moth⟩ "§" 🌙 paßwort-7731'
NEW_PASSWORD = MARKERS[1] + " ünter 🪴 <tag> & 'quote' 4402"
WRONG_PASSWORD = MARKERS[2] + " ∆ 🫖 %0A\nnewline 9183"
NAME = "Zoë <b>&amp;</b> 'Ω' 🌿"
NOTE = NOTE_MARK + "Secret: what I never said out loud"


def _boom(request: HttpRequest) -> HttpResponse:
    note = request.POST.get("note", "")
    if note:
        raise RuntimeError("the boom view failed")
    return HttpResponse("nothing posted")


# This module is also a urlconf: the site's URLs plus one view that fails.
urlpatterns = [path("boom/", _boom), *site_urlpatterns]


@pytest.fixture
def every_log(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    loggers = [logging.getLogger()] + [
        logger
        for logger in logging.root.manager.loggerDict.values()
        if isinstance(logger, logging.Logger)
    ]
    saved = [(logger, logger.level) for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.DEBUG)
    caplog.set_level(logging.DEBUG)
    connection.force_debug_cursor = True  # SQL statements and their parameters, too
    try:
        yield caplog
    finally:
        connection.force_debug_cursor = False
        for logger, level in saved:
            logger.setLevel(level)


def _everything_logged(caplog: pytest.LogCaptureFixture) -> str:
    parts = [caplog.text]
    for record in caplog.records:
        parts.append(record.getMessage())
        parts.append(repr(record.__dict__))
    return "\n".join(parts)


def _everything_mailed() -> str:
    parts = []
    for message in mail.outbox:
        parts += [message.subject, message.body, repr(message.extra_headers)]
        parts += [content for content, _ in getattr(message, "alternatives", [])]
    return "\n".join(parts)


def _link_path(message: mail.EmailMessage) -> str:
    return urlsplit(re.findall(r"https?://\S+", message.body)[0]).path


def _assert_no_password(text: str, where: str) -> None:
    for secret in [PASSWORD, NEW_PASSWORD, WRONG_PASSWORD, *MARKERS]:
        assert secret not in text, f"password text found in {where}"


def test_passwords_never_reach_logs_emails_or_pages(
    every_log: pytest.LogCaptureFixture, bob: User
) -> None:
    pages: list[str] = []
    zoe = Client()

    # A sign-up the validators refuse (too similar to the email), then a good one.
    refused = zoe.post(
        reverse("accounts:signup"),
        {
            "display_name": NAME,
            "email": "zoe@example.org",
            "password": "zoe@example.org1",
            "time_zone": "Europe/Berlin",
        },
    )
    assert refused.status_code == 200
    assert not PendingSignup.objects.exists()
    for password in (WRONG_PASSWORD, PASSWORD):
        response = zoe.post(
            reverse("accounts:signup"),
            {
                "display_name": NAME,
                "email": "zoe@example.org",
                "password": password,
                "time_zone": "Europe/Berlin",
            },
        )
        pages.append(response.content.decode())
    send_account_emails()  # the worker sends sign-up emails
    assert all(PASSWORD not in p.password for p in PendingSignup.objects.all())
    confirm = zoe.post(_link_path(mail.outbox[-1]))
    assert confirm.status_code == 302
    user = User.objects.get(email="zoe@example.org")
    assert user.display_name == " ".join(NAME.split())
    assert user.check_password(PASSWORD)

    # An invitation, emailed.
    zoe.post(reverse("bonds:create"), {"kind": "friend"})
    bond = Bond.objects.get(created_by=user)
    response = zoe.post(reverse("bonds:invite_email", args=[bond.pk]), {"email": "x@example.org"})
    assert response.status_code == 302
    zoe.post(reverse("accounts:logout"))

    # A password reset, carried through to a new password.
    stranger = Client()
    stranger.post(reverse("accounts:password_reset"), {"email": "zoe@example.org"})
    send_account_emails()
    page = stranger.get(_link_path(mail.outbox[-1]), follow=True)
    set_password = page.redirect_chain[-1][0]
    done = stranger.post(
        set_password, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)

    # Failed log-ins, for a known and an unknown address, until the throttle answers.
    for email in ("zoe@example.org", "nobody@example.org", "bob@example.org"):
        for password in [WRONG_PASSWORD] * 6 + [PASSWORD]:
            response = Client().post(
                reverse("accounts:login"), {"email": email, "password": password}
            )
            pages.append(response.content.decode())
    assert "please wait" in pages[-1]

    # A display name change, with a password-looking name left out on purpose.
    client_for(user).post(
        reverse("accounts:account"), {"display_name": NAME + " again", "time_zone": "Nowhere/X"}
    )

    assert len(mail.outbox) == 4  # two sign-up links, invitation, password reset
    logged = _everything_logged(every_log)
    # The capture really saw the app's and the database's debug output.
    assert "email sent: signup-confirm" in logged
    assert any(r.name == "django.db.backends" for r in every_log.records)
    _assert_no_password(logged, "the logs")
    _assert_no_password(_everything_mailed(), "an email")
    for number, page in enumerate(pages):
        _assert_no_password(page, f"page {number}")


@pytest.mark.urls(__name__)
def test_a_500_shows_the_plain_page_without_the_posted_text(
    every_log: pytest.LogCaptureFixture,
    db,  # type: ignore[no-untyped-def]
) -> None:
    client = Client(raise_request_exception=False)
    assert client.post("/boom/", {}).status_code == 200
    with override_settings(DEBUG=False):
        response = client.post("/boom/", {"note": NOTE, "password": PASSWORD})
    assert response.status_code == 500
    page = response.content.decode()
    assert page == render_to_string("500.html")
    assert NOTE not in page and NOTE_MARK not in page
    logged = _everything_logged(every_log)
    assert "Internal Server Error: /boom/" in logged
    assert NOTE_MARK not in logged
    _assert_no_password(logged, "the logs")


@pytest.mark.urls(__name__)
def test_even_the_debug_error_page_hides_posted_text_and_variables(db) -> None:  # type: ignore[no-untyped-def]
    client = Client(raise_request_exception=False)
    with override_settings(DEBUG=True):
        response = client.post("/boom/", {"note": NOTE})
    assert response.status_code == 500
    page = response.content.decode()
    assert "the boom view failed" in page  # it is the debug page
    assert NOTE_MARK not in page


def _failing_frame_report(request: HttpRequest) -> tuple[NoIntimateTextFilter, object, str, str]:
    def handle(note: str) -> None:
        words = note.split()
        raise ValueError(f"could not handle {len(words)} words")

    try:
        handle(NOTE)
    except ValueError:
        exc_type, exc_value, tb = sys.exc_info()
    reporter = ExceptionReporter(request, exc_type, exc_value, tb)
    inner = tb
    while inner.tb_next is not None:
        inner = inner.tb_next
    return (
        NoIntimateTextFilter(),
        inner.tb_frame,
        reporter.get_traceback_text(),
        reporter.get_traceback_html(),
    )


def test_the_reporter_filter_hides_post_values_and_frame_variables() -> None:
    request = RequestFactory().post("/somewhere/", {"note": NOTE, "mood": NOTE_MARK + " calm"})
    assert isinstance(get_exception_reporter_filter(request), NoIntimateTextFilter)
    flt, frame, text, page = _failing_frame_report(request)

    post = flt.get_post_parameters(request)
    assert set(post) == {"note", "mood"}
    assert set(post.values()) == {flt.cleansed_substitute}
    assert flt.get_post_parameters(None) == {}

    variables = dict(flt.get_traceback_frame_variables(request, frame))
    assert {"note", "words"} <= variables.keys()
    assert set(variables.values()) == {flt.cleansed_substitute}

    for report in (text, page):
        assert NOTE_MARK not in report
        assert "could not handle 7 words" in report
        assert flt.cleansed_substitute in report
