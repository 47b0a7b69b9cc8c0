"""Repair after conflict: private notes, the flooded pause and its reminder, the
message, the answer, resolving together, and when counselling is suggested."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tending.accounts.models import User
from tending.bonds.cards import cards_for
from tending.bonds.models import Bond, Kind, Membership
from tending.bonds.privacy import Visibility
from tending.notify.models import Notification
from tending.repair.counselling import counselling_reasons
from tending.repair.jobs import remind_after_break
from tending.repair.models import RepairAnswer, Rupture, RuptureNote
from tending.safety.models import SafetyScreen
from tests.conftest import client_for

START = datetime(2026, 3, 2, 18, 0, tzinfo=UTC)  # a Monday evening
NOTE_MARK = "PRIVATE-notes-alice-93e1"
CSRF = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+|("X-CSRFToken": ")[^"]+')


def url(name: str, bond: Bond, *args: int) -> str:
    return reverse(f"repair:{name}", args=[bond.pk, *args])


def text(response) -> str:  # type: ignore[no-untyped-def]
    return response.content.decode()


def start(client: Client, bond: Bond, **data: str) -> Rupture:
    form = {
        "topic": "chores",
        "what_happened": f"{NOTE_MARK} dishes again",
        "what_i_felt": f"{NOTE_MARK} tired and unseen",
        "flooded": "no",
        **data,
    }
    response = client.post(url("start", bond), form)
    assert response.status_code == 302, text(response)
    return Rupture.objects.order_by("-pk").first()


def send(client: Client, bond: Bond, rupture: Rupture, message: str = "I miss us.") -> None:
    response = client.post(url("compose", bond, rupture.pk), {"message": message, "action": "send"})
    assert response.status_code == 302
    assert response["Location"] == url("detail", bond, rupture.pk)


def positive(user: User) -> None:
    SafetyScreen.objects.create(user=user, answers={"afraid": "yes"}, positive=True)


# --- the practice card ---------------------------------------------------------------------------


def test_repair_is_offered_to_bonds_of_two_only(bond: Bond, charlie_bond: Bond) -> None:
    assert reverse("repair:index", args=[bond.pk]) in [p.url for p in cards_for(bond)]
    assert not [p for p in cards_for(charlie_bond) if "/repair/" in p.url]


def test_just_me_bonds_have_no_repair_pages(as_charlie: Client, charlie_bond: Bond) -> None:
    # Issue 13: the index explains repair from your own side instead of a 404.
    assert as_charlie.get(url("index", charlie_bond)).status_code == 200
    assert as_charlie.get(url("start", charlie_bond)).status_code == 404


# --- who sees what -------------------------------------------------------------------------------


def test_starting_keeps_everything_private_to_the_author(
    as_alice: Client, as_bob: Client, as_charlie: Client, alice: User, bob: User, bond: Bond
) -> None:
    rupture = start(as_alice, bond, topic="own", own_topic="  The   Garden SHED ")
    note = RuptureNote.objects.get(rupture=rupture)
    assert rupture.visibility == Visibility.PRIVATE and not rupture.is_sent
    assert note.visibility == Visibility.PRIVATE
    assert note.topic_key == "own:the garden shed"
    assert note.what_happened.startswith(NOTE_MARK)
    detail = url("detail", bond, rupture.pk)
    page = text(as_alice.get(detail))
    assert NOTE_MARK in page and "The Garden SHED" in page
    assert as_bob.get(detail).status_code == 404
    assert as_charlie.get(detail).status_code == 404
    anonymous = Client().get(detail)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    for page in (as_bob.get(url("index", bond)), as_alice.get(url("index", bond))):
        assert page.status_code == 200
    # The topic itself (every page now has "Garden" in its bottom navigation, issue 13).
    assert "garden shed" not in text(as_bob.get(url("index", bond))).lower()
    assert as_charlie.get(url("index", bond)).status_code == 404
    assert not Notification.objects.filter(user=bob).exists()


def test_the_notes_stay_private_after_the_message_is_sent(
    as_alice: Client, as_bob: Client, as_charlie: Client, bob: User, bond: Bond
) -> None:
    rupture = start(as_alice, bond)
    as_alice.post(
        url("my_part", bond, rupture.pk), {"p_do-differently": f"{NOTE_MARK} my sharp tone"}
    )
    send(as_alice, bond, rupture, "I'm sorry I was short with you.")
    rupture.refresh_from_db()
    assert rupture.visibility == Visibility.SHARED and rupture.is_sent
    for path in (url("detail", bond, rupture.pk), url("index", bond)):
        page = text(as_bob.get(path))
        assert NOTE_MARK not in page and "Chores" not in page
        assert as_charlie.get(path).status_code == 404
    assert "I&#x27;m sorry I was short with you." in text(
        as_bob.get(url("detail", bond, rupture.pk))
    )
    assert not RuptureNote.objects.visible_to(bob).exists()
    # bob cannot reach her private steps either.
    for name in ("my_part", "compose", "pause", "resume", "delete"):
        assert as_bob.post(url(name, bond, rupture.pk)).status_code == 404, name


def test_a_note_can_never_be_made_shared(alice: User, bob: User, bond: Bond) -> None:
    rupture = Rupture.objects.create(bond=bond, author=alice)
    note = RuptureNote.objects.create(
        bond=bond, author=alice, rupture=rupture, topic="money", visibility=Visibility.SHARED
    )
    assert note.visibility == Visibility.PRIVATE
    Rupture.objects.filter(pk=rupture.pk).update(visibility=Visibility.SHARED)
    assert not RuptureNote.objects.visible_to(bob).exists()
    assert not note.is_visible_to(bob)


def test_own_topic_needs_words_and_bad_input_is_refused(as_alice: Client, bond: Bond) -> None:
    response = as_alice.post(url("start", bond), {"topic": "own", "flooded": "no"})
    assert response.status_code == 400
    assert "A word or two is enough." in text(response)
    response = as_alice.post(url("start", bond), {"topic": "not-a-topic", "flooded": "maybe"})
    assert response.status_code == 400
    assert not Rupture.objects.exists()


def test_starting_without_a_flood_goes_on_to_owning_my_part(as_alice: Client, bond: Bond) -> None:
    response = as_alice.post(url("start", bond), {"topic": "money", "flooded": "no"})
    rupture = Rupture.objects.get()
    assert response["Location"] == url("my_part", bond, rupture.pk)
    page = text(as_alice.get(response["Location"]))
    assert "What did I do or say that I&#x27;d like to have done differently?" in page


# --- flooded: the flow waits, and reminds once ---------------------------------------------------


def test_flooded_flow_waits_twenty_minutes_and_reminds_once(
    as_alice: Client, alice: User, bond: Bond
) -> None:
    with time_machine.travel(START, tick=False) as traveller:
        rupture = start(as_alice, bond, flooded="yes")
        note = RuptureNote.objects.get(rupture=rupture)
        assert note.resume_after == START + timedelta(minutes=20)
        page = text(as_alice.get(url("detail", bond, rupture.pk)))
        # Shown in alice's own zone (Berlin, UTC+1 in March).
        assert "Your break runs until <strong>19:20</strong>" in page
        assert url("compose", bond, rupture.pk) not in page
        for name in ("my_part", "compose"):
            assert as_alice.get(url(name, bond, rupture.pk))["Location"] == url(
                "detail", bond, rupture.pk
            )
        as_alice.post(url("resume", bond, rupture.pk))
        assert RuptureNote.objects.get(pk=note.pk).resumed_at is None
        assert remind_after_break() is False

        traveller.shift(timedelta(minutes=21))
        assert remind_after_break() is True
        assert remind_after_break() is False
        reminders = Notification.objects.filter(user=alice, topic="repair")
        assert [n.title for n in reminders] == ["Whenever you feel ready, your repair is waiting."]
        assert reminders[0].url == url("detail", bond, rupture.pk)

        page = text(as_alice.get(url("detail", bond, rupture.pk)))
        assert "I'm ready to go on" in page
        response = as_alice.post(url("resume", bond, rupture.pk))
        assert response["Location"] == url("my_part", bond, rupture.pk)
        assert RuptureNote.objects.get(pk=note.pk).resumed_at == START + timedelta(minutes=21)


def test_no_reminder_when_they_came_back_or_settled_it(
    as_alice: Client, alice: User, bond: Bond
) -> None:
    with time_machine.travel(START, tick=False) as traveller:
        came_back = start(as_alice, bond, flooded="yes")
        settled = start(as_alice, bond, flooded="yes")
        traveller.shift(timedelta(minutes=20))
        as_alice.post(url("resume", bond, came_back.pk))
        as_alice.post(url("resolve", bond, settled.pk))
        traveller.shift(timedelta(hours=3))
        assert remind_after_break() is False
    assert not Notification.objects.filter(user=alice).exists()


def test_a_reminder_claimed_by_another_worker_is_not_sent_again(
    as_alice: Client, alice: User, bond: Bond
) -> None:
    with time_machine.travel(START, tick=False) as traveller:
        rupture = start(as_alice, bond, flooded="yes")
        traveller.shift(timedelta(minutes=30))
        # Another worker got there first.
        RuptureNote.objects.filter(rupture=rupture).update(reminded_at=timezone.now())
        assert remind_after_break() is False
    assert not Notification.objects.filter(user=alice).exists()


def test_a_pause_can_be_taken_later_and_reminds_again(
    as_alice: Client, alice: User, bond: Bond
) -> None:
    with time_machine.travel(START, tick=False) as traveller:
        rupture = start(as_alice, bond)
        as_alice.post(url("pause", bond, rupture.pk))
        assert RuptureNote.objects.get(rupture=rupture).is_waiting()
        traveller.shift(timedelta(minutes=25))
        assert remind_after_break() is True
        as_alice.post(url("pause", bond, rupture.pk))
        traveller.shift(timedelta(minutes=25))
        assert remind_after_break() is True
    assert Notification.objects.filter(user=alice).count() == 2


# --- owning my part and the message --------------------------------------------------------------


def test_owning_my_part_is_kept_privately(as_alice: Client, as_bob: Client, bond: Bond) -> None:
    rupture = start(as_alice, bond)
    response = as_alice.post(
        url("my_part", bond, rupture.pk),
        {"p_agree-with": "  They were tired too  ", "p_unknown": "ignored", "p_next-time": ""},
    )
    assert response["Location"] == url("compose", bond, rupture.pk)
    assert RuptureNote.objects.get(rupture=rupture).my_part == {"agree-with": "They were tired too"}
    page = text(as_alice.get(url("detail", bond, rupture.pk)))
    assert "They were tired too" in page


def test_check_my_wording_without_javascript_keeps_the_text(as_alice: Client, bond: Bond) -> None:
    rupture = start(as_alice, bond)
    typed = "You never listen to me when I talk about the dishes"
    response = as_alice.post(
        url("compose", bond, rupture.pk), {"message": typed, "action": "check"}
    )
    page = text(response)
    assert response.status_code == 200
    assert "<mark>You never</mark>" in page
    assert f"\n{typed}</textarea>" in page
    assert 'name="replace_with"' in page  # suggestions work without JavaScript
    rupture.refresh_from_db()
    assert rupture.message == "" and not rupture.is_sent


def test_a_suggestion_or_a_phrase_changes_the_text(as_alice: Client, bond: Bond) -> None:
    rupture = start(as_alice, bond)
    compose = url("compose", bond, rupture.pk)
    page = text(
        as_alice.post(compose, {"message": "hi", "replace_with": "I miss talking with you."})
    )
    assert "\nI miss talking with you.</textarea>" in page
    page = text(as_alice.post(compose, {"message": "I miss us.", "use_phrase": "soften-breathe"}))
    assert "\nI miss us. Let&#x27;s both take a breath.</textarea>" in page
    # Without JavaScript a phrase can also come from a link.
    page = text(as_alice.get(compose + "?phrase=soften-hold-hands"))
    assert "Could we hold hands while we talk about this?</textarea>" in page
    assert Rupture.objects.get(pk=rupture.pk).message == ""


def test_phrases_fit_the_kind_of_bond(alice: User, bob: User) -> None:
    friends = Bond.objects.create(kind=Kind.FRIEND, created_by=alice)
    for person in (alice, bob):
        Membership.objects.create(bond=friends, user=person)
    as_alice = client_for(alice)
    rupture = start(as_alice, friends)
    page = text(as_alice.get(url("compose", friends, rupture.pk)))
    assert "Can I try saying that again, more gently?" in page
    assert "Could we hold hands while we talk about this?" not in page


def test_a_saved_draft_stays_private(as_alice: Client, as_bob: Client, bond: Bond) -> None:
    rupture = start(as_alice, bond)
    response = as_alice.post(
        url("compose", bond, rupture.pk), {"message": "DRAFT-9c1 I miss us", "action": "save"}
    )
    assert response["Location"] == url("detail", bond, rupture.pk)
    rupture.refresh_from_db()
    assert rupture.message == "DRAFT-9c1 I miss us" and rupture.visibility == Visibility.PRIVATE
    assert "DRAFT-9c1" not in text(as_bob.get(url("index", bond)))
    assert as_bob.get(url("detail", bond, rupture.pk)).status_code == 404


def test_sending_shares_the_message_and_tells_bob_without_quoting_it(
    as_alice: Client, bob: User, bond: Bond
) -> None:
    rupture = start(as_alice, bond)
    send(as_alice, bond, rupture, "SECRET-WORDS-51 I'm sorry.")
    note = Notification.objects.get(user=bob)
    assert note.title == "Alice would like to repair something with you."
    assert note.topic == "repair" and note.url == url("detail", bond, rupture.pk)
    # Sending twice (a double click) neither changes nor repeats anything.
    as_alice.post(url("compose", bond, rupture.pk), {"message": "other words", "action": "send"})
    assert Rupture.objects.get(pk=rupture.pk).message == "SECRET-WORDS-51 I'm sorry."
    assert Notification.objects.filter(user=bob).count() == 1


def test_an_empty_message_is_not_sent(as_alice: Client, bob: User, bond: Bond) -> None:
    rupture = start(as_alice, bond)
    response = as_alice.post(url("compose", bond, rupture.pk), {"message": "   ", "action": "send"})
    assert response.status_code == 400
    assert "Write a few words" in text(response)
    assert not Rupture.objects.get(pk=rupture.pk).is_sent


def test_nothing_can_be_sent_before_the_other_person_joins(alice: User) -> None:
    pending = Bond.objects.create(kind=Kind.PARTNER, created_by=alice)
    Membership.objects.create(bond=pending, user=alice)
    as_alice = client_for(alice)
    rupture = start(as_alice, pending)
    page = text(as_alice.get(url("compose", pending, rupture.pk)))
    assert 'value="send"' not in page and "once the other person has joined" in page
    response = as_alice.post(
        url("compose", pending, rupture.pk), {"message": "hi", "action": "send"}
    )
    assert response.status_code == 400
    assert not Rupture.objects.get(pk=rupture.pk).is_sent


def test_only_unsent_ruptures_can_be_deleted_and_only_by_their_author(
    as_alice: Client, as_bob: Client, bond: Bond
) -> None:
    draft, sent = start(as_alice, bond), start(as_alice, bond)
    send(as_alice, bond, sent)
    assert as_bob.post(url("delete", bond, sent.pk)).status_code == 404
    assert as_alice.post(url("delete", bond, sent.pk)).status_code == 404
    assert as_alice.post(url("delete", bond, draft.pk)).status_code == 302
    assert list(Rupture.objects.values_list("pk", flat=True)) == [sent.pk]
    assert RuptureNote.objects.count() == 1


# --- the answer ----------------------------------------------------------------------------------


def test_bob_answers_and_a_proposed_time_is_read_in_his_zone(
    as_alice: Client, as_bob: Client, as_charlie: Client, alice: User, bond: Bond
) -> None:
    with time_machine.travel(START, tick=False):
        rupture = start(as_alice, bond)
        send(as_alice, bond, rupture)
        answer = url("answer", bond, rupture.pk)
        # bob lives in New York: 19:30 there on 4 March is 00:30 UTC on the 5th.
        response = as_bob.post(
            answer, {"kind": "talk_at", "talk_at": "2026-03-04T19:30", "note": "after dinner?"}
        )
        assert response.status_code == 302
        stored = RepairAnswer.objects.get()
        assert stored.talk_at == datetime(2026, 3, 5, 0, 30, tzinfo=UTC)
        assert stored.visibility == Visibility.SHARED
        bobs_page = text(as_bob.get(url("detail", bond, rupture.pk)))
        alices_page = text(as_alice.get(url("detail", bond, rupture.pk)))
    assert "Wednesday 4 March, 19:30" in bobs_page
    assert "Thursday 5 March, 01:30" in alices_page  # Berlin
    assert "after dinner?" in alices_page
    assert Notification.objects.get(user=alice).title == "Bob answered your repair message."
    # Only the person the message was sent to answers it.
    assert as_alice.post(answer, {"kind": "accept"}).status_code == 404
    assert as_charlie.post(answer, {"kind": "accept"}).status_code == 404
    assert Client().post(answer, {"kind": "accept"}).status_code == 302
    assert RepairAnswer.objects.count() == 1


@pytest.mark.parametrize(
    "data, error",
    [
        ({"kind": "talk_at", "talk_at": ""}, "Please suggest a time to talk."),
        ({"kind": "talk_at", "talk_at": "2026-03-01T10:00"}, "already passed"),
        ({"kind": "talk_at", "talk_at": "2027-03-01T10:00"}, "within the next two months"),
        ({"kind": "talk_at", "talk_at": "9999-12-31T23:59"}, "within the next two months"),
        ({"kind": "talk_at", "talk_at": "soon"}, "Please give a date and time"),
        ({"kind": "shrug"}, "Select a valid choice"),
    ],
)
def test_answers_that_cannot_be_read_are_refused(
    as_alice: Client, as_bob: Client, bond: Bond, data: dict, error: str
) -> None:
    with time_machine.travel(START, tick=False):
        rupture = start(as_alice, bond)
        send(as_alice, bond, rupture)
        response = as_bob.post(url("answer", bond, rupture.pk), data)
    assert response.status_code == 400
    assert error in text(response)
    assert not RepairAnswer.objects.exists()


def test_a_time_skipped_by_the_clock_change_moves_forward(
    as_alice: Client, as_bob: Client, bond: Bond
) -> None:
    with time_machine.travel(START, tick=False):
        rupture = start(as_alice, bond)
        send(as_alice, bond, rupture)
        # 02:30 on 8 March 2026 does not exist in New York; it becomes 03:30 EDT.
        as_bob.post(
            url("answer", bond, rupture.pk), {"kind": "talk_at", "talk_at": "2026-03-08T02:30"}
        )
    assert RepairAnswer.objects.get().talk_at == datetime(2026, 3, 8, 7, 30, tzinfo=UTC)


# --- resolving together --------------------------------------------------------------------------


@pytest.mark.parametrize("first", ["alice", "bob"])
def test_resolved_only_once_both_have_marked_it(
    first: str, as_alice: Client, as_bob: Client, alice: User, bob: User, bond: Bond
) -> None:
    rupture = start(as_alice, bond)
    send(as_alice, bond, rupture)
    as_bob.post(url("answer", bond, rupture.pk), {"kind": "accept"})
    clients = {"alice": as_alice, "bob": as_bob}
    second = "bob" if first == "alice" else "alice"
    resolve = url("resolve", bond, rupture.pk)
    clients[first].post(resolve)
    clients[first].post(resolve)  # a second press changes nothing
    rupture.refresh_from_db()
    assert rupture.resolved_at is None
    assert Rupture.objects.visible_to(alice).unresolved(bond).count() == 1
    waiting = text(clients[second].get(url("detail", bond, rupture.pk)))
    name = {"alice": "Alice", "bob": "Bob"}[first]
    assert f"{name} has marked it resolved." in waiting
    clients[second].post(resolve)
    rupture.refresh_from_db()
    assert rupture.resolved_at is not None
    assert rupture.author_resolved_at and rupture.other_resolved_at
    assert not Rupture.objects.unresolved(bond).exists()
    for client in clients.values():
        assert "Resolved together" in text(client.get(url("detail", bond, rupture.pk)))
    titles = set(Notification.objects.filter(topic="repair").values_list("title", flat=True))
    assert f"{name} marked the repair as resolved on their side." in titles
    other_name = {"alice": "Alice", "bob": "Bob"}[second]
    assert f"You and {other_name} have both marked the repair as resolved." in titles


def test_marks_landing_together_still_resolve(alice: User, bob: User, bond: Bond) -> None:
    rupture = Rupture.objects.create(
        bond=bond, author=alice, visibility=Visibility.SHARED, message="x", sent_at=timezone.now()
    )
    stale = Rupture.objects.get(pk=rupture.pk)
    # bob's mark lands between alice reading the row and writing hers.
    assert rupture.mark_resolved(bob) is False
    assert stale.mark_resolved(alice) is True
    assert Rupture.objects.get(pk=rupture.pk).resolved_at is not None


def test_an_unsent_rupture_is_settled_by_its_author_alone(
    as_alice: Client, as_bob: Client, bob: User, bond: Bond
) -> None:
    rupture = start(as_alice, bond)
    assert as_bob.post(url("resolve", bond, rupture.pk)).status_code == 404
    as_alice.post(url("resolve", bond, rupture.pk))
    rupture.refresh_from_db()
    assert rupture.resolved_at is not None and rupture.other_resolved_at is None
    assert not Notification.objects.filter(user=bob).exists()
    assert as_alice.get(url("compose", bond, rupture.pk))["Location"] == url(
        "detail", bond, rupture.pk
    )


def test_unresolved_lists_what_each_person_may_see(
    as_alice: Client, as_bob: Client, alice: User, bob: User, charlie: User, bond: Bond
) -> None:
    draft = start(as_alice, bond)
    sent = start(as_alice, bond)
    send(as_alice, bond, sent)
    done = start(as_bob, bond)
    as_bob.post(url("resolve", bond, done.pk))
    assert list(Rupture.objects.unresolved(bond)) == [draft, sent]
    assert list(Rupture.objects.visible_to(alice).unresolved(bond)) == [draft, sent]
    assert list(Rupture.objects.visible_to(bob).unresolved(bond)) == [sent]
    assert not Rupture.objects.visible_to(charlie).unresolved(bond).exists()
    page = text(as_bob.get(url("index", bond)))
    assert "A repair message from Alice" in page and "Waiting for your answer." in page


def test_the_repair_page_takes_a_bounded_number_of_queries(
    as_alice: Client, as_bob: Client, alice: User, bond: Bond, django_assert_max_num_queries
) -> None:
    def some(n: int) -> None:
        for i in range(n):
            r = start(as_alice, bond)
            if i % 2:
                send(as_alice, bond, r)
                as_bob.post(url("answer", bond, r.pk), {"kind": "need_time"})
            if i % 3 == 0:
                as_alice.post(url("resolve", bond, r.pk))

    some(3)
    with django_assert_max_num_queries(14) as few:
        as_alice.get(url("index", bond))
    count = len(few.captured_queries)
    some(12)
    # Four times the history, not one query more.
    with django_assert_max_num_queries(count):
        response = as_alice.get(url("index", bond))
    assert response.status_code == 200


def test_an_ended_bond_keeps_ruptures_read_only(as_alice: Client, alice: User, bond: Bond) -> None:
    rupture = start(as_alice, bond)
    bond.end(alice)
    assert as_alice.get(url("detail", bond, rupture.pk)).status_code == 200
    assert as_alice.get(url("index", bond)).status_code == 200
    assert as_alice.get(url("start", bond)).status_code == 404
    assert as_alice.post(url("resolve", bond, rupture.pk)).status_code == 404
    assert "Something happened</a>" not in text(as_alice.get(url("index", bond)))


# --- counselling ---------------------------------------------------------------------------------


def _rupture_at(
    bond: Bond, author: User, when: datetime, topic: str = "money", own: str = ""
) -> Rupture:
    rupture = Rupture.objects.create(bond=bond, author=author, created_at=when)
    RuptureNote.objects.create(
        bond=bond, author=author, rupture=rupture, created_at=when, topic=topic, own_topic=own
    )
    return rupture


def _resolve_all(bond: Bond) -> None:
    now = timezone.now()
    Rupture.objects.filter(bond=bond).update(author_resolved_at=now, resolved_at=now)


def test_the_same_topic_three_times_in_eight_weeks_suggests_counselling(
    alice: User, bob: User, bond: Bond
) -> None:
    with time_machine.travel(START, tick=False):
        for weeks in (7, 3, 0):
            _rupture_at(bond, alice, START - timedelta(weeks=weeks))
        _resolve_all(bond)
        assert counselling_reasons(bond, alice) == ["repeated"]
        assert counselling_reasons(bond, bob) == []  # her topics are hers


def test_the_same_topic_three_times_over_ten_weeks_does_not(alice: User, bond: Bond) -> None:
    with time_machine.travel(START, tick=False):
        for weeks in (10, 5, 0):
            _rupture_at(bond, alice, START - timedelta(weeks=weeks))
        _rupture_at(bond, alice, START, topic="chores")
        _resolve_all(bond)
        assert counselling_reasons(bond, alice) == []


def test_own_topics_count_as_the_same_whatever_their_case(alice: User, bond: Bond) -> None:
    with time_machine.travel(START, tick=False):
        for own in ("The car", "the  CAR", " the car "):
            _rupture_at(bond, alice, START - timedelta(days=3), topic="own", own=own)
        _resolve_all(bond)
        assert counselling_reasons(bond, alice) == ["repeated"]


def test_a_rupture_unresolved_for_fourteen_days_suggests_counselling(
    as_alice: Client, as_bob: Client, alice: User, bob: User, bond: Bond
) -> None:
    with time_machine.travel(START, tick=False) as traveller:
        rupture = start(as_alice, bond)
        traveller.shift(timedelta(days=5))
        send(as_alice, bond, rupture)
        traveller.shift(timedelta(days=9) - timedelta(minutes=1))
        assert counselling_reasons(bond, alice) == []
        traveller.shift(timedelta(minutes=2))
        assert counselling_reasons(bond, alice) == ["unresolved"]
        assert counselling_reasons(bond, bob) == []  # sent to him only nine days ago
        assert "Some help could make this easier" in text(as_alice.get(url("index", bond)))
        assert "Some help could make this easier" not in text(as_bob.get(url("index", bond)))
        traveller.shift(timedelta(days=5))
        assert counselling_reasons(bond, bob) == ["unresolved"]
        page = text(as_bob.get(url("detail", bond, rupture.pk)))
        assert "Some help could make this easier" in page
        assert url("counselling", bond) in page
        as_alice.post(url("resolve", bond, rupture.pk))
        as_bob.post(url("resolve", bond, rupture.pk))
        assert counselling_reasons(bond, alice) == counselling_reasons(bond, bob) == []


def test_counselling_guidance_fits_the_bond(alice: User, bob: User, bond: Bond) -> None:
    page = text(client_for(alice).get(url("counselling", bond)))
    assert "Couples counselling" in page and "What to look for in a counsellor" in page
    assert "Bringing it up kindly" in page and "not advised where someone feels afraid" in page
    siblings = Bond.objects.create(kind=Kind.SIBLING, created_by=alice)
    Membership.objects.create(bond=siblings, user=alice)
    page = text(client_for(alice).get(url("counselling", siblings)))
    assert "Support for family and friendships" in page and "Couples counselling" not in page


# --- safety ----------------------------------------------------------------------------------------


def test_a_positive_screen_swaps_the_approach_steps_for_support(
    as_alice: Client, alice: User, bond: Bond
) -> None:
    positive(alice)
    with time_machine.travel(START, tick=False) as traveller:
        for weeks in (2, 1):
            _rupture_at(bond, alice, START - timedelta(weeks=weeks))
        rupture = start(as_alice, bond, topic="money")
        assert "repeated" in counselling_reasons(bond, alice)
        # Straight to the rupture page, not to owning her part.
        detail = url("detail", bond, rupture.pk)
        for name in ("my_part", "compose"):
            assert as_alice.get(url(name, bond, rupture.pk))["Location"] == detail
        response = as_alice.post(
            url("compose", bond, rupture.pk), {"message": "hi", "action": "send"}
        )
        assert response["Location"] == detail
        assert not Rupture.objects.get(pk=rupture.pk).is_sent
        traveller.shift(timedelta(days=20))
        pages = [
            text(as_alice.get(p)) for p in (detail, url("index", bond), url("counselling", bond))
        ]
    support = reverse("safety:support")
    for page in pages:
        assert support in page
        assert "Some help could make this easier" not in page
        assert "Bringing it up kindly" not in page
        assert url("compose", bond, rupture.pk) not in page
        assert url("my_part", bond, rupture.pk) not in page
    assert NOTE_MARK in pages[0]  # her own notes are still hers to read


def test_bob_answering_with_a_positive_screen_is_not_asked_to_meet(
    as_alice: Client, as_bob: Client, bob: User, bond: Bond
) -> None:
    rupture = start(as_alice, bond)
    send(as_alice, bond, rupture)
    positive(bob)
    page = text(as_bob.get(url("detail", bond, rupture.pk)))
    assert 'value="talk_at"' not in page and reverse("safety:support") in page
    response = as_bob.post(url("answer", bond, rupture.pk), {"kind": "talk_at", "talk_at": "x"})
    assert response.status_code == 400
    assert as_bob.post(url("answer", bond, rupture.pk), {"kind": "need_time"}).status_code == 302


def _bobs_pages(client: Client, bond: Bond, rupture: Rupture) -> dict[str, str]:
    out = {}
    for path in (url("index", bond), url("detail", bond, rupture.pk), url("counselling", bond)):
        response = client.get(path)
        assert response.status_code == 200, path
        out[path] = CSRF.sub(r"\1\2-", text(response))
    return out


def test_bob_cannot_tell_that_alice_screened_positive(
    as_alice: Client, as_bob: Client, alice: User, bob: User, bond: Bond
) -> None:
    with time_machine.travel(START, tick=False) as traveller:
        rupture = start(as_alice, bond)
        send(as_alice, bond, rupture)
        traveller.shift(timedelta(days=15))
        before = _bobs_pages(as_bob, bond, rupture)
        notes_before = list(Notification.objects.filter(user=bob).values_list("title", flat=True))
        positive(alice)
        as_alice.get(url("index", bond))
        as_alice.get(url("detail", bond, rupture.pk))
        after = _bobs_pages(as_bob, bond, rupture)
    assert "Some help could make this easier" in before[url("index", bond)]
    assert after == before
    assert (
        list(Notification.objects.filter(user=bob).values_list("title", flat=True)) == notes_before
    )
