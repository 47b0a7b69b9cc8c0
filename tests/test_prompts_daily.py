"""The daily question through the web: one shared question a day, answers sealed until both
have answered, guesses, another question, skipping, favourites, the just-me journal, gentle
notifications, and the safety screen's quiet changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from tending.bonds.models import Bond
from tending.bonds.privacy import Visibility
from tending.notify.models import Notification
from tending.prompts import choosing, library, state, views
from tending.prompts.models import AnswerKind, DailyAnswer, DailyChoice, Favourite, PromptState
from tending.prompts.weak import themes_from_scores, weak_themes
from tending.safety.models import SafetyScreen
from tests.conftest import client_for

START = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)
ABOUT_SELF = "cur-001"  # about oneself, fits every bond kind


@pytest.fixture(autouse=True)
def _at_start():  # type: ignore[no-untyped-def]
    # People, bonds and log-ins are all made on START, so sessions stay valid as days pass.
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def _begin(bond: Bond, when: datetime = START) -> Bond:
    Bond.objects.filter(pk=bond.pk).update(created_at=when)
    bond.refresh_from_db()
    return bond


def _url(bond: Bond, name: str = "prompts:daily", *args: object) -> str:
    return reverse(name, args=[bond.pk, *args])


def _prompt(client: Client, bond: Bond) -> library.Prompt:
    response = client.get(_url(bond))
    assert response.status_code == 200
    return response.context["prompt"]


def _fix_today(bond: Bond, prompt_id: str) -> None:
    """Make `prompt_id` the bond's shared question today, as if chosen earlier."""
    row = state.prompt_state(bond)
    day = row.day_index()
    PromptState.objects.filter(pk=row.pk).update(
        state={"v": 1, "pools": {}, "days": [[day, prompt_id]]}
    )


def _answer(client: Client, bond: Bond, text: str, **extra: str) -> None:
    prompt = client.get(_url(bond)).context["prompt"]
    response = client.post(
        _url(bond, "prompts:daily_answer"), {"prompt": prompt.id, "text": text, **extra}
    )
    assert response.status_code == 302, response.content[:500]


def _page(client: Client, bond: Bond) -> str:
    return client.get(_url(bond)).content.decode()


# One question a day, the same for both


def test_both_members_see_the_same_question_every_day_and_it_never_repeats(
    bond, alice, bob
) -> None:
    with time_machine.travel(START, tick=False) as traveller:
        _begin(bond)
        seen = []
        for _day in range(40):
            alice_prompt = _prompt(client_for(alice), bond)
            assert _prompt(client_for(bob), bond) == alice_prompt
            assert "partner" in alice_prompt.bonds
            seen.append(alice_prompt.id)
            traveller.shift(timedelta(days=1))
    assert len(set(seen)) == len(seen)
    # The views choose exactly as the pure chooser would, day by day.
    expected, pure_state = [], None
    for day in range(40):
        prompt, pure_state = choosing.choose_daily(
            pure_state, bond_seed=bond.seed, bond_kind=bond.kind, day_index=day
        )
        expected.append(prompt.id)
    assert seen == expected
    assert all(library.by_id(pid).depth != "deep" for pid in seen[: choosing.FIRST_DEEP_DAY])


def test_the_bond_day_follows_the_creators_zone_for_both(bond, as_alice, as_bob) -> None:
    # 23:30 UTC on 1 March is already 2 March in Berlin, where alice (the creator) lives.
    created = datetime(2027, 3, 1, 23, 30, tzinfo=UTC)
    with time_machine.travel(created, tick=False) as traveller:
        _begin(bond, created)
        first = _prompt(as_bob, bond)
        row = PromptState.objects.get(bond=bond)
        assert (row.zone, row.day_zero) == ("Europe/Berlin", date(2027, 3, 2))
        # 22:30 UTC on 2 March: still the 2nd in Berlin, the afternoon in New York.
        traveller.move_to(datetime(2027, 3, 2, 22, 30, tzinfo=UTC))
        assert _prompt(as_bob, bond) == _prompt(as_alice, bond) == first
        # An hour later Berlin's day turns, and so does bob's question, mid-evening for him.
        traveller.move_to(datetime(2027, 3, 2, 23, 30, tzinfo=UTC))
        second = _prompt(as_bob, bond)
        assert second != first and _prompt(as_alice, bond) == second


def test_a_concurrent_write_loses_no_used_prompt_mark(bond, alice) -> None:
    with time_machine.travel(START, tick=False):
        _begin(bond)
        first_try = True

        def compute(row):  # type: ignore[no-untyped-def]
            nonlocal first_try
            if first_try:
                first_try = False
                state.daily(bond)  # bob's page, between our read and our write
            index = row.day_index()
            return choosing.another(
                row.state or None, bond_seed=bond.seed, bond_kind=bond.kind, day_index=index
            )

        extra = state.update(bond, compute)
        stored = PromptState.objects.get(bond=bond)
        today = state.daily(bond).prompt
    assert stored.version == 2
    assert [d for d, _ in stored.state["days"]] == [0]
    used = {
        key: int(mask, 16) for key, (_cycle, mask) in stored.state["pools"].items() if mask != "0"
    }
    for prompt in (today, extra):
        key = choosing.pool_key(prompt.theme, prompt.depth)
        assert used[key] >> prompt.number & 1, f"{prompt.id} lost its used mark"


# Sealed until both have answered


def test_answers_open_only_when_both_have_answered(
    bond, alice, bob, charlie, as_alice, as_bob, as_charlie
) -> None:
    with time_machine.travel(START, tick=False):
        _begin(bond)
        _answer(as_alice, bond, "Alice-answer-5d1")
        answer = DailyAnswer.objects.get(author=alice)
        assert answer.visibility == Visibility.SEALED and answer.seal == "daily:2027-03-01"
        assert "Alice-answer-5d1" in _page(as_alice, bond)
        bob_page = _page(as_bob, bond)
        assert "Alice-answer-5d1" not in bob_page
        assert "Alice has answered" in bob_page
        assert not answer.is_visible_to(bob)
        assert as_charlie.get(_url(bond)).status_code == 404
        assert Client().get(_url(bond)).status_code == 302

        _answer(as_bob, bond, "Bob-answer-9e2")
        assert "Alice-answer-5d1" in _page(as_bob, bond)
        assert "Bob-answer-9e2" in _page(as_alice, bond)
        assert as_charlie.get(_url(bond)).status_code == 404
    assert not DailyAnswer.objects.visible_to(charlie).exists()
    assert not answer.is_visible_to(charlie)


def test_a_second_answer_on_the_same_day_is_refused(bond, alice, as_alice) -> None:
    with time_machine.travel(START, tick=False):
        _begin(bond)
        _answer(as_alice, bond, "first")
        prompt = as_alice.get(_url(bond)).context["prompt"]
        as_alice.post(_url(bond, "prompts:daily_answer"), {"prompt": prompt.id, "text": "again"})
    assert list(DailyAnswer.objects.values_list("text", flat=True)) == ["first"]


def test_an_answer_to_a_question_that_changed_keeps_the_words(bond, as_alice) -> None:
    with time_machine.travel(START, tick=False):
        _begin(bond)
        response = as_alice.post(
            _url(bond, "prompts:daily_answer"), {"prompt": "app-001x", "text": "kept words"}
        )
    assert response.status_code == 200
    assert "kept words" in response.content.decode()
    assert not DailyAnswer.objects.exists()


def test_guess_and_own_answer_are_both_sealed_and_can_be_marked(
    bond, alice, bob, as_alice, as_bob, as_charlie
) -> None:
    with time_machine.travel(START, tick=False):
        _begin(bond)
        _fix_today(bond, ABOUT_SELF)
        assert "what do you think Bob would say" in _page(as_alice, bond)
        _answer(as_alice, bond, "Alice-own-3c4", guess="Alice-guess-about-bob-7a1")
        guess = DailyAnswer.objects.get(author=alice, kind=AnswerKind.GUESS)
        assert guess.seal == "daily:2027-03-01" and guess.visibility == Visibility.SEALED
        bob_page = _page(as_bob, bond)
        assert "Alice-guess-about-bob-7a1" not in bob_page and "Alice-own-3c4" not in bob_page
        # Bob cannot mark a guess he cannot yet see.
        mark = _url(bond, "prompts:guess_mark", guess.pk)
        assert as_bob.post(mark, {"closeness": "close"}).status_code == 404

        _answer(as_bob, bond, "Bob-own-8b0")
        bob_page = _page(as_bob, bond)
        assert "Alice-guess-about-bob-7a1" in bob_page and "Alice-own-3c4" in bob_page
        assert as_charlie.post(mark, {"closeness": "close"}).status_code == 404
        assert as_alice.post(mark, {"closeness": "close"}).status_code == 404
        assert as_bob.post(mark, {"closeness": "partly"}).status_code == 302
        assert "Bob says: partly" in _page(as_alice, bond)
        alice_ctx = as_alice.get(_url(bond)).context
        bob_ctx = as_bob.get(_url(bond)).context
    # One pair of answers opened, one guess marked: two things learned, for each of them.
    assert alice_ctx["tally"] == bob_ctx["tally"] == 2
    assert "Things you've learned about each other: <strong>2</strong>" in _page(as_alice, bond)


def test_a_guess_can_follow_an_answer_until_the_other_answers(bond, alice, as_alice, as_bob):
    with time_machine.travel(START, tick=False):
        _begin(bond)
        _fix_today(bond, ABOUT_SELF)
        _answer(as_alice, bond, "mine")
        assert as_alice.get(_url(bond)).context["guess_form"] is not None
        response = as_alice.post(
            _url(bond, "prompts:daily_guess"), {"prompt": ABOUT_SELF, "guess": "a later guess"}
        )
        assert response.status_code == 302
        assert DailyAnswer.objects.filter(author=alice, kind=AnswerKind.GUESS).count() == 1
        _answer(as_bob, bond, "bob's")
        assert as_alice.get(_url(bond)).context["guess_form"] is None


def test_no_guess_without_an_own_answer_and_none_on_other_questions(bond, alice, as_alice):
    with time_machine.travel(START, tick=False):
        _begin(bond)
        _fix_today(bond, ABOUT_SELF)
        as_alice.post(_url(bond, "prompts:daily_guess"), {"prompt": ABOUT_SELF, "guess": "peek"})
        assert not DailyAnswer.objects.exists()
        _fix_today(bond, "app-001")  # not about oneself
        assert "guess" not in as_alice.get(_url(bond)).context["form"].fields


# Another question, skipping, favourites


def test_another_question_does_not_change_bobs(bond, alice, bob, as_alice, as_bob) -> None:
    with time_machine.travel(START, tick=False):
        _begin(bond)
        shared = _prompt(as_bob, bond)
        assert as_alice.post(_url(bond, "prompts:daily_another")).status_code == 302
        mine = _prompt(as_alice, bond)
        assert mine != shared
        assert as_alice.get(_url(bond)).context["personal"] is True
        assert _prompt(as_bob, bond) == shared
        assert state.daily(bond).prompt == shared
        as_alice.post(_url(bond, "prompts:daily_another"))
        third = _prompt(as_alice, bond)
        assert third not in (shared, mine)
        _answer(as_alice, bond, "to my own question")
        _answer(as_bob, bond, "to the shared one")
        assert DailyAnswer.objects.get(author=alice).prompt_id == third.id
        assert DailyAnswer.objects.get(author=bob).prompt_id == shared.id
        bob_page = _page(as_bob, bond)
    assert "to my own question" in bob_page
    assert third.text.replace("'", "&#x27;") in bob_page


def test_skipping_is_private_and_quiet(bond, alice, bob, as_alice, as_bob) -> None:
    with time_machine.travel(START, tick=False):
        _begin(bond)
        as_bob.post(_url(bond, "prompts:daily_skip"))
        assert DailyChoice.objects.get(user=bob).skipped
        assert "let today's question rest" in _page(as_bob, bond)
        assert "let today's question rest" not in _page(as_alice, bond)
        _answer(as_alice, bond, "hello")
    # No "yours is waiting" for someone who chose to let the day rest.
    assert not Notification.objects.filter(user=bob, topic="daily").exists()


def test_favourites_are_private(bond, alice, bob, as_alice, as_bob, as_charlie) -> None:
    with time_machine.travel(START, tick=False):
        _begin(bond)
        prompt = _prompt(as_alice, bond)
        as_alice.post(_url(bond, "prompts:favourite_add"), {"prompt": prompt.id})
        as_alice.post(_url(bond, "prompts:favourite_add"), {"prompt": prompt.id})
        as_alice.post(_url(bond, "prompts:favourite_add"), {"prompt": "nonsense-1"})
    favourite = Favourite.objects.get()
    assert (favourite.author, favourite.visibility, favourite.prompt_id) == (
        alice,
        Visibility.PRIVATE,
        prompt.id,
    )
    text = prompt.text.replace("'", "&#x27;")
    assert text in as_alice.get(_url(bond, "prompts:favourites")).content.decode()
    assert text not in as_bob.get(_url(bond, "prompts:favourites")).content.decode()
    assert as_charlie.get(_url(bond, "prompts:favourites")).status_code == 404
    remove = _url(bond, "prompts:favourite_remove", favourite.pk)
    assert as_bob.post(remove).status_code == 404
    assert as_charlie.post(remove).status_code == 404
    assert as_alice.post(remove).status_code == 302
    assert not Favourite.objects.exists()


# Just me


def test_a_just_me_bond_keeps_a_private_journal(charlie_bond, charlie, as_charlie, as_alice):
    with time_machine.travel(START, tick=False):
        _begin(charlie_bond)
        response = as_charlie.get(_url(charlie_bond))
        assert "Today's journal prompt" in response.content.decode()
        assert "just_me" in response.context["prompt"].bonds
        assert "guess" not in response.context["form"].fields
        _answer(as_charlie, charlie_bond, "Charlie-journal-2f8")
        entry = DailyAnswer.objects.get()
        assert (entry.visibility, entry.seal) == (Visibility.PRIVATE, "")
        assert "Charlie-journal-2f8" in _page(as_charlie, charlie_bond)
        assert as_alice.get(_url(charlie_bond)).status_code == 404
    assert not Notification.objects.exists()


# Notifications


def test_the_other_is_told_gently_and_never_the_text(bond, alice, bob, as_alice, as_bob):
    with time_machine.travel(START, tick=False) as traveller:
        _begin(bond)
        _answer(as_alice, bond, "Secret-words-4e4")
        waiting = Notification.objects.get(user=bob, topic="daily")
        assert waiting.title == (
            "Alice answered today's question. Yours is waiting whenever you're ready."
        )
        assert waiting.url == _url(bond)
        _answer(as_bob, bond, "More-words-6a6")
        ready = Notification.objects.get(user=alice, topic="daily")
        assert ready.title == ("Bob answered today's question too. You can see both answers now.")
        # At most once a day, however often it is asked for.
        views._tell_the_other(SimpleNamespace(user=alice), bond, state.bond_today(bond))
        views._tell_the_other(SimpleNamespace(user=bob), bond, state.bond_today(bond))
        assert Notification.objects.filter(topic="daily").count() == 2
        traveller.shift(timedelta(days=1))
        _answer(as_alice, bond, "next day")
        assert Notification.objects.filter(user=bob, topic="daily").count() == 2
    for n in Notification.objects.all():
        assert "words" not in n.title


# Safety


def test_a_positive_safety_screen_changes_only_what_that_person_sees(bond, alice, bob) -> None:
    heavy = library.pool("repair", "light", "partner")[0]
    with time_machine.travel(START + timedelta(days=40), tick=False):
        as_alice, as_bob = client_for(alice), client_for(bob)
        _fix_today(bond, heavy.id)
        SafetyScreen.objects.create(user=alice, positive=True)
        mine = _prompt(as_alice, bond)
        assert mine != heavy
        assert mine.theme != "repair" and mine.depth == "light"
        assert "where to find support" in _page(as_alice, bond)
        assert _prompt(as_bob, bond) == heavy
        assert "where to find support" not in _page(as_bob, bond)
        assert state.daily(bond).prompt == heavy
        for _ in range(5):
            as_alice.post(_url(bond, "prompts:daily_another"))
            other = _prompt(as_alice, bond)
            assert other.theme != "repair" and other.depth == "light"


# Leaning toward the weakest check-up areas


def test_weak_areas_map_to_prompt_themes() -> None:
    strong = {"open_talk": 90, "empathy": 85, "vulnerability": 80, "inner_world": 88}
    result = {
        "qualities": {**strong, "connected_in_conflict": 30},
        "signs": {"silence": 80, "transactional": 10},
    }
    assert themes_from_scores([result]) == ["repair", "memories"]
    two = [
        {"qualities": {"open_talk": 20, "empathy": 90}, "signs": {}},
        {"qualities": {"open_talk": 60, "empathy": 10}, "signs": {}},
    ]
    # Averaged: open_talk 40, empathy 50.
    assert themes_from_scores(two) == ["conversation", "appreciation"]
    assert themes_from_scores([{"qualities": {"open_talk": 80}, "signs": {}}]) == []
    assert themes_from_scores([{"qualities": "broken"}]) == []


def test_every_checkup_version_quality_and_sign_leads_to_a_theme() -> None:
    # A new check-up version must not leave a weak area silently without prompts.
    from tending.checkup import scoring
    from tending.prompts.weak import QUALITY_THEMES, SIGN_THEMES

    for version in scoring.available_versions():
        questionnaire = scoring.load(version)
        assert set(questionnaire.ids_of("quality")) <= set(QUALITY_THEMES), version
        assert set(questionnaire.ids_of("sign")) <= set(SIGN_THEMES), version
    assert set(QUALITY_THEMES.values()) | set(SIGN_THEMES.values()) <= set(library.THEMES)


def test_version_two_areas_lean_the_prompts() -> None:
    strong = {q: 90 for q in ("open_talk", "empathy", "vulnerability", "inner_world")}
    result = {
        "qualities": {**strong, "connected_in_conflict": 85, "support_given": 35, "trust": 20},
        "signs": {"fading_affection": 90, "constant_conflict": 70, "silence": 10},
    }
    assert themes_from_scores([result]) == ["inner_world", "curiosity", "appreciation"]


def test_only_shared_results_steer_the_shared_question(bond, alice, bob) -> None:
    from tending.checkup.models import CheckupResult

    def result(author, visibility, quality):  # type: ignore[no-untyped-def]
        qualities = dict.fromkeys(
            ("open_talk", "empathy", "vulnerability", "inner_world", "connected_in_conflict"), 90
        )
        qualities[quality] = 20
        return CheckupResult.objects.create(
            bond=bond,
            author=author,
            visibility=visibility,
            version=1,
            scores={"qualities": qualities, "signs": {}},
        )

    assert weak_themes(bond) == []
    result(bob, Visibility.PRIVATE, "connected_in_conflict")
    assert weak_themes(bond) == []
    assert weak_themes(bond, bob) == ["repair"]
    result(alice, Visibility.SHARED, "open_talk")
    assert weak_themes(bond) == ["conversation"]
    assert weak_themes(bond, alice) == ["conversation"]
    assert set(weak_themes(bond, bob)) == {"conversation", "repair"}


def test_an_ended_bond_shows_its_archive_and_takes_no_answers(bond, alice, as_alice) -> None:
    with time_machine.travel(START, tick=False) as traveller:
        _begin(bond)
        _answer(as_alice, bond, "Kept-in-archive-1b3")
        traveller.shift(timedelta(days=1))
        bond.end(alice)
        page = _page(as_alice, bond)
        assert "This bond has ended" in page and "Kept-in-archive-1b3" in page
        response = as_alice.post(
            _url(bond, "prompts:daily_answer"), {"prompt": ABOUT_SELF, "text": "late"}
        )
    assert response.status_code == 404
    assert DailyAnswer.objects.count() == 1


@pytest.mark.parametrize("kind", ["friend", "sibling", "parent_child"])
def test_every_kind_of_bond_gets_a_fitting_question(alice, bob, kind) -> None:
    from tending.bonds.models import Membership

    other = Bond.objects.create(kind=kind, created_by=alice)
    Membership.objects.create(bond=other, user=alice)
    Membership.objects.create(bond=other, user=bob)
    assert kind in state.daily(other).prompt.bonds


def test_the_daily_page_reads_a_bounded_number_of_rows(
    bond, alice, bob, as_alice, django_assert_max_num_queries
) -> None:
    from tending.prompts.models import daily_seal

    def answer_days(first: int, last: int) -> None:
        for back in range(first, last):
            day = START.date() - timedelta(days=back)
            for person in (alice, bob):
                DailyAnswer.objects.create(
                    bond=bond,
                    author=person,
                    visibility=Visibility.SEALED,
                    seal=daily_seal(day),
                    day=day,
                    prompt_id=ABOUT_SELF,
                    text=f"day {back}",
                )

    _begin(bond, START - timedelta(days=200))
    as_alice.get(_url(bond))
    answer_days(1, 4)
    with django_assert_max_num_queries(20) as few:
        as_alice.get(_url(bond))
    answer_days(4, 150)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = as_alice.get(_url(bond))
    assert len(page.context["earlier"]) == views.EARLIER_ROWS // 2
    assert page.context["tally"] == 149
