"""The daily question as a conversation (issue 13, section 4): reactions and replies under a
revealed pair, "tell me more" for the weekly conversation, the history by week with search
and favourites, and the archive of an ended bond."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tending.accounts.models import User
from tending.bonds.models import Bond
from tending.bonds.privacy import Visibility
from tending.notify.models import Device, Notification, Preferences
from tending.notify.topics import TOPICS
from tending.prompts import state
from tending.prompts.models import (
    AnswerKind,
    ConversationAsk,
    DailyAnswer,
    DailyReaction,
    DailyReply,
    Favourite,
    daily_seal,
)

NOW = datetime(2027, 3, 3, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _now():  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False):
        yield


def _answer(bond: Bond, who: User, text: str, day: date | None = None, prompt: str = "") -> None:
    day = day or state.bond_today(bond)
    DailyAnswer.objects.create(
        bond=bond,
        author=who,
        visibility=Visibility.SEALED,
        seal=daily_seal(day),
        day=day,
        prompt_id=prompt or state.daily(bond).prompt.id,
        kind=AnswerKind.ANSWER,
        text=text,
    )


def _react(client: Client, bond: Bond, kind: str, day: date, **extra: str):  # type: ignore[no-untyped-def]
    return client.post(
        reverse("prompts:daily_react", args=[bond.pk]),
        {"day": day.isoformat(), "kind": kind},
        **extra,
    )


def _reply(client: Client, bond: Bond, text: str, day: date, **extra: str):  # type: ignore[no-untyped-def]
    return client.post(
        reverse("prompts:daily_reply", args=[bond.pk]),
        {"day": day.isoformat(), "text": text},
        **extra,
    )


def test_nothing_to_react_to_until_both_have_answered(
    as_alice: Client, as_bob: Client, alice: User, bond: Bond
) -> None:
    today = state.bond_today(bond)
    _answer(bond, alice, "ALICE-sealed")
    _react(as_alice, bond, "heart", today)
    _reply(as_alice, bond, "hello?", today)
    _react(as_bob, bond, "heart", today)  # bob has not answered: alice's answer is sealed to him
    assert not DailyReaction.objects.exists() and not DailyReply.objects.exists()


def test_reactions_and_replies_are_for_the_two_of_them(
    as_alice: Client, as_bob: Client, as_charlie: Client, alice: User, bob: User, bond: Bond
) -> None:
    today = state.bond_today(bond)
    _answer(bond, alice, "A walk by the sea")
    _answer(bond, bob, "Pancakes on Sunday")
    assert _react(as_bob, bond, "heart", today).status_code == 302
    assert _reply(as_bob, bond, "REPLY-only-for-alice", today).status_code == 302
    page = as_alice.get(reverse("prompts:daily", args=[bond.pk])).content.decode()
    assert "REPLY-only-for-alice" in page and "Bob:" in page
    told = list(Notification.objects.filter(user=alice).values_list("title", flat=True))
    assert "Bob reacted to your answer." in told
    assert "Bob replied about a daily question." in told
    assert not any("REPLY" in t or "Pancakes" in t for t in told)  # never what anyone wrote
    assert as_charlie.get(reverse("prompts:daily", args=[bond.pk])).status_code == 404
    _react(as_charlie, bond, "laugh", today)
    _reply(as_charlie, bond, "intruder", today)
    assert DailyReaction.objects.count() == 1 and DailyReply.objects.count() == 1
    # Tapping a reaction again takes it back.
    _react(as_bob, bond, "heart", today)
    assert not DailyReaction.objects.exists()


def test_with_htmx_only_the_talk_comes_back(
    as_alice: Client, alice: User, bob: User, bond: Bond
) -> None:
    today = state.bond_today(bond)
    _answer(bond, alice, "a")
    _answer(bond, bob, "b")
    response = _react(as_alice, bond, "hug", today, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert f'id="talk-{today.isoformat()}"' in body and 'aria-pressed="true"' in body
    assert "HX-Request" in response["Vary"]
    response = _reply(as_alice, bond, "  ", today, HTTP_HX_REQUEST="true")
    assert "Write a few words first." in response.content.decode()
    assert "HX-Request" in response["Vary"]


def test_bad_input_gets_a_calm_answer(as_alice: Client, bond: Bond) -> None:
    url = reverse("prompts:daily_react", args=[bond.pk])
    for data in ({}, {"day": "not-a-day", "kind": "heart"}, {"day": "2027-03-03", "kind": "x"}):
        assert as_alice.post(url, data).status_code == 302
    response = as_alice.post(reverse("prompts:daily_reply", args=[bond.pk]), {"day": "1"})
    assert response.status_code == 302


def test_tell_me_more_joins_the_next_weekly_conversation(
    as_alice: Client, as_bob: Client, alice: User, bob: User, bond: Bond
) -> None:
    today = state.bond_today(bond)
    _answer(bond, alice, "a")
    _answer(bond, bob, "b")
    question = state.daily(bond).prompt
    _react(as_alice, bond, "more", today)
    ask = ConversationAsk.objects.get()
    assert ask.prompt_id == question.id
    page = as_bob.get(reverse("prompts:conversation", args=[bond.pk])).content.decode()
    assert "You asked each other to tell more" in page and question.text in page.replace(
        "&#x27;", "'"
    )
    as_bob.post(reverse("prompts:conversation_done", args=[bond.pk]))
    ask.refresh_from_db()
    assert ask.conversation is not None
    # Taken back before the conversation, it leaves the list again.
    _react(as_bob, bond, "more", today)
    _react(as_bob, bond, "more", today)
    assert ConversationAsk.objects.count() == 1


def test_the_history_by_week_searchable_with_favourites(
    as_alice: Client, alice: User, bob: User, bond: Bond
) -> None:
    today = state.bond_today(bond)
    _answer(bond, alice, "I'd take the night train", today - timedelta(days=8), "cur-002")
    _answer(bond, bob, "BOB-train-answer", today - timedelta(days=8), "cur-002")
    _answer(bond, alice, "Lemon cake", today - timedelta(days=1), "cur-003")
    _answer(bond, bob, "BOB-sealed-only", today - timedelta(days=2), "cur-004")
    Favourite.objects.create(
        bond=bond, author=alice, visibility=Visibility.PRIVATE, prompt_id="cur-003"
    )
    url = reverse("prompts:daily_history", args=[bond.pk])
    page = as_alice.get(url).content.decode()
    assert page.count("Week of") == 2
    assert "BOB-train-answer" in page and "Lemon cake" in page
    assert "BOB-sealed-only" not in page  # alice never answered that day
    found = as_alice.get(url, {"q": "night train"}).content.decode()
    assert "BOB-train-answer" in found and "Lemon cake" not in found
    favourites = as_alice.get(url, {"favourites": "1"}).content.decode()
    assert "Lemon cake" in favourites and "night train" not in favourites
    assert "Nothing found" in as_alice.get(url, {"q": "zebra"}).content.decode()


def test_an_ended_bonds_archive_shows_its_past_answers(
    as_alice: Client, alice: User, bob: User, bond: Bond
) -> None:
    day = state.bond_today(bond) - timedelta(days=3)
    _answer(bond, alice, "ALICE-archived", day, "cur-002")
    _answer(bond, bob, "BOB-archived", day, "cur-002")
    bond.leave(bob)
    page = as_alice.get(reverse("prompts:daily_history", args=[bond.pk])).content.decode()
    assert "ALICE-archived" in page and "BOB-archived" in page
    assert "Say something about it" not in page  # read-only now


def test_the_history_reads_a_fixed_number_of_queries(
    as_alice: Client, alice: User, bob: User, bond: Bond
) -> None:
    today = state.bond_today(bond)
    url = reverse("prompts:daily_history", args=[bond.pk])

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert as_alice.get(url).status_code == 200
        return len(queries)

    def add_days(start: int, end: int) -> None:
        for back in range(start, end):
            day = today - timedelta(days=back)
            _answer(bond, alice, f"a{back}", day, "cur-002")
            _answer(bond, bob, f"b{back}", day, "cur-002")
            DailyReaction.objects.create(
                bond=bond, author=bob, visibility=Visibility.SHARED, day=day, kind="heart"
            )
            DailyReply.objects.create(
                bond=bond, author=bob, visibility=Visibility.SHARED, day=day, text="r"
            )

    add_days(1, 3)
    few = count()
    add_days(3, 15)
    assert count() == few <= 12


# Partner activity beyond the daily question: each tells the other that something happened,
# never what anyone wrote.


def test_a_shared_feeling_is_announced_and_a_private_one_is_not(
    as_alice: Client, bob: User, bond: Bond
) -> None:
    url = reverse("feelings:create", args=[bond.pk])
    data = {"family": "glad", "word": "grateful", "intensity": "3", "note": "NOTE-secret"}
    assert as_alice.post(url, data).status_code == 302
    assert not Notification.objects.filter(user=bob).exists()
    assert as_alice.post(url, {**data, "share": "on"}).status_code == 302
    told = Notification.objects.get(user=bob)
    assert (told.topic, told.title) == ("feelings", "Alice shared how they feel.")
    assert "grateful" not in told.title and "NOTE" not in told.title


def test_a_new_ritual_asks_the_other_about_reminders(
    as_alice: Client, bob: User, bond: Bond
) -> None:
    response = as_alice.post(
        reverse("rituals:create", args=[bond.pk]),
        {"name": "NAME-pancakes", "days": ["6"], "at": "09:15", "minutes": "45", "template": ""},
    )
    assert response.status_code == 302
    told = Notification.objects.get(user=bob)
    assert told.topic == "ritual_added" and "Would you like reminders for it too?" in told.title
    assert "NAME" not in told.title and "#ritual-" in told.url


def test_a_reaction_taken_back_and_given_again_tells_the_other_once(
    as_alice: Client, as_bob: Client, alice: User, bob: User, bond: Bond
) -> None:
    today = state.bond_today(bond)
    _answer(bond, alice, "A walk by the sea")
    _answer(bond, bob, "Pancakes on Sunday")
    for _ in range(3):  # on, off, on
        _react(as_bob, bond, "heart", today)
    assert DailyReaction.objects.filter(author=bob, kind="heart").count() == 1
    told = Notification.objects.filter(user=alice, topic="daily_talk")
    assert list(told.values_list("title", flat=True)) == ["Bob reacted to your answer."]
    # Another kind of reaction is another thing to tell, once too; and so is alice's own.
    for _ in range(3):
        _react(as_bob, bond, "more", today)
    _react(as_alice, bond, "heart", today)
    assert told.count() == 2
    assert Notification.objects.filter(user=bob, topic="daily_talk").count() == 1
    # The next day's pair of answers is a new pair.
    with time_machine.travel(NOW + timedelta(days=1), tick=False):
        tomorrow = state.bond_today(bond)
        _answer(bond, alice, "Tea", tomorrow)
        _answer(bond, bob, "Coffee", tomorrow)
        _react(as_bob, bond, "heart", tomorrow)
    assert told.count() == 3


def test_partner_activity_topics_each_have_their_own_channels(
    as_alice: Client, as_bob: Client, alice: User, bob: User, bond: Bond
) -> None:
    """Turning push off for reactions and replies leaves "your turn" alone, and the other
    way round: each partner-activity moment is a topic of its own."""
    Preferences.objects.create(
        user=alice, channels={"daily_talk": {"push": False}, "ritual_added": {"app": False}}
    )
    Device.objects.create(
        user=alice, name="Phone", endpoint="https://push.example/alice", p256dh="k", auth="a"
    )
    today = state.bond_today(bond)
    prompt = as_bob.get(reverse("prompts:daily", args=[bond.pk])).context["prompt"]
    answer = reverse("prompts:daily_answer", args=[bond.pk])
    assert as_bob.post(answer, {"prompt": prompt.id, "text": "Pancakes"}).status_code == 302
    _answer(bond, alice, "A walk by the sea")
    _react(as_bob, bond, "hug", today)
    _reply(as_bob, bond, "REPLY", today)
    as_bob.post(
        reverse("rituals:create", args=[bond.pk]),
        {"name": "Walk", "days": ["6"], "at": "09:15", "minutes": "45", "template": ""},
    )
    as_bob.post(
        reverse("feelings:create", args=[bond.pk]),
        {"family": "glad", "word": "grateful", "intensity": "3", "share": "on"},
    )
    topics = dict(
        Notification.objects.filter(user=alice)
        .annotate(devices=Count("pushes"))
        .values_list("topic", "devices")
        .distinct()
    )
    assert topics == {"daily": 1, "daily_talk": 0, "ritual_added": 1, "feelings": 1}
    assert Notification.objects.filter(user=alice, topic="daily_talk").count() == 2
    assert not Notification.objects.get(user=alice, topic="ritual_added").in_app
    assert set(topics) <= set(TOPICS)
