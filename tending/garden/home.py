"""The bond's home: today's step and what is new (the garden in small follows)."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from itertools import islice
from typing import Any

from django.db import IntegrityError
from django.db.models import (
    IntegerField,
    Value,
)
from django.http import HttpRequest
from django.utils import timezone

from tending.bonds.privacy import Visibility, as_member, keeps_archive
from tending.checkup.models import CheckupResult
from tending.feelings.models import FeelingCheckin
from tending.garden.models import LastSeen, TodayChoice
from tending.garden.today import READS, Context, Step, steps
from tending.lib.db import unhurried_commit
from tending.lib.plans import Bundle, Planned
from tending.lib.timeutil import local_today
from tending.prompts.models import ConversationSlot, HeardNote
from tending.prompts.schedule import next_slot
from tending.prompts.state import keep_state, state_query
from tending.prompts.views import today_inline
from tending.repair.models import RepairAnswer, Rupture
from tending.rituals.models import weekday_bit
from tending.safety.models import viewer_safety

# How many next steps the home lists under today's one.
NEXT_STEPS = 3
# "Shared since you last looked" counts at most this far back.
SHARED_WINDOW = timedelta(weeks=4)
# What "shared since you last looked" counts, with its words for one and many.
NEW_LABELS = (
    (FeelingCheckin, "feeling", "feelings"),
    (CheckupResult, "check-up result", "check-up results"),
    (Rupture, "repair message", "repair messages"),
    (RepairAnswer, "answer to a repair", "answers to repairs"),
    (HeardNote, "“what I heard” note", "“what I heard” notes"),
)


def _shared_since(bond: Any, other: Any, since: datetime) -> list[str]:
    """What the other member shared after `since`: a count per entry type, read
    in one UNION ALL query of at most SHARED_WINDOW's entries (its SQL built once
    per process: tending.lib.plans)."""
    if other is None:
        return []
    counts = Counter(kind for (kind,) in _SHARED_SINCE.rows("", bond.pk, other.pk, since))
    out = []
    for i, (_, one, many) in enumerate(NEW_LABELS):
        if count := counts[i]:
            out.append(f"{count} {one if count == 1 else many}")
    return out


def _shared_since_query(shape: str, bond_pk: int, other_pk: int, since: datetime) -> Any:
    rows = [
        model.objects.filter(
            bond=bond_pk, author=other_pk, visibility=Visibility.SHARED, created_at__gt=since
        )
        .order_by()
        .values_list(Value(i, IntegerField()))
        for i, (model, _, _) in enumerate(NEW_LABELS)
    ]
    return rows[0].union(*rows[1:], all=True)


_SHARED_SINCE = Planned(_shared_since_query)


def _mark_seen(bond: Any, user: Any, seen: LastSeen | None) -> None:
    """Remember this visit: one UPDATE, or a first row (a visit racing this one
    in another tab may have written it first; then the UPDATE is enough). Losing
    it in a crash would only show a little more as new, so the page does not
    wait for the disk."""
    now = timezone.now()
    if seen is not None:
        with unhurried_commit(one_statement=True):
            LastSeen.objects.filter(pk=seen.pk).update(seen_at=now)
        return
    try:
        with unhurried_commit():
            LastSeen.objects.create(bond=bond, user=user, seen_at=now)
    except IntegrityError:
        LastSeen.objects.filter(bond=bond, user=user).update(seen_at=now)


def _home_reads(bond: Any, user: Any, today: Any) -> dict[str, list[Any]]:
    """Everything the home reads before choosing today's step, in one statement (its SQL
    built once per process: tending.lib.plans.Bundle): this person's choices for today's
    steps, when they last looked, the bond's weekly conversation slot (for a bond of two),
    the bond's prompt state, and the providers' own reads (today.READS)."""
    member = keeps_archive(bond, user)
    shape = (bond.is_solo_kind, member)
    return _HOME_READS.rows(shape, user.pk, bond.pk, today, weekday_bit(today))


def _home_reads_query(
    shape: tuple[bool, bool], user_pk: int, bond_pk: int, today: Any, bit: int
) -> Any:
    solo, member = shape
    reads: dict[str, Any] = {
        "choices": TodayChoice.objects.filter(bond=bond_pk, user=user_pk, day=today)
        .order_by()
        .values_list("key", "done"),
        "seen": LastSeen.objects.filter(bond=bond_pk, user=user_pk)
        .order_by()
        .values_list("pk", "seen_at"),
        "slot": None
        if solo
        else ConversationSlot.objects.filter(bond=bond_pk)
        .order_by()
        .values_list("weekday", "at", "zone"),
        "state": state_query(bond_pk),
    }
    if member:
        # The privacy rule as it holds for a member who keeps the archive (any other
        # viewer's providers read alone, with the real bond: today.Context.read).
        viewer, bond = as_member(user_pk, bond_pk)
        reads.update({name: read(viewer, bond, today, bit) for name, read in READS.items()})
    return reads


_HOME_READS = Bundle(_home_reads_query)


def _own_visit(
    bond: Any, user: Any, reads: dict[str, list[Any]]
) -> tuple[list[tuple[str, bool]], LastSeen | None, ConversationSlot | None]:
    """What this person did with today's steps (key, done), when they last looked,
    and the bond's weekly conversation slot, from the home's reads."""
    made = [(key, done) for key, done in reads.pop("choices")]
    seen = slot = None
    for pk, seen_at in reads.pop("seen"):
        seen = LastSeen(pk=pk, bond=bond, user=user, seen_at=seen_at)
    for weekday, at, zone in reads.pop("slot"):
        slot = ConversationSlot.from_db(
            "default", ["bond_id", "weekday", "at", "zone"], [bond.pk, weekday, at, zone]
        )
    keep_state(bond, reads.pop("state"))
    return made, seen, slot


def _next_conversation(slot: ConversationSlot | None, user: Any) -> Any:
    """When the weekly conversation next is, in the viewer's own time, if a slot is set."""
    if slot is None:
        return None
    return next_slot(slot, timezone.now()).astimezone(user.tz)


def _inline(request: HttpRequest, bond: Any, step: Step) -> dict[str, Any]:
    """What today's step needs to be done right on the home: the question and its answer
    box (or both answers, to react and reply), the ritual's done button, the note to open,
    the repair message to answer. `kind` says which; "other" is a plain step with a link."""
    kind, _, ref = step.key.partition(":")
    if kind in ("daily", "daily-read"):
        return {"kind": kind, **today_inline(request, bond, answer_box=kind == "daily")}
    if kind == "ritual" and ref.isdigit():
        return {"kind": "ritual", "ritual": int(ref)}
    if kind == "note":
        return {"kind": "note"}
    if kind == "repair-answer" and ref.isdigit():
        rupture = (
            Rupture.objects.visible_in(request.user, bond)
            .filter(pk=int(ref), sent_at__isnull=False)
            .only("pk", "bond_id", "author_id", "message")
            .first()
        )
        if rupture is not None:
            return {"kind": "repair", "rupture": rupture}
    return {"kind": "other"}


def home_context(request: HttpRequest, bond: Any) -> dict[str, Any]:
    """Today's step and what is new. The garden in small is not drawn here: the
    page fetches it once shown (garden.views.preview), so today's step does not
    wait for the picture."""
    user = request.user
    other = bond.other_member(user)
    today = local_today(user.tz)
    reads = _home_reads(bond, user, today)
    choices, seen, slot = _own_visit(bond, user, reads)
    skipped = {key for key, _ in choices}
    done_today = [key for key, done in choices if done]
    ctx = Context(bond, user, other, today, viewer_safety(request), reads)
    found = steps(ctx, skipped)
    step = next(found, None)
    # A few next steps under today's one, from the same providers, without reading the
    # garden for them (its own small picture follows the page).
    ctx.may_read_garden = False
    upcoming = list(islice(found, NEXT_STEPS)) if step is not None else []
    # After a first visit or a long absence: what was shared lately, not all of it.
    lately = timezone.now() - SHARED_WINDOW
    recent_only = seen is None or seen.seen_at < lately
    new = _shared_since(bond, other, lately if recent_only else seen.seen_at)
    _mark_seen(bond, user, seen)
    return {
        "step": step,
        "inline": _inline(request, bond, step) if step is not None else {},
        "upcoming": upcoming,
        "done_today": bool(done_today),
        "shared_since": new,
        "shared_lately": recent_only,
        "next_conversation": _next_conversation(slot, user),
    }
