import copy
import json
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tending.prompts import choosing, library
from tending.prompts.choosing import another, choose_daily, choose_weekly
from tending.prompts.library import BONDS, DEPTHS, THEMES

THREE_YEARS = 3 * 365
FIRST_DEEP_DAY = 7

kinds = st.sampled_from(BONDS)
seeds = st.one_of(st.text(min_size=1, max_size=16), st.integers(min_value=0))
weak_sets = st.lists(st.sampled_from(THEMES), max_size=3, unique=True)
simulation = settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])


class PoolWatch:
    """Checks that a bond meets no prompt twice before the prompt's whole pool has been seen."""

    def __init__(self, kind: str, pool=library.pool):
        self.kind = kind
        self.pool = pool
        self.seen: dict[tuple[str, str], set[str]] = {}

    def record(self, prompt) -> None:
        key = (prompt.theme, prompt.depth)
        seen = self.seen.setdefault(key, set())
        if prompt.id in seen:
            current = {p.id for p in self.pool(prompt.theme, prompt.depth, self.kind)}
            assert current <= seen, f"{prompt.id} repeated before its pool was used up"
            seen.clear()
        seen.add(prompt.id)


def state_bound(kind: str) -> int:
    """The largest state this bond kind can need: fixed fields plus one entry per pool."""
    total = 400
    for theme in THEMES:
        for depth in DEPTHS:
            prompts = library.pool(theme, depth, kind)
            hex_digits = (max(p.number for p in prompts) + 4) // 4
            total += len(choosing.pool_key(theme, depth)) + 20 + hex_digits
    return total


def stored(state: dict) -> dict:
    """What the caller stores and reads back."""
    return json.loads(json.dumps(state))


@simulation
@given(kind=kinds, seed=seeds, weak=weak_sets)
def test_three_years_of_use(kind, seed, weak):
    watch = PoolWatch(kind)
    bound = state_bound(kind)
    state = None
    for day in range(THREE_YEARS):
        offered = []
        prompt, state = choose_daily(
            state, bond_seed=seed, bond_kind=kind, day_index=day, weak_themes=weak
        )
        state = stored(state)
        offered.append(prompt)
        again, same_state = choose_daily(
            state, bond_seed=seed, bond_kind=kind, day_index=day, weak_themes=weak
        )
        assert again == prompt and same_state == state
        if day % 7 == 6:
            weekly, state = choose_weekly(
                state, bond_seed=seed, bond_kind=kind, day_index=day, weak_themes=weak
            )
            state = stored(state)
            offered += weekly
        if day % 5 == 2:
            extra, state = another(
                state, bond_seed=seed, bond_kind=kind, day_index=day, weak_themes=weak
            )
            state = stored(state)
            assert extra != prompt
            offered.append(extra)
        for item in offered:
            assert kind in item.bonds, (item.id, kind)
            assert not item.retired
            if day < FIRST_DEEP_DAY:
                assert item.depth != "deep", (day, item.id)
            watch.record(item)
        assert len(json.dumps(state)) <= bound
    for key, (_cycle, mask) in state["pools"].items():
        theme, depth = key.split(":")
        assert int(mask, 16).bit_count() <= len(library.pool(theme, depth, kind))


@settings(max_examples=25, deadline=None)
@given(
    kind=kinds,
    seed=seeds,
    weak=weak_sets,
    history=st.integers(min_value=0, max_value=60),
    day=st.integers(min_value=0, max_value=2000),
)
def test_both_members_get_the_same_prompt(kind, seed, weak, history, day):
    state = None
    for past in range(history):
        _prompt, state = choose_daily(state, bond_seed=seed, bond_kind=kind, day_index=past)
    day = history + day
    before = copy.deepcopy(state)
    alice, after_alice = choose_daily(
        state, bond_seed=seed, bond_kind=kind, day_index=day, weak_themes=weak
    )
    bob_same_time, after_bob = choose_daily(
        stored(state) if state else None,
        bond_seed=seed,
        bond_kind=kind,
        day_index=day,
        weak_themes=weak,
    )
    bob_later, after_later = choose_daily(
        after_alice, bond_seed=seed, bond_kind=kind, day_index=day, weak_themes=weak
    )
    assert state == before
    assert alice == bob_same_time == bob_later
    assert after_alice == after_bob == after_later


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    kind=kinds,
    seed=seeds,
    weak=st.lists(st.sampled_from(THEMES), min_size=1, max_size=3, unique=True),
)
def test_weak_themes_come_up_clearly_more_often(kind, seed, weak):
    counts = Counter()
    state = None
    for day in range(THREE_YEARS):
        prompt, state = choose_daily(
            state, bond_seed=seed, bond_kind=kind, day_index=day, weak_themes=weak
        )
        counts[prompt.theme] += 1
    others = [counts[theme] for theme in THEMES if theme not in weak]
    mean_other = sum(others) / len(others)
    # Weak themes weigh 3 against 1: expect about three times as often, demand twice.
    for theme in weak:
        assert counts[theme] >= 2 * mean_other, (theme, counts)
        assert counts[theme] > max(others), (theme, counts)


def test_depth_rises_gently():
    by_stage = {"first3": Counter(), "week1": Counter(), "weeks1-2": Counter(), "later": Counter()}
    for bond in range(150):
        state = None
        for day in range(60):
            prompt, state = choose_daily(
                state, bond_seed=f"bond-{bond}", bond_kind="partner", day_index=day
            )
            if day < 3:
                by_stage["first3"][prompt.depth] += 1
            if day < 7:
                by_stage["week1"][prompt.depth] += 1
            if day < 14:
                by_stage["weeks1-2"][prompt.depth] += 1
            if day >= 28:
                by_stage["later"][prompt.depth] += 1
    assert set(by_stage["first3"]) == {"light"}
    assert by_stage["week1"]["deep"] == 0 and by_stage["week1"]["medium"] > 0
    early = by_stage["weeks1-2"]
    assert early["light"] > early["medium"] > early["deep"] > 0
    later = by_stage["later"]
    assert all(later[depth] > 0.2 * later.total() for depth in DEPTHS)


def test_depth_weights_never_allow_deep_in_the_first_week():
    for day in range(FIRST_DEEP_DAY):
        assert "deep" not in choosing.depth_weights(day)
    assert "deep" in choosing.depth_weights(FIRST_DEEP_DAY)
    assert set(choosing.depth_weights(0)) == {"light"}
    assert "medium" in choosing.depth_weights(3)


def test_prompts_added_later_join_the_current_cycle(monkeypatch):
    real_pool = library.pool
    hidden = {p.id for p in library.pool(bond="friend") if p.number % 2 == 0}

    def growing_pool(theme, depth, kind):
        return tuple(p for p in real_pool(theme, depth, kind) if p.id not in hidden)

    monkeypatch.setattr(choosing, "_pool", growing_pool)
    watch = PoolWatch("friend", pool=growing_pool)
    state = None
    met_new = set()
    for day in range(700):
        if day == 150:
            added = set(hidden)
            hidden.clear()
        prompt, state = choose_daily(state, bond_seed="growth", bond_kind="friend", day_index=day)
        state = stored(state)
        watch.record(prompt)
        if day >= 150 and prompt.id in added:
            met_new.add(prompt.id)
    assert met_new, "prompts added to the library were never offered"


def test_a_retired_prompt_is_never_offered_again(monkeypatch):
    real_pool = library.pool
    retired: set[str] = set()

    def shrinking_pool(theme, depth, kind):
        return tuple(p for p in real_pool(theme, depth, kind) if p.id not in retired)

    monkeypatch.setattr(choosing, "_pool", shrinking_pool)
    state = None
    offered = []
    for day in range(400):
        prompt, state = choose_daily(state, bond_seed="retire", bond_kind="sibling", day_index=day)
        offered.append(prompt.id)
        if day == 100:
            retired.update(offered[:50])
    assert not retired & set(offered[101:])


def test_another_prompt_leaves_the_daily_prompt_alone():
    options = {"bond_seed": "tea", "bond_kind": "parent_child", "weak_themes": ["memories"]}
    daily, state = choose_daily(None, day_index=40, **options)
    alternatives = []
    for _ in range(5):
        alternative, state = another(state, day_index=40, **options)
        alternatives.append(alternative)
    assert daily not in alternatives
    assert len({prompt.id for prompt in alternatives}) == 5
    assert all("parent_child" in prompt.bonds for prompt in alternatives)
    assert alternatives[0].theme != daily.theme
    for_the_other_member, _state = choose_daily(state, day_index=40, **options)
    assert for_the_other_member == daily
    tomorrow, _state = choose_daily(state, day_index=41, **options)
    assert tomorrow not in alternatives and tomorrow != daily


def test_weekly_conversation():
    options = {"bond_seed": 7, "bond_kind": "sibling", "weak_themes": ["repair"]}
    first_week, state = choose_weekly(None, day_index=2, **options)
    assert len(first_week) == 3
    assert all(prompt.depth != "deep" for prompt in first_week)
    later, state = choose_weekly(state, day_index=60, **options)
    assert len({prompt.theme for prompt in later}) == 3
    assert {prompt.theme for prompt in later} <= set(choosing.WEEKLY_THEMES)
    ranks = [DEPTHS.index(prompt.depth) for prompt in later]
    assert ranks == sorted(ranks)
    same_week, same_state = choose_weekly(state, day_index=62, **options)
    assert same_week == later and same_state == state
    next_week, _state = choose_weekly(state, day_index=63, **options)
    assert not set(next_week) & set(later)
    five, _state = choose_weekly(state, day_index=70, count=5, **options)
    assert len({prompt.theme for prompt in five}) == 5


def test_weekly_themes_lean_toward_weak_ones():
    counts = Counter()
    state = None
    for week in range(200):
        prompts, state = choose_weekly(
            state, bond_seed="w", bond_kind="friend", day_index=week * 7, weak_themes=["dreams"]
        )
        counts.update(prompt.theme for prompt in prompts)
    others = [counts[p] for p in choosing.WEEKLY_THEMES if p != "dreams"]
    assert counts["dreams"] > 1.5 * (sum(others) / len(others))


def test_exclusions_and_limits_are_respected():
    options = {"bond_seed": "limits", "bond_kind": "partner"}
    state = None
    for day in range(30, 200):
        prompt, state = choose_daily(
            state, day_index=day, avoid_themes=["repair"], max_depth="medium", **options
        )
        assert prompt.theme != "repair" and prompt.depth != "deep"
    light_partner = library.pool("curiosity", "light", "partner")
    keep = light_partner[0]
    exclude = {p.id for p in library.pool(bond="partner")} - {keep.id}
    chosen, _state = choose_daily(None, day_index=0, exclude_ids=exclude, **options)
    assert chosen == keep


def test_choosing_does_not_modify_the_state_it_is_given():
    _prompt, state = choose_daily(None, bond_seed="x", bond_kind="just_me", day_index=10)
    snapshot = copy.deepcopy(state)
    choose_daily(state, bond_seed="x", bond_kind="just_me", day_index=11)
    choose_weekly(state, bond_seed="x", bond_kind="just_me", day_index=11)
    another(state, bond_seed="x", bond_kind="just_me", day_index=11)
    assert state == snapshot


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="bond kind"):
        choose_daily(None, bond_seed="x", bond_kind="cousin", day_index=0)
    with pytest.raises(ValueError, match="day_index"):
        choose_daily(None, bond_seed="x", bond_kind="friend", day_index=-1)
    with pytest.raises(ValueError, match="unknown themes"):
        choose_daily(
            None, bond_seed="x", bond_kind="friend", day_index=0, weak_themes=["gardening"]
        )
    with pytest.raises(ValueError, match="count"):
        choose_weekly(None, bond_seed="x", bond_kind="friend", day_index=0, count=0)
    with pytest.raises(ValueError, match="version"):
        choose_daily({"v": 99}, bond_seed="x", bond_kind="friend", day_index=0)
