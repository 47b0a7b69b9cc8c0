from __future__ import annotations

import logging
from datetime import datetime

from django.urls import reverse
from django.utils import timezone

from tending.checkup.models import CheckupResult
from tending.notify.service import notify
from tending.ops.jobs import job

log = logging.getLogger(__name__)

RETAKE_TITLE = "It's been four weeks since your check-up. Whenever you like, you can take it again."


def _next_due(now: datetime) -> int | None:
    return (
        CheckupResult.objects.filter(retake_due_at__lte=now, retake_reminded_at__isnull=True)
        .order_by("retake_due_at", "pk")
        .values_list("pk", flat=True)
        .first()
    )


@job
def suggest_retake() -> bool:
    """Suggest a retake once, four weeks after a person's latest result in a bond.

    Only the latest result carries `retake_due_at` (a new result clears the
    others), and the row is claimed with a conditional update before anything
    is sent, so several workers never suggest it twice."""
    now = timezone.now()
    due = _next_due(now)
    if due is None:
        return False
    claimed = CheckupResult.objects.filter(pk=due, retake_reminded_at__isnull=True).update(
        retake_reminded_at=now
    )
    if claimed != 1:
        return True  # another worker took it; look again
    entry = CheckupResult.objects.select_related("bond", "author").get(pk=due)
    bond, person = entry.bond, entry.author
    retook = CheckupResult.objects.filter(
        bond=bond, author=person, created_at__gt=entry.created_at
    ).exists()
    if retook or not bond.is_open_for(person):
        return True
    notify(
        person,
        topic="checkup",
        title=RETAKE_TITLE,
        url=reverse("checkup:take", args=[bond.pk]),
        bond=bond,
    )
    log.info("suggested a check-up retake for result %s", entry.pk)
    return True
