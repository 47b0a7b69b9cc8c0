"""What a new couple tripped over in their first days (issue 13, section 5), one test each
for the fixes that show on the server; the ones that show only in a browser are in
tests/test_phone_browser.py."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
import time_machine
from django.template import Context, Template
from django.test import Client
from django.urls import reverse

from tending.accounts.models import User
from tending.bonds.models import Bond, Kind, Membership
from tending.bonds.privacy import Visibility
from tending.garden.activity import Recent
from tending.garden.plants import plants_for
from tending.notes.models import Note
from tending.prompts import state
from tending.prompts.models import AnswerKind, ConversationSlot, DailyAnswer, daily_seal
from tending.repair.models import RepairAnswer, Rupture
from tending.rituals.catalog import touch_ideas_for

NOW = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _now():  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False):
        yield


def _answer(bond: Bond, who: User, text: str) -> DailyAnswer:
    day = state.bond_today(bond)
    return DailyAnswer.objects.create(
        bond=bond,
        author=who,
        visibility=Visibility.SEALED,
        seal=daily_seal(day),
        day=day,
        prompt_id=state.daily(bond).prompt.id,
        kind=AnswerKind.ANSWER,
        text=text,
    )


# 3. After a member leaves


def test_the_archive_of_the_daily_question_shows_the_last_days_answers(
    as_alice: Client, alice: User, bob: User, bond: Bond
) -> None:
    _answer(bond, alice, "ALICE-wrote-this")
    _answer(bond, bob, "BOB-wrote-this")
    bond.leave(bob)
    page = as_alice.get(reverse("prompts:daily", args=[bond.pk])).content.decode()
    assert "This bond has ended" in page
    assert "ALICE-wrote-this" in page and "BOB-wrote-this" in page


def test_an_ended_bonds_conversation_page_announces_no_next_session(
    as_alice: Client, alice: User, bob: User, bond: Bond
) -> None:
    ConversationSlot.objects.create(bond=bond, weekday=6, at=time(19, 0), zone="Europe/Berlin")
    open_page = as_alice.get(reverse("prompts:conversation", args=[bond.pk])).content.decode()
    assert "A reminder comes shortly before" in open_page
    bond.leave(bob)
    page = as_alice.get(reverse("prompts:conversation", args=[bond.pk])).content.decode()
    assert "Next:" not in page and "reminder comes" not in page
    assert "There are no more sessions or reminders" in page


# 4. A "just me" bond


@pytest.fixture
def solo(alice: User) -> Bond:
    bond = Bond.objects.create(kind=Kind.JUST_ME, created_by=alice)
    Membership.objects.create(bond=bond, user=alice)
    return bond


def test_a_just_me_garden_has_no_repair_plant(alice: User, solo: Bond) -> None:
    recent = Recent(NOW.date(), {}, {})
    practices = [p.practice for p in plants_for(solo, recent, False, False)]
    assert "repair" not in practices and "curiosity" in practices
    response = Client()
    response.force_login(alice)
    page = response.get(reverse("garden:index", args=[solo.pk])).content.decode()
    assert "Repair" not in page


def test_repair_and_the_solo_path_open_in_a_just_me_bond(as_alice: Client, solo: Bond) -> None:
    repair = as_alice.get(reverse("repair:index", args=[solo.pk]))
    assert repair.status_code == 200
    assert "nothing to send" in repair.content.decode()
    assert as_alice.get(reverse("repair:counselling", args=[solo.pk])).status_code == 200
    path = as_alice.get(reverse("solo:index", args=[solo.pk]))
    assert path.status_code == 200
    assert "Make a new invitation link" not in path.content.decode()
    # Writing a repair still needs two people.
    assert as_alice.get(reverse("repair:start", args=[solo.pk])).status_code == 404


def test_a_just_me_home_does_not_say_you_each_answer(as_alice: Client, solo: Bond) -> None:
    page = as_alice.get(solo.get_absolute_url()).content.decode()
    assert "You each answer" not in page and "each answer" not in page


# 5. When both daily answers open


def test_the_second_answer_is_told_that_both_are_open(
    as_bob: Client, alice: User, bond: Bond
) -> None:
    _answer(bond, alice, "first")
    prompt = state.daily(bond).prompt.id
    response = as_bob.post(
        reverse("prompts:daily_answer", args=[bond.pk]),
        {"prompt": prompt, "text": "second"},
        follow=True,
    )
    page = response.content.decode()
    assert "saved and sealed" not in page
    assert "Both answers are open now" in page


def test_the_first_answer_is_still_sealed(as_alice: Client, bond: Bond) -> None:
    prompt = state.daily(bond).prompt.id
    response = as_alice.post(
        reverse("prompts:daily_answer", args=[bond.pk]),
        {"prompt": prompt, "text": "first"},
        follow=True,
    )
    assert "Your answer is saved and sealed." in response.content.decode()


# 6. A repair message, once answered


def test_the_answer_form_goes_once_the_repair_is_answered(
    as_bob: Client, alice: User, bob: User, bond: Bond
) -> None:
    rupture = Rupture.objects.create(
        bond=bond,
        author=alice,
        visibility=Visibility.SHARED,
        message="I'm sorry about last night.",
        sent_at=NOW,
    )
    url = reverse("repair:detail", args=[bond.pk, rupture.pk])
    assert "Send my answer" in as_bob.get(url).content.decode()
    answer = reverse("repair:answer", args=[bond.pk, rupture.pk])
    first = as_bob.post(answer, {"kind": "accept", "note": ""})
    assert first.status_code == 302, first.content.decode()[:500]
    assert RepairAnswer.objects.filter(author=bob).count() == 1
    assert "Send my answer" not in as_bob.get(url).content.decode()
    # A second post (an old tab) adds nothing.
    as_bob.post(answer, {"kind": "accept", "note": ""})
    assert RepairAnswer.objects.filter(author=bob).count() == 1


# 8. "0 minutes ago"


def test_a_notification_from_seconds_ago_reads_just_now() -> None:
    template = Template("{% load when %}{{ a|ago }}|{{ b|ago }}")
    text = template.render(
        Context({"a": NOW - timedelta(seconds=20), "b": NOW - timedelta(hours=3)})
    )
    assert text == "just now|3\xa0hours ago"


# 9. Touch ideas for a couple


def test_a_couples_touch_ideas_carry_no_advice_about_children() -> None:
    for idea in touch_ideas_for(Kind.PARTNER):
        assert "over the years" not in idea.consent_note, idea
    # A parent and child still read it, where it belongs.
    assert any("over the years" in i.consent_note for i in touch_ideas_for(Kind.PARENT_CHILD))


# 10. The surprise window's clock


def test_the_sender_chooses_whose_clock_the_surprise_window_is_on(
    as_alice: Client, bond: Bond
) -> None:
    url = reverse("notes:create", args=[bond.pk])
    base = {
        "text": "hello",
        "timing": "surprise",
        "surprise_date": "2027-03-02",
        "window_start": "09:00",
        "window_end": "17:00",
    }
    assert as_alice.post(url, {**base, "window_zone": "mine"}).status_code == 302
    note = Note.objects.get()
    # 09:00 to 17:00 in Berlin (UTC+1 in March), not in bob's New York.
    assert note.window_start == datetime(2027, 3, 2, 8, 0, tzinfo=UTC)
    assert note.window_end == datetime(2027, 3, 2, 16, 0, tzinfo=UTC)
    page = as_alice.get(reverse("notes:index", args=[bond.pk])).content.decode()
    assert "some time between Tue 2 Mar, 09:00 and 17:00 on your clock" in page
    form = as_alice.get(reverse("notes:index", args=[bond.pk])).content.decode()
    assert 'name="window_zone"' in form and "Bob&#x27;s clock" in form


# 11. A voice message's length


def test_a_voice_message_is_labelled_in_whole_seconds_as_players_count() -> None:
    assert Note(voice_seconds=2.6).voice_length == "0:02"
    assert Note(voice_seconds=0.4).voice_length == "0:01"
    assert Note(voice_seconds=61.9).voice_length == "1:01"


# 12. Switching turns without losing the timer (the browser half is in test_phone_browser.py)


def test_switching_turns_with_htmx_returns_only_the_turn_note(as_alice: Client, bond: Bond) -> None:
    url = reverse("prompts:conversation_turn", args=[bond.pk])
    response = as_alice.post(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert body.startswith('<p class="turn-note" id="turn-note"') and "<html" not in body
    assert "HX-Request" in response["Vary"]
    assert as_alice.post(url).status_code == 302  # without JavaScript, the page again


# 13. Day one in the garden


def test_a_busy_first_day_does_not_bring_full_flower(alice: User, bond: Bond) -> None:
    today = NOW.date()
    # Five notes on one day score past BLOOM, but it is one day, not a habit.
    one_day = Recent(today, {"rituals": {today: 5}}, {"rituals": today})
    assert one_day.growth("rituals") >= 0.6
    rituals = next(p for p in plants_for(bond, one_day, False, True) if p.practice == "rituals")
    assert rituals.mood == "growing"
    days = {today - timedelta(days=d): 2 for d in range(4)}
    steady = Recent(today, {"rituals": days}, {"rituals": today})
    rituals = next(p for p in plants_for(bond, steady, False, True) if p.practice == "rituals")
    assert rituals.mood == "blooming"
