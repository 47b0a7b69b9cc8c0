"""How long a note due now waits while a large chat import is being read.

    .venv/bin/python bench/lanes.py [--mb 60] [--notes 5]

Sets up a fresh SQLite database and data directory, queues one import of an
invented WhatsApp export of about the upload limit, and starts `tending worker`
as a self-hoster would (both lanes: the heavy one in a child process). While
the import is being read, it writes notes due at once, one a second, and
prints how long each waited for delivery (target: under 5 s each), and whether
the import was still being read when the last one arrived.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from insights_job import OUT_DIR, _whatsapp
from machine import describe

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=60)
    parser.add_argument("--notes", type=int, default=5)
    args = parser.parse_args()

    OUT_DIR.mkdir(parents=True, exist_ok=True)
    source = OUT_DIR / f"whatsapp-{args.mb}mb.txt"
    if not source.exists() or source.stat().st_size < args.mb * 1_000_000:
        _whatsapp(source, args.mb * 1_000_000)
    work = Path(tempfile.mkdtemp(prefix="tending-lanes-"))
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "TENDING_"))},
        "DJANGO_SETTINGS_MODULE": "tending.settings",
        "DATABASE_URL": f"sqlite:///{work / 'db.sqlite3'}",
        "TENDING_DATA_DIR": str(work),
        "WORKER_IDLE_SECONDS": "1",
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.files import File
    from django.core.management import call_command
    from django.utils import timezone

    from tending.accounts.models import User
    from tending.bonds.models import Bond, Membership
    from tending.insights import storage
    from tending.insights.models import ChatImport, Status
    from tending.notes.models import Note, Timing

    call_command("migrate", verbosity=0)
    alice = User.objects.create_user("a@example.org", "x" * 12, display_name="Alice")
    bob = User.objects.create_user("b@example.org", "x" * 12, display_name="Bob")
    bond = Bond.objects.create(kind="partner", created_by=alice)
    Membership.objects.create(bond=bond, user=alice)
    Membership.objects.create(bond=bond, user=bob)
    with source.open("rb") as opened:
        name = storage.IMPORTS.save(File(opened))
    item = ChatImport.objects.create(
        bond=bond, author=alice, file_name=name, file_size=source.stat().st_size
    )

    worker = subprocess.Popen(
        [sys.executable, "-m", "django", "worker"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    waits: list[float] = []
    try:
        deadline = time.monotonic() + 60
        while ChatImport.objects.get(pk=item.pk).status == Status.QUEUED:
            if time.monotonic() > deadline:
                raise SystemExit("the import was never picked up")
            time.sleep(0.05)
        for _ in range(args.notes):
            due = timezone.now()
            note = Note.objects.create(
                bond=bond, author=alice, recipient=bob, text="x", timing=Timing.AT, deliver_at=due
            )
            while (delivered := Note.objects.get(pk=note.pk).delivered_at) is None:
                time.sleep(0.02)
            waits.append((delivered - due).total_seconds())
            time.sleep(1)
        still_reading = ChatImport.objects.get(pk=item.pk).status == Status.PROCESSING
        while ChatImport.objects.get(pk=item.pk).status in (Status.QUEUED, Status.PROCESSING):
            time.sleep(0.2)
        final = ChatImport.objects.get(pk=item.pk)
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=60)
        shutil.rmtree(work, ignore_errors=True)
    print(describe())
    print(f"import: {source.stat().st_size / 1e6:.0f} MB WhatsApp export, ended {final.status}")
    print("note due now, waited (s): " + ", ".join(f"{w:.2f}" for w in waits))
    print(f"longest wait: {max(waits):.2f} s (target < 5 s)")
    print(f"import still being read when the last note arrived: {still_reading}")


if __name__ == "__main__":
    main()
