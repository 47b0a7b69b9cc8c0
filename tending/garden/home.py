"""The bond's home: today's step and what is new (the garden in small follows)."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from itertools import islice
from typing import Any

from django.db import IntegrityError
from django.db.models import (
    BigIntegerField,
    BooleanField,
    CharField,
    DateTimeField,
    F,
    IntegerField,
    TimeField,
    Value,
)
from django.db.models.functions import Cast
from django.http import HttpRequest
from django.utils import timezone

from tending.bonds.privacy import Visibility
from tending.checkup.models import CheckupResult
from tending.feelings.models import FeelingCheckin
from tending.garden.models import LastSeen, TodayChoice
from tending.garden.plants import unresolved_ruptures
from tending.garden.today import Context, Step, steps
from tending.lib.db import unhurried_commit
from tending.lib.plans import Planned
from tending.lib.timeutil import local_today
from tending.prompts.models import ConversationSlot, HeardNote
from tending.prompts.schedule import next_slot
from tending.prompts.views import today_inline
from tending.repair.models import RepairAnswer, Rupture
from tending.safety.models import viewer_safety

# How many next steps the home lists under today's one.
NEXT_STEPS = 3
# The kinds of row _own_visit reads.
_CHOICE, _SEEN, _SLOT = 0, 1, 2
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


def _own_visit(
    bond: Any, user: Any, today: Any
) -> tuple[list[tuple[str, bool]], LastSeen | None, ConversationSlot | None]:
    """What this person did with today's steps (key, done), when they last looked,
    and the bond's weekly conversation slot (for a bond of two), in one UNION ALL
    read (its SQL built once per process: tending.lib.plans). The first column
    says which each row is."""
    made, seen, slot = [], None, None
    rows = _OWN_VISIT.rows(bond.is_solo_kind, bond.pk, user.pk, today)
    for kind, key, done, seen_at, number, at in rows:
        if kind == _CHOICE:
            made.append((key, done))
        elif kind == _SEEN:
            seen = LastSeen(pk=number, bond=bond, user=user, seen_at=seen_at)
        else:
            slot = ConversationSlot.from_db(
                "default", ["bond_id", "weekday", "at", "zone"], [bond.pk, number, at, key]
            )
    return made, seen, slot


def _own_visit_query(solo: bool, bond_pk: int, user_pk: int, today: Any) -> Any:
    blank: dict[str, Any] = {
        "key": Value("", output_field=CharField()),
        "done": Value(False, output_field=BooleanField()),
        "seen_at": Value(None, output_field=DateTimeField()),
        "number": Value(None, output_field=BigIntegerField()),
        # Cast, or PostgreSQL takes an untyped NULL for text and refuses the UNION.
        "at": Cast(Value(None), output_field=TimeField()),
    }

    def read(model: Any, kind: int, **columns: Any) -> Any:
        fields = {**blank, **columns}
        mine = {} if model is ConversationSlot else {"user": user_pk}
        return (
            model.objects.filter(bond=bond_pk, **mine)
            .order_by()
            .values_list(Value(kind, output_field=IntegerField()), *fields.values())
        )

    choices = read(TodayChoice, _CHOICE, key=F("key"), done=F("done")).filter(day=today)
    parts = [read(LastSeen, _SEEN, seen_at=F("seen_at"), number=F("pk"))]
    if not solo:
        parts.append(read(ConversationSlot, _SLOT, key=F("zone"), number=F("weekday"), at=F("at")))
    return choices.union(*parts, all=True)


_OWN_VISIT = Planned(_own_visit_query)


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
    choices, seen, slot = _own_visit(bond, user, today)
    skipped = {key for key, _ in choices}
    done_today = [key for key, done in choices if done]
    ctx = Context(bond, user, other, today, viewer_safety(request), unresolved_ruptures(bond, user))
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
