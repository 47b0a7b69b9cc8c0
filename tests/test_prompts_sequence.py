"""The evening sequence: three rounds from light to deep, written for Tending, and the page a
bond goes through together; and the four principles where they help."""

from __future__ import annotations

import re

from django.test import Client
from django.urls import reverse

from tending.prompts import library
from tending.safety.models import SafetyScreen

PAIRS = ("partner", "friend", "sibling", "parent_child")
# Tell-tale topics of the best-known published set of escalating questions: none may appear,
# so nothing reads as a copy or a close paraphrase of it.
PUBLISHED_TOPICS = re.compile(
    r"\b(dinner guest|famous|telephone|phone call|rehearse|perfect day|sing|sang|ninety|90|"
    r"crystal ball|hunch|life story|four minutes|accomplishment|treasured memory|"
    r"terrible memory|house|fire|mother|die|dying|death|embarrassing|cry|cried|too serious|"
    r"joked|in common|statements|close friend|someone with whom|how you will)\b"
)


def test_three_rounds_from_light_to_deep():
    sequence = library.sequence("evening")
    assert [part.depth for part in sequence.rounds] == ["light", "medium", "deep"]
    assert sequence.bonds == PAIRS
    for part in sequence.rounds:
        assert part.title and part.intro
        for bond in PAIRS:
            assert len(part.for_bond(bond)) >= 10
    ids = [q.id for q in sequence.questions]
    assert len(ids) == len(set(ids)) == 36
    assert all(re.fullmatch(r"seq-\d{3}", question_id) for question_id in ids)
    assert 3 <= len(sequence.guide) <= 6


def test_the_questions_are_our_own():
    for question in library.sequence("evening").questions:
        assert not PUBLISHED_TOPICS.search(question.text.lower()), question.id
        assert len(question.text) <= library.MAX_LENGTH
        assert "the other person" not in question.text.lower()


def test_the_guide_says_how_to_go_through_it():
    guide = " ".join(library.sequence("evening").guide).lower()
    for idea in ("hour", "phones", "turns", "skip", "stop", "listen"):
        assert idea in guide, idea


def _evening(bond, query: str = "") -> str:
    return reverse("prompts:evening", args=[bond.pk]) + query


def test_a_bond_goes_through_it_round_by_round(bond, as_alice, as_bob):
    first = as_alice.get(_evening(bond))
    assert first.status_code == 200
    assert first.context["number"] == 1 and len(first.context["questions"]) == 12
    page = first.content.decode()
    assert "How it works" in page and "On to round 2" in page
    assert "Which sound do you love hearing" in page
    last = as_bob.get(_evening(bond, "?round=3"))
    assert [q.depth for q in last.context["questions"]] == ["deep"] * 12
    assert "That's the last round" in last.content.decode()
    assert as_alice.get(_evening(bond, "?round=9")).context["number"] == 3
    assert as_alice.get(_evening(bond, "?round=two")).context["number"] == 1


def test_it_is_reachable_from_the_weekly_conversation(bond, as_alice):
    page = as_alice.get(reverse("prompts:conversation", args=[bond.pk])).content.decode()
    assert _evening(bond) in page


def test_after_a_positive_safety_screen_only_the_light_round_is_offered(bond, alice, as_alice):
    SafetyScreen.objects.create(user=alice, positive=True)
    response = as_alice.get(_evening(bond, "?round=3"))
    assert response.context["number"] == 1
    assert [q.depth for q in response.context["questions"]] == ["light"] * 12
    page = response.content.decode()
    assert "round 2" not in page.lower() and "where to find support" in page


def test_a_just_me_bond_is_told_it_is_for_two(charlie, charlie_bond):
    client = Client()
    client.force_login(charlie)
    page = client.get(_evening(charlie_bond)).content.decode()
    assert "meant for two people" in page
    assert "Which sound do you love hearing" not in page


# The four principles


def _has_the_four(page: str) -> bool:
    text = " ".join(page.split()).lower()
    return all(word in text for word in ("present", "honest", "compassionate", "curious"))


def test_the_four_principles_where_they_help(bond, as_alice, charlie, charlie_bond):
    assert _has_the_four(Client().get(reverse("landing")).content.decode())
    assert _has_the_four(
        as_alice.get(reverse("prompts:conversation", args=[bond.pk])).content.decode()
    )
    assert _has_the_four(as_alice.get(reverse("repair:start", args=[bond.pk])).content.decode())
    solo = Client()
    solo.force_login(charlie)
    assert _has_the_four(
        solo.get(reverse("prompts:conversation", args=[charlie_bond.pk])).content.decode()
    )
