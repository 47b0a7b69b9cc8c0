"""The solo path's words (data/path.json) and when a person sees it."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from django.utils import timezone

from tending.bonds.models import Bond
from tending.bonds.privacy import entry_models

DATA = Path(__file__).parent / "data" / "path.json"
QUIET_AFTER = timedelta(days=21)
# Steps that ask the person to be vulnerable with, or to approach, the other
# person: never shown when their safety screen was positive.
APPROACH_STEPS = frozenset(
    {"lead-with-vulnerability", "patient-and-clear", "invite-without-pressure"}
)


@cache
def path() -> dict[str, Any]:
    return json.loads(DATA.read_text(encoding="utf-8"))


def steps_for(*, safe: bool) -> list[dict[str, Any]]:
    """The path's steps in order; without the approach steps and the counselling
    step (support takes its place) when `safe` is False."""
    steps = path()["steps"]
    if safe:
        return list(steps)
    return [s for s in steps if s["id"] not in APPROACH_STEPS and s["id"] != "consider-counselling"]


# Entry models where a person in a bond most often leaves a trace, read first.
BUSIEST_FIRST = ("feelings.feelingcheckin", "prompts.dailyanswer", "notes.note")


def _busiest_first(models: list[Any]) -> list[Any]:
    rank = {label: i for i, label in enumerate(BUSIEST_FIRST)}
    return sorted(models, key=lambda m: rank.get(m._meta.label_lower, len(rank)))


def active_since(bond: Bond, person: Any, since: datetime, viewer: Any) -> bool:
    """Has `person` written anything in `bond` since `since` that `viewer` can see?

    Only what the viewer may see counts, so whether the solo path shows never
    reveals that the other person wrote something private. The entry models are
    read one at a time, busiest first, stopping at the first sign of life: one
    small query for a bond in use, one per entry model for a quiet one. (A single
    query over every model costs more to build than the database takes to run it.)"""
    return any(
        model.objects.visible_in(viewer, bond).filter(author=person, created_at__gte=since).exists()
        for model in _busiest_first(entry_models())
    )


def solo_reason(bond: Bond, user: Any, now: datetime | None = None) -> str | None:
    """Why the solo path applies to `user` in `bond` now, or None.

    "not_joined": nobody has accepted the invitation yet; "declined": the latest
    invitation was declined; "quiet": the other member joined more than
    QUIET_AFTER ago and has written nothing in the bond since QUIET_AFTER ago."""
    if bond.is_solo_kind or not bond.is_active:
        return None
    now = now or timezone.now()
    other = next((m for m in bond.memberships.all() if m.user_id != user.pk), None)
    if other is None:
        last = bond.invitations.order_by("-created_at").first()
        return "declined" if last is not None and last.declined_at else "not_joined"
    since = now - QUIET_AFTER
    if other.joined_at > since:
        return None
    return None if active_since(bond, other.user_id, since, user) else "quiet"


def solo_applies(bond: Bond, user: Any) -> bool:
    """For the bond page: offer the solo path only while it applies."""
    return solo_reason(bond, user) is not None
