"""Email text: the subject and the plain-text body are not HTML, so nothing in
them is escaped; only the HTML body escapes what it shows."""

from __future__ import annotations

import html

from django.core import mail

from tending.accounts.models import User
from tending.notify.models import Preferences
from tending.notify.service import notify, send_due_emails

NAME = "O'Brien & <Sam>"


def test_a_name_with_quotes_and_brackets_arrives_as_written(alice: User) -> None:
    Preferences.objects.create(user=alice, quiet_start=None, quiet_end=None)
    notify(alice, topic="notes", title=f"{NAME} sent you a note", url="/bonds/")
    assert send_due_emails() == 1
    message = mail.outbox[0]
    assert message.subject == f"{NAME} sent you a note"
    assert f"{NAME} sent you a note" in message.body
    assert "&#x27;" not in message.subject + message.body and "&amp;" not in message.body
    body_html = message.alternatives[0][0]
    assert html.escape(NAME) in body_html
    assert "<Sam>" not in body_html
