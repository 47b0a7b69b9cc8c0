"""The worker: the invitation-expiry job, `worker --once`, a clean stop on
SIGTERM, and the local-time maths the worker's schedules rely on."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.db.models import QuerySet
from django.utils import timezone

from tending.accounts.models import User
from tending.bonds.jobs import expire_invitation
from tending.bonds.models import Bond, Invitation, Kind, Membership
from tending.lib.timeutil import next_weekly, to_utc

BERLIN = ZoneInfo("Europe/Berlin")
SYDNEY = ZoneInfo("Australia/Sydney")


def _waiting_bond(inviter: User, kind: str = Kind.PARTNER) -> Bond:
    bond = Bond.objects.create(kind=kind, created_by=inviter)
    Membership.objects.create(bond=bond, user=inviter)
    return bond


def _expired_invitation(bond: Bond, **fields: object) -> Invitation:
    made = timezone.now() - timedelta(days=15)
    return Invitation.objects.create(
        bond=bond, created_by=bond.created_by, created_at=made, **fields
    )


@pytest.fixture
def _own_signal_handlers() -> Iterator[None]:
    # The worker installs SIGTERM/SIGINT handlers; give pytest its own back.
    saved = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGINT)}
    yield
    for s, handler in saved.items():
        signal.signal(s, handler)


# The expiry job


def test_expired_invitation_is_reported_to_the_inviter_once(alice: User) -> None:
    inv = _expired_invitation(_waiting_bond(alice))
    assert expire_invitation() is True
    assert [m.to for m in mail.outbox] == [["alice@example.org"]]
    assert "expired" in mail.outbox[0].subject
    assert inv.bond.get_absolute_url() in mail.outbox[0].body
    for _ in range(3):
        assert expire_invitation() is False
    assert len(mail.outbox) == 1
    inv.refresh_from_db()
    assert inv.expiry_handled_at is not None


def test_invitation_that_has_not_expired_is_left_alone(alice: User) -> None:
    inv = Invitation.objects.create(bond=_waiting_bond(alice), created_by=alice)
    assert expire_invitation() is False
    assert mail.outbox == []
    inv.refresh_from_db()
    assert inv.expiry_handled_at is None


def test_two_workers_racing_for_one_invitation_send_one_email(
    alice: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    _expired_invitation(_waiting_bond(alice))
    real_first = QuerySet.first
    raced: list[bool] = []

    def first_then_let_another_worker_in(self: QuerySet):  # type: ignore[no-untyped-def]
        row = real_first(self)
        if isinstance(row, Invitation) and not raced:
            raced.append(True)
            # The other worker read the same row and handles it completely
            # before this one reaches its claim, holding a stale copy.
            assert expire_invitation() is True
        return row

    monkeypatch.setattr(QuerySet, "first", first_then_let_another_worker_in)
    assert expire_invitation() is True
    assert raced == [True]
    assert len(mail.outbox) == 1
    monkeypatch.undo()
    assert expire_invitation() is False
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("state", ["accepted", "revoked", "declined"])
def test_used_invitations_are_ignored(alice: User, bob: User, state: str) -> None:
    fields: dict[str, object] = {f"{state}_at": timezone.now() - timedelta(days=3)}
    if state == "accepted":
        fields["accepted_by"] = bob
    inv = _expired_invitation(_waiting_bond(alice), **fields)
    assert expire_invitation() is False
    assert mail.outbox == []
    inv.refresh_from_db()
    assert inv.expiry_handled_at is None


def test_no_email_once_the_other_person_is_in_or_the_bond_ended(
    alice: User, bob: User, charlie: User
) -> None:
    joined = _waiting_bond(alice)
    Membership.objects.create(bond=joined, user=bob)
    _expired_invitation(joined)
    ended = _waiting_bond(charlie, Kind.FRIEND)
    _expired_invitation(ended)
    ended.end(charlie)
    # end() revokes the open invitation; un-revoke it to reach the bond check.
    ended.invitations.update(revoked_at=None)
    assert expire_invitation() is True
    assert expire_invitation() is True
    assert expire_invitation() is False
    assert mail.outbox == []


# worker --once and a real worker process


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("_own_signal_handlers")
def test_worker_once_runs_everything_due_and_returns(alice: User, bob: User) -> None:
    _expired_invitation(_waiting_bond(alice))
    _expired_invitation(_waiting_bond(bob, Kind.SIBLING))
    Invitation.objects.create(bond=_waiting_bond(alice, Kind.FRIEND), created_by=alice)
    call_command("worker", "--once")
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.org", "bob@example.org"]
    assert Invitation.objects.filter(expiry_handled_at__isnull=False).count() == 2
    call_command("worker", "--once")
    assert len(mail.outbox) == 2


def _subprocess_env(tmp_path: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DATABASE_URL", "TENDING_", "SECRET_KEY", "DEBUG"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="tending.settings",
        DATABASE_URL=f"sqlite:///{tmp_path / 'worker.sqlite3'}",
        TENDING_DATA_DIR=str(tmp_path),
        SECRET_KEY="worker-test-" + "k" * 40,
        WORKER_IDLE_SECONDS="1",
        PYTHONUNBUFFERED="1",
    )
    return env


def test_worker_process_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    env = _subprocess_env(tmp_path)
    cwd = settings.BASE_DIR
    subprocess.run(
        [sys.executable, "-m", "django", "migrate", "--noinput", "-v", "0"],
        env=env,
        cwd=cwd,
        check=True,
        timeout=60,
    )
    log_path = tmp_path / "worker.log"
    with log_path.open("wb") as log:
        worker = subprocess.Popen(
            [sys.executable, "-m", "django", "worker"],
            env=env,
            cwd=cwd,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 20
            while b"worker started" not in log_path.read_bytes():
                assert worker.poll() is None, log_path.read_text()
                assert time.monotonic() < deadline, log_path.read_text()
                time.sleep(0.05)
            # Let it reach its idle sleep at least once.
            time.sleep(1.2)
            assert worker.poll() is None, log_path.read_text()
            stopped_at = time.monotonic()
            worker.send_signal(signal.SIGTERM)
            code = worker.wait(timeout=5)
        finally:
            if worker.poll() is None:
                worker.kill()
                worker.wait()
    output = log_path.read_text()
    assert code == 0, output
    assert time.monotonic() - stopped_at < 5
    assert "worker stopped" in output
    assert "Traceback" not in output


# Local-time maths across daylight-saving changes


def _utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_to_utc_on_ordinary_days() -> None:
    assert to_utc(date(2026, 1, 15), clock(9, 0), BERLIN) == _utc(2026, 1, 15, 8, 0)
    assert to_utc(date(2026, 7, 15), clock(9, 0), BERLIN) == _utc(2026, 7, 15, 7, 0)
    assert to_utc(date(2026, 7, 15), clock(9, 0), SYDNEY) == _utc(2026, 7, 14, 23, 0)
    assert to_utc(date(2026, 1, 15), clock(9, 0), SYDNEY) == _utc(2026, 1, 14, 22, 0)


@pytest.mark.parametrize(
    ("day", "zone", "expected_utc", "expected_local"),
    [
        # Berlin: 02:00 CET jumps to 03:00 CEST; 02:30 becomes 03:30 CEST.
        (date(2026, 3, 29), BERLIN, _utc(2026, 3, 29, 1, 30), clock(3, 30)),
        # Sydney: 02:00 AEST jumps to 03:00 AEDT; 02:30 becomes 03:30 AEDT.
        (date(2026, 10, 4), SYDNEY, _utc(2026, 10, 3, 16, 30), clock(3, 30)),
    ],
    ids=["berlin-spring", "sydney-spring"],
)
def test_to_utc_moves_a_skipped_time_forward(
    day: date, zone: ZoneInfo, expected_utc: datetime, expected_local: clock
) -> None:
    moment = to_utc(day, clock(2, 30), zone)
    assert moment == expected_utc
    local = moment.astimezone(zone)
    assert (local.date(), local.time()) == (day, expected_local)


@pytest.mark.parametrize(
    ("day", "zone", "expected_utc"),
    [
        # Berlin: 02:30 happens at +02:00 (CEST) and again at +01:00 (CET).
        (date(2026, 10, 25), BERLIN, _utc(2026, 10, 25, 0, 30)),
        # Sydney: 02:30 happens at +11:00 (AEDT) and again at +10:00 (AEST).
        (date(2026, 4, 5), SYDNEY, _utc(2026, 4, 4, 15, 30)),
    ],
    ids=["berlin-autumn", "sydney-autumn"],
)
def test_to_utc_takes_the_first_of_a_repeated_time(
    day: date, zone: ZoneInfo, expected_utc: datetime
) -> None:
    moment = to_utc(day, clock(2, 30), zone)
    assert moment == expected_utc
    local = moment.astimezone(zone)
    assert (local.date(), local.time(), local.fold) == (day, clock(2, 30), 0)


def test_next_weekly_keeps_the_wall_clock_across_changes() -> None:
    sunday = {6}
    # Sunday 09:00 in Berlin, the week before and the week of spring forward.
    first = next_weekly(_utc(2026, 3, 20, 12, 0), sunday, clock(9, 0), BERLIN)
    assert first == _utc(2026, 3, 22, 8, 0)
    second = next_weekly(first, sunday, clock(9, 0), BERLIN)
    assert second == _utc(2026, 3, 29, 7, 0)
    # Sydney falls back on Sunday 5 April: 09:00 moves from 22:00 to 23:00 UTC.
    before = next_weekly(_utc(2026, 3, 28, 0, 0), sunday, clock(9, 0), SYDNEY)
    assert before == _utc(2026, 3, 28, 22, 0)
    assert next_weekly(before, sunday, clock(9, 0), SYDNEY) == _utc(2026, 4, 4, 23, 0)


def test_next_weekly_is_strictly_after_and_needs_weekdays() -> None:
    at = _utc(2026, 1, 5, 8, 0)  # Monday 09:00 in Berlin
    assert next_weekly(at - timedelta(seconds=1), {0}, clock(9, 0), BERLIN) == at
    assert next_weekly(at, {0}, clock(9, 0), BERLIN) == at + timedelta(days=7)
    assert next_weekly(at, {0, 2}, clock(9, 0), BERLIN) == at + timedelta(days=2)
    assert next_weekly(at, set(), clock(9, 0), BERLIN) is None


def test_next_weekly_on_skipped_and_repeated_hours() -> None:
    sunday = {6}
    spring = next_weekly(_utc(2026, 3, 23, 0, 0), sunday, clock(2, 30), BERLIN)
    assert spring == _utc(2026, 3, 29, 1, 30)
    autumn = next_weekly(_utc(2026, 10, 19, 0, 0), sunday, clock(2, 30), BERLIN)
    assert autumn == _utc(2026, 10, 25, 0, 30)
    # The second 02:30 of that night is after the first: the next one is a week on.
    assert next_weekly(autumn, sunday, clock(2, 30), BERLIN) == _utc(2026, 11, 1, 1, 30)
    sydney = next_weekly(_utc(2026, 9, 28, 0, 0), sunday, clock(2, 30), SYDNEY)
    assert sydney == _utc(2026, 10, 3, 16, 30)
