"""When Tending suggests counselling, and what it shows instead when the
viewing person's safety screen was positive."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from tending.bonds.models import Bond
from tending.repair.content import content
from tending.repair.models import Rupture, RuptureNote
from tending.safety import notices
from tending.safety.models import safety_positive

REPEAT_COUNT = 3
REPEAT_WINDOW = timedelta(weeks=8)
UNRESOLVED_AFTER = timedelta(days=14)


def counselling_reasons(bond: Bond, user: Any, now: datetime | None = None) -> list[str]:
    """Why counselling might help now, from what `user` can see in `bond`.

    "repeated": `user` noted the same topic at least REPEAT_COUNT times in the last
    REPEAT_WINDOW (topics live in their private notes, so only their own count).
    "unresolved": a rupture `user` can see has stayed unresolved for UNRESOLVED_AFTER,
    counted from when they started it, or from when it was sent to them.
    Empty when neither holds. Two queries."""
    if not bond.is_active or bond.is_solo_kind:
        return []
    now = now or timezone.now()
    reasons = []
    repeated = (
        RuptureNote.objects.authored_by(user)
        .filter(bond=bond, created_at__gte=now - REPEAT_WINDOW)
        .values("topic_key")
        .annotate(n=Count("pk"))
        .filter(n__gte=REPEAT_COUNT)
    )
    if repeated.exists():
        reasons.append("repeated")
    cutoff = now - UNRESOLVED_AFTER
    long_open = (
        Rupture.objects.visible_to(user)
        .unresolved(bond)
        .filter(Q(author=user, created_at__lte=cutoff) | (~Q(author=user) & Q(sent_at__lte=cutoff)))
    )
    if long_open.exists():
        reasons.append("unresolved")
    return reasons


def support_context(bond: Bond, user: Any, *, with_reasons: bool = True) -> dict[str, Any]:
    """What the counselling card needs. When `safe_to_suggest` is False the card
    shows support resources and nothing that asks the person to approach the other.

    The other member's pages never depend on this person's answers."""
    return {
        "safe_to_suggest": not safety_positive(user),
        "reasons": counselling_reasons(bond, user) if with_reasons else [],
        "guidance": content().guidance_for(bond.kind),
        "not_therapy": notices.not_therapy(),
        "safety_note": notices.safety_note(),
    }
