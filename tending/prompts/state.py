"""A bond's prompt state in the database, and the choices made with it.

Every change goes through `update`: read the row, compute the new state with the pure
functions of `choosing.py`, and write it only if the row still has the version that was read
(a conditional UPDATE), else read again and recompute. Two members opening the page at the same
moment compute the same daily choice from the same state; whichever write comes second finds
the day already chosen and writes nothing. No used-prompt mark is lost, on SQLite or PostgreSQL.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, TypeVar

from django.db import IntegrityError, transaction
from django.db.models import F

from tending.bonds.models import Bond
from tending.lib.plans import Planned
from tending.prompts import choosing, library
from tending.prompts.library import Prompt
from tending.prompts.models import DailyChoice, DeckRun, PromptState
from tending.prompts.weak import weak_themes

T = TypeVar("T")
MAX_TRIES = 8
# For someone whose safety screen was positive: no repair prompts, no prompts from a deck both
# must opt in to, and nothing deeper than light in what is offered to them alone.
SAFE_AVOID = ("repair",)
SAFE_MAX_DEPTH = "light"


def _zone_of_creator(bond: Bond) -> str:
    creator = bond.created_by
    if creator is None:
        membership = bond.memberships.select_related("user").order_by("joined_at", "pk").first()
        creator = membership.user if membership else None
    return creator.tz.key if creator is not None else "UTC"


def _per_request(bond: Bond) -> bool:
    """A bond read for one request (bonds.views.bond_with_members, which hands it
    its memberships), which may keep the state row it read for that request."""
    return "memberships" in getattr(bond, "_prefetched_objects_cache", {})


def existing_state(bond: Bond) -> PromptState | None:
    """The bond's row if it has one, without making it. A bond read for one request
    keeps the row: the home asks where the daily question stands and then shows it,
    and reads the row once (`update` keeps the kept row in step with its writes)."""
    if "_prompt_state" in bond.__dict__:
        return bond.__dict__["_prompt_state"]
    rows = list(_STATE.rows("", bond.pk))
    row = PromptState.from_db("default", STATE_COLUMNS, rows[0]) if rows else None
    if row is not None and _per_request(bond):
        bond.__dict__["_prompt_state"] = row
    return row


# The columns of the bond's row, as `state_query` reads them.
STATE_COLUMNS = tuple(f.attname for f in PromptState._meta.concrete_fields)


def state_query(bond: Any) -> Any:
    """The bond's row as plain columns, for a page that reads it together with
    other things (the bond's home) and hands it over with `keep_state`."""
    return PromptState.objects.filter(bond=bond).values_list(*STATE_COLUMNS)


# The row's read, built once per process (tending.lib.plans).
_STATE = Planned(lambda shape, bond_pk: state_query(bond_pk))


def keep_state(bond: Bond, rows: list[Any]) -> None:
    """Keep the row `state_query` read (none: the bond has none yet) on a bond read
    for one request, for `existing_state` to give back without asking again."""
    if _per_request(bond):
        row = PromptState.from_db("default", STATE_COLUMNS, rows[0]) if rows else None
        bond.__dict__["_prompt_state"] = row


def keep_day_choice(bond: Bond, user: Any, day: date, choice: DailyChoice | None) -> None:
    """Keep `user`'s choice for `day` (None: none made) on a bond read for one request,
    for `day_choice` to give back without asking again."""
    if _per_request(bond):
        bond.__dict__.setdefault("_day_choices", {})[(user.pk, day)] = choice


def day_choice(bond: Bond, user: Any, day: date) -> DailyChoice | None:
    """`user`'s choice for `day`'s question (set aside, or an alternative), if they made
    one: kept by `daily_status` earlier in the request, else read."""
    kept = bond.__dict__.get("_day_choices", {})
    if (user.pk, day) in kept:
        return kept[(user.pk, day)]
    return DailyChoice.objects.filter(bond=bond, user=user, day=day).first()


def prompt_state(bond: Bond, *, fresh: bool = False) -> PromptState:
    """The bond's row, made on first use with the creator's zone and the bond's first day.
    With `fresh`, read again even if the bond kept a row."""
    if fresh:
        bond.__dict__.pop("_prompt_state", None)
    row = existing_state(bond)
    if row is not None:
        return row
    zone = _zone_of_creator(bond)
    day_zero = bond.created_at.astimezone(zoneinfo.ZoneInfo(zone)).date()
    try:
        with transaction.atomic():
            row = PromptState.objects.create(bond=bond, zone=zone, day_zero=day_zero, state={})
    except IntegrityError:
        row = PromptState.objects.get(bond=bond)
    if _per_request(bond):
        bond.__dict__["_prompt_state"] = row
    return row


def update(bond: Bond, compute: Callable[[PromptState], tuple[T, dict[str, Any]]]) -> T:
    """Run `compute(row) -> (result, new_state)` until its state is stored over the version it
    read; returns the result. `compute` must be pure apart from reading `row`."""
    for attempt in range(MAX_TRIES):
        # A kept row may be behind another writer: its version then fails the
        # conditional UPDATE, and the next attempt reads the row again.
        row = prompt_state(bond, fresh=attempt > 0)
        result, new_state = compute(row)
        if new_state == row.state:
            return result
        changed = PromptState.objects.filter(pk=row.pk, version=row.version).update(
            state=new_state, version=F("version") + 1
        )
        if changed == 1:
            row.state, row.version = new_state, row.version + 1
            return result
    raise RuntimeError(f"prompt state of bond {bond.pk} kept changing")


@dataclass(frozen=True)
class Today:
    day: date
    day_index: int
    prompt: Prompt


def bond_today(bond: Bond) -> date:
    return prompt_state(bond).today()


def open_deck(bond: Bond) -> DeckRun | None:
    """The bond's open deck run (chosen and not stopped), whether or not its days have come."""
    return DeckRun.objects.filter(bond=bond, ended_at__isnull=True).order_by("-pk").first()


def _run(row: DeckRun | None) -> choosing.DeckRun | None:
    return None if row is None else choosing.DeckRun(row.deck, row.first_day, row.last_day)


def daily(bond: Bond, weak: list[str] | None = None) -> Today:
    """The bond's question of the day, the same for both members (see `update`).

    The weak themes and the open deck only steer a choice still to be made, so
    they are read only then: once the day has its question, one read of the
    bond's state answers."""
    inputs: dict[str, Any] = {}

    def compute(row: PromptState) -> tuple[Today, dict[str, Any]]:
        day = row.today()
        index = row.day_index(day)
        if not inputs and not choosing.daily_chosen(row.state, index):
            inputs["weak"] = weak_themes(bond) if weak is None else weak
            inputs["run"] = _run(open_deck(bond))
        prompt, new = _choose_daily(
            bond, row.state, index, inputs.get("weak", []), inputs.get("run")
        )
        return Today(day, index, prompt), new

    return update(bond, compute)


def _choose_daily(
    bond: Bond,
    state: dict[str, Any],
    index: int,
    weak: list[str],
    run: choosing.DeckRun | None,
) -> tuple[Prompt, dict[str, Any]]:
    return choosing.choose_daily(
        state or None,
        bond_seed=bond.seed,
        bond_kind=bond.kind,
        day_index=index,
        weak_themes=weak,
        deck=run,
    )


def another(bond: Bond, user: Any, *, safe: bool, exclude: set[str]) -> Prompt:
    """A personal alternative to today's question for `user`; the shared one stays as it is.
    LookupError if nothing fits."""
    shared_weak = weak_themes(bond)
    own_weak = weak_themes(bond, user)
    run = _run(open_deck(bond))

    def compute(row: PromptState) -> tuple[Prompt, dict[str, Any]]:
        index = row.day_index()
        _today, state = _choose_daily(bond, row.state, index, shared_weak, run)
        return choosing.another(
            state,
            bond_seed=bond.seed,
            bond_kind=bond.kind,
            day_index=index,
            weak_themes=[p for p in own_weak if not (safe and p in SAFE_AVOID)],
            exclude_ids=exclude,
            avoid_themes=SAFE_AVOID if safe else (),
            max_depth=SAFE_MAX_DEPTH if safe else None,
        )

    return update(bond, compute)


@dataclass(frozen=True)
class Week:
    week: int
    start: date
    prompts: list[Prompt]


def weekly(bond: Bond) -> Week:
    """This week's three conversation prompts, the same for both members; weeks count from the
    bond's first day."""
    weak = weak_themes(bond)
    run = _run(open_deck(bond))

    def compute(row: PromptState) -> tuple[Week, dict[str, Any]]:
        index = row.day_index()
        prompts, new = choosing.choose_weekly(
            row.state or None,
            bond_seed=bond.seed,
            bond_kind=bond.kind,
            day_index=index,
            weak_themes=weak,
            deck=run,
        )
        week = index // 7
        return Week(week, row.day_zero + timedelta(days=7 * week), prompts), new

    return update(bond, compute)


def is_heavy(prompt: Prompt) -> bool:
    """Would this prompt ask someone who may not be safe to be vulnerable with the other?"""
    if prompt.deck and _needs_both(prompt.deck):
        return True
    return prompt.theme in SAFE_AVOID or prompt.depth != SAFE_MAX_DEPTH


def _needs_both(deck_id: str) -> bool:
    try:
        return library.deck(deck_id).needs_both
    except KeyError:
        return False
