from __future__ import annotations

from datetime import time

from django.conf import settings
from django.db import models
from django.db.models import Count, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from tending.notify.topics import CHANNELS, TOPICS


class EmailState(models.TextChoices):
    NONE = "none", "Not emailed"
    PENDING = "pending", "Waiting to be sent"
    SENDING = "sending", "Being sent"
    SENT = "sent", "Sent"
    FAILED = "failed", "Could not be sent"
    # A worker died while sending it: it may or may not have gone out, and it is
    # not sent again (docs/deployment.md, "Delivery guarantees").
    INTERRUPTED = "cut", "Interrupted while being sent"


class Notification(models.Model):
    """Something a person is told, in the app and (unless they opted out) by email.

    `title` is a short sentence built from a template, like "Sam sent you a
    note": it never holds anything a person wrote."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    bond = models.ForeignKey(
        "bonds.Bond", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # A key of tending.notify.topics.TOPICS (checked by notify(); not a choice
    # list, so that adding a topic needs no migration).
    topic = models.CharField(max_length=24)
    title = models.CharField(max_length=160)
    # The member whose name the title carries, if any: when they delete their
    # account, their name in the title gives way to a neutral one.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    url = models.CharField(max_length=300, blank=True)
    # Listed under Notifications: false when the person turned the app channel
    # off for this topic (it may still go by push or email).
    in_app = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    email_state = models.CharField(
        max_length=8, choices=EmailState.choices, default=EmailState.NONE
    )
    email_due_at = models.DateTimeField(null=True, blank=True)
    # A worker sending the email holds the row (tending.lib.claims).
    claim = models.CharField(max_length=32, blank=True, default="")
    claimed_until = models.DateTimeField(null=True, blank=True)
    email_attempts = models.PositiveSmallIntegerField(default=0)
    email_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["email_state", "email_due_at"]),
            models.Index(fields=["user", "read_at"]),
            models.Index(fields=["user", "in_app", "read_at"]),
        ]
        ordering = ["-created_at"]


def unread_of(user_pk: int) -> models.QuerySet[Notification]:
    """What the header counts as unread for the person `user_pk`: listed in the
    app, not read yet."""
    return Notification.objects.filter(user=user_pk, in_app=True, read_at__isnull=True)


def unread_count_of(user_pk: int) -> Coalesce:
    """How many `unread_of(user_pk)` there are, as a scalar subquery, for reading
    it together with other facts in one query (bonds.views.bond_with_members)."""
    counted = unread_of(user_pk).order_by().values("user").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted), 0)


def default_quiet_start() -> time:
    """When quiet hours begin for someone who has not chosen: 22:00, their time."""
    return time(22, 0)


def default_quiet_end() -> time:
    """When quiet hours end for someone who has not chosen: 07:00, their time."""
    return time(7, 0)


class Preferences(models.Model):
    """Per-person channel choices and quiet hours (local wall-clock times).

    `channels` holds what a person chose, topic by topic ({"daily": {"push":
    false}}); anything not chosen follows the topic's default. `muted_topics`
    are the topics whose email they turned off (the settings page or an
    email's one-click unsubscribe); it wins over `channels` for email."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notify_preferences"
    )
    muted_topics = models.JSONField(default=list, blank=True)
    channels = models.JSONField(default=dict, blank=True)
    # Callables, not fixed times: Django's check for a fixed date or time as a default
    # (fields.W161) compares a fixed time with the clock, and warned for ten seconds either
    # side of 22:00 and 07:00, which failed the installed-package test at 21:59:51.
    quiet_start = models.TimeField(null=True, blank=True, default=default_quiet_start)
    quiet_end = models.TimeField(null=True, blank=True, default=default_quiet_end)

    def wants(self, topic: str, channel: str) -> bool:
        if channel not in CHANNELS:
            raise ValueError(f"unknown channel {channel!r}")
        if channel == "email" and topic in self.muted_topics:
            return False
        chosen = self.channels.get(topic) if isinstance(self.channels, dict) else None
        if isinstance(chosen, dict) and isinstance(chosen.get(channel), bool):
            return chosen[channel]
        return TOPICS[topic].default(channel)

    def wants_email(self, topic: str) -> bool:
        return self.wants(topic, "email")


class Device(models.Model):
    """A phone or browser that receives push notifications for its person: one
    Web Push subscription (the push service's endpoint and the browser's
    public keys). Several per person; removed when the push service says the
    subscription is gone (404 or 410)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_devices"
    )
    name = models.CharField(max_length=60)
    endpoint = models.URLField(max_length=1000, unique=True)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=60)
    created_at = models.DateTimeField(default=timezone.now)
    last_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.name


class PushState(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    SENDING = "sending", "Being sent"
    SENT = "sent", "Sent"
    FAILED = "failed", "Could not be sent"
    # As for email: a worker died while sending it; never sent again.
    INTERRUPTED = "cut", "Interrupted while being sent"


class PushDelivery(models.Model):
    """One notification on its way to one device: claimed by a worker
    (tending.lib.claims) like an email, so each device gets it at most once."""

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="pushes")
    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="deliveries")
    state = models.CharField(max_length=8, choices=PushState.choices, default=PushState.PENDING)
    due_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    claim = models.CharField(max_length=32, blank=True, default="")
    claimed_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["notification", "device"], name="one_push_per_device")
        ]
        indexes = [models.Index(fields=["state", "due_at"])]
