from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import models
from django.utils import timezone

from tending.bonds.privacy import Entry, Visibility, visibility_check
from tending.checkup.scoring import Result

# A retake is suggested this long after a person's latest result in a bond.
RETAKE_AFTER = timedelta(weeks=4)


class CheckupResult(Entry):
    """One person's answers to one check-up, scored once with the questionnaire
    version they were given (`version`) and never rescored.

    Private unless the author shares it; sharing shows the scores, never the
    answers or the note."""

    # Only the author takes these away in an export (see `export`).
    author_only_fields = ("answers", "note", "retake_due_at", "retake_reminded_at")

    version = models.PositiveSmallIntegerField()
    answers = models.JSONField(default=dict)
    scores = models.JSONField(default=dict)  # scoring.Result.to_dict()
    overall = models.FloatField(null=True, blank=True)
    reasons = models.JSONField(default=list, blank=True)
    note = models.TextField(blank=True, max_length=1000)
    # Set on the author's latest result in the bond and cleared on earlier ones,
    # so the worker only ever finds the result a reminder is about.
    retake_due_at = models.DateTimeField(null=True, blank=True)
    retake_reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [visibility_check(Visibility.PRIVATE, Visibility.SHARED)]
        indexes = [
            models.Index(fields=["bond", "author", "created_at"]),
            models.Index(fields=["bond", "created_at"]),  # the garden's window
            models.Index(
                fields=["retake_due_at"],
                condition=models.Q(retake_reminded_at__isnull=True),
                name="checkup_retake_due",
            ),
        ]

    @property
    def result(self) -> Result:
        return Result.from_dict(self.scores)

    @property
    def is_shared(self) -> bool:
        return self.visibility == Visibility.SHARED

    def export(self, user: Any) -> dict[str, Any]:
        data = super().export(user)
        if self.author_id != user.pk:
            for name in self.author_only_fields:
                data.pop(name, None)
        return data


def record_result(
    *, bond: Any, author: Any, answers: dict[str, int], result: Result, note: str = ""
) -> CheckupResult:
    """Store a new result as the author's latest in the bond: it alone carries
    the retake reminder, earlier unreminded ones are cleared."""
    now = timezone.now()
    CheckupResult.objects.filter(bond=bond, author=author, retake_reminded_at__isnull=True).update(
        retake_due_at=None
    )
    return CheckupResult.objects.create(
        bond=bond,
        author=author,
        created_at=now,
        visibility=Visibility.PRIVATE,
        version=result.version,
        answers=answers,
        scores=result.to_dict(),
        overall=result.overall,
        reasons=list(result.reasons_chosen),
        note=note,
        retake_due_at=now + RETAKE_AFTER,
    )
