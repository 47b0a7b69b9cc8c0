"""The bond's home: today's step, the garden in small, what is new."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.apps import apps
from django.http import HttpRequest
from django.utils import timezone

from tending.bonds.privacy import Visibility, entry_models
from tending.garden.models import LastSeen, TodayChoice
from tending.garden.today import Context, steps
from tending.garden.views import garden_context

# Labels for "shared since you last looked", by entry type.
NEW_LABELS = {
    "feelings.feelingcheckin": ("feeling", "feelings"),
    "checkup.checkupresult": ("check-up result", "check-up results"),
    "repair.rupture": ("repair message", "repair messages"),
    "repair.repairanswer": ("answer to a repair", "answers to repairs"),
    "prompts.heardnote": ("“what I heard” note", "“what I heard” notes"),
}


def _shared_since(bond: Any, user: Any, other: Any, since: datetime | None) -> list[str]:
    """What the other member shared since `since`: one count query per entry type."""
    if other is None:
        return []
    out = []
    for model in entry_models():
        label = model._meta.label_lower
        if label not in NEW_LABELS:
            continue
        qs = model.objects.filter(bond=bond, author=other, visibility=Visibility.SHARED)
        if since is not None:
            qs = qs.filter(created_at__gt=since)
        count = qs.count()
        if count:
            one, many = NEW_LABELS[label]
            out.append(f"{count} {one if count == 1 else many}")
    return out


def _next_conversation(bond: Any, user: Any) -> Any:
    """When the weekly conversation next is, in the viewer's own time, if a slot is set."""
    try:
        slot_model = apps.get_model("prompts", "ConversationSlot")
    except LookupError:
        return None
    slot = slot_model.objects.filter(bond=bond).first()
    if slot is None:
        return None
    from tending.prompts.schedule import next_slot

    return next_slot(slot, timezone.now()).astimezone(user.tz)


def _new_notes(bond: Any, user: Any) -> int:
    try:
        note_model = apps.get_model("notes", "Note")
    except LookupError:
        return 0
    return note_model.objects.received_by(user).filter(bond=bond, opened_at__isnull=True).count()


def home_context(request: HttpRequest, bond: Any) -> dict[str, Any]:
    user = request.user
    garden = garden_context(request, bond)
    other = bond.other_member(user)
    today = garden["today"]
    choices = list(
        TodayChoice.objects.filter(bond=bond, user=user, day=today).values_list("key", "done")
    )
    skipped = {key for key, _ in choices}
    done_today = [key for key, done in choices if done]
    ctx = Context(bond, user, other, today, garden["recent"], garden["plants"], garden["safe_mode"])
    step = next(steps(ctx, skipped), None)
    seen = LastSeen.objects.filter(bond=bond, user=user).first()
    since = seen.seen_at if seen else None
    new = _shared_since(bond, user, other, since)
    now = timezone.now()
    LastSeen.objects.update_or_create(bond=bond, user=user, defaults={"seen_at": now})
    return {
        "step": step,
        "done_today": bool(done_today),
        "garden": garden,
        "shared_since": new,
        "first_visit": since is None,
        "new_notes": 0 if bond.is_solo_kind else _new_notes(bond, user),
        "next_conversation": None if bond.is_solo_kind else _next_conversation(bond, user),
    }
