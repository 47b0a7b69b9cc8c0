"""Ritual reminders as the worker sends them: at the ritual's time on each
person's own clock, across daylight-saving changes in both hemispheres
(including the skipped and the repeated hour), once per occurrence, never for
what is already done, never in quiet hours, and never twice."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tending.accounts.models import User
from tending.bonds.models import Bond
from tending.lib.claims import claim_batch
from tending.notify.models import Notification, Preferences
from tending.ops.jobs import STOP
from tending.rituals import jobs
from tending.rituals.jobs import (
    LEASE,
    due_schedules,
    handle_batch,
    refresh_moved_people,
    remind_due,
)
from tending.rituals.models import Completion, ReminderSchedule, Ritual
from tending.rituals.schedule import set_reminders

BERLIN = ZoneInfo("Europe/Berlin")
SYDNEY = ZoneInfo("Australia/Sydney")
EVERY_DAY = 0b1111111


def _utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def _no_quiet_hours(*people: User) -> None:
    for person in people:
        Preferences.objects.update_or_create(
            user=person, defaults={"quiet_start": None, "quiet_end": None}
        )


def _ritual(bond: Bond, author: User, at: time, weekdays: int = EVERY_DAY, **kw: object) -> Ritual:
    kw.setdefault("name", "Coffee")
    return Ritual.objects.create(
        bond=bond, author=author, weekdays=weekdays, at=at, minutes=10, **kw
    )


def _run_until(end: datetime, schedule: ReminderSchedule) -> list[datetime]:
    """Jump from one due moment to the next (a minute late, as a worker would
    be), run the job, and return the moments reminders were recorded at."""
    sent = []
    while True:
        schedule.refresh_from_db()
        due = schedule.next_due_at
        if due is None or due > end:
            return sent
        with time_machine.travel(due + timedelta(minutes=1), tick=False):
            before = Notification.objects.count()
            remind_due()
            if Notification.objects.count() > before:
                sent.append(due)


# Daylight-saving changes


@pytest.mark.parametrize(
    ("zone", "start", "end", "changed_day", "changed_local"),
    [
        # Berlin springs forward on Sunday 29 March 2026: 02:00 becomes 03:00.
        ("Europe/Berlin", _utc(2026, 3, 26), _utc(2026, 4, 2), date(2026, 3, 29), time(3, 30)),
        # Sydney springs forward on Sunday 4 October 2026.
        ("Australia/Sydney", _utc(2026, 9, 30), _utc(2026, 10, 8), date(2026, 10, 4), time(3, 30)),
    ],
    ids=["berlin", "sydney"],
)
def test_a_reminder_in_the_skipped_hour_comes_right_after_it(
    alice: User,
    bond: Bond,
    zone: str,
    start: datetime,
    end: datetime,
    changed_day: date,
    changed_local: time,
) -> None:
    alice.time_zone = zone
    alice.save()
    _no_quiet_hours(alice)
    ritual = _ritual(bond, alice, time(2, 30))
    with time_machine.travel(start, tick=False):
        schedule = set_reminders(ritual, alice, True)
    sent = _run_until(end, schedule)
    local = [m.astimezone(ZoneInfo(zone)) for m in sent]
    days = [m.date() for m in local]
    assert days == sorted(set(days)) and len(days) >= 6  # one a day, none missing
    assert days == [days[0] + timedelta(days=i) for i in range(len(days))]
    for moment in local:
        expected = changed_local if moment.date() == changed_day else time(2, 30)
        assert moment.time() == expected, moment


@pytest.mark.parametrize(
    ("zone", "start", "end", "changed_day", "first_utc"),
    [
        # Berlin falls back on Sunday 25 October 2026: 02:30 happens twice.
        (
            "Europe/Berlin",
            _utc(2026, 10, 22),
            _utc(2026, 10, 29),
            date(2026, 10, 25),
            _utc(2026, 10, 25, 0, 30),
        ),
        # Sydney falls back on Sunday 5 April 2026.
        (
            "Australia/Sydney",
            _utc(2026, 4, 1),
            _utc(2026, 4, 9),
            date(2026, 4, 5),
            _utc(2026, 4, 4, 15, 30),
        ),
    ],
    ids=["berlin", "sydney"],
)
def test_a_reminder_in_the_repeated_hour_comes_once(
    alice: User,
    bond: Bond,
    zone: str,
    start: datetime,
    end: datetime,
    changed_day: date,
    first_utc: datetime,
) -> None:
    alice.time_zone = zone
    alice.save()
    _no_quiet_hours(alice)
    ritual = _ritual(bond, alice, time(2, 30))
    with time_machine.travel(start, tick=False):
        schedule = set_reminders(ritual, alice, True)
    sent = _run_until(end, schedule)
    local = [m.astimezone(ZoneInfo(zone)) for m in sent]
    assert all(m.time() == time(2, 30) for m in local)
    days = [m.date() for m in local]
    assert len(days) == len(set(days)) and changed_day in days
    assert first_utc in sent  # the first of the two 02:30s
    assert first_utc + timedelta(hours=1) not in sent  # and not the second


def test_a_weekly_reminder_keeps_its_wall_clock_time_across_both_changes(
    alice: User, charlie: User, bond: Bond, charlie_bond: Bond
) -> None:
    _no_quiet_hours(alice, charlie)
    sunday = 1 << 6
    # Sundays from 1 March to 19 April: eight in Berlin; in Sydney the first
    # (09:00 on 1 March) has passed at the start, so seven.
    for person, home, tz, count in ((alice, bond, BERLIN, 8), (charlie, charlie_bond, SYDNEY, 7)):
        ritual = _ritual(home, person, time(9, 0), sunday)
        with time_machine.travel(_utc(2026, 3, 1), tick=False):
            schedule = set_reminders(ritual, person, True)
        sent = _run_until(_utc(2026, 4, 20), schedule)
        assert len(sent) == count
        assert {m.astimezone(tz).time() for m in sent} == {time(9, 0)}
        assert {m.astimezone(tz).weekday() for m in sent} == {6}
        # Berlin's 09:00 moves from 08:00 to 07:00 UTC; Sydney's from 22:00 to 23:00.
        assert len({m.time() for m in sent}) == 2


def test_moving_to_another_zone_moves_the_reminders(alice: User, bond: Bond) -> None:
    ritual = _ritual(bond, alice, time(7, 30))
    with time_machine.travel(_utc(2026, 6, 10, 12, 0), tick=False):
        set_reminders(ritual, alice, True)
        alice.time_zone = "Asia/Tokyo"
        alice.save()
    schedule = ReminderSchedule.objects.get()
    assert schedule.zone == "Asia/Tokyo"
    assert schedule.next_due_at == _utc(2026, 6, 10, 22, 30)  # 07:30 on the 11th in Tokyo


def test_a_zone_changed_behind_the_signals_back_is_caught_by_the_chore(
    alice: User, bond: Bond
) -> None:
    ritual = _ritual(bond, alice, time(7, 30))
    with time_machine.travel(_utc(2026, 6, 10, 12, 0), tick=False):
        set_reminders(ritual, alice, True)
        User.objects.filter(pk=alice.pk).update(time_zone="America/Los_Angeles")
        assert refresh_moved_people() == 1
        assert refresh_moved_people() == 0
    schedule = ReminderSchedule.objects.get()
    assert schedule.next_due_at == _utc(2026, 6, 10, 14, 30)  # 07:30 today in Los Angeles


# What is sent, and what is not


@pytest.fixture
def due(alice: User, bob: User, bond: Bond) -> ReminderSchedule:
    _no_quiet_hours(alice)
    ritual = _ritual(bond, alice, time(7, 30), template="morning-coffee-talk")
    with time_machine.travel(_utc(2026, 6, 10, 0, 0), tick=False):
        return set_reminders(ritual, alice, True)


def test_the_reminder_names_our_template_and_the_other_person(due: ReminderSchedule) -> None:
    with time_machine.travel(_utc(2026, 6, 10, 5, 31), tick=False):
        assert remind_due() == 1
        assert remind_due() == 0
    n = Notification.objects.get()
    assert n.title == "A reminder: Morning coffee talk with Bob"
    assert n.topic == "rituals" and n.url.endswith(f"#ritual-{due.ritual_id}")
    due.refresh_from_db()
    assert due.next_due_at == _utc(2026, 6, 11, 5, 30) and due.claim == ""
    assert due.last_sent_at == _utc(2026, 6, 10, 5, 31)


def test_a_custom_name_never_reaches_the_reminder(alice: User, bond: Bond) -> None:
    _no_quiet_hours(alice)
    ritual = _ritual(bond, alice, time(7, 30), name="SECRET-our-private-thing")
    with time_machine.travel(_utc(2026, 6, 10, 0, 0), tick=False):
        set_reminders(ritual, alice, True)
    with time_machine.travel(_utc(2026, 6, 10, 5, 31), tick=False):
        remind_due()
    assert Notification.objects.get().title == "A reminder: your ritual with Bob"


def test_nothing_is_sent_for_what_is_already_done_today(due: ReminderSchedule) -> None:
    Completion.objects.create(ritual=due.ritual, day=date(2026, 6, 10))
    with time_machine.travel(_utc(2026, 6, 10, 5, 31), tick=False):
        assert remind_due() == 1
    assert not Notification.objects.exists()
    due.refresh_from_db()
    assert due.next_due_at == _utc(2026, 6, 11, 5, 30)


def test_nothing_is_sent_in_quiet_hours(alice: User, bond: Bond) -> None:
    ritual = _ritual(bond, alice, time(22, 30))  # default quiet hours: 22:00–07:00
    with time_machine.travel(_utc(2026, 6, 10, 0, 0), tick=False):
        schedule = set_reminders(ritual, alice, True)
    with time_machine.travel(_utc(2026, 6, 10, 20, 31), tick=False):
        remind_due()
    assert not Notification.objects.exists()
    schedule.refresh_from_db()
    assert schedule.next_due_at == _utc(2026, 6, 11, 20, 30)


def test_a_reminder_found_hours_late_is_let_go(due: ReminderSchedule) -> None:
    with time_machine.travel(_utc(2026, 6, 10, 9, 0), tick=False):
        remind_due()
    assert not Notification.objects.exists()
    due.refresh_from_db()
    assert due.next_due_at == _utc(2026, 6, 11, 5, 30)


def test_an_ended_bond_sends_nothing_more(due: ReminderSchedule, bob: User, bond: Bond) -> None:
    bond.end(bob)
    with time_machine.travel(_utc(2026, 6, 10, 5, 31), tick=False):
        remind_due()
    assert not Notification.objects.exists()
    due.refresh_from_db()
    assert not due.enabled and due.next_due_at is None


# Claims: never twice, and a crash loses nothing for long


def test_a_claimed_reminder_is_not_taken_again_until_its_lease_ends(due: ReminderSchedule) -> None:
    now = _utc(2026, 6, 10, 5, 31)
    with time_machine.travel(now, tick=False):
        taken = claim_batch(
            due_schedules(now),
            limit=10,
            claim_field="claim",
            updates={"claimed_until": now + LEASE},
        )
        assert [s.pk for s in taken] == [due.pk]
        # The worker that claimed it died; another one finds nothing to do.
        assert remind_due() == 0
    with time_machine.travel(now + LEASE + timedelta(seconds=1), tick=False):
        assert remind_due() == 1
    assert Notification.objects.count() == 1


def test_a_failure_while_sending_rolls_back_and_is_retried_once(
    due: ReminderSchedule, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(jobs, "notify", broken)
    now = _utc(2026, 6, 10, 5, 31)
    with time_machine.travel(now, tick=False):
        remind_due()
    due.refresh_from_db()
    assert due.next_due_at == _utc(2026, 6, 10, 5, 30) and due.claim  # still claimed
    monkeypatch.undo()
    with time_machine.travel(now + LEASE + timedelta(minutes=1), tick=False):
        remind_due()
        remind_due()
    assert Notification.objects.count() == 1


def test_a_change_of_settings_beats_a_worker_holding_a_stale_row(
    due: ReminderSchedule, alice: User
) -> None:
    now = _utc(2026, 6, 10, 5, 31)
    with time_machine.travel(now, tick=False):
        taken = claim_batch(
            due_schedules(now),
            limit=10,
            claim_field="claim",
            updates={"claimed_until": now + LEASE},
        )
        stale = ReminderSchedule.objects.select_related("ritual__bond", "user").get(pk=taken[0].pk)
        set_reminders(due.ritual, alice, False)  # alice turns reminders off meanwhile
        handle_batch([stale], now)
    assert not Notification.objects.exists()
    due.refresh_from_db()
    assert not due.enabled and due.next_due_at is None


def test_asked_to_stop_a_worker_gives_back_what_it_has_not_started(alice: User, bond: Bond) -> None:
    _no_quiet_hours(alice)
    with time_machine.travel(_utc(2026, 6, 10, 0, 0), tick=False):
        for i in range(3):
            set_reminders(_ritual(bond, alice, time(7, 30), name=f"R{i}"), alice, True)
    STOP.set()
    try:
        with time_machine.travel(_utc(2026, 6, 10, 5, 31), tick=False):
            assert remind_due() == 3
    finally:
        STOP.clear()
    assert not Notification.objects.exists()
    assert set(ReminderSchedule.objects.values_list("claim", "claimed_until")) == {("", None)}
    with time_machine.travel(_utc(2026, 6, 10, 5, 32), tick=False):
        remind_due()
    assert Notification.objects.count() == 3
