"""Real worker processes racing over 10,000 due items on PostgreSQL: two and
four `python -m django worker --once` side by side handle every reminder and
every note exactly once; a worker killed mid-run delays its claimed items
until their lease ends and duplicates nothing.

PostgreSQL only: these tests run in the PostgreSQL pass of `make test`
(DATABASE_URL=postgres://…). The data is committed (transactional test) so
the worker processes, pointed at the test database, can see it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import time as clock
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from tending.accounts.models import User
from tending.bonds.models import Bond, Kind, Membership
from tending.bonds.privacy import Visibility
from tending.notes.models import Note
from tending.notify.models import Notification, Preferences
from tending.rituals.models import ReminderSchedule, Ritual

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="needs PostgreSQL (SKIP LOCKED between real processes); runs in the "
        "PostgreSQL pass of `make test` with DATABASE_URL=postgres://…",
    ),
]

BONDS = 50
RITUALS_PER_BOND = 50  # x 2 members = 5,000 reminders
NOTES_PER_BOND = 100  # 5,000 notes
ITEMS = BONDS * (RITUALS_PER_BOND * 2 + NOTES_PER_BOND)


def _populate(bonds: int = BONDS) -> int:
    """Due reminders and notes for `bonds` partner bonds; returns how many items."""
    past = timezone.now() - timedelta(minutes=1)
    users = User.objects.bulk_create(
        User(email=f"p{i}@example.org", display_name=f"P{i}", password="!", time_zone="UTC")
        for i in range(bonds * 2)
    )
    # No quiet hours, and no email: this is about the worker's own claims.
    Preferences.objects.bulk_create(
        Preferences(user=u, quiet_start=None, quiet_end=None, muted_topics=["rituals", "notes"])
        for u in users
    )
    made = Bond.objects.bulk_create(Bond(kind=Kind.PARTNER) for _ in range(bonds))
    pairs = [(b, users[2 * i], users[2 * i + 1]) for i, b in enumerate(made)]
    Membership.objects.bulk_create(
        Membership(bond=b, user=u) for b, first, second in pairs for u in (first, second)
    )
    rituals = Ritual.objects.bulk_create(
        Ritual(
            bond=b,
            author=first,
            visibility=Visibility.SHARED,
            name=f"r{k}",
            weekdays=0b1111111,
            at=clock(7, 0),
            minutes=5,
        )
        for b, first, _second in pairs
        for k in range(RITUALS_PER_BOND)
    )
    members = {b.pk: (first, second) for b, first, second in pairs}
    ReminderSchedule.objects.bulk_create(
        ReminderSchedule(ritual=r, user=u, enabled=True, zone="UTC", next_due_at=past)
        for r in rituals
        for u in members[r.bond_id]
    )
    Note.objects.bulk_create(
        Note(
            bond=b,
            author=first,
            recipient=second,
            visibility=Visibility.SHARED,
            text=f"note {k}",
            deliver_at=past,
        )
        for b, first, second in pairs
        for k in range(NOTES_PER_BOND)
    )
    return bonds * (RITUALS_PER_BOND * 2 + NOTES_PER_BOND)


def _env(tmp_path: Path) -> dict[str, str]:
    db = connection.settings_dict
    auth = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        auth += ":" + quote(db["PASSWORD"], safe="")
    url = f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TENDING_", "DEBUG"))}
    env.update(
        DJANGO_SETTINGS_MODULE="tending.settings",
        DATABASE_URL=url,
        TENDING_DATA_DIR=str(tmp_path),
        SECRET_KEY="worker-race-" + "s" * 40,
        LOG_LEVEL="INFO",
        PYTHONUNBUFFERED="1",
    )
    return env


def _start(count: int, tmp_path: Path, once: bool = True) -> list[tuple[subprocess.Popen, Path]]:
    workers = []
    for _ in range(count):
        log = tmp_path / f"worker-{len(list(tmp_path.glob('worker-*.log')))}.log"
        with log.open("wb") as out:
            process = subprocess.Popen(
                [sys.executable, "-m", "django", "worker", *(["--once"] if once else [])],
                env=_env(tmp_path),
                cwd=settings.BASE_DIR,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        workers.append((process, log))
    return workers


def _finish(workers: list[tuple[subprocess.Popen, Path]], timeout: float = 240) -> None:
    for process, log in workers:
        try:
            code = process.wait(timeout=timeout)
        finally:
            if process.poll() is None:
                process.kill()
        output = log.read_text()
        assert code == 0, output
        # Other apps' jobs run in the same worker; ours must not have failed.
        for mark in (
            "send_ritual_reminders failed",
            "deliver_notes failed",
            "ritual reminder",
            "delivery failed",
        ):
            assert mark not in output, output


def _assert_each_handled_once(items: int = ITEMS) -> None:
    reminders = Counter(Notification.objects.filter(topic="rituals").values_list("user_id", "url"))
    notes = Counter(Notification.objects.filter(topic="notes").values_list("url", flat=True))
    assert len(reminders) == ReminderSchedule.objects.count()
    assert len(notes) == Note.objects.count()
    assert set(reminders.values()) == {1} and set(notes.values()) == {1}
    assert Notification.objects.count() == items
    now = timezone.now()
    assert not ReminderSchedule.objects.filter(next_due_at__lte=now).exists()
    assert set(ReminderSchedule.objects.values_list("claim", flat=True)) == {""}
    assert not Note.objects.filter(delivered_at__isnull=True).exists()
    expected = {
        reverse("notes:detail", args=[bond_id, pk])
        for pk, bond_id in Note.objects.values_list("pk", "bond_id")
    }
    assert set(notes) == expected


@pytest.mark.parametrize("count", [2, 4])
def test_workers_side_by_side_handle_each_item_exactly_once(tmp_path: Path, count: int) -> None:
    _populate()
    _finish(_start(count, tmp_path))
    _assert_each_handled_once()


def _wait_for(handled: int) -> None:
    deadline = time.monotonic() + 60
    while Notification.objects.count() < handled:
        assert time.monotonic() < deadline
        time.sleep(0.05)


def test_a_killed_worker_delays_its_claimed_items_and_duplicates_nothing(tmp_path: Path) -> None:
    items = _populate(bonds=10)
    workers = _start(2, tmp_path)
    victim, _log = workers[0]
    _wait_for(items // 10)
    victim.send_signal(signal.SIGKILL)
    victim.wait()
    _finish(workers[1:])
    # What the dead worker had claimed waits for its lease: at most a batch of each.
    held = (
        ReminderSchedule.objects.exclude(claim="").count() + Note.objects.exclude(claim="").count()
    )
    assert held <= 50 + 50
    assert Notification.objects.count() == items - held
    past = timezone.now() - timedelta(seconds=1)
    ReminderSchedule.objects.exclude(claim="").update(claimed_until=past)
    Note.objects.exclude(claim="").update(claimed_until=past)
    _finish(_start(1, tmp_path))
    _assert_each_handled_once(items)


def test_sigterm_stops_a_busy_worker_after_the_current_item_holding_nothing(
    tmp_path: Path,
) -> None:
    items = _populate(bonds=10)
    [(worker, log)] = _start(1, tmp_path, once=False)
    _wait_for(items // 10)
    worker.send_signal(signal.SIGTERM)
    stopped_at = time.monotonic()
    assert worker.wait(timeout=10) == 0, log.read_text()
    assert time.monotonic() - stopped_at < 5
    assert "worker stopped" in log.read_text()
    handled = Notification.objects.count()
    assert handled < items  # it stopped part-way
    # Nothing is left claimed: unstarted items were given back at once.
    assert not ReminderSchedule.objects.exclude(claim="").exists()
    assert not Note.objects.exclude(claim="").exists()
    _finish(_start(1, tmp_path))
    _assert_each_handled_once(items)
