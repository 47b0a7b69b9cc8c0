"""Wording rules that keep prompts right for every bond and varied within each pool (issue 19):
a parent and child can ask each other anything in both directions, siblings are not assumed
to share a childhood, and no opener crowds a pool."""

import re
from collections import Counter
from pathlib import Path

import pytest

from tending.prompts import library
from tending.prompts.library import BONDS, DEPTHS, THEMES, Prompt

ROOT = Path(__file__).resolve().parent.parent
MAX_OPENER_SHARE = 0.15
# Childhood wording, as data/README.md lists it: words that turn a question toward the
# answerer's childhood or upbringing.
CHILDHOOD_WORDS = (
    "child", "childhood", "children", "kid", "kids", "young", "younger", "youth",
    "teen", "teens", "teenage", "teenager", "teenagers", "school", "schooldays",
    "raised", "upbringing", "brought up", "grew up", "growing up", "your parents",
    "the adults", "when you were",
)  # fmt: skip
CHILDHOOD = re.compile(r"\b(" + "|".join(CHILDHOOD_WORDS) + r")\b")
SHARED_CHILDHOOD = re.compile(
    r"\b(our childhood|as kids|as children|as teenagers|growing up together|grew up together|"
    r"our parents|when we were (kids|little|small|young|children|teenagers))\b"
)


def opener(text: str) -> str:
    """The first two words, case-folded, without the punctuation around them."""
    return " ".join(word.strip(",:;.?!") for word in text.casefold().split()[:2])


def every_pool() -> dict[str, tuple[Prompt, ...]]:
    pools = {
        f"{theme}/{depth}/{bond}": library.pool(theme, depth, bond)
        for theme in THEMES
        for depth in DEPTHS
        for bond in BONDS
    }
    for deck in library.decks():
        for depth in DEPTHS:
            for bond in deck.bonds:
                pools[f"deck {deck.id}/{depth}/{bond}"] = library.deck_pool(deck.id, depth, bond)
    for sequence in library.sequences():
        for number, part in enumerate(sequence.rounds, 1):
            for bond in sequence.bonds:
                pools[f"{sequence.id}/round {number}/{bond}"] = part.for_bond(bond)
    return pools


def test_childhood_wording_reaches_a_parent_and_child_only_when_safe_both_ways():
    for prompt in library.every_prompt():
        if "parent_child" in prompt.bonds and CHILDHOOD.search(prompt.text.lower()):
            assert "both_directions" in prompt.tags, (prompt.id, prompt.text)


def test_both_directions_marks_only_what_needs_it():
    for prompt in library.every_prompt():
        if "both_directions" in prompt.tags:
            assert "parent_child" in prompt.bonds, prompt.id
            assert CHILDHOOD.search(prompt.text.lower()), prompt.id


def test_the_word_list_is_the_documented_one():
    assert library.CHILDHOOD_WORDS == CHILDHOOD_WORDS
    readme = (library.DATA_DIR / "README.md").read_text(encoding="utf-8")
    for word in library.CHILDHOOD_WORDS:
        assert f"`{word}`" in readme, word


@pytest.mark.parametrize(
    "text",
    [
        "What's a moment from your childhood when you needed someone and they weren't there?",
        "What did you need as a child that you still find yourself needing?",
        "What did money feel like in your house growing up?",
        "What's a ritual from your childhood you'd like us to share?",
        "What did you learn about love from watching the adults around you?",
        "What was your home like when you were ten?",
    ],
)
def test_the_word_list_catches_the_prompts_the_issue_names(text):
    assert CHILDHOOD.search(text.lower())
    assert library.CHILDHOOD.search(text.lower())


@pytest.mark.parametrize("prompt_id", ["mem-034", "mem-055", "inn-056", "rit-030", "mem-060"])
def test_prompts_about_one_s_upbringing_left_the_parent_and_child_pools(prompt_id):
    prompt = library.by_id(prompt_id)
    assert "parent_child" not in prompt.bonds
    assert {"partner", "friend", "sibling"} & set(prompt.bonds)


def test_a_parent_and_child_still_have_upbringing_free_prompts_of_every_kind():
    for theme in THEMES:
        for depth in DEPTHS:
            cell = library.pool(theme, depth, "parent_child")
            assert len(cell) >= library.MIN_PER_CELL, (theme, depth)


def test_sibling_prompts_do_not_assume_a_shared_childhood():
    for prompt in library.every_prompt():
        if "sibling" in prompt.bonds:
            assert not SHARED_CHILDHOOD.search(prompt.text.lower()), (prompt.id, prompt.text)


def test_nothing_says_brother_or_sister():
    for path in [*ROOT.glob("tending/*/data/*.json"), ROOT / "tending/bonds/models.py"]:
        assert "brother or sister" not in path.read_text(encoding="utf-8"), path


def test_no_opener_is_used_by_more_than_15_percent_of_a_pool():
    pools = every_pool()
    assert len(pools) > 120
    crowded = []
    for name, prompts in pools.items():
        top, count = Counter(opener(p.text) for p in prompts).most_common(1)[0]
        if count / len(prompts) > MAX_OPENER_SHARE:
            crowded.append(f"{name}: {count} of {len(prompts)} open with {top!r}")
    assert not crowded, "\n".join(crowded)


def test_what_no_longer_opens_most_prompts():
    prompts = library.every_prompt()
    whats = sum(p.text.split()[0].casefold() in {"what", "what's"} for p in prompts)
    assert whats / len(prompts) < 0.5


def test_the_opener_helper_matches_the_library():
    for text in ("What's a smell?", "Looking back, when did we?", "If you could, which?"):
        assert library.opener(text) == opener(text)
    stats = library.stats()["openers"]
    assert stats["max_share"] <= MAX_OPENER_SHARE and stats["pools_over_limit"] == 0


def test_journal_prompts_no_longer_open_with_the_person_you_re_thinking_of():
    for prompt in library.pool(bond="just_me"):
        assert not prompt.text.startswith("Think of the person you're thinking of"), prompt.id


def test_merged_moved_and_retired_prompts():
    for kept, gone in (("cur-040", "con-039"), ("dre-010", "rit-008")):
        assert not library.by_id(kept).retired
        assert library.by_id(gone).retired
    # Handing off a task is logistics: it left the weekly conversation for curiosity.
    assert library.by_id("con-010").retired
    assert not any("hand to someone else" in p.text for p in library.pool(theme="conversation"))
    assert any("hand to someone else" in p.text for p in library.pool(theme="curiosity"))
    # It presupposed a fear of losing the relationship.
    assert library.by_id("mem-068").retired
    assert "remember better" not in library.by_id("mem-036").text


def test_there_are_many_more_novelty_prompts():
    novelty = [p for p in library.all_prompts() if "novelty" in p.tags]
    assert len(novelty) >= 27
    assert all({"partner", "friend", "sibling", "parent_child"} & set(p.bonds) for p in novelty)
    assert all("just_me" not in p.bonds for p in novelty)


def test_validation_explains_the_direction_rules():
    good = {
        "id": "mem-900",
        "text": "Which smell takes you back to childhood?",
        "theme": "memories",
        "depth": "light",
        "bonds": ["friend", "parent_child"],
        "tags": ["both_directions"],
    }
    entries = [
        ("a.json", good),
        ("b.json", dict(good, id="mem-901", text="Who comforted you as a child?", tags=[])),
        ("c.json", dict(good, id="mem-902", text="Which song lifts you?")),
        ("d.json", dict(good, id="mem-903", text="What did we eat as kids?", bonds=["sibling"])),
        (
            "e.json",
            dict(good, id="mem-904", text="What did our parents cook?", bonds=["sibling"], tags=[]),
        ),
    ]
    errors = "\n".join(library.validate(entries))
    assert "a.json" not in errors
    assert "b.json mem-901: says 'child' to parent_child" in errors
    assert "c.json mem-902: both_directions belongs only on" in errors
    assert "d.json mem-903: a sibling prompt says 'as kids'" in errors
    assert "e.json mem-904: a sibling prompt says 'our parents'" in errors
    retired = dict(good, id="mem-905", text="What did we eat as kids?", bonds=["sibling"])
    assert library.validate([("f.json", dict(retired, tags=[], retired=True))]) == []
