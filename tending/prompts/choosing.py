"""Choosing prompts for a bond: pure and deterministic, with no database and no clock.

The caller keeps one small JSON-serialisable `state` dict per bond, passes it in and stores the
new state that comes back. `day_index` counts the bond's local days, 0 being its first day; use
one day index per bond (for example from the bond's time zone) so both members share it.

Walking a pool without repeats
    A pool is the active prompts of one theme and one depth that fit the bond's kind. A bond
    walks each pool in its own pseudo-random order: the next prompt is, among those not yet used
    in the pool's current cycle, the one with the smallest keyed hash of
    (bond seed, pool, cycle, prompt id). The prompts used in the current cycle are a bitmask over
    id numbers, stored in hex; ids are never renumbered or reused (see data/README.md), so the
    mask stays right while the library changes. Once every prompt of a pool has been used, the
    cycle number goes up, the mask empties and a new order begins. Hence a bond never sees a
    prompt twice before its pool is used up; a prompt added to the library later joins the
    current cycle (its bit is unset); a retired prompt leaves the pool and its bit is dropped.

Cost
    A choice hashes the prompts of a few candidate pools (a few dozen prompts). It never looks at
    past answers: time and state size are bounded by the library's size, not by the history.

Which theme
    Themes are ranked by a weighted random permutation seeded by (bond seed, purpose, day):
    each theme gets the key u ** (1 / weight) for a hashed uniform u, highest key first
    (Efraimidis and Spirakis), so the first theme is a weighted draw. Weak themes (the
    bond's weakest check-up areas) weigh WEAK_WEIGHT, the others 1. If the first pool cannot give
    a prompt (all excluded, say), the next depth and then the next theme in rank are tried.

Which depth
    DEPTH_STAGES gives depth weights by the bond's age: light only on days 0-2, medium from
    day 3, deep from day 7 (the bond's eighth day) and never before, light-heavy through the
    first two weeks, then a mix. The depth is ranked the same way as the theme.

A themed deck
    While a bond runs a deck (a `DeckRun`: the deck and the bond's first and last day of it),
    every DECK_EVERY-th day of the run, its first day included, the daily prompt comes from the
    deck, and in every week the run overlaps DECK_WEEKLY of the weekly conversation's prompts
    do. A deck's pool is its prompts of one depth that fit the bond's kind, walked like any
    other pool (its key is "<deck id>:<depth>"); the depth is ranked as above, and a depth the
    deck cannot serve gives way to the nearest allowed one, then to the ordinary choice. The run
    is part of the input, the same for both members, so the choice stays the same for both.

The same prompt for both members
    A choice depends only on the bond seed, the day index, the deck run and the state, and the
    daily choice is remembered in the state for a few days: a second call for the same day (the
    other member, a reload) returns the same prompt and the same state. Two concurrent calls
    with the same old state compute the same result and would store the same new state.

State layout (version 1)
    {"v": 1,
     "pools": {"curiosity:light": [cycle, "hex mask of used id numbers"], ...},
     "days": [[day_index, prompt_id], ...],   # the last RECENT_DAYS daily choices
     "week": [week_index, [prompt_id, ...]],  # the current weekly conversation, and with a
                                              # deck its id third: [week, [ids], deck id]
     "more": [day_index, count]}              # "another" requests on that day
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tending.prompts import library
from tending.prompts.library import BONDS, DEPTHS, THEMES, Prompt

STATE_VERSION = 1
WEAK_WEIGHT = 3.0
RECENT_DAYS = 3
WEEKLY_THEMES: tuple[str, ...] = (
    "conversation",
    "inner_world",
    "dreams",
    "memories",
    "repair",
    "appreciation",
)
# (first day index, weights): a stage lasts until the next one starts.
DEPTH_STAGES: tuple[tuple[int, dict[str, float]], ...] = (
    (0, {"light": 1.0}),
    (3, {"light": 0.75, "medium": 0.25}),
    (7, {"light": 0.5, "medium": 0.35, "deep": 0.15}),
    (14, {"light": 0.4, "medium": 0.4, "deep": 0.2}),
    (28, {"light": 0.3, "medium": 0.4, "deep": 0.3}),
)
FIRST_DEEP_DAY = 7
# While a deck runs: every other day's prompt, and one of the weekly conversation's.
DECK_EVERY = 2
DECK_WEEKLY = 1

State = dict[str, Any]


@dataclass(frozen=True)
class DeckRun:
    """A deck a bond runs from `first_day` to `last_day`, both the bond's day indices,
    inclusive."""

    deck: str
    first_day: int
    last_day: int

    def deck_day(self, day_index: int) -> bool:
        """Does this day's prompt come from the deck?"""
        return (
            self.first_day <= day_index <= self.last_day
            and (day_index - self.first_day) % DECK_EVERY == 0
        )

    def in_week(self, week: int) -> bool:
        return self.first_day <= 7 * week + 6 and self.last_day >= 7 * week


def new_state() -> State:
    return {"v": STATE_VERSION, "pools": {}, "days": []}


def depth_weights(day_index: int) -> dict[str, float]:
    """Weights of each depth on this day of the bond (a depth absent from the dict is not allowed)."""
    if day_index < 0:
        raise ValueError("day_index counts from 0, the bond's first day")
    weights: dict[str, float] = {}
    for first_day, stage in DEPTH_STAGES:
        if day_index >= first_day:
            weights = stage
    return dict(weights)


def has_daily(state: Mapping[str, Any] | None, day_index: int) -> bool:
    """Has this day's shared prompt been chosen already (so nothing can change it)?"""
    return any(day == day_index for day, _prompt_id in (state or {}).get("days", []))


def pool_key(theme: str, depth: str) -> str:
    return f"{theme}:{depth}"


def choose_daily(
    state: Mapping[str, Any] | None,
    *,
    bond_seed: str | int,
    bond_kind: str,
    day_index: int,
    weak_themes: Iterable[str] = (),
    exclude_ids: Iterable[str] = (),
    avoid_themes: Iterable[str] = (),
    max_depth: str | None = None,
    deck: DeckRun | None = None,
) -> tuple[Prompt, State]:
    """The bond's prompt of the day and the new state.

    Once a day has its prompt, later calls for that day return it whatever `exclude_ids` says,
    so both members always see the same one. `avoid_themes` and `max_depth` narrow the
    choice (for instance after a safety answer); LookupError if nothing at all is left. With a
    `deck`, the deck's days draw from it (see "A themed deck" above).
    """
    rules = _Rules.build(bond_kind, day_index, weak_themes, avoid_themes, max_depth)
    current = _read(state)
    for day, prompt_id in current["days"]:
        if day == day_index and _known(prompt_id):
            return library.by_id(prompt_id), current
    seed = str(bond_seed)
    prompt = None
    if deck is not None and deck.deck_day(day_index):
        target = _rank(rules.depths, seed, "deck-depth", day_index)[0]
        prompt = _take_from_theme(current, seed, rules, deck.deck, target, set(exclude_ids), True)
    if prompt is None:
        ranked = _rank(rules.theme_weights(THEMES), seed, "daily", day_index)
        prompt = _first_available(
            current, seed, rules, ranked, set(exclude_ids), "daily", day_index
        )
    days = [entry for entry in current["days"] if entry[0] != day_index]
    days.append([day_index, prompt.id])
    current["days"] = sorted(days)[-RECENT_DAYS:]
    return prompt, current


def daily_chosen(state: Mapping[str, Any] | None, day_index: int) -> bool:
    """Has this day's prompt been chosen already? Then `choose_daily` returns it
    whatever the weak themes or the deck are, so callers need not read them."""
    return any(
        int(day) == day_index and _known(str(prompt_id))
        for day, prompt_id in (state or {}).get("days", [])
    )


def choose_weekly(
    state: Mapping[str, Any] | None,
    *,
    bond_seed: str | int,
    bond_kind: str,
    day_index: int,
    weak_themes: Iterable[str] = (),
    count: int = 3,
    exclude_ids: Iterable[str] = (),
    avoid_themes: Iterable[str] = (),
    max_depth: str | None = None,
    deck: DeckRun | None = None,
) -> tuple[list[Prompt], State]:
    """Prompts for the weekly conversation, one per theme, gentlest first, and the new state.

    The week is `day_index // 7`; within one week the same prompts come back, unless the deck
    run that overlaps the week changes (chosen or stopped mid-week). Themes come from
    WEEKLY_THEMES, leaning toward weak ones; depths are drawn for the bond's age. While a deck
    runs, DECK_WEEKLY of the prompts come from it.
    """
    if not 1 <= count <= len(WEEKLY_THEMES):
        raise ValueError(f"count must be between 1 and {len(WEEKLY_THEMES)}")
    rules = _Rules.build(bond_kind, day_index, weak_themes, avoid_themes, max_depth)
    current = _read(state)
    week = day_index // 7
    deck_id = deck.deck if deck is not None and deck.in_week(week) else None
    stored = current.get("week")
    if (
        stored
        and stored[0] == week
        and (stored[2] if len(stored) > 2 else None) == deck_id
        and all(_known(prompt_id) for prompt_id in stored[1])
    ):
        return [library.by_id(prompt_id) for prompt_id in stored[1]], current
    seed = str(bond_seed)
    exclude = set(exclude_ids)
    chosen: list[Prompt] = []
    if deck_id is not None:
        for slot in range(min(DECK_WEEKLY, count)):
            target = _rank(rules.depths, seed, "weekly-deck-depth", week, slot)[0]
            prompt = _take_from_theme(current, seed, rules, deck_id, target, exclude, True)
            if prompt is not None:
                chosen.append(prompt)
                exclude.add(prompt.id)
    themes = _rank(rules.theme_weights(WEEKLY_THEMES), seed, "weekly", week)
    targets = sorted(
        (
            _rank(rules.depths, seed, "weekly-depth", week, slot)[0]
            for slot in range(count - len(chosen))
        ),
        key=DEPTHS.index,
    )
    for target in targets:
        for theme in themes:
            prompt = _take_from_theme(current, seed, rules, theme, target, exclude)
            if prompt is not None:
                chosen.append(prompt)
                themes = [other for other in themes if other != theme]
                exclude.add(prompt.id)
                break
    if not chosen:
        raise LookupError(f"no prompt left for a {bond_kind} bond")
    chosen.sort(key=lambda prompt: DEPTHS.index(prompt.depth))
    current["week"] = [week, [prompt.id for prompt in chosen]]
    if deck_id is not None:
        current["week"].append(deck_id)
    return chosen, current


def another(
    state: Mapping[str, Any] | None,
    *,
    bond_seed: str | int,
    bond_kind: str,
    day_index: int,
    weak_themes: Iterable[str] = (),
    exclude_ids: Iterable[str] = (),
    avoid_themes: Iterable[str] = (),
    max_depth: str | None = None,
) -> tuple[Prompt, State]:
    """A personal alternative to today's prompt, and the new state.

    Today's daily choice stays as it is, so the other member keeps their prompt. The
    alternative is marked used in its pool (the bond will not meet it again as a daily prompt
    before the pool is used up), and leans away from the theme of today's prompt.
    """
    rules = _Rules.build(bond_kind, day_index, weak_themes, avoid_themes, max_depth)
    current = _read(state)
    more = current.get("more")
    asked = more[1] if more and more[0] == day_index else 0
    today = [prompt_id for day, prompt_id in current["days"] if day == day_index]
    exclude = set(exclude_ids) | set(today)
    seed = str(bond_seed)
    ranked = _rank(rules.theme_weights(THEMES), seed, "another", day_index, asked)
    if today and _known(today[0]):
        todays_theme = library.by_id(today[0]).theme
        ranked = [p for p in ranked if p != todays_theme] + [p for p in ranked if p == todays_theme]
    prompt = _first_available(current, seed, rules, ranked, exclude, "another", day_index, asked)
    current["more"] = [day_index, asked + 1]
    return prompt, current


class _Rules:
    """What a bond may be offered today: its kind, allowed depths and theme weights."""

    def __init__(self, kind: str, depths: dict[str, float], weak: set[str], avoid: set[str]):
        self.kind = kind
        self.depths = depths
        self.weak = weak
        self.avoid = avoid

    @classmethod
    def build(
        cls,
        kind: str,
        day_index: int,
        weak: Iterable[str],
        avoid: Iterable[str],
        max_depth: str | None,
    ) -> _Rules:
        if kind not in BONDS:
            raise ValueError(f"unknown bond kind {kind!r}")
        if not isinstance(day_index, int) or day_index < 0:
            raise ValueError("day_index must be an int counted from 0, the bond's first day")
        weak_set, avoid_set = set(weak), set(avoid)
        unknown = (weak_set | avoid_set) - set(THEMES)
        if unknown:
            raise ValueError(f"unknown themes {sorted(unknown)}")
        if max_depth is not None and max_depth not in DEPTHS:
            raise ValueError(f"unknown depth {max_depth!r}")
        depths = depth_weights(day_index)
        if max_depth is not None:
            limit = DEPTHS.index(max_depth)
            depths = {depth: w for depth, w in depths.items() if DEPTHS.index(depth) <= limit}
        return cls(kind, depths, weak_set, avoid_set)

    def theme_weights(self, themes: Sequence[str]) -> dict[str, float]:
        weights = {
            theme: WEAK_WEIGHT if theme in self.weak else 1.0
            for theme in themes
            if theme not in self.avoid
        }
        if not weights:
            raise LookupError("every theme is avoided")
        return weights


def _first_available(
    state: State,
    seed: str,
    rules: _Rules,
    themes: Sequence[str],
    exclude: set[str],
    *purpose: object,
) -> Prompt:
    depth_rank = _rank(rules.depths, seed, "depth", *purpose)
    for theme in themes:
        prompt = _take_from_theme(state, seed, rules, theme, depth_rank[0], exclude)
        if prompt is not None:
            return prompt
    raise LookupError(f"no prompt left for a {rules.kind} bond")


def _take_from_theme(
    state: State,
    seed: str,
    rules: _Rules,
    theme: str,
    depth: str,
    exclude: set[str],
    deck: bool = False,
) -> Prompt | None:
    """The next prompt of this theme (or of the deck with this id), at `depth` or else the
    nearest allowed depth."""
    allowed = sorted(
        rules.depths,
        key=lambda other: (abs(DEPTHS.index(other) - DEPTHS.index(depth)), DEPTHS.index(other)),
    )
    for candidate in allowed:
        prompt = _take(state, seed, theme, candidate, rules.kind, exclude, deck)
        if prompt is not None:
            return prompt
    return None


def _take(
    state: State,
    seed: str,
    theme: str,
    depth: str,
    kind: str,
    exclude: set[str],
    deck: bool = False,
) -> Prompt | None:
    """The next prompt of one pool, recording it in `state`; None if every fresh one is excluded."""
    prompts = library.deck_pool(theme, depth, kind) if deck else _pool(theme, depth, kind)
    if not prompts:
        return None
    key = pool_key(theme, depth)
    cycle, used = _pool_entry(state, key)
    fresh = [prompt for prompt in prompts if not used >> prompt.number & 1]
    if not fresh:
        cycle, used, fresh = cycle + 1, 0, list(prompts)
    candidates = [prompt for prompt in fresh if prompt.id not in exclude]
    if not candidates:
        return None
    chosen = min(candidates, key=lambda prompt: _hash(seed, key, cycle, prompt.id))
    in_pool = 0
    for prompt in prompts:
        in_pool |= 1 << prompt.number
    state["pools"][key] = [cycle, format((used | 1 << chosen.number) & in_pool, "x")]
    return chosen


def _pool(theme: str, depth: str, kind: str) -> tuple[Prompt, ...]:
    return library.pool(theme, depth, kind)


def _pool_entry(state: State, key: str) -> tuple[int, int]:
    entry = state["pools"].get(key)
    if not entry:
        return 0, 0
    cycle, mask = entry
    return int(cycle), int(mask, 16)


def _rank(weights: Mapping[str, float], seed: str, *parts: object) -> list[str]:
    """Names in a weighted random order: the first is a weighted draw, and so on."""
    keyed = [
        (_unit(seed, *parts, name) ** (1.0 / weight), name)
        for name, weight in weights.items()
        if weight > 0
    ]
    return [name for _key, name in sorted(keyed, reverse=True)]


def _hash(*parts: object) -> int:
    text = "\x1f".join(str(part) for part in parts)
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big")


def _unit(*parts: object) -> float:
    """A uniform number in (0, 1] derived from `parts`."""
    return (_hash(*parts) + 1) / 2**64


def _known(prompt_id: str) -> bool:
    try:
        library.by_id(prompt_id)
    except KeyError:
        return False
    return True


def _read(state: Mapping[str, Any] | None) -> State:
    """A fresh copy of `state` in the current layout (the input is never modified)."""
    if not state:
        return new_state()
    if state.get("v") != STATE_VERSION:
        raise ValueError(f"unknown prompt state version {state.get('v')!r}")
    copy: State = {
        "v": STATE_VERSION,
        "pools": {
            key: [int(entry[0]), str(entry[1])] for key, entry in state.get("pools", {}).items()
        },
        "days": [[int(day), str(prompt_id)] for day, prompt_id in state.get("days", [])],
    }
    if state.get("week"):
        week, ids, *deck = state["week"]
        copy["week"] = [int(week), [str(prompt_id) for prompt_id in ids], *map(str, deck[:1])]
    if state.get("more"):
        day, asked = state["more"]
        copy["more"] = [int(day), int(asked)]
    return copy
