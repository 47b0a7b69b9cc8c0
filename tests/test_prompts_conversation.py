"""The weekly conversation: the slot in each member's zone, the private calendar feed across a
daylight-saving change, the reminder job, turns, the shared note, "we did it", and the private
"how understood did I feel" with its shared average."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
import time_machine
from dateutil.rrule import rrulestr
from django.core import signing
from django.test import Client
from django.urls import reverse

from tending.bonds.models import Bond
from tending.bonds.privacy import Visibility
from tending.notify.models import Notification
from tending.prompts import state
from tending.prompts.jobs import remind_conversation
from tending.prompts.models import (
    CalendarFeed,
    Conversation,
    ConversationSlot,
    DailyAnswer,
    HeardNote,
    PromptState,
    UnderstoodRating,
)
from tending.safety.models import SafetyScreen

BERLIN = ZoneInfo("Europe/Berlin")
# A Wednesday, eleven days before Europe leaves summer time (Sunday 25 October 2026).
START = datetime(2026, 10, 14, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def traveller():  # type: ignore[no-untyped-def]
    with time_machine.travel(START, tick=False) as moving:
        yield moving


def _url(bond: Bond, name: str = "prompts:conversation", *args: object) -> str:
    return reverse(name, args=[bond.pk, *args])


def _set_slot(client: Client, bond: Bond, weekday: int = 6, at: str = "19:00") -> None:
    response = client.post(_url(bond, "prompts:conversation_slot"), {"weekday": weekday, "at": at})
    assert response.status_code == 302, response.content[:400]


def _feed_url(client: Client, bond: Bond) -> str:
    link = client.get(_url(bond)).context["calendar_url"]
    return link[link.index("/calendar/") :]


def _events(body: bytes) -> list[icalendar.Event]:
    return icalendar.Calendar.from_ical(body).walk("VEVENT")


# The slot


def test_each_member_sees_the_slot_in_their_own_zone(bond, alice, bob, as_alice, as_bob):
    _set_slot(as_alice, bond)
    slot = ConversationSlot.objects.get(bond=bond)
    assert (slot.weekday, slot.at, slot.zone, slot.set_by) == (6, time(19), "Europe/Berlin", alice)
    assert "Sundays at 19:00" in as_alice.get(_url(bond)).content.decode()
    assert "(your time:" not in as_alice.get(_url(bond)).content.decode()
    # In mid-October Berlin is 6 hours ahead of New York.
    bob_page = as_bob.get(_url(bond)).content.decode()
    assert "Sundays at 19:00" in bob_page and "(your time: Sundays at 13:00)" in bob_page
    # First reminder: 30 minutes before Sunday 18 October, 19:00 in Berlin (17:00 UTC).
    assert slot.next_reminder_at == datetime(2026, 10, 18, 16, 30, tzinfo=UTC)
    told = Notification.objects.get(user=bob, topic="conversation")
    assert told.title == "Alice chose a time for your weekly conversation."


def test_a_slot_late_in_the_evening_can_fall_on_another_day_elsewhere(bond, as_alice, as_bob):
    _set_slot(as_bob, bond, weekday=4, at="21:30")  # Friday 21:30 in New York
    alice_page = as_alice.get(_url(bond)).content.decode()
    assert "Fridays at 21:30 (your time: Saturdays at 03:30)" in alice_page.replace(
        '</strong> <span class="muted">', " "
    ).replace("</span>", "")


def test_a_bad_slot_is_refused_gently(bond, as_alice) -> None:
    response = as_alice.post(_url(bond, "prompts:conversation_slot"), {"weekday": 9, "at": "25:99"})
    assert response.status_code == 400
    assert "Please give a time such as 19:00." in response.content.decode()
    assert not ConversationSlot.objects.exists()


# The calendar feed


def test_the_feed_keeps_19_00_local_across_the_change_to_winter_time(bond, as_alice, as_bob):
    _set_slot(as_alice, bond)
    response = Client().get(_feed_url(as_alice, bond))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]
    (event,) = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == "Weekly conversation with Bob"
    start = event.decoded("DTSTART")
    assert start.tzinfo.key == "Europe/Berlin" and start.time() == time(19)
    assert event["RRULE"]["FREQ"] == ["WEEKLY"] and event["RRULE"]["BYDAY"] == ["SU"]
    assert "DTSTART;TZID=Europe/Berlin:20261018T190000" in response.content.decode()
    rule = rrulestr(event["RRULE"].to_ical().decode(), dtstart=start)
    before, after = rule[0], rule[1]
    assert (before.date().isoformat(), after.date().isoformat()) == ("2026-10-18", "2026-10-25")
    assert before.time() == after.time() == time(19)
    assert before.astimezone(UTC).hour == 17 and after.astimezone(UTC).hour == 18
    assert rule[3].astimezone(UTC) == datetime(2026, 11, 8, 18, 0, tzinfo=UTC)
    # Bob's own feed names alice, and carries the same slot.
    (bobs,) = _events(Client().get(_feed_url(as_bob, bond)).content)
    assert str(bobs["SUMMARY"]) == "Weekly conversation with Alice"
    assert bobs.decoded("DTSTART") == start


def test_the_feed_holds_no_intimate_text(bond, alice, bob, as_alice) -> None:
    _set_slot(as_alice, bond)
    talk = Conversation.objects.create(bond=bond, week=0, week_start=START.date())
    HeardNote.objects.create(
        bond=bond, author=alice, visibility=Visibility.SHARED, conversation=talk, text="Heard-77x"
    )
    DailyAnswer.objects.create(
        bond=bond, author=bob, day=START.date(), prompt_id="cur-001", text="Answer-88y"
    )
    body = Client().get(_feed_url(as_alice, bond)).content.decode()
    assert "Heard-77x" not in body and "Answer-88y" not in body
    assert "http://" in body and f"/bonds/{bond.pk}/conversation/" in body


def test_resetting_the_link_turns_the_old_one_away(bond, alice, as_alice, as_charlie) -> None:
    _set_slot(as_alice, bond)
    old = _feed_url(as_alice, bond)
    assert as_charlie.post(_url(bond, "prompts:calendar_reset")).status_code == 404
    assert Client().get(old).status_code == 200
    assert as_alice.post(_url(bond, "prompts:calendar_reset")).status_code == 302
    new = _feed_url(as_alice, bond)
    assert new != old
    assert Client().get(old).status_code == 404
    assert Client().get(new).status_code == 200


@pytest.mark.parametrize(
    "token", ["unknown", "W1sxLCJ4Il0", "a" * 300, "%00", "WzEsImFhYWEiXQ:forged"]
)
def test_an_unknown_feed_is_not_found(db, token: str) -> None:
    assert Client().get(f"/calendar/{token}/tending.ics").status_code == 404


def test_a_feed_signed_for_one_person_cannot_be_bent_to_another(alice, bob) -> None:
    mine = CalendarFeed.objects.create(user=alice)
    CalendarFeed.objects.create(user=bob)
    assert Client().get(f"/calendar/{mine.token}/tending.ics").status_code == 200
    # Bob's id with alice's nonce, properly signed: the nonce does not match bob's.
    claim = signing.dumps([bob.pk, mine.nonce], salt="tending.prompts.calendar", compress=True)
    # Bob's id under alice's signature: the signature does not match.
    forged = claim.rsplit(":", 1)[0] + ":" + mine.token.rsplit(":", 1)[1]
    for token in (claim, forged):
        assert Client().get(f"/calendar/{token}/tending.ics").status_code == 404


def test_an_ended_bond_leaves_the_feed(bond, alice, as_alice) -> None:
    _set_slot(as_alice, bond)
    url = _feed_url(as_alice, bond)
    bond.end(alice)
    assert _events(Client().get(url).content) == []


def test_a_just_me_bond_gets_a_reflection_event(charlie_bond, as_charlie) -> None:
    _set_slot(as_charlie, charlie_bond, weekday=0, at="08:15")
    (event,) = _events(Client().get(_feed_url(as_charlie, charlie_bond)).content)
    assert str(event["SUMMARY"]) == "Weekly reflection"
    assert event.decoded("DTSTART").tzinfo.key == "Australia/Sydney"


# The reminder


def test_the_reminder_comes_once_a_week_at_the_right_moment(bond, alice, bob, as_alice, traveller):
    _set_slot(as_alice, bond)
    Notification.objects.all().delete()
    assert remind_conversation() is False
    traveller.move_to(datetime(2026, 10, 18, 16, 29, tzinfo=UTC))
    assert remind_conversation() is False
    traveller.move_to(datetime(2026, 10, 18, 16, 31, tzinfo=UTC))
    assert remind_conversation() is True
    assert remind_conversation() is False
    titles = dict(Notification.objects.filter(topic="conversation").values_list("user", "title"))
    assert titles == {
        alice.pk: "Your weekly conversation with Bob starts in 30 minutes.",
        bob.pk: "Your weekly conversation with Alice starts in 30 minutes.",
    }
    # The next one is a week on, at 19:00 Berlin winter time: an hour later in UTC.
    slot = ConversationSlot.objects.get()
    assert slot.next_reminder_at == datetime(2026, 10, 25, 17, 30, tzinfo=UTC)
    traveller.move_to(datetime(2026, 10, 25, 16, 31, tzinfo=UTC))
    assert remind_conversation() is False
    traveller.move_to(datetime(2026, 10, 25, 17, 31, tzinfo=UTC))
    assert remind_conversation() is True
    assert Notification.objects.filter(topic="conversation").count() == 4


def test_no_reminder_for_a_conversation_already_held(bond, as_alice, traveller) -> None:
    _set_slot(as_alice, bond)
    Notification.objects.all().delete()
    traveller.move_to(datetime(2026, 10, 18, 12, 0, tzinfo=UTC))
    assert as_alice.post(_url(bond, "prompts:conversation_done")).status_code == 302
    traveller.move_to(datetime(2026, 10, 18, 16, 45, tzinfo=UTC))
    assert remind_conversation() is True
    assert not Notification.objects.exists()
    assert ConversationSlot.objects.get().next_reminder_at == datetime(
        2026, 10, 25, 17, 30, tzinfo=UTC
    )


def test_a_worker_back_after_the_slot_sends_nothing_stale(bond, as_alice, traveller) -> None:
    _set_slot(as_alice, bond)
    Notification.objects.all().delete()
    traveller.move_to(datetime(2026, 10, 20, 9, 0, tzinfo=UTC))
    assert remind_conversation() is True
    assert not Notification.objects.exists()
    assert ConversationSlot.objects.get().next_reminder_at == datetime(
        2026, 10, 25, 17, 30, tzinfo=UTC
    )


def test_two_workers_claim_a_reminder_once(bond, as_alice, traveller) -> None:
    _set_slot(as_alice, bond)
    Notification.objects.all().delete()
    slot = ConversationSlot.objects.get()
    traveller.move_to(datetime(2026, 10, 18, 16, 40, tzinfo=UTC))
    assert remind_conversation() is True
    # A second worker that read the slot before the first one moved it on changes nothing.
    assert (
        ConversationSlot.objects.filter(pk=slot.pk, next_reminder_at=slot.next_reminder_at).update(
            next_reminder_at=None
        )
        == 0
    )
    assert remind_conversation() is False
    assert Notification.objects.count() == 2


def test_nothing_for_an_ended_bond(bond, alice, as_alice, traveller) -> None:
    _set_slot(as_alice, bond)
    Notification.objects.all().delete()
    bond.end(alice)
    traveller.move_to(datetime(2026, 10, 18, 16, 45, tzinfo=UTC))
    assert remind_conversation() is True
    assert ConversationSlot.objects.get().next_reminder_at is None
    assert remind_conversation() is False
    assert not Notification.objects.filter(topic="conversation").exists()


# The conversation page


def test_the_page_offers_three_prompts_the_same_for_both(bond, as_alice, as_bob, as_charlie):
    alice_ctx = as_alice.get(_url(bond)).context
    assert len(alice_ctx["prompts"]) == 3
    assert as_bob.get(_url(bond)).context["prompts"] == alice_ctx["prompts"]
    page = as_alice.get(_url(bond)).content.decode()
    assert "listen and understand, not to solve" in page
    assert as_charlie.get(_url(bond)).status_code == 404
    assert Client().get(_url(bond)).status_code == 302


def test_turns_switch_between_the_two(bond, alice, bob, as_alice, as_bob) -> None:
    first = as_alice.get(_url(bond)).context["speaker"]
    assert first in (alice, bob)
    as_bob.post(_url(bond, "prompts:conversation_turn"))
    second = as_alice.get(_url(bond)).context["speaker"]
    assert second != first and {first, second} == {alice, bob}
    page = as_alice.get(_url(bond)).content.decode()
    assert "data-turn-timer" in page and "Switch turns" in page


def test_either_may_edit_the_heard_note_and_a_stale_edit_is_kept(
    bond, alice, bob, as_alice, as_bob, as_charlie
) -> None:
    heard = _url(bond, "prompts:conversation_heard")
    assert as_alice.post(heard, {"text": "Heard-one", "version": 0}).status_code == 302
    note = HeardNote.objects.get()
    assert (note.author, note.visibility, note.version) == (alice, Visibility.SHARED, 1)
    assert "Heard-one" in as_bob.get(_url(bond)).content.decode()
    assert as_bob.post(heard, {"text": "Heard-two", "version": 1}).status_code == 302
    note.refresh_from_db()
    assert (note.text, note.updated_by, note.version) == ("Heard-two", bob, 2)
    # Alice saves from a page she opened before bob's edit: nothing is overwritten.
    response = as_alice.post(heard, {"text": "Heard-three", "version": 1})
    assert response.status_code == 200
    assert "Heard-two" in response.content.decode() and "Heard-three" in response.content.decode()
    note.refresh_from_db()
    assert note.text == "Heard-two"
    assert as_charlie.post(heard, {"text": "x", "version": 2}).status_code == 404
    assert "Heard-two" not in as_charlie.get(_url(bond)).content.decode()


def test_we_did_it_records_one_conversation_a_week(bond, alice, as_alice, as_bob, traveller):
    done = _url(bond, "prompts:conversation_done")
    as_alice.post(done)
    as_bob.post(done)
    talk = Conversation.objects.get()
    assert talk.held_by == alice and talk.held_at == START
    traveller.shift(timedelta(days=7))
    as_bob.post(done)
    assert Conversation.objects.filter(held_at__isnull=False).count() == 2


def test_understood_ratings_stay_private_without_both_consents(
    bond, alice, bob, as_alice, as_bob, as_charlie
) -> None:
    as_alice.post(_url(bond, "prompts:conversation_done"))
    talk = Conversation.objects.get()
    rate = _url(bond, "prompts:conversation_understood", talk.pk)
    assert as_alice.post(rate, {"score": 4}).status_code == 302
    assert as_bob.post(rate, {"score": 2, "include": "on"}).status_code == 302
    alices = UnderstoodRating.objects.get(author=alice)
    bobs = UnderstoodRating.objects.get(author=bob)
    assert (alices.visibility, alices.seal) == (Visibility.PRIVATE, "")
    assert bobs.visibility == Visibility.SEALED
    assert not bobs.is_visible_to(alice) and not alices.is_visible_to(bob)
    for client in (as_alice, as_bob):
        assert client.get(_url(bond)).context["average"] is None
        assert "on average" not in client.get(_url(bond)).content.decode()
    assert "4 of 5" not in as_bob.get(_url(bond, "prompts:conversation_history")).content.decode()
    # Once alice includes hers too, both see the average and only the average.
    as_alice.post(rate, {"score": 4, "include": "on"})
    for client in (as_alice, as_bob):
        assert client.get(_url(bond)).context["average"] == 3.0
        assert "<strong>3.0</strong> out of 5 on average" in client.get(_url(bond)).content.decode()
    history = as_bob.get(_url(bond, "prompts:conversation_history")).content.decode()
    assert "4 of 5" not in history and "2 of 5" in history and "3.0" in history
    # And taking it back closes it again.
    as_bob.post(rate, {"score": 2})
    assert as_alice.get(_url(bond)).context["average"] is None
    assert as_charlie.post(rate, {"score": 5}).status_code == 404
    assert UnderstoodRating.objects.count() == 2


def test_history_reads_a_bounded_number_of_rows(
    bond, alice, bob, as_alice, django_assert_max_num_queries
) -> None:
    def hold(count: int) -> None:
        start = Conversation.objects.count()
        for week in range(start, start + count):
            talk = Conversation.objects.create(
                bond=bond, week=week, week_start=START.date(), held_at=START, held_by=alice
            )
            for person, score in ((alice, 3 + week % 3), (bob, 2)):
                UnderstoodRating.objects.create(
                    bond=bond,
                    author=person,
                    conversation=talk,
                    score=score,
                    visibility=Visibility.SEALED,
                    seal=f"understood:{talk.pk}",
                )

    hold(3)
    with django_assert_max_num_queries(12):
        small = as_alice.get(_url(bond, "prompts:conversation_history"))
    hold(30)
    with django_assert_max_num_queries(12):
        large = as_alice.get(_url(bond, "prompts:conversation_history"))
    assert len(small.context["rows"]) == 3 and len(large.context["rows"]) == 33
    page = large.content.decode()
    assert "<svg" in page and "<table" in page and "How understood I felt" in page


def test_someone_who_may_not_be_safe_is_offered_no_heavy_prompt(bond, alice, as_alice, as_bob):
    SafetyScreen.objects.create(user=alice, positive=True)
    row = state.prompt_state(bond)
    week = row.day_index() // 7
    PromptState.objects.filter(pk=row.pk).update(
        state={"v": 1, "pools": {}, "days": [], "week": [week, ["cur-001", "rep-001", "inn-052"]]}
    )
    mine = as_alice.get(_url(bond))
    theirs = as_bob.get(_url(bond))
    assert [p.id for p in mine.context["prompts"]] == ["cur-001"]
    assert mine.context["set_aside"] == 2
    assert "where to find support" in mine.content.decode()
    assert [p.id for p in theirs.context["prompts"]] == ["cur-001", "rep-001", "inn-052"]
    assert "where to find support" not in theirs.content.decode()
