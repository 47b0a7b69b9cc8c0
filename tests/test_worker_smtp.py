"""Email through a real SMTP server (aiosmtpd on 127.0.0.1 and a free port):
what the worker sends for notes and ritual reminders carries one-click
unsubscribe headers whose signed link works by a bare POST, and never a word
anyone wrote; a server that does not answer times out and is retried."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from urllib.parse import urlsplit

import pytest
import time_machine
from aiosmtpd.controller import Controller
from django.test import Client
from django.urls import reverse

from tending.accounts.models import User
from tending.bonds.models import Bond
from tending.notes.jobs import deliver_notes
from tending.notify.jobs import send_notification_emails
from tending.notify.models import EmailState, Notification, Preferences
from tending.rituals.jobs import send_ritual_reminders
from tending.rituals.models import Ritual
from tending.rituals.schedule import set_reminders

# 15:00 UTC: 17:00 for alice in Berlin, 11:00 for bob in New York; nobody's
# quiet hours.
NOW = datetime(2026, 6, 10, 15, 0, tzinfo=UTC)
SECRET = "SECRET-meet-me-under-the-old-oak"
RITUAL_NAME = "SECRET-our-sunday-ritual"


class Sink:
    def __init__(self) -> None:
        self.messages: list[tuple[list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope) -> str:  # type: ignore[no-untyped-def]
        self.messages.append((list(envelope.rcpt_tos), envelope.original_content))
        return "250 Message accepted"

    def parsed(self) -> list[EmailMessage]:
        return [message_from_bytes(raw, policy=default) for _to, raw in self.messages]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _use_smtp(settings, port: int, timeout: int = 5) -> None:  # type: ignore[no-untyped-def]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = timeout
    settings.SITE_URL = "http://testserver"


@pytest.fixture
def smtp(settings) -> Iterator[Sink]:  # type: ignore[no-untyped-def]
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=_free_port())
    controller.start()
    _use_smtp(settings, controller.port)
    try:
        with time_machine.travel(NOW, tick=False):
            yield sink
    finally:
        controller.stop()


def _everything(message: EmailMessage) -> str:
    """Every header and every decoded part of a message, as one text."""
    parts = [str(v) for v in message.values()]
    for part in message.walk():
        if not part.is_multipart():
            parts.append(part.get_content())
    return "\n".join(parts)


def _drain() -> None:
    while deliver_notes() or send_ritual_reminders() or send_notification_emails():
        pass


def test_a_note_is_announced_by_email_without_its_text_and_unsubscribes_in_one_click(
    smtp: Sink, as_alice: Client, bob: User, bond: Bond
) -> None:
    response = as_alice.post(
        reverse("notes:create", args=[bond.pk]), {"text": SECRET, "timing": "now"}
    )
    assert response.status_code == 302
    _drain()
    assert len(smtp.messages) == 1
    to, raw = smtp.messages[0]
    [message] = smtp.parsed()
    assert to == ["bob@example.org"]
    assert message["Subject"] == "Alice sent you a note"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = message["List-Unsubscribe"].strip().strip("<>")
    assert link.startswith("http://testserver/unsubscribe/")
    body = _everything(message)
    assert link in body  # the same signed link, visible in the text
    for words in (SECRET, "old oak", "meet-me"):
        assert words not in body and words.encode() not in raw

    # A mail client's one-click POST: no session, no CSRF token, just the body.
    client = Client(enforce_csrf_checks=True)
    done = client.post(
        urlsplit(link).path,
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert done.status_code == 200
    assert Preferences.objects.get(user=bob).muted_topics == ["notes"]

    as_alice.post(reverse("notes:create", args=[bond.pk]), {"text": SECRET, "timing": "now"})
    _drain()
    assert len(smtp.messages) == 1  # no more email about notes
    assert Notification.objects.filter(user=bob, topic="notes").count() == 2  # still in the app


def test_a_voice_message_and_a_ritual_reminder_carry_no_written_words(
    smtp: Sink, settings, tmp_path, as_alice: Client, alice: User, bob: User, bond: Bond
) -> None:  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.test_notes_audio import SAMPLES

    settings.DATA_DIR = tmp_path
    voice = SimpleUploadedFile("SECRET-song.ogg", SAMPLES["ogg_opus"], content_type="audio/ogg")
    as_alice.post(
        reverse("notes:create", args=[bond.pk]),
        {"text": SECRET, "timing": "now", "voice": voice},
    )
    ritual = Ritual.objects.create(
        bond=bond,
        author=bob,
        name=RITUAL_NAME,
        description=SECRET,
        weekdays=0b1111111,
        at=time(11, 30),
        minutes=10,
    )
    with time_machine.travel(NOW - timedelta(hours=1), tick=False):
        set_reminders(ritual, bob, True)  # 11:30 in New York is 15:30 UTC
    with time_machine.travel(NOW + timedelta(minutes=31), tick=False):
        _drain()
    subjects = sorted(m["Subject"] for m in smtp.parsed())
    assert subjects == ["A reminder: your ritual with Alice", "Alice sent you a voice message"]
    reminder = next(m for m in smtp.parsed() if "reminder" in m["Subject"])
    assert "/unsubscribe/" in reminder["List-Unsubscribe"]
    assert reminder["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    for _to, raw in smtp.messages:
        text = _everything(message_from_bytes(raw, policy=default))
        for secret in (SECRET, RITUAL_NAME, "SECRET"):
            assert secret not in text and secret.encode() not in raw


class _Silent:
    """A server that accepts connections and never says a word."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.port = self.sock.getsockname()[1]
        self.held: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.held.append(conn)

    def close(self) -> None:
        for conn in self.held:
            conn.close()
        self.sock.close()


def test_a_server_that_does_not_answer_times_out_and_is_retried(settings, alice: User) -> None:  # type: ignore[no-untyped-def]
    from tending.notify.service import notify, send_due_emails

    silent = _Silent()
    _use_smtp(settings, silent.port, timeout=1)
    try:
        Preferences.objects.create(user=alice, quiet_start=None, quiet_end=None)
        with time_machine.travel(NOW, tick=False):
            n = notify(alice, topic="notes", title="Bob sent you a note")
            assert send_due_emails() == 1
    finally:
        silent.close()
    n.refresh_from_db()
    assert n.email_state == EmailState.PENDING and n.email_attempts == 1
    assert n.email_due_at == NOW + timedelta(minutes=2)
