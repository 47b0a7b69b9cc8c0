"""Web Push: sending a notification to a person's phones (RFC 8030 with VAPID,
RFC 8292, and aes128gcm encryption, RFC 8291), through pywebpush.

Each (notification, device) pair is a `PushDelivery` row that a worker claims
like an email (tending.lib.claims). The row moves to SENDING, committed, just
before the push goes out, so a crash never sends one twice (a push whose
worker died is marked interrupted, as email is). The push service's answer
decides what happens next:

- 201 (or any 2xx): sent;
- 404 or 410: the subscription is gone; the device is removed;
- 429 or 5xx, or no answer: tried again later, waiting longer each time and at
  least as long as its Retry-After asks, up to MAX_ATTEMPTS;
- anything else (400, 403, 413): a mistake that trying again would repeat;
  marked failed.

A payload says that something happened and where to look: the notification's
title (names and our own wording, never anything a person wrote), a link
inside the site and the topic. See docs/notifications.md.
"""

from __future__ import annotations

import base64
import ipaddress
import json
import logging
import re
import time
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from functools import cache, partial
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from tending.lib import claims
from tending.notify.models import Device, Notification, PushDelivery, PushState
from tending.notify.topics import TOPICS
from tending.ops.jobs import STOP

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
BATCH = 20
LEASE = timedelta(minutes=1)
TIMEOUT = 10  # seconds to wait for a push service
# A Retry-After longer than this is capped: the moment would have passed.
LONGEST_WAIT = timedelta(hours=6)


@cache
def vapid() -> Any:
    """The server's VAPID key, from VAPID_PRIVATE_KEY (generated into the data
    folder on first start when unset)."""
    from py_vapid import Vapid

    key = settings.VAPID_PRIVATE_KEY.strip()
    if key.startswith("-----BEGIN"):
        return Vapid.from_pem(key.encode())
    return Vapid.from_raw(key.encode())


def public_key() -> str:
    """The browser's `applicationServerKey`: the public key as an uncompressed
    P-256 point, in unpadded base64url."""
    from cryptography.hazmat.primitives import serialization

    raw = vapid().public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def endpoint_allowed(endpoint: str) -> bool:
    """Push services are reached over https at a public name or address; the
    hosts named in PUSH_HTTP_HOSTS (a push service on this machine, in tests)
    may be reached over plain http or at a private address. So a subscription
    cannot make the worker post to this machine or its network."""
    try:
        parts = urlsplit(endpoint)
        host = parts.hostname
    except ValueError:
        return False
    if not host or parts.username or parts.password:
        return False
    if host in settings.PUSH_HTTP_HOSTS:
        return parts.scheme in ("http", "https")
    if parts.scheme != "https" or host == "localhost" or host.endswith(".localhost"):
        return False
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return True  # a name: push services have public ones
    return address.is_global


def payload(n: Notification) -> dict[str, str]:
    """What a push carries: that something happened, never what anyone wrote."""
    return {
        "title": settings.SITE_NAME,
        "body": n.title,
        "url": n.url or "/notifications/",
        "tag": _topic_header(n),
    }


def _topic_header(n: Notification) -> str:
    # RFC 8030 Topic: at most 32 base64url characters. A newer push with the
    # same topic replaces an older one the phone has not fetched yet.
    return re.sub(r"[^A-Za-z0-9_-]", "", f"{n.topic}-{n.bond_id or 0}")[:32]


def due_pushes(now: datetime) -> QuerySet[PushDelivery]:
    return PushDelivery.objects.filter(state=PushState.PENDING, due_at__lte=now).order_by(
        "due_at", "pk"
    )


def send_due_pushes(limit: int = BATCH) -> int:
    """Send up to `limit` due pushes; returns how many were claimed."""
    return claims.run(
        due_pushes, _send_batch, limit=limit, lease=LEASE, related=("notification", "device")
    )


def _send_batch(batch: list[PushDelivery], now: datetime) -> None:
    lease = claims.Lease.of(batch[0], LEASE)
    claims.handle(
        lease,
        batch,
        partial(_deliver, lease, now),
        failed="push %s failed",
        stop=STOP.is_set,
        atomic=False,
    )


def _deliver(lease: claims.Lease[PushDelivery], now: datetime, d: PushDelivery) -> None:
    if lease.held(d).filter(state=PushState.PENDING).update(state=PushState.SENDING) != 1:
        return
    status, retry_after = _post(d)
    if status is not None and 200 <= status < 300:
        lease.release(d, state=PushState.SENT, sent_at=timezone.now())
        Device.objects.filter(pk=d.device_id).update(last_sent_at=timezone.now())
    elif status in (404, 410):
        log.info("push %s: device %s is gone, removed", d.pk, d.device_id)
        Device.objects.filter(pk=d.device_id).delete()  # and its deliveries
    elif status is None or status == 429 or status >= 500:
        attempts = d.attempts + 1
        retry = attempts < MAX_ATTEMPTS
        wait = max(timedelta(minutes=2**attempts), min(retry_after, LONGEST_WAIT))
        log.warning("push %s: answer %s (attempt %s)", d.pk, status, attempts)
        lease.release(
            d,
            attempts=attempts,
            state=PushState.PENDING if retry else PushState.FAILED,
            due_at=now + wait,
        )
    else:
        log.warning("push %s: refused with %s, not retried", d.pk, status)
        lease.release(d, attempts=d.attempts + 1, state=PushState.FAILED)


def _post(d: PushDelivery) -> tuple[int | None, timedelta]:
    """Encrypt and send one push; returns the push service's status (None when
    it could not be reached) and how long its Retry-After asks to wait."""
    import requests
    from pywebpush import WebPusher

    n = d.notification
    topic = TOPICS.get(n.topic)
    endpoint = d.device.endpoint
    if not endpoint_allowed(endpoint):
        return 400, timedelta(0)
    origin = urlsplit(endpoint)
    claims_ = {
        "sub": settings.VAPID_SUBJECT,
        "aud": f"{origin.scheme}://{origin.netloc}",
        "exp": int(time.time()) + 12 * 60 * 60,
    }
    headers = dict(vapid().sign(claims_))
    headers["Urgency"] = topic.urgency if topic else "normal"
    headers["Topic"] = _topic_header(n)
    ttl = int((topic.ttl if topic else timedelta(hours=12)).total_seconds())
    info = {"endpoint": endpoint, "keys": {"p256dh": d.device.p256dh, "auth": d.device.auth}}
    try:
        pusher = WebPusher(info)
    except Exception:  # keys the browser gave that cannot be used
        return 400, timedelta(0)
    try:
        response = pusher.send(
            json.dumps(payload(n)),
            headers=headers,
            ttl=ttl,
            content_encoding="aes128gcm",
            timeout=TIMEOUT,
        )
    except requests.RequestException:
        return None, timedelta(0)
    return response.status_code, _retry_after(response.headers.get("Retry-After", ""))


def _retry_after(value: str) -> timedelta:
    """RFC 9110 Retry-After: seconds, or an HTTP date."""
    value = value.strip()
    if not value:
        return timedelta(0)
    if value.isdigit():
        return timedelta(seconds=int(value))
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return timedelta(0)
    if when.tzinfo is None:
        return timedelta(0)
    return max(timedelta(0), when - timezone.now())


def close_interrupted(now: datetime) -> int:
    """Pushes left SENDING by a worker that died (its lease ran out): marked
    interrupted, never sent again."""
    stuck = PushDelivery.objects.filter(state=PushState.SENDING).filter(claims.free(now))
    ids = list(stuck.values_list("pk", flat=True)[:500])
    if not ids:
        return 0
    return stuck.filter(pk__in=ids).update(state=PushState.INTERRUPTED, **claims.RELEASED)
