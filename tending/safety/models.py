from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Subquery
from django.utils import timezone

from tending.safety.screen import screen_positive


class SafetyScreen(models.Model):
    """One person's private answers to the safety questions.

    Deliberately not an Entry and not tied to a bond: nobody but the person
    who answered ever sees it, in no view or export (Tending has no admin site).
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


def safety_positive_of(user_pk: int) -> Subquery:
    """`safety_positive` of the person `user_pk` as a scalar subquery (NULL when
    they have no screen), for reading it together with other facts in one query."""
    return Subquery(
        SafetyScreen.objects.filter(user=user_pk).order_by("-created_at").values("positive")[:1]
    )


def viewer_safety(request: Any) -> bool:
    """`safety_positive` for the person making this request, read once per
    request: the bond's pages ask it in several places (today's step, the
    garden, the daily question), and each asks this instead of the database."""
    cached = getattr(request, "_safety_positive", None)
    if cached is None:
        facts = getattr(request, "_bond_facts", {})  # read with the bond (bonds.views)
        if "safety_positive" in facts:
            cached = bool(facts["safety_positive"])
        else:
            cached = safety_positive(request.user)
        request._safety_positive = cached
    return cached


def record_screen(user: Any, answers: Mapping[str, str]) -> bool:
    """Keep `user`'s answers as their newest screen; True when it is positive.

    Only the newest screen counts, so one that says nothing (untouched, or "rather
    not say" throughout) is not stored: it must not switch an earlier answer off."""
    if not set(answers.values()) - {"prefer_not_to_say"}:
        return False
    positive = screen_positive(answers)
    SafetyScreen.objects.create(user=user, answers=answers, positive=positive)
    return positive


def screens_for_export(user: Any) -> list[dict[str, Any]]:
    """`user`'s own screens, oldest first, for their own export and nobody else's."""
    return [
        {"created_at": s.created_at.isoformat(), "answers": s.answers, "positive": s.positive}
        for s in SafetyScreen.objects.filter(user=user).order_by("created_at")
    ]
