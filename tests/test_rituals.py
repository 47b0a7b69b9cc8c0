"""Rituals: templates and custom rituals, "we did it" once a day whoever taps
first, reminders per person, the weekly rhythm without streaks, and touch
ideas that fit the bond; charlie sees none of alice and bob's."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from tending.accounts.models import User
from tending.bonds.models import Bond, Kind, Membership
from tending.rituals.models import Completion, ReminderSchedule, Ritual, TouchSetting
from tending.rituals.schedule import set_reminders
from tending.safety.models import SafetyScreen

# Wednesday 10 June 2026, 15:00 UTC: 17:00 in Berlin, 11:00 in New York, the
# same date for alice and bob.
NOON_ISH = datetime(2026, 6, 10, 15, 0, tzinfo=UTC)
GUILT = re.compile(
    r"streak|missed|you forgot|don't forget|overdue|failed|fall(en)? behind|broke", re.I
)


@pytest.fixture(autouse=True)
def _june() -> object:
    with time_machine.travel(NOON_ISH, tick=False):
        yield


def _ritual(bond: Bond, author: User, **fields: object) -> Ritual:
    values: dict[str, object] = {
        "name": "Evening walk",
        "weekdays": 0b0010101,  # Mon, Wed, Fri
        "at": time(19, 30),
        "minutes": 30,
    }
    values.update(fields)
    return Ritual.objects.create(bond=bond, author=author, **values)


def _pair(kind: str, a: User, b: User) -> Bond:
    bond = Bond.objects.create(kind=kind, created_by=a)
    Membership.objects.create(bond=bond, user=a)
    Membership.objects.create(bond=bond, user=b)
    return bond


def _messages(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(m) for m in response.context["messages"]] if response.context else []


# Pages and who sees them


def test_the_page_offers_templates_that_fit_the_kind(
    as_alice: Client, as_charlie: Client, bond: Bond, charlie_bond: Bond
) -> None:
    page = as_alice.get(reverse("rituals:index", args=[bond.pk])).content.decode()
    assert "Morning coffee talk" in page and "Evening walk without phones" in page
    assert "Evening reflection" not in page  # for one person alone
    solo = as_charlie.get(reverse("rituals:index", args=[charlie_bond.pk])).content.decode()
    assert "Evening reflection" in solo and "Morning coffee talk" not in solo
    assert "Touch without agenda" in page and "Touch without agenda" not in solo


def test_a_template_fills_in_the_form(as_alice: Client, bond: Bond) -> None:
    url = reverse("rituals:create", args=[bond.pk]) + "?template=evening-walk-no-phones"
    page = as_alice.get(url).content.decode()
    assert 'value="Evening walk without phones"' in page
    assert 'value="19:30"' in page
    checked = re.findall(r'name="days" value="(\d)"[^>]*checked', page)
    assert checked == ["0", "2", "4"]


def test_creating_a_ritual_turns_reminders_on_for_its_maker_only(
    as_alice: Client, as_bob: Client, alice: User, bob: User, bond: Bond
) -> None:
    response = as_alice.post(
        reverse("rituals:create", args=[bond.pk]),
        {
            "name": "  Sunday   pancakes ",
            "days": ["6"],
            "at": "09:15",
            "minutes": "45",
            "remind_me": "on",
            "template": "",
        },
    )
    assert response.status_code == 302
    ritual = Ritual.objects.get(bond=bond)
    assert (ritual.name, ritual.days, ritual.at, ritual.minutes) == (
        "Sunday pancakes",
        [6],
        time(9, 15),
        45,
    )
    assert ritual.visibility == "shared" and ritual.template == ""
    mine = ReminderSchedule.objects.get(ritual=ritual, user=alice)
    # Sunday 14 June, 09:15 in Berlin (CEST, UTC+2).
    assert mine.enabled and mine.next_due_at == datetime(2026, 6, 14, 7, 15, tzinfo=UTC)
    assert mine.zone == "Europe/Berlin"
    assert not ReminderSchedule.objects.filter(user=bob, enabled=True).exists()
    page = as_bob.get(reverse("rituals:index", args=[bond.pk])).content.decode()
    assert "Sunday pancakes" in page and "No reminders for you." in page


def test_a_ritual_needs_a_name_and_a_day(as_alice: Client, bond: Bond) -> None:
    response = as_alice.post(
        reverse("rituals:create", args=[bond.pk]),
        {"name": "   ", "at": "25:00", "minutes": "0"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Give the ritual a name." in body and "Choose at least one day." in body
    assert not Ritual.objects.exists()


def test_charlie_sees_and_changes_nothing(as_charlie: Client, alice: User, bond: Bond) -> None:
    ritual = _ritual(bond, alice)
    urls = [
        reverse("rituals:index", args=[bond.pk]),
        reverse("rituals:rhythm", args=[bond.pk]),
        reverse("rituals:touch", args=[bond.pk]),
        reverse("rituals:edit", args=[bond.pk, ritual.pk]),
    ]
    for url in urls:
        assert as_charlie.get(url).status_code == 404
    for name in ("done", "undo", "reminders", "delete"):
        url = reverse(f"rituals:{name}", args=[bond.pk, ritual.pk])
        assert as_charlie.post(url, {"enabled": "on"}).status_code == 404
    assert as_charlie.post(reverse("rituals:touch_setting", args=[bond.pk])).status_code == 404
    assert Ritual.objects.filter(pk=ritual.pk).exists()
    assert not Completion.objects.exists() and not ReminderSchedule.objects.exists()
    assert Client().get(reverse("rituals:index", args=[bond.pk])).status_code == 302


def test_a_ritual_of_another_bond_is_not_found_through_ours(
    as_alice: Client, alice: User, charlie: User, bond: Bond, charlie_bond: Bond
) -> None:
    theirs = _ritual(charlie_bond, charlie)
    url = reverse("rituals:done", args=[bond.pk, theirs.pk])
    assert as_alice.post(url).status_code == 404
    assert not Completion.objects.exists()


# "We did it"


def test_whoever_taps_first_records_it_and_the_other_is_told_kindly(
    as_alice: Client, as_bob: Client, alice: User, bond: Bond
) -> None:
    ritual = _ritual(bond, alice)
    url = reverse("rituals:done", args=[bond.pk, ritual.pk])
    first = as_alice.post(url, {"day": "today"}, follow=True)
    assert _messages(first) == ["Noted for today. Nice."]
    second = as_bob.post(url, {"day": "today"}, follow=True)
    assert _messages(second) == ["Alice already noted this for today. It counts for you both."]
    again = as_alice.post(url, {"day": "today"}, follow=True)
    assert _messages(again) == ["This is already noted for today. Nothing more to do."]
    done = Completion.objects.get()
    assert (done.ritual_id, done.day, done.recorded_by_id) == (
        ritual.pk,
        date(2026, 6, 10),
        alice.pk,
    )
    page = as_bob.get(reverse("rituals:index", args=[bond.pk])).content.decode()
    assert "Done today, noted by Alice." in page


def test_yesterday_can_be_noted_too_and_taken_back_by_its_recorder(
    as_alice: Client, as_bob: Client, alice: User, bond: Bond
) -> None:
    ritual = _ritual(bond, alice)
    as_bob.post(reverse("rituals:done", args=[bond.pk, ritual.pk]), {"day": "yesterday"})
    assert list(Completion.objects.values_list("day", flat=True)) == [date(2026, 6, 9)]
    undo = reverse("rituals:undo", args=[bond.pk, ritual.pk])
    as_alice.post(undo, {"day": "yesterday"})
    assert Completion.objects.count() == 1  # alice did not record it
    as_bob.post(undo, {"day": "yesterday"})
    assert not Completion.objects.exists()


def test_the_day_is_the_recorders_own_date(as_bob: Client, alice: User, bond: Bond) -> None:
    ritual = _ritual(bond, alice)
    # 02:00 UTC on 11 June: already the 11th in Berlin, still the 10th in New York.
    with time_machine.travel(datetime(2026, 6, 11, 2, 0, tzinfo=UTC), tick=False):
        as_bob.post(reverse("rituals:done", args=[bond.pk, ritual.pk]))
    assert Completion.objects.get().day == date(2026, 6, 10)


def test_an_ended_bond_keeps_its_rituals_read_only(
    as_alice: Client, alice: User, bob: User, bond: Bond
) -> None:
    ritual = _ritual(bond, alice)
    bond.end(bob)
    page = as_alice.get(reverse("rituals:index", args=[bond.pk]))
    assert page.status_code == 200 and "Evening walk" in page.content.decode()
    assert "We did it today" not in page.content.decode()
    assert as_alice.post(reverse("rituals:done", args=[bond.pk, ritual.pk])).status_code == 404


# Reminders per person


def test_each_person_turns_their_own_reminders_on_and_off(
    as_bob: Client, alice: User, bob: User, bond: Bond
) -> None:
    ritual = _ritual(bond, alice)
    set_reminders(ritual, alice, True)
    url = reverse("rituals:reminders", args=[bond.pk, ritual.pk])
    as_bob.post(url, {"enabled": "on"})
    theirs = ReminderSchedule.objects.get(user=bob)
    # Wednesday 19:30 in New York (EDT, UTC-4) is later today.
    assert theirs.next_due_at == datetime(2026, 6, 10, 23, 30, tzinfo=UTC)
    assert theirs.zone == "America/New_York"
    as_bob.post(url, {})
    theirs.refresh_from_db()
    assert not theirs.enabled and theirs.next_due_at is None
    mine = ReminderSchedule.objects.get(user=alice)
    assert mine.enabled and mine.next_due_at == datetime(2026, 6, 10, 17, 30, tzinfo=UTC)


def test_changing_the_time_moves_everyones_reminders(
    as_bob: Client, alice: User, bob: User, bond: Bond
) -> None:
    ritual = _ritual(bond, alice)
    set_reminders(ritual, alice, True)
    set_reminders(ritual, bob, True)
    response = as_bob.post(
        reverse("rituals:edit", args=[bond.pk, ritual.pk]),
        {"name": "Evening walk", "days": ["3"], "at": "08:00", "minutes": "20"},
    )
    assert response.status_code == 302
    due = dict(ReminderSchedule.objects.values_list("user_id", "next_due_at"))
    # Thursday 11 June at 08:00 on each person's own clock.
    assert due == {
        alice.pk: datetime(2026, 6, 11, 6, 0, tzinfo=UTC),
        bob.pk: datetime(2026, 6, 11, 12, 0, tzinfo=UTC),
    }


def test_the_page_says_when_a_reminder_falls_in_quiet_hours(
    as_alice: Client, alice: User, bond: Bond
) -> None:
    late = _ritual(bond, alice, name="Thanks before sleep", at=time(22, 30))
    set_reminders(late, alice, True)
    page = as_alice.get(reverse("rituals:index", args=[bond.pk])).content.decode()
    assert "falls inside your quiet hours" in page


def test_removing_a_ritual_removes_its_reminders(as_bob: Client, alice: User, bond: Bond) -> None:
    ritual = _ritual(bond, alice)
    set_reminders(ritual, alice, True)
    as_bob.post(reverse("rituals:delete", args=[bond.pk, ritual.pk]))
    assert not Ritual.objects.exists() and not ReminderSchedule.objects.exists()


# The weekly rhythm


def test_the_rhythm_shows_what_happened_without_streaks(
    as_alice: Client, alice: User, bond: Bond, django_assert_max_num_queries
) -> None:
    rituals = []
    with time_machine.travel(NOON_ISH - timedelta(weeks=5), tick=False):
        for i in range(6):
            rituals.append(_ritual(bond, alice, name=f"Ritual {i}", weekdays=0b1111111))
    for r in rituals:
        for back in range(0, 30, 2):
            Completion.objects.create(ritual=r, day=date(2026, 6, 10) - timedelta(days=back))
    with django_assert_max_num_queries(12):
        response = as_alice.get(reverse("rituals:rhythm", args=[bond.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert not GUILT.search(body)
    assert body.count('aria-label="done"') == 6 * 12  # every other day from 19 May on
    assert "This week" in body and "Last week" in body
    # Wednesday 10 June is in this week (Mon 8 – Sun 14): 8th and 10th done.
    this_week = body.split("Last week")[0]
    assert this_week.count('aria-label="done"') == 6 * 2
    assert "12 times" in this_week


def test_days_before_a_ritual_began_are_left_plain(
    as_alice: Client, alice: User, bond: Bond
) -> None:
    _ritual(bond, alice, weekdays=0b1111111)
    body = as_alice.get(reverse("rituals:rhythm", args=[bond.pk])).content.decode()
    # It began on Wednesday: Tuesday and Wednesday of this week show as its days
    # (yesterday may still be noted), earlier weeks show nothing at all.
    this_week, _, earlier = body.partition("Last week")
    assert this_week.count('aria-label="one of its days"') == 2
    assert this_week.count('aria-label="coming up"') == 4
    assert "one of its days" not in earlier


# Touch without agenda


def test_touch_ideas_fit_the_kind_and_start_on_only_for_partners(
    alice: User, bob: User, as_alice: Client, bond: Bond
) -> None:
    partner = as_alice.get(reverse("rituals:touch", args=[bond.pk])).content.decode()
    assert "A slow hug in the kitchen" in partner and "slow dance" in partner
    friends = _pair(Kind.FRIEND, alice, bob)
    url = reverse("rituals:touch", args=[friends.pk])
    off = as_alice.get(url).content.decode()
    assert "Touch ideas are off for this bond." in off and "high five" not in off
    as_alice.post(reverse("rituals:touch_setting", args=[friends.pk]), {"enabled": "on"})
    on = as_alice.get(url).content.decode()
    assert "A high five" in on
    assert "slow dance" not in on and "kitchen while the kettle" not in on  # partner-only ideas
    assert TouchSetting.objects.get(bond=friends).enabled


@pytest.mark.parametrize("kind", [Kind.SIBLING, Kind.PARENT_CHILD])
def test_family_bonds_start_with_touch_off(
    alice: User, bob: User, as_bob: Client, kind: str
) -> None:
    family = _pair(kind, alice, bob)
    page = as_bob.get(reverse("rituals:touch", args=[family.pk])).content.decode()
    assert "Touch ideas are off for this bond." in page


def test_either_member_can_turn_touch_off(as_bob: Client, bond: Bond) -> None:
    as_bob.post(reverse("rituals:touch_setting", args=[bond.pk]), {})
    page = as_bob.get(reverse("rituals:touch", args=[bond.pk])).content.decode()
    assert "Touch ideas are off for this bond." in page and "kettle" not in page


def test_just_me_never_has_touch_ideas(as_charlie: Client, charlie_bond: Bond) -> None:
    assert as_charlie.get(reverse("rituals:touch", args=[charlie_bond.pk])).status_code == 404
    url = reverse("rituals:touch_setting", args=[charlie_bond.pk])
    assert as_charlie.post(url, {"enabled": "on"}).status_code == 404


def test_touch_ideas_are_hidden_from_someone_who_may_not_be_safe(
    alice: User, as_alice: Client, as_bob: Client, bond: Bond
) -> None:
    SafetyScreen.objects.create(user=alice, answers={"afraid": True}, positive=True)
    hers = as_alice.get(reverse("rituals:touch", args=[bond.pk])).content.decode()
    assert "kettle" not in hers and reverse("safety:support") in hers
    his = as_bob.get(reverse("rituals:touch", args=[bond.pk])).content.decode()
    assert "kettle" in his and reverse("safety:support") not in his


# Wording


def test_no_guilt_in_any_ritual_page(as_alice: Client, alice: User, bond: Bond) -> None:
    ritual = _ritual(bond, alice)
    set_reminders(ritual, alice, True)
    for url in (
        reverse("rituals:index", args=[bond.pk]),
        reverse("rituals:rhythm", args=[bond.pk]),
        reverse("rituals:touch", args=[bond.pk]),
        reverse("rituals:create", args=[bond.pk]),
        reverse("rituals:edit", args=[bond.pk, ritual.pk]),
    ):
        body = as_alice.get(url).content.decode()
        assert not GUILT.search(body), url
