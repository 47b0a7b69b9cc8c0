"""Themed decks: their data, how a running deck mixes into the shared choices (the same for both
members), and the page where a bond chooses one, stops it, or opts in to the one that needs
both members' yes."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from tending.bonds.models import Bond, Kind, Membership
from tending.notify.models import Notification
from tending.prompts import choosing, library, state
from tending.prompts.choosing import DeckRun, choose_daily, choose_weekly
from tending.prompts.library import BONDS, DEPTHS
from tending.prompts.models import DeckOptIn, PromptState
from tending.prompts.models import DeckRun as DeckRunRow
from tending.safety.models import SafetyScreen
from tests.test_content_data import SEXUAL

START = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)
REQUIRED = {"screens", "affection", "trust", "loneliness", "money", "family", "changes"}
FIRST_PERSON = re.compile(r"\b(i|me|my|mine|we|us|our|ours|i'm|i'd|i've|i'll|let's)\b", re.I)
ROMANCE = re.compile(r"\b(date|dates|dating|romantic|romance|kiss|we met|got together|fell for)\b")


# The data


def test_the_decks_the_issue_asks_for_exist():
    decks = {deck.id: deck for deck in library.decks()}
    assert set(decks) == REQUIRED | {"intimacy"}
    for deck_id in REQUIRED:
        assert not decks[deck_id].needs_both
        assert set(decks[deck_id].bonds) >= {"partner", "friend", "sibling", "parent_child"}
    assert decks["intimacy"].bonds == ("partner",)
    assert decks["intimacy"].needs_both


def test_every_deck_holds_enough_prompts_for_every_bond_and_depth():
    for deck in library.decks():
        assert len(deck.active) >= 40, deck.id
        for depth in DEPTHS:
            for bond in deck.bonds:
                assert len(library.deck_pool(deck.id, depth, bond)) >= 8, (deck.id, depth, bond)
        for prompt in deck.active:
            assert set(prompt.bonds) <= set(deck.bonds), prompt.id
            assert prompt.deck == deck.id == prompt.theme
            assert library.by_id(prompt.id) is prompt
            assert prompt.deck_title == deck.title


def test_deck_ids_and_prefixes_are_their_own():
    prefixes = [deck.prefix for deck in library.decks()]
    assert len(set(prefixes)) == len(prefixes)
    assert not set(prefixes) & set(library.PREFIXES.values())
    ids = [p.id for deck in library.decks() for p in deck.prompts]
    assert len(ids) == len(set(ids))


def test_deck_wording_fits_the_bonds_listed():
    for deck in library.decks():
        for prompt in deck.active:
            text = prompt.text.lower()
            assert "the other person" not in text, prompt.id
            if "just_me" in prompt.bonds or "about_self" in prompt.tags:
                assert not FIRST_PERSON.search(prompt.text), prompt.id
                assert "your partner" not in text, prompt.id
            if set(prompt.bonds) - {"partner"}:
                assert not ROMANCE.search(text), prompt.id
            if {"sibling", "parent_child"} & set(prompt.bonds):
                assert "our friendship" not in text, prompt.id


def test_the_intimacy_deck_is_tasteful():
    for prompt in library.deck("intimacy").active:
        assert not SEXUAL.search(prompt.text.lower()), prompt.id


def test_stats_report_decks_and_the_sequence():
    out = StringIO()
    call_command("prompts", "--stats", "--json", stdout=out)
    printed = json.loads(out.getvalue())
    assert set(printed["decks"]) == REQUIRED | {"intimacy"}
    assert printed["decks"]["intimacy"]["opt_in"] == "both"
    assert all(deck["total"] >= 40 and deck["min_cell"] >= 8 for deck in printed["decks"].values())
    assert printed["sequences"]["evening"]["total"] == 36
    assert printed["openers"]["max_share"] <= 0.15
    table = StringIO()
    call_command("prompts", "--stats", stdout=table)
    assert re.search(r"^intimacy\s+\d+\s+\d+\s+both\s+partner$", table.getvalue(), re.M)
    assert "Sequence evening: 36 questions" in table.getvalue()


def test_validation_explains_deck_problems(tmp_path, monkeypatch):
    (tmp_path / "decks").mkdir()
    deck = {
        "id": "tea",
        "title": "Tea",
        "description": "Cups of tea.",
        "bonds": ["friend", "just_me"],
        "opt_in": "both",
        "prefix": "con",
        "prompts": [
            {"id": "tea-001", "depth": "light", "bonds": ["partner"], "text": "Do you like tea?"}
        ],
    }
    (tmp_path / "decks" / "tea.json").write_text(json.dumps(deck), encoding="utf-8")
    errors = "\n".join(library.validate_files(tmp_path))
    assert "decks/tea.json: a deck both must opt in to cannot list just_me" in errors
    assert "prefix 'con' belongs to a theme or the sequence" in errors
    deck.update(opt_in="one", prefix="tea")
    (tmp_path / "decks" / "tea.json").write_text(json.dumps(deck), encoding="utf-8")
    errors = "\n".join(library.validate_files(tmp_path))
    assert "tea-001: bond kind 'partner' is not among this file's" in errors
    assert "tea-001: opens with 'do'" in errors
    deck["prompts"] = [
        {"id": f"tea-{n:03d}", "depth": "light", "bonds": ["friend"], "text": f"Which tea {n}?"}
        for n in range(1, 41)
    ]
    (tmp_path / "decks" / "tea.json").write_text(json.dumps(deck), encoding="utf-8")
    errors = "\n".join(library.validate_files(tmp_path))
    assert "medium/friend: 0 prompts, fewer than 8" in errors
    assert "light/just_me: 0 prompts, fewer than 8" in errors


# Mixing into the shared choices

SCREENS = DeckRun("screens", first_day=30, last_day=50)


def test_every_other_day_of_a_run_comes_from_the_deck():
    state = None
    for day in range(20, 70):
        prompt, state = choose_daily(
            state, bond_seed="deck", bond_kind="sibling", day_index=day, deck=SCREENS
        )
        from_deck = prompt.deck == "screens"
        assert from_deck == (30 <= day <= 50 and day % 2 == 0), (day, prompt.id)
        assert "sibling" in prompt.bonds


def test_a_deck_the_bond_kind_has_no_prompts_in_leaves_the_choice_as_it_was():
    run = DeckRun("intimacy", first_day=0, last_day=100)
    with_deck = without = None
    for day in range(40):
        a, with_deck = choose_daily(
            with_deck, bond_seed=5, bond_kind="friend", day_index=day, deck=run
        )
        b, without = choose_daily(without, bond_seed=5, bond_kind="friend", day_index=day)
        assert a == b


def test_no_deep_deck_prompt_in_a_bond_s_first_week():
    run = DeckRun("trust", first_day=0, last_day=13)
    state = None
    for day in range(7):
        prompt, state = choose_daily(
            state, bond_seed=1, bond_kind="partner", day_index=day, deck=run
        )
        assert prompt.depth != "deep"


def test_a_deck_prompt_comes_back_only_once_its_pool_is_used_up():
    run = DeckRun("money", first_day=0, last_day=400)
    state = None
    seen: dict[str, set[str]] = {}
    for day in range(0, 200, 2):
        prompt, state = choose_daily(
            state, bond_seed="m", bond_kind="just_me", day_index=day, deck=run
        )
        assert prompt.deck == "money"
        met = seen.setdefault(prompt.depth, set())
        if prompt.id in met:
            pool = {p.id for p in library.deck_pool("money", prompt.depth, "just_me")}
            assert pool <= met, f"{prompt.id} came back before its pool was used up"
            met.clear()
        met.add(prompt.id)


@settings(max_examples=25, deadline=None)
@given(
    kind=st.sampled_from(BONDS),
    seed=st.integers(min_value=0),
    first=st.integers(min_value=0, max_value=60),
    day=st.integers(min_value=0, max_value=90),
    deck=st.sampled_from(sorted(REQUIRED)),
)
def test_both_members_get_the_same_prompts_while_a_deck_runs(kind, seed, first, day, deck):
    run = DeckRun(deck, first_day=first, last_day=first + 20)
    state = None
    for past in range(max(0, day - 5), day):
        _prompt, state = choose_daily(
            state, bond_seed=seed, bond_kind=kind, day_index=past, deck=run
        )
    options = {"bond_seed": seed, "bond_kind": kind, "day_index": day, "deck": run}
    alice, after_alice = choose_daily(state, **options)
    bob, after_bob = choose_daily(json.loads(json.dumps(state)) if state else None, **options)
    bob_later, after_later = choose_daily(after_alice, **options)
    assert alice == bob == bob_later and after_alice == after_bob == after_later
    week_alice, _ = choose_weekly(after_alice, **options)
    week_bob, _ = choose_weekly(after_bob, **options)
    assert week_alice == week_bob


def test_one_weekly_prompt_comes_from_the_deck_in_every_week_the_run_touches():
    run = DeckRun("family", first_day=10, last_day=30)
    state = None
    for week in range(6):
        prompts, state = choose_weekly(
            state, bond_seed="w", bond_kind="parent_child", day_index=7 * week + 3, deck=run
        )
        from_deck = [p for p in prompts if p.deck]
        assert len(prompts) == 3
        assert len(from_deck) == (1 if 1 <= week <= 4 else 0), week
        assert [DEPTHS.index(p.depth) for p in prompts] == sorted(
            DEPTHS.index(p.depth) for p in prompts
        )


def test_the_week_is_chosen_again_only_when_its_deck_changes():
    options = {"bond_seed": 3, "bond_kind": "partner"}
    # Days 35 to 41 are the bond's sixth week.
    plain, state = choose_weekly(None, day_index=36, **options)
    again, same = choose_weekly(state, day_index=37, **options)
    assert again == plain and same == state
    run = DeckRun("screens", first_day=38, last_day=60)
    with_deck, state = choose_weekly(state, day_index=38, deck=run, **options)
    assert any(p.deck == "screens" for p in with_deck)
    assert state["week"][2] == "screens"
    kept, kept_state = choose_weekly(state, day_index=40, deck=run, **options)
    assert kept == with_deck and kept_state == state
    stopped, state = choose_weekly(state, day_index=41, **options)
    assert not any(p.deck for p in stopped)
    assert len(state["week"]) == 2


def test_deck_prompts_are_heavy_for_someone_who_may_not_be_safe():
    assert all(state.is_heavy(p) for p in library.deck("intimacy").active)
    light = library.deck_pool("trust", "light", "partner")[0]
    assert not state.is_heavy(light)


# The page


@pytest.fixture(autouse=True)
def _at_start():  # type: ignore[no-untyped-def]
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def _url(bond: Bond, name: str = "prompts:decks") -> str:
    return reverse(name, args=[bond.pk])


def _begin(bond: Bond, days_ago: int = 40) -> Bond:
    Bond.objects.filter(pk=bond.pk).update(created_at=START - timedelta(days=days_ago))
    bond.refresh_from_db()
    return bond


def test_choosing_a_deck_for_a_few_weeks(bond, alice, bob, as_alice, as_bob):
    _begin(bond)
    page = as_alice.get(_url(bond))
    assert page.status_code == 200
    offered = {deck.id for deck in page.context["decks"]}
    assert offered == REQUIRED
    response = as_alice.post(_url(bond, "prompts:deck_choose"), {"deck": "trust", "weeks": 2})
    assert response.status_code == 302
    run = DeckRunRow.objects.get(bond=bond)
    today = state.prompt_state(bond).day_index()
    assert (run.deck, run.first_day, run.last_day, run.chosen_by) == (
        "trust",
        today,
        today + 13,
        alice,
    )
    # Both see it, and today's question comes from it.
    for client in (as_alice, as_bob):
        text = client.get(_url(bond)).content.decode()
        assert "Your deck now" in text and "Trust" in text and "13 more days" not in text
        assert "14 more days" in text
    daily = as_bob.get(reverse("prompts:daily", args=[bond.pk]))
    assert daily.context["prompt"].deck == "trust"
    assert "From your deck: Trust." in daily.content.decode()
    assert (
        as_alice.get(reverse("prompts:daily", args=[bond.pk])).context["prompt"]
        == daily.context["prompt"]
    )
    told = Notification.objects.get(user=bob, topic="conversation")
    assert told.title == "Alice chose a themed deck for the next two weeks."
    assert "Trust" not in told.title


def test_a_deck_starts_tomorrow_once_today_s_question_is_chosen(bond, as_alice, as_bob):
    _begin(bond)
    today = as_alice.get(reverse("prompts:daily", args=[bond.pk])).context["prompt"]
    as_bob.post(_url(bond, "prompts:deck_choose"), {"deck": "affection", "weeks": 2})
    run = DeckRunRow.objects.get(bond=bond)
    day = state.prompt_state(bond).day_index()
    assert (run.first_day, run.last_day) == (day + 1, day + 14)
    assert as_bob.get(reverse("prompts:daily", args=[bond.pk])).context["prompt"] == today
    page = as_alice.get(_url(bond)).content.decode()
    assert "From tomorrow until" in page and "Affection and touch" in page


def test_a_deck_chosen_mid_week_joins_this_week_s_conversation(bond, as_alice, as_bob):
    _begin(bond)
    before = [
        p.id
        for p in as_alice.get(reverse("prompts:conversation", args=[bond.pk])).context["prompts"]
    ]
    as_bob.post(_url(bond, "prompts:deck_choose"), {"deck": "money", "weeks": 3})
    after = as_alice.get(reverse("prompts:conversation", args=[bond.pk]))
    decks = [p.deck for p in after.context["prompts"]]
    assert decks.count("money") == 1 and len(decks) == 3
    assert "From your deck: Money." in after.content.decode()
    assert [
        p.id for p in as_bob.get(reverse("prompts:conversation", args=[bond.pk])).context["prompts"]
    ] == [p.id for p in after.context["prompts"]]
    assert after.context["prompts"] != before


def test_choosing_another_deck_replaces_it_and_stopping_puts_it_away(bond, as_alice, as_bob):
    _begin(bond)
    as_alice.post(_url(bond, "prompts:deck_choose"), {"deck": "trust", "weeks": 3})
    as_bob.post(_url(bond, "prompts:deck_choose"), {"deck": "screens", "weeks": 4})
    open_runs = DeckRunRow.objects.filter(bond=bond, ended_at__isnull=True)
    assert [run.deck for run in open_runs] == ["screens"]
    assert DeckRunRow.objects.filter(bond=bond).count() == 2
    as_alice.post(_url(bond, "prompts:deck_stop"))
    assert not DeckRunRow.objects.filter(bond=bond, ended_at__isnull=True).exists()
    assert "No deck at the moment" in as_bob.get(_url(bond)).content.decode()


def test_a_finished_run_stops_mixing_in(bond, as_alice, _at_start):
    traveller = _at_start
    _begin(bond)
    as_alice.post(_url(bond, "prompts:deck_choose"), {"deck": "loneliness", "weeks": 2})
    traveller.shift(timedelta(days=14))
    page = as_alice.get(_url(bond))
    assert page.context["current"] is None
    for _ in range(4):
        assert not as_alice.get(reverse("prompts:daily", args=[bond.pk])).context["prompt"].deck
        traveller.shift(timedelta(days=1))


def test_bad_choices_are_refused(bond, as_alice):
    assert (
        as_alice.post(
            _url(bond, "prompts:deck_choose"), {"deck": "gardening", "weeks": 3}
        ).status_code
        == 400
    )
    assert (
        as_alice.post(_url(bond, "prompts:deck_choose"), {"deck": "trust", "weeks": 9}).status_code
        == 400
    )
    # The deck both must opt in to cannot simply be chosen.
    assert (
        as_alice.post(
            _url(bond, "prompts:deck_choose"), {"deck": "intimacy", "weeks": 3}
        ).status_code
        == 400
    )
    assert not DeckRunRow.objects.exists()


def test_the_intimacy_deck_opens_only_when_both_opt_in(bond, alice, bob, as_alice, as_bob):
    _begin(bond)
    opt_in = _url(bond, "prompts:deck_opt_in")
    as_alice.post(opt_in, {"deck": "intimacy", "weeks": 4})
    assert not DeckRunRow.objects.exists()
    assert DeckOptIn.objects.filter(user=alice).exists()
    # Bob learns nothing of alice's yes: no notice, no trace on his page.
    bob_page = as_bob.get(_url(bond))
    assert [item["opted_in"] for item in bob_page.context["both_decks"]] == [False]
    assert "You've opted in" not in bob_page.content.decode()
    assert not Notification.objects.filter(user=bob).exists()
    assert "You've opted in" in as_alice.get(_url(bond)).content.decode()
    # Bob's yes opens it, for the shorter of the two wishes, and both yeses are used up.
    as_bob.post(opt_in, {"deck": "intimacy", "weeks": 2})
    run = DeckRunRow.objects.get(bond=bond, ended_at__isnull=True)
    assert run.deck == "intimacy" and run.weeks == 2
    assert not DeckOptIn.objects.exists()
    told = Notification.objects.get(user=alice, topic="conversation")
    assert "Intimacy" not in told.title and "desire" not in told.title
    # Either can take it back, and the deck is put away.
    as_alice.post(_url(bond, "prompts:deck_opt_out"), {"deck": "intimacy"})
    assert not DeckRunRow.objects.filter(bond=bond, ended_at__isnull=True).exists()


def test_a_yes_can_be_taken_back_before_it_is_matched(bond, alice, as_alice, as_bob):
    as_alice.post(_url(bond, "prompts:deck_opt_in"), {"deck": "intimacy", "weeks": 3})
    as_alice.post(_url(bond, "prompts:deck_opt_out"), {"deck": "intimacy"})
    assert not DeckOptIn.objects.exists()
    as_bob.post(_url(bond, "prompts:deck_opt_in"), {"deck": "intimacy", "weeks": 3})
    assert not DeckRunRow.objects.exists()


def test_only_partners_see_the_intimacy_deck(alice, bob):
    friends = Bond.objects.create(kind=Kind.FRIEND, created_by=alice)
    Membership.objects.create(bond=friends, user=alice)
    Membership.objects.create(bond=friends, user=bob)
    client = Client()
    client.force_login(alice)
    page = client.get(_url(friends))
    assert page.context["both_decks"] == []
    assert (
        client.post(
            _url(friends, "prompts:deck_opt_in"), {"deck": "intimacy", "weeks": 3}
        ).status_code
        == 404
    )


def test_after_a_positive_safety_screen_the_intimacy_deck_is_not_offered(bond, alice, as_alice):
    SafetyScreen.objects.create(user=alice, positive=True)
    assert as_alice.get(_url(bond)).context["both_decks"] == []
    response = as_alice.post(_url(bond, "prompts:deck_opt_in"), {"deck": "intimacy", "weeks": 3})
    assert response.status_code == 404
    assert not DeckOptIn.objects.exists()


def test_a_just_me_bond_chooses_decks_for_its_journal(charlie, charlie_bond):
    client = Client()
    client.force_login(charlie)
    page = client.get(_url(charlie_bond))
    assert {deck.id for deck in page.context["decks"]} == REQUIRED
    assert page.context["both_decks"] == []
    client.post(_url(charlie_bond, "prompts:deck_choose"), {"deck": "loneliness", "weeks": 3})
    prompt = client.get(reverse("prompts:daily", args=[charlie_bond.pk])).context["prompt"]
    assert prompt.deck == "loneliness" and "just_me" in prompt.bonds
    assert not Notification.objects.exists()


def test_an_ended_bond_shows_its_deck_but_offers_nothing(bond, alice, as_alice):
    as_alice.post(_url(bond, "prompts:deck_choose"), {"deck": "changes", "weeks": 3})
    Bond.objects.filter(pk=bond.pk).update(ended_at=START)
    page = as_alice.get(_url(bond)).content.decode()
    assert (
        "Big life changes" in page
        and "Choose a deck" not in page
        and "Put the deck away" not in page
    )
    assert as_alice.post(_url(bond, "prompts:deck_stop")).status_code == 404


def test_the_state_row_keeps_its_layout_without_a_deck(bond, as_alice):
    as_alice.get(reverse("prompts:conversation", args=[bond.pk]))
    week = PromptState.objects.get(bond=bond).state["week"]
    assert len(week) == 2
    assert choosing.DECK_EVERY == 2 and choosing.DECK_WEEKLY == 1
