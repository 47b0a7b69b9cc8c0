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


def test_an_email_left_sending_by_a_dead_worker_is_closed_not_sent_again(alice: User) -> None:
    """At most once by email: the notification itself stays in the app."""
    from datetime import timedelta

    import time_machine
    from django.utils import timezone

    from tending.notify.jobs import close_interrupted_emails
    from tending.notify.models import EmailState, Notification
    from tending.notify.service import LEASE

    Preferences.objects.create(user=alice, quiet_start=None, quiet_end=None)
    stuck = notify(alice, topic="notes", title="Bob sent you a note", url="/bonds/")
    waiting = notify(alice, topic="notes", title="Bob sent you a voice message", url="/bonds/")
    now = timezone.now()
    Notification.objects.filter(pk=stuck.pk).update(
        email_state=EmailState.SENDING, claim="d" * 32, claimed_until=now + LEASE
    )
    close_interrupted_emails()  # its lease still runs: it may be going out right now
    assert Notification.objects.get(pk=stuck.pk).email_state == EmailState.SENDING
    with time_machine.travel(now + LEASE + timedelta(seconds=1), tick=False):
        close_interrupted_emails()
        assert send_due_emails() == 1
    closed = Notification.objects.get(pk=stuck.pk)
    assert (closed.email_state, closed.claim, closed.claimed_until) == (
        EmailState.INTERRUPTED,
        "",
        None,
    )
    assert [m.subject for m in mail.outbox] == ["Bob sent you a voice message"]
    assert Notification.objects.get(pk=waiting.pk).email_state == EmailState.SENT


def test_a_long_batch_keeps_its_lease_as_it_goes(alice: User, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The lease of the emails still to send is renewed before each one, so a
    short lease covers a long batch (and a crash leaves the rest waiting one
    short lease, not ten minutes)."""
    from datetime import timedelta

    import time_machine
    from django.utils import timezone

    from tending.lib import emails
    from tending.notify.models import Notification
    from tending.notify.service import LEASE

    Preferences.objects.create(user=alice, quiet_start=None, quiet_end=None)
    for i in range(3):
        notify(alice, topic="notes", title=f"Note {i}", url="/bonds/")
    start = timezone.now()
    leases = []
    real_send = emails.send

    with time_machine.travel(start, tick=False) as traveller:

        def slow_send(*args, **kwargs):  # type: ignore[no-untyped-def]
            leases.append(
                sorted(
                    Notification.objects.exclude(claimed_until=None).values_list(
                        "claimed_until", flat=True
                    )
                )
            )
            traveller.shift(LEASE * 0.8)  # each email takes most of a lease
            real_send(*args, **kwargs)

        monkeypatch.setattr(emails, "send", slow_send)
        assert send_due_emails() == 3
    assert len(mail.outbox) == 3
    # Before the third email, the one still to send was renewed to a lease from then.
    assert leases[2][-1] >= start + 2 * LEASE * 0.8 + LEASE - timedelta(seconds=1)


def test_a_deleted_accounts_name_gives_way_in_the_others_notifications(
    alice: User, bob: User, bond
) -> None:  # type: ignore[no-untyped-def]
    from django.urls import reverse

    from tending.notify.models import Notification
    from tests.conftest import PASSWORD, client_for

    notify(bob, topic="notes", title="Alice sent you a note", bond=bond, email=False)
    notify(bob, topic="daily", title="You and Alice both answered", bond=bond, email=False)
    notify(bob, topic="notes", title="Alicia is not Alice's name", email=False)  # no bond: no actor
    mine = notify(alice, topic="notes", title="Bob sent you a note", bond=bond, email=False)
    assert mine.actor == bob
    client_for(alice).post(reverse("accounts:delete"), {"password": PASSWORD, "confirm": "on"})
    titles = sorted(Notification.objects.filter(user=bob).values_list("title", flat=True))
    assert titles == [
        "Alicia is not Alice's name",
        "Someone who has left sent you a note",
        "You and someone who has left both answered",
        "Your partner bond with someone who has left has ended.",
    ]
    inbox = client_for(bob).get(reverse("notify:inbox")).content.decode()
    assert "Someone who has left sent you a note" in inbox
    assert "Alice sent" not in inbox
