"""Crash leftovers and lanes: a chat import whose worker died is taken over
within about a minute, and a long import never delays a delivery."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.utils import timezone

from tending.bonds.models import Bond
from tending.insights import jobs
from tending.insights.models import ChatImport, Status
from tending.ops import jobs as registry
from tests.test_insights_web import _uploaded, whatsapp_chat


@pytest.fixture(autouse=True)
def _data_dir(settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    settings.DATA_DIR = tmp_path


def test_an_import_whose_worker_died_is_taken_over_after_a_minute(
    as_alice: Client, bond: Bond
) -> None:
    item = _uploaded(as_alice, bond, whatsapp_chat(months=2))
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        taken = jobs._claim()
        assert taken is not None and taken.pk == item.pk
        # The worker is killed here: no release, no more renewals.
    with time_machine.travel(now + jobs.LEASE - timedelta(seconds=1), tick=False):
        jobs.requeue_interrupted_imports()
        assert jobs._claim() is None  # its lease still runs
    with time_machine.travel(now + jobs.LEASE + timedelta(seconds=1), tick=False):
        jobs.requeue_interrupted_imports()  # the quick lane runs this every 20 s
        assert jobs.read_next_import()
    item.refresh_from_db()
    assert item.status == Status.NEEDS_MAPPING and item.attempts == 2 and item.claim == ""
    assert item.report is not None


def test_reading_renews_the_lease(as_alice: Client, bond: Bond) -> None:
    item = _uploaded(as_alice, bond, whatsapp_chat(months=1))
    now = timezone.now()
    with time_machine.travel(now, tick=False) as traveller:
        taken = jobs._claim()
        assert taken is not None
        traveller.shift(timedelta(seconds=50))
        jobs.save_progress(taken, 10, 100, 5)
    assert (
        ChatImport.objects.get(pk=item.pk).claimed_until == now + timedelta(seconds=50) + jobs.LEASE
    )


def test_imports_run_in_the_heavy_lane_and_deliveries_in_the_quick_one() -> None:
    registry.discover()
    quick = {f.__qualname__ for f in registry.JOBS[registry.QUICK]}
    heavy = {f.__qualname__ for f in registry.JOBS[registry.HEAVY]}
    assert heavy == {"read_next_import"}
    assert {"deliver_notes", "send_notification_emails"} <= quick


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="a real worker process on the test database: the PostgreSQL pass of `make test`",
)
def test_a_note_due_during_a_long_import_is_delivered_at_once(tmp_path: Path) -> None:
    from tending.accounts.models import User
    from tending.bonds.models import Kind, Membership
    from tending.notes.models import Note, Timing
    from tests.conftest import PASSWORD
    from tests.test_worker_concurrency import _env

    alice = User.objects.create_user("alice@example.org", PASSWORD, display_name="Alice")
    bob = User.objects.create_user("bob@example.org", PASSWORD, display_name="Bob")
    bond = Bond.objects.create(kind=Kind.PARTNER, created_by=alice)
    Membership.objects.create(bond=bond, user=alice)
    Membership.objects.create(bond=bond, user=bob)
    folder = tmp_path / "imports"
    folder.mkdir(mode=0o700)
    name = "0" * 32
    with (folder / name).open("w") as out:  # about 25 MB: seconds of reading
        for i in range(600_000):
            out.write(f"{1 + i % 28:02d}/03/2024, 10:{i % 60:02d} - Alice: message number {i}\n")
    item = ChatImport.objects.create(bond=bond, author=alice, file_name=name, file_size=1)
    env = {**_env(tmp_path), "WORKER_IDLE_SECONDS": "1"}
    worker = subprocess.Popen(
        [sys.executable, "-m", "django", "worker"],
        env=env,
        cwd=settings.BASE_DIR,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while ChatImport.objects.get(pk=item.pk).status == Status.QUEUED:
            assert time.monotonic() < deadline and worker.poll() is None
            time.sleep(0.05)
        due = timezone.now()
        note = Note.objects.create(
            bond=bond, author=alice, recipient=bob, text="x", timing=Timing.AT, deliver_at=due
        )
        while (delivered := Note.objects.get(pk=note.pk).delivered_at) is None:
            assert time.monotonic() < deadline and worker.poll() is None
            time.sleep(0.05)
        # Delivered while the import was still being read, within seconds.
        assert ChatImport.objects.get(pk=item.pk).status == Status.PROCESSING
        assert (delivered - due).total_seconds() < 5
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=60)


def _bomb(path: Path, megabytes: int) -> bytes:
    """A zip of a small file that unpacks to `megabytes` of chat lines."""
    import zipfile

    line = b"12/03/2024, 10:15 - Alice: the same words again and again\n"
    block = line * (1_000_000 // len(line))
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("WhatsApp Chat with Bob.txt", "w") as member,
    ):
        for _ in range(megabytes):
            member.write(block)
    return path.read_bytes()


def test_a_zip_that_unpacks_too_far_is_refused_before_it_is_read(
    as_alice: Client,
    bond: Bond,
    settings,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    import tracemalloc

    settings.INSIGHTS_MAX_UNPACKED_MB = 20
    data = _bomb(tmp_path / "bomb.zip", 200)
    assert len(data) < 2_000_000  # a small upload, a hundred times its size inside
    item = _uploaded(as_alice, bond, data, name="chat.zip")
    tracemalloc.start()
    assert jobs.read_next_import()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    item.refresh_from_db()
    assert item.status == Status.FAILED
    assert "unpacks to more than 20 MB" in item.error
    assert item.progress_messages == 0 and item.file_name == ""
    assert peak < 20_000_000


def test_an_export_with_too_many_messages_stops_at_the_cap(
    as_alice: Client,
    bond: Bond,
    settings,  # type: ignore[no-untyped-def]
) -> None:
    settings.INSIGHTS_MAX_MESSAGES = 50
    item = _uploaded(as_alice, bond, whatsapp_chat(months=6))
    assert jobs.read_next_import()
    item.refresh_from_db()
    assert item.status == Status.FAILED
    assert "more than 50 messages" in item.error and item.report is None
