from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from tending.notify.service import notify
from tending.ops.jobs import job
from tending.repair.models import RuptureNote


@job
def remind_after_break() -> bool:
    """Remind a person, once, that the repair they paused is waiting.

    Skipped when they came back by themselves, sent it or settled it meanwhile."""
    now = timezone.now()
    note = (
        RuptureNote.objects.filter(
            resume_after__lte=now,
            resumed_at__isnull=True,
            reminded_at__isnull=True,
            rupture__sent_at__isnull=True,
            rupture__resolved_at__isnull=True,
            bond__ended_at__isnull=True,
        )
        .select_related("author", "bond")
        .order_by("resume_after", "pk")
        .first()
    )
    if note is None:
        return False
    claimed = RuptureNote.objects.filter(pk=note.pk, reminded_at__isnull=True).update(
        reminded_at=now
    )
    if claimed != 1:
        return True  # another worker took it; look again
    notify(
        note.author,
        topic="repair",
        title="Whenever you feel ready, your repair is waiting.",
        url=reverse("repair:detail", args=[note.bond_id, note.rupture_id]),
        bond=note.bond,
    )
    return True
