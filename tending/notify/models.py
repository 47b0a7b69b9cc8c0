from __future__ import annotations

from datetime import time

from django.conf import settings
from django.db import models
from django.utils import timezone

from tending.notify.topics import TOPICS


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
    topic = models.CharField(max_length=24, choices=[(k, k) for k in TOPICS])
    title = models.CharField(max_length=160)
    # The member whose name the title carries, if any: when they delete their
    # account, their name in the title gives way to a neutral one.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    url = models.CharField(max_length=300, blank=True)
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
        ]
        ordering = ["-created_at"]


class Preferences(models.Model):
    """Per-person email choices and quiet hours (local wall-clock times)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notify_preferences"
    )
    muted_topics = models.JSONField(default=list, blank=True)
    quiet_start = models.TimeField(null=True, blank=True, default=time(22, 0))
    quiet_end = models.TimeField(null=True, blank=True, default=time(7, 0))

    def wants_email(self, topic: str) -> bool:
        return topic not in self.muted_topics
