"""Telling people things: in the app, by push and by email, as each person
chose for each topic (tending.notify.topics)."""

from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from tending.lib import claims, emails
from tending.lib.timeutil import outside_quiet_hours
from tending.notify.models import Device, EmailState, Notification, Preferences, PushDelivery
from tending.notify.topics import TOPICS
from tending.ops.jobs import STOP

if TYPE_CHECKING:
    from tending.bonds.models import Bond

log = logging.getLogger(__name__)
User = get_user_model()

_UNSUBSCRIBE_SALT = "tending.notify.unsubscribe"
MAX_ATTEMPTS = 4
BATCH = 20
# How long a claimed batch is a worker's own before others may take it over.
# Renewed before each message of a batch (claims.handle), so a crash leaves the
# rest of its batch waiting a minute at most.
LEASE = timedelta(minutes=1)


def preferences(user: Any) -> Preferences:
    prefs, _ = Preferences.objects.get_or_create(user=user)
    return prefs


def notify(
    user: Any,
    *,
    topic: str,
    title: str,
    url: str = "",
    bond: Bond | None = None,
    email: bool = True,
    push: bool = True,
    when: datetime | None = None,
) -> Notification:
    """Record a notification on each channel the person wants for `topic`: in
    the app, a push to each of their devices, an email. Push and email are
    queued for `when` (default now), moved past the person's quiet hours, and
    sent by the worker. `email=False` or `push=False` leave that channel out
    whatever the person chose (for small things: a heart on a note).

    `title` must not contain anything a person wrote: names and fixed wording
    only. It is what the email's subject and the push notification show."""
    if topic not in TOPICS:
        raise ValueError(f"unknown topic {topic!r}")
    prefs = preferences(user)
    state = EmailState.NONE
    due = None
    wants_push = push and prefs.wants(topic, "push")
    if (email and prefs.wants_email(topic)) or wants_push:
        due = outside_quiet_hours(
            when or timezone.now(), user.tz, prefs.quiet_start, prefs.quiet_end
        )
    if email and prefs.wants_email(topic):
        state = EmailState.PENDING
    n = Notification.objects.create(
        user=user,
        bond=bond,
        topic=topic,
        title=title,
        url=url,
        in_app=prefs.wants(topic, "app"),
        actor=_named_in(title, bond, user),
        email_state=state,
        email_due_at=due if state == EmailState.PENDING else None,
    )
    if wants_push and due is not None:
        devices = list(Device.objects.filter(user=user).values_list("pk", flat=True))
        if devices:  # bulk_create opens a transaction even for nothing
            PushDelivery.objects.bulk_create(
                PushDelivery(notification=n, device_id=pk, due_at=due) for pk in devices
            )
    return n


# What a deleted account's name becomes in the titles that carried it, as the
# bond's archive says it ("With someone who has left").
LEFT = "someone who has left"


def _name_pattern(name: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){re.escape(name)}(?!\w)")


def _named_in(title: str, bond: Bond | None, user: Any) -> Any:
    """The bond's other member whose display name the title carries, if any."""
    if bond is None:
        return None
    if "memberships" in getattr(bond, "_prefetched_objects_cache", {}):
        # A bond read for this request (bonds.views.bond_with_members) has every
        # membership with its person already.
        others = [m.user for m in bond.memberships.all() if m.user_id != user.pk]
    else:
        others = list(
            User.objects.filter(memberships__bond=bond)
            .exclude(pk=user.pk)
            .only("pk", "display_name")
        )
    named = [o for o in others if _name_pattern(o.display_name).search(title)]
    return max(named, key=lambda o: len(o.display_name), default=None)


def forget_name(actor: Any) -> int:
    """Put a neutral name where `actor`'s name stands in others' notification
    titles (their account is being deleted); returns how many changed."""
    pattern = _name_pattern(actor.display_name)
    changed = []
    for n in Notification.objects.filter(actor=actor).exclude(user=actor).only("pk", "title"):
        n.title = pattern.sub(
            lambda m: LEFT.capitalize() if m.start() == 0 else LEFT, n.title, count=1
        )
        changed.append(n)
    Notification.objects.bulk_update(changed, ["title"], batch_size=500)
    return len(changed)


def unsubscribe_token(user: Any, topic: str) -> str:
    return signing.dumps({"u": user.pk, "t": topic}, salt=_UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    try:
        data = signing.loads(token, salt=_UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if (
        not isinstance(data, dict)
        or data.get("t") not in TOPICS
        or not isinstance(data.get("u"), int)
    ):
        return None
    return data["u"], data["t"]


def unsubscribe(user: Any, topic: str) -> None:
    prefs = preferences(user)
    if topic not in prefs.muted_topics:
        prefs.muted_topics = [*prefs.muted_topics, topic]
        prefs.save(update_fields=["muted_topics"])


def _send(n: Notification) -> None:
    unsubscribe_url = settings.SITE_URL + reverse(
        "notify:unsubscribe", args=[unsubscribe_token(n.user, n.topic)]
    )
    headers = {
        # RFC 2369 and RFC 8058: one-click unsubscribe from mail clients.
        "List-Unsubscribe": f"<{unsubscribe_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    emails.send(
        "notification",
        n.user.email,
        {
            "name": n.user.display_name,
            "title": n.title,
            "url": n.url,
            "topic": TOPICS[n.topic].label,
            "unsubscribe_url": unsubscribe_url,
        },
        headers=headers,
    )


def send_due_emails(limit: int = BATCH) -> int:
    """Send up to `limit` due notification emails; returns how many were claimed.

    A batch is claimed with a lease, and each message moves to SENDING on its
    own, committed, just before it is sent. So a crash loses at most the one
    message in flight and never sends one twice; the rest of the batch comes
    due again when the lease runs out."""
    return claims.run(due_emails, _send_batch, limit=limit, lease=LEASE, related=("user",))


def due_emails(now: datetime) -> QuerySet[Notification]:
    return Notification.objects.filter(
        email_state=EmailState.PENDING, email_due_at__lte=now
    ).order_by("email_due_at", "pk")


def _send_batch(batch: list[Notification], now: datetime) -> None:
    lease = claims.Lease.of(batch[0], LEASE)
    send = partial(_email, lease, now)
    # Not atomic: each message's SENDING must be committed before it goes out.
    claims.handle(
        lease, batch, send, failed="notification %s email failed", stop=STOP.is_set, atomic=False
    )


def _email(lease: claims.Lease[Notification], now: datetime, n: Notification) -> None:
    mine = lease.held(n).filter(email_state=EmailState.PENDING)
    if mine.update(email_state=EmailState.SENDING) != 1:
        return
    try:
        _send(n)
    except Exception:
        attempts = n.email_attempts + 1
        log.warning("notification %s email failed (attempt %s)", n.pk, attempts, exc_info=True)
        retry = attempts < MAX_ATTEMPTS
        lease.release(
            n,
            email_attempts=attempts,
            email_state=EmailState.PENDING if retry else EmailState.FAILED,
            email_due_at=now + timedelta(minutes=2**attempts),
        )
    else:
        lease.release(n, email_state=EmailState.SENT, email_sent_at=timezone.now())
