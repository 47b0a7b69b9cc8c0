"""A home that leads with today (issue 13, section 3): today's one thing done right on the
bond's home, a few next steps, every practice on its own page grouped by strategy, and the
bottom navigation on every bond page."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from tending.accounts.models import User
from tending.bonds.models import Bond
from tending.bonds.privacy import Visibility
from tending.notes.models import Note
from tending.prompts import state
from tending.prompts.models import (
    AnswerKind,
    ConversationSlot,
    DailyAnswer,
    DailyChoice,
    daily_seal,
)
from tending.repair.models import RepairAnswer, Rupture
from tending.rituals.models import Completion, Ritual

NOW = datetime(2027, 3, 3, 11, 0, tzinfo=UTC)  # a Wednesday, noon in Berlin


@pytest.fixture(autouse=True)
def _now():  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False):
        yield


def _today(page: str) -> str:
    start = page.index('<section class="card today" id="today"')
    return page[start : page.index("</section>", start)]


def test_todays_question_is_answered_right_on_the_home(
    as_alice: Client, alice: User, bond: Bond
) -> None:
    home = as_alice.get(bond.get_absolute_url()).content.decode()
    today = _today(home)
    question = state.daily(bond).prompt
    assert question.text in today.replace("&#x27;", "'").replace("&quot;", '"')
    assert 'name="text"' in today and 'name="then" value="home"' in today
    assert 'hx-select="#today"' in today  # with htmx, only this card is swapped
    response = as_alice.post(
        reverse("prompts:daily_answer", args=[bond.pk]),
        {"prompt": question.id, "text": "By the sea", "then": "home"},
    )
    assert response.status_code == 302 and response["Location"] == bond.get_absolute_url()
    assert DailyAnswer.objects.filter(author=alice, text="By the sea").exists()
    # The message is said inside today's card (what htmx swaps in), not above the page.
    after = as_alice.get(bond.get_absolute_url()).content.decode()
    assert "saved and sealed" in _today(after)


def test_both_answers_then_react_and_reply_from_the_home(
    as_alice: Client, alice: User, bob: User, bond: Bond
) -> None:
    day = state.bond_today(bond)
    prompt = state.daily(bond).prompt.id
    for who, text in ((alice, "ALICE-answer"), (bob, "BOB-answer")):
        DailyAnswer.objects.create(
            bond=bond,
            author=who,
            visibility=Visibility.SEALED,
            seal=daily_seal(day),
            day=day,
            prompt_id=prompt,
            kind=AnswerKind.ANSWER,
            text=text,
        )
    today = _today(as_alice.get(bond.get_absolute_url()).content.decode())
    assert "BOB-answer" in today and "ALICE-answer" in today
    assert reverse("prompts:daily_react", args=[bond.pk]) in today
    assert 'name="back" value="home"' in today
    response = as_alice.post(
        reverse("prompts:daily_reply", args=[bond.pk]),
        {"day": day.isoformat(), "text": "Let's go", "back": "home"},
    )
    assert response["Location"].startswith(bond.get_absolute_url())


def test_a_due_ritual_is_done_in_one_tap(as_alice: Client, alice: User, bond: Bond) -> None:
    ritual = Ritual.objects.create(
        bond=bond, author=alice, name="Morning coffee", weekdays=127, visibility=Visibility.SHARED
    )
    today = _today(as_alice.get(bond.get_absolute_url()).content.decode())
    done = reverse("rituals:done", args=[bond.pk, ritual.pk])
    assert "Today: Morning coffee" in today and done in today
    response = as_alice.post(done, {"then": "home"})
    assert response["Location"] == bond.get_absolute_url()
    assert Completion.objects.filter(ritual=ritual).exists()


def test_a_waiting_note_opens_on_the_home(
    as_bob: Client, alice: User, bob: User, bond: Bond
) -> None:
    note = Note.objects.create(
        bond=bond, author=alice, recipient=bob, text="NOTE-hello", delivered_at=NOW
    )
    today = _today(as_bob.get(bond.get_absolute_url()).content.decode())
    detail = reverse("notes:detail", args=[bond.pk, note.pk])
    assert "Alice left you a note" in today
    assert f'hx-get="{detail}"' in today and 'hx-select="article.note-full"' in today
    assert "NOTE-hello" not in today  # opened only when asked


def test_a_repair_message_is_answered_on_the_home(
    as_bob: Client, alice: User, bob: User, bond: Bond
) -> None:
    rupture = Rupture.objects.create(
        bond=bond, author=alice, visibility=Visibility.SHARED, message="I'm sorry.", sent_at=NOW
    )
    today = _today(as_bob.get(bond.get_absolute_url()).content.decode())
    assert "I&#x27;m sorry." in today and 'value="accept"' in today
    response = as_bob.post(
        reverse("repair:answer", args=[bond.pk, rupture.pk]),
        {"kind": "accept", "note": "", "then": "home"},
    )
    assert response["Location"] == bond.get_absolute_url()
    assert RepairAnswer.objects.filter(author=bob, rupture=rupture).exists()
    # Answered: the message is no longer today's thing to do.
    assert "I&#x27;m sorry." not in _today(as_bob.get(bond.get_absolute_url()).content.decode())


def test_at_most_three_next_steps_and_the_practices_one_tap_away(
    as_alice: Client, bond: Bond
) -> None:
    home = as_alice.get(bond.get_absolute_url()).content.decode()
    start = home.index('class="next-steps"')
    listed = home[start : home.index("</section>", start)].count("<li>")
    assert 1 <= listed <= 3
    assert reverse("garden:practices", args=[bond.pk]) in home
    assert 'class="practices"' not in home  # the full list lives on its own page now


def test_the_practices_page_groups_them_by_strategy(as_alice: Client, bond: Bond) -> None:
    page = as_alice.get(reverse("garden:practices", args=[bond.pk])).content.decode()
    headings = [
        "The check-up",
        "Meaningful conversation",
        "Rituals of connection",
        "The inner world",
        "Repair after conflict",
        "Touch without agenda",
        "Curiosity",
        "Insights",
    ]
    places = [page.index(f">{h}</h2>") for h in headings]
    assert places == sorted(places)
    for name in ("prompts:conversation", "rituals:touch", "checkup:index", "insights:index"):
        assert reverse(name, args=[bond.pk]) in page


def test_every_bond_page_has_the_bottom_navigation_and_a_way_back(
    as_alice: Client, bond: Bond
) -> None:
    for name in ("bonds:detail", "garden:practices", "garden:index", "prompts:daily"):
        page = as_alice.get(reverse(name, args=[bond.pk])).content.decode()
        nav = page[page.index('<nav class="bottom-nav"') :]
        nav = nav[: nav.index("</nav>")]
        for label in ("Today", "Practices", "Garden", "Me"):
            assert f"</span>{label}</a>" in nav, (name, label)
        assert nav.count('aria-current="page"') == (1 if name != "prompts:daily" else 0)
        assert bond.get_absolute_url() in page
    head = as_alice.get(bond.get_absolute_url()).content.decode()
    assert "viewport-fit=cover" in head


def test_an_ended_bonds_home_keeps_its_plain_list(as_alice: Client, bob: User, bond: Bond) -> None:
    bond.leave(bob)
    page = as_alice.get(bond.get_absolute_url()).content.decode()
    assert 'class="practices"' in page and 'id="today"' not in page


def _plain(html: str) -> str:
    return html.replace("&#x27;", "'").replace("&quot;", '"')


def test_an_alternative_question_kept_for_the_day_is_the_one_on_the_home(
    as_alice: Client, alice: User, bond: Bond
) -> None:
    # The home reads this person's choice for the day once, with who answered (status.py),
    # and shows the question from it.
    today = state.daily(bond)
    alternative = state.another(bond, alice, safe=False, exclude={today.prompt.id})
    DailyChoice.objects.create(bond=bond, user=alice, day=today.day, alternative_id=alternative.id)
    card = _plain(_today(as_alice.get(bond.get_absolute_url()).content.decode()))
    assert alternative.text in card
    assert today.prompt.text not in card


def test_a_question_set_aside_is_not_todays_step(as_alice: Client, alice: User, bond: Bond) -> None:
    today = state.daily(bond)
    DailyChoice.objects.create(bond=bond, user=alice, day=today.day, skipped=True)
    card = _plain(_today(as_alice.get(bond.get_absolute_url()).content.decode()))
    assert today.prompt.text not in card and 'name="text"' not in card


def test_the_next_weekly_conversation_is_on_the_home_in_the_viewers_time(
    as_alice: Client, as_bob: Client, bond: Bond
) -> None:
    assert (
        "Your next weekly conversation"
        not in as_alice.get(bond.get_absolute_url()).content.decode()
    )
    # Sundays at 19:00 in Berlin; on Wednesday 3 March that is Sunday 7 March, 18:00 UTC.
    ConversationSlot.objects.create(bond=bond, weekday=6, at=time(19, 0), zone="Europe/Berlin")
    alice_home = as_alice.get(bond.get_absolute_url()).content.decode()
    assert "Your next weekly conversation: <strong>Sunday 7 March, 19:00</strong>" in alice_home
    bob_home = as_bob.get(bond.get_absolute_url()).content.decode()  # Bob is in New York
    assert "Your next weekly conversation: <strong>Sunday 7 March, 13:00</strong>" in bob_home
