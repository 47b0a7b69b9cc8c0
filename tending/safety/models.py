from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone


class SafetyScreen(models.Model):
    """One person's private answers to the safety questions.

    Deliberately not an Entry and not tied to a bond: nobody but the person
    who answered ever sees it, in no view, export or default admin list.
    Only the newest screen counts."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="safety_screens"
    )
    answers = models.JSONField(default=dict)
    positive = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["user", "-created_at"])]


def safety_positive(user: Any) -> bool:
    """Did this person's newest safety screen say they may not be safe?

    When True, Tending offers no step that asks them to confront the other
    person or be vulnerable with them, and shows support resources instead."""
    if not getattr(user, "is_authenticated", False):
        return False
    latest = (
        SafetyScreen.objects.filter(user=user).order_by("-created_at").values("positive").first()
    )
    return bool(latest and latest["positive"])


def screens_for_export(user: Any) -> list[dict[str, Any]]:
    """`user`'s own screens, oldest first, for their own export and nobody else's."""
    return [
        {"created_at": s.created_at.isoformat(), "answers": s.answers, "positive": s.positive}
        for s in SafetyScreen.objects.filter(user=user).order_by("created_at")
    ]
