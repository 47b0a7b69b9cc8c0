"""How fast does the worker send ritual reminders, email included?

Creates a scratch PostgreSQL database, makes 100,000 ritual reminders due at
once (25,000 bonds of two people, two rituals each, people in four time
zones), starts a local SMTP sink (aiosmtpd, in this process, counting what it
receives), and runs two `tending worker --once` processes side by side until
every reminder is recorded and every email delivered to the sink. Prints the
throughput and the machine, checks that each reminder was sent exactly once,
and drops the database.

Run: .venv/bin/python bench/worker.py  [--reminders 100000] [--workers 2]
"""

from __future__ import annotations

import argparse
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import time as clock
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from machine import describe  # noqa: E402

ADMIN_URL = os.environ.get("BENCH_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
DB_NAME = "tending_bench_worker"
ZONES = ("Europe/Berlin", "America/New_York", "Australia/Sydney", "UTC")


class Sink:
    """Counts messages per recipient; keeps nothing else."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.per_recipient: Counter[str] = Counter()
        self.total = 0

    async def handle_DATA(self, server, session, envelope) -> str:  # type: ignore[no-untyped-def]
        with self.lock:
            self.total += 1
            for to in envelope.rcpt_tos:
                self.per_recipient[to] += 1
        return "250 OK"


def _psql(sql: str) -> None:
    subprocess.run(["psql", ADMIN_URL, "-q", "-c", sql], check=True, capture_output=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _db_url() -> str:
    return ADMIN_URL.rsplit("/", 1)[0] + "/" + DB_NAME


def _configure(data_dir: str, smtp_port: int) -> dict[str, str]:
    env = {
        "DATABASE_URL": _db_url(),
        "DJANGO_SETTINGS_MODULE": "tending.settings",
        "TENDING_DATA_DIR": data_dir,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "EMAIL_USE_TLS": "false",
        "LOG_LEVEL": "WARNING",
        "DEBUG": "false",
    }
    os.environ.update(env)
    return {**os.environ, **env}


def _populate(reminders: int) -> int:
    """Due reminders for bonds of two, two rituals each; returns how many people."""
    from django.utils import timezone

    from tending.accounts.models import User
    from tending.bonds.models import Bond, Kind, Membership
    from tending.bonds.privacy import Visibility
    from tending.notify.models import Preferences
    from tending.rituals.models import ReminderSchedule, Ritual

    bonds = reminders // 4
    due = timezone.now() - timedelta(minutes=1)
    chunk = 5000
    people = User.objects.bulk_create(
        (
            User(
                email=f"member{i}@bench.example",
                display_name=f"Member {i}",
                password="!",
                time_zone=ZONES[i % len(ZONES)],
            )
            for i in range(bonds * 2)
        ),
        batch_size=chunk,
    )
    # No quiet hours, so every reminder is sent whatever the hour of the run.
    Preferences.objects.bulk_create(
        (Preferences(user=p, quiet_start=None, quiet_end=None) for p in people), batch_size=chunk
    )
    made = Bond.objects.bulk_create(
        (Bond(kind=Kind.PARTNER) for _ in range(bonds)), batch_size=chunk
    )
    Membership.objects.bulk_create(
        (Membership(bond=b, user=people[2 * i + m]) for i, b in enumerate(made) for m in (0, 1)),
        batch_size=chunk,
    )
    rituals = Ritual.objects.bulk_create(
        (
            Ritual(
                bond=b,
                author=people[2 * i],
                visibility=Visibility.SHARED,
                template="morning-coffee-talk",
                name="Morning coffee talk",
                weekdays=0b1111111,
                at=clock(7, 30),
                minutes=10,
            )
            for i, b in enumerate(made)
            for _ in range(2)
        ),
        batch_size=chunk,
    )
    ReminderSchedule.objects.bulk_create(
        (
            ReminderSchedule(
                ritual=r,
                user=people[2 * (k // 2) + m],
                enabled=True,
                zone=people[2 * (k // 2) + m].time_zone,
                next_due_at=due,
            )
            for k, r in enumerate(rituals)
            for m in (0, 1)
        ),
        batch_size=chunk,
    )
    return len(people)


def _progress() -> tuple[int, int]:
    from django.utils import timezone

    from tending.notify.models import EmailState, Notification
    from tending.rituals.models import ReminderSchedule

    waiting = ReminderSchedule.objects.filter(next_due_at__lte=timezone.now()).count()
    sent = Notification.objects.filter(email_state=EmailState.SENT).count()
    return waiting, sent


def run(reminders: int, workers: int) -> None:
    from aiosmtpd.controller import Controller

    reminders -= reminders % 4
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=_free_port())
    controller.start()
    _psql(f"DROP DATABASE IF EXISTS {DB_NAME}")
    _psql(f"CREATE DATABASE {DB_NAME}")
    processes: list[subprocess.Popen] = []
    try:
        with tempfile.TemporaryDirectory() as data_dir:
            env = _configure(data_dir, controller.port)
            import django

            django.setup()
            from django.core.management import call_command
            from django.db import connection

            call_command("migrate", verbosity=0)
            started = time.perf_counter()
            people = _populate(reminders)
            print(
                f"seeded {reminders:,} due reminders for {people:,} people "
                f"in {time.perf_counter() - started:.1f} s"
            )
            connection.close()

            start = time.perf_counter()
            logs = [open(Path(data_dir) / f"worker-{i}.log", "wb") for i in range(workers)]  # noqa: SIM115
            processes = [
                subprocess.Popen(
                    [sys.executable, "-m", "django", "worker", "--once"],
                    env=env,
                    cwd=ROOT,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
                for log in logs
            ]
            reminders_done = None
            shown = 0.0
            while True:
                waiting, sent = _progress()
                now = time.perf_counter() - start
                if reminders_done is None and waiting == 0:
                    reminders_done = now
                if now - shown >= 30:
                    shown = now
                    print(
                        f"  {now:5.0f} s: {reminders - waiting:,} reminders recorded, "
                        f"{sink.total:,} emails received",
                        flush=True,
                    )
                if sink.total >= reminders or all(p.poll() is not None for p in processes):
                    break
                time.sleep(0.5)
            emails_done = time.perf_counter() - start
            for p in processes:
                p.wait(timeout=120)
            for log in logs:
                log.close()
            problems = [
                (Path(data_dir) / f"worker-{i}.log").read_text()
                for i, p in enumerate(processes)
                if p.returncode != 0
            ]
            _report(reminders, workers, people, sink, reminders_done, emails_done, problems)
            connection.close()
    finally:
        for p in processes:
            if p.poll() is None:
                p.kill()
        controller.stop()
        _psql(f"DROP DATABASE IF EXISTS {DB_NAME}")


def _report(  # type: ignore[no-untyped-def]
    reminders: int, workers: int, people: int, sink: Sink, reminders_done, emails_done, problems
) -> None:
    from django.db import connection

    from tending.notify.models import Notification

    recorded = Notification.objects.filter(topic="rituals").count()
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
    print(describe())
    print(f"PostgreSQL {pg}; {workers} worker processes; SMTP sink in the benchmark process")
    if reminders_done:
        print(
            f"reminders recorded: {recorded:,} in {reminders_done:.1f} s "
            f"= {recorded / reminders_done:,.0f} reminders/s"
        )
    print(
        f"emails delivered:   {sink.total:,} in {emails_done:.1f} s "
        f"= {sink.total / emails_done:,.0f} emails/s (end to end, reminder to inbox)"
    )
    twice = sum(1 for n in sink.per_recipient.values() if n != 2)
    print(
        f"exactly once: {recorded == reminders and sink.total == reminders and twice == 0} "
        f"({len(sink.per_recipient):,} of {people:,} people got exactly their 2 reminders)"
    )
    if problems or recorded != reminders or sink.total != reminders or twice:
        for text in problems:
            print(text[-2000:])
        raise SystemExit("the worker did not handle every reminder exactly once")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reminders", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    run(args.reminders, args.workers)


if __name__ == "__main__":
    main()
