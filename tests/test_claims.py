"""The claim runner (tending.lib.claims) on real notes: what one worker claims
no other takes until its lease ends, a renewed lease holds, a failing row
costs only itself, a row taken over is never written by its old holder, and
what a stopping worker has not started is free again at once."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tending.accounts.models import User
from tending.bonds.models import Bond
from tending.insights.models import ChatImport
from tending.lib import claims
from tending.notes.models import Note
from tending.notify.models import Notification

NOW = datetime(2026, 6, 10, 15, 0, tzinfo=UTC)
LEASE = timedelta(minutes=10)


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def made(alice: User, bob: User, bond: Bond) -> list[Note]:
    """Three notes for Bob, due one minute apart, the oldest first."""
    return [
        Note.objects.create(
            bond=bond, author=alice, recipient=bob, deliver_at=NOW - timedelta(minutes=3 - i)
        )
        for i in range(3)
    ]


def _claim() -> tuple[claims.Lease[Note], list[Note]]:
    due = Note.objects.filter(delivered_at__isnull=True, deliver_at__lte=timezone.now())
    return claims.claim(due.order_by("deliver_at", "pk"), limit=10, lease=LEASE)


def _deliver(note: Note) -> None:
    Notification.objects.create(user_id=note.recipient_id, topic="notes", title=f"n{note.pk}")
    note.delivered_at = timezone.now()


def _run(
    lease: claims.Lease[Note],
    rows: list[Note],
    handler: Callable[[Note], object] = _deliver,
    stop: Callable[[], bool] = lambda: False,
    atomic: bool = True,
) -> list[Note]:
    return claims.handle(
        lease,
        rows,
        handler,
        failed="note %s failed",
        stop=stop,
        finish=lambda done: lease.release(*done, delivered_at=timezone.now()),
        atomic=atomic,
    )


def _pks(rows: list[Note]) -> list[int]:
    return [row.pk for row in rows]


def _announced() -> set[str]:
    return set(Notification.objects.values_list("title", flat=True))


def test_a_claim_holds_due_rows_in_order_for_one_worker(made: list[Note]) -> None:
    lease, rows = _claim()
    assert _pks(rows) == _pks(made)
    assert {(row.claim, row.claimed_until) for row in rows} == {(lease.token, NOW + LEASE)}
    # Another worker finds nothing to do, and nothing is written until handled.
    assert _claim()[1] == []
    assert not Note.objects.filter(delivered_at__isnull=False).exists()


def test_a_failing_row_costs_only_itself_and_is_retried_when_its_lease_ends(
    made: list[Note], caplog: pytest.LogCaptureFixture
) -> None:
    def second_fails(note: Note) -> None:
        _deliver(note)
        if note.pk == made[1].pk:
            raise RuntimeError("lost the connection")

    lease, rows = _claim()
    done = _run(lease, rows, second_fails)
    assert _pks(done) == [made[0].pk, made[2].pk]
    # The failed row's savepoint took its notification with it.
    assert _announced() == {f"n{made[0].pk}", f"n{made[2].pk}"}
    assert f"note {made[1].pk} failed" in caplog.text
    states = {n.pk: (n.claim, n.delivered_at) for n in Note.objects.all()}
    assert states == {
        made[0].pk: ("", NOW),
        made[1].pk: (lease.token, None),
        made[2].pk: ("", NOW),
    }
    assert _claim()[1] == []
    with time_machine.travel(NOW + LEASE + timedelta(seconds=1), tick=False):
        later, again = _claim()
        assert _pks(again) == [made[1].pk]
        _run(later, again)
    assert _announced() == {f"n{note.pk}" for note in made}


def test_an_expired_lease_is_claimed_again_and_its_old_holder_writes_nothing(
    made: list[Note],
) -> None:
    lease, rows = _claim()
    with time_machine.travel(NOW + LEASE - timedelta(seconds=1), tick=False):
        assert _claim()[1] == []
    with time_machine.travel(NOW + LEASE + timedelta(seconds=1), tick=False):
        later, again = _claim()
        assert _pks(again) == _pks(made) and later.token != lease.token
        # The first worker wakes up: every row is someone else's now.
        assert _run(lease, rows) == []
        assert lease.renew(*rows) == 0 and lease.release(*rows) == 0
        assert not Notification.objects.exists()
        assert _pks(_run(later, again)) == _pks(made)
    assert len(_announced()) == 3


def test_a_renewed_lease_keeps_its_rows(made: list[Note]) -> None:
    lease, rows = _claim()
    renewed_at = NOW + LEASE - timedelta(minutes=1)
    with time_machine.travel(renewed_at, tick=False):
        assert lease.renew(rows[0], text="still at it") == 1
    with time_machine.travel(NOW + LEASE + timedelta(seconds=1), tick=False):
        # The rows that were not renewed are free; the renewed one is not.
        assert _pks(_claim()[1]) == [made[1].pk, made[2].pk]
    kept = Note.objects.get(pk=made[0].pk)
    assert (kept.claim, kept.claimed_until) == (lease.token, renewed_at + LEASE)
    assert kept.text == "still at it"
    with time_machine.travel(renewed_at + LEASE + timedelta(seconds=1), tick=False):
        assert _pks(_claim()[1]) == [made[0].pk]


def test_a_stopping_worker_gives_back_what_it_has_not_started(made: list[Note]) -> None:
    started: list[int] = []

    def deliver(note: Note) -> None:
        started.append(note.pk)
        _deliver(note)

    lease, rows = _claim()
    done = _run(lease, rows, deliver, stop=lambda: bool(started))
    assert _pks(done) == started == [made[0].pk]
    left = Note.objects.filter(pk__in=[made[1].pk, made[2].pk])
    assert set(left.values_list("claim", "claimed_until", "delivered_at")) == {("", None, None)}
    # Free at once, not when the lease would have ended.
    assert _pks(_claim()[1]) == [made[1].pk, made[2].pk]


def test_a_row_whose_claim_was_cleared_meanwhile_is_left_as_it_was_left(
    made: list[Note],
) -> None:
    lease, rows = _claim()
    # The sender takes the note back while the worker holds it.
    Note.objects.filter(pk=made[1].pk).update(deliver_at=None, **claims.RELEASED)
    assert _pks(_run(lease, rows)) == [made[0].pk, made[2].pk]
    assert _announced() == {f"n{made[0].pk}", f"n{made[2].pk}"}
    assert Note.objects.get(pk=made[1].pk).deliver_at is None


@pytest.mark.parametrize(("atomic", "kept"), [(True, False), (False, True)])
def test_without_a_transaction_a_handler_s_writes_stand_even_if_it_then_fails(
    made: list[Note], atomic: bool, kept: bool
) -> None:
    lease, rows = _claim()

    def mark_then_fail(note: Note) -> None:
        # As an email is marked "sending" before it goes out.
        lease.held(note).update(opened_at=timezone.now())
        raise OSError("connection refused")

    assert _run(lease, rows, mark_then_fail, atomic=atomic) == []
    assert Note.objects.filter(opened_at__isnull=False).exists() is kept
    # Either way the rows stay held until the lease ends.
    assert set(Note.objects.values_list("claim", flat=True)) == {lease.token}


def test_only_a_claimed_row_has_a_lease(made: list[Note]) -> None:
    with pytest.raises(ValueError, match="not claimed"):
        claims.Lease.of(made[0], LEASE)
    lease, rows = _claim()
    assert claims.Lease.of(rows[0], LEASE) == lease


# The migration to the convention


@pytest.mark.django_db(transaction=True)
def test_the_migration_carries_leases_across(alice: User, bob: User, bond: Bond) -> None:
    before = [("insights", "0001_initial"), ("notify", "0001_initial")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        old = executor.loader.project_state(before).apps
        beat = NOW - timedelta(minutes=3)
        reading = old.get_model("insights", "ChatImport").objects.create(
            bond_id=bond.pk,
            author_id=alice.pk,
            status="processing",
            claim="t" * 32,
            claimed_at=NOW - timedelta(minutes=5),
            beat_at=beat,
        )
        done = old.get_model("insights", "ChatImport").objects.create(
            bond_id=bond.pk, author_id=alice.pk, status="mapping", beat_at=beat
        )
        sending = old.get_model("notify", "Notification").objects.create(
            user_id=bob.pk, topic="notes", title="t", email_state="sending", email_claim="e" * 32
        )
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    # Given back exactly when it would have been: ten minutes after its last beat.
    assert ChatImport.objects.get(pk=reading.pk).claimed_until == beat + timedelta(minutes=10)
    assert ChatImport.objects.get(pk=done.pk).claimed_until is None
    moved = Notification.objects.get(pk=sending.pk)
    assert (moved.claim, moved.claimed_until) == ("e" * 32, None)
