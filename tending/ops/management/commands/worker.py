from __future__ import annotations

import logging
import os
import random
import signal
import socket
import subprocess
import sys
import time
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import InterfaceError, OperationalError, close_old_connections
from django.utils import timezone

from tending.ops import jobs, schema
from tending.ops.models import WorkerBeat

log = logging.getLogger("tending.worker")

# The database cannot be reached: errors that a pause, not a traceback, answers.
UNREACHABLE = (OperationalError, InterfaceError)
# How often a worker says it is alive (/healthz reads it).
BEAT_EVERY = timedelta(seconds=30)


class Backoff:
    """Pauses between tries while the database is unreachable: doubling from
    one second up to a minute, each drawn at random below that bound (so many
    workers do not all knock at once), with one log line a minute at most."""

    FIRST = 1.0
    CAP = 60.0
    LOG_EVERY = 60.0

    def __init__(self) -> None:
        self.since: float | None = None
        self.bound = self.FIRST
        self.logged_at = 0.0

    def failed(self) -> float:
        now = time.monotonic()
        if self.since is None:
            self.since, self.bound = now, self.FIRST
            log.warning("database unreachable; the worker waits and tries again")
            self.logged_at = now
        elif now - self.logged_at >= self.LOG_EVERY:
            log.warning("database still unreachable after %d s", now - self.since)
            self.logged_at = now
        pause = random.uniform(self.bound / 2, self.bound)
        self.bound = min(self.bound * 2, self.CAP)
        return pause

    def recovered(self) -> None:
        if self.since is not None:
            log.info("database reachable again after %d s", time.monotonic() - self.since)
            self.since = None


class Child:
    """The heavy lane's process, started and restarted by the default worker.

    It runs `worker --lane heavy` with the same settings; if it dies it is
    started again (at most once every RESTART_AFTER), and it is asked to stop,
    then waited for, when the parent stops."""

    RESTART_AFTER = 10.0
    STOP_WAIT = 30.0

    def __init__(self) -> None:
        self.process: subprocess.Popen[bytes] | None = None
        self.started_at = 0.0

    def look_after(self) -> None:
        if self.process is not None and self.process.poll() is None:
            return
        if self.process is not None:
            log.warning("heavy lane exited with %s; starting it again", self.process.returncode)
        if time.monotonic() - self.started_at < self.RESTART_AFTER and self.process is not None:
            return
        self.started_at = time.monotonic()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "django", "worker", "--lane", jobs.HEAVY],
            env={**os.environ, "DJANGO_SETTINGS_MODULE": "tending.settings"},
        )

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=self.STOP_WAIT)
        except subprocess.TimeoutExpired:
            log.warning("heavy lane did not stop in time; ending it")
            self.process.kill()
            self.process.wait()


class Command(BaseCommand):
    help = (
        "Run background work: deliveries, reminders, emails, chat imports. "
        "Stops cleanly on SIGTERM."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--once", action="store_true", help="Handle everything due now, then exit."
        )
        parser.add_argument(
            "--lane",
            choices=("all", *jobs.LANES),
            default="all",
            help="quick: deliveries, reminders, emails and chores; heavy: chat imports; "
            "all (the default): both, the heavy lane in a child process.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stopping = False
        jobs.STOP.clear()
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        jobs.discover()
        lane, once = options["lane"], options["once"]
        # --once handles both lanes here, one after the other; otherwise "all"
        # runs the quick lane here and the heavy one in a child it looks after.
        self.lanes = list(jobs.LANES) if lane == "all" and once else [lane]
        self.child = Child() if lane == "all" and not once else None
        if self.child is not None:
            self.lanes = [jobs.QUICK]
        self.name = f"{socket.gethostname()}:{os.getpid()}"[:120]
        self.beaten_at: datetime | None = None
        chores_done: dict[int, datetime] = {}
        backoff = Backoff()
        # Jobs written for a newer schema would fail on every round: wait for
        # the database, then refuse to start until `tending migrate` has run.
        while not self.stopping:
            try:
                close_old_connections()
                schema.refuse_unapplied()
                break
            except UNREACHABLE:
                close_old_connections()
                self._sleep(backoff.failed())
        log.info(
            "worker started (%s lane) with %d jobs and %d chores",
            "+".join(self.lanes),
            sum(len(jobs.JOBS[name]) for name in self.lanes),
            len(jobs.CHORES) if jobs.QUICK in self.lanes else 0,
        )
        try:
            while not self.stopping:
                if self.child is not None:
                    self.child.look_after()
                try:
                    close_old_connections()
                    self._beat()
                    if jobs.QUICK in self.lanes:
                        self._run_chores(chores_done)
                    handled = self.run_due()
                except UNREACHABLE:
                    close_old_connections()
                    self._sleep(backoff.failed())
                    continue
                backoff.recovered()
                if once and not handled:
                    break
                if not handled:
                    self._sleep(settings.WORKER_IDLE_SECONDS)
        finally:
            if self.child is not None:
                self.child.stop()
        log.info("worker stopped")

    def _beat(self) -> None:
        now = timezone.now()
        if self.beaten_at is None or now - self.beaten_at >= BEAT_EVERY:
            WorkerBeat.objects.update_or_create(
                worker=self.name, defaults={"beat_at": now, "lane": "+".join(self.lanes)}
            )
            self.beaten_at = now

    def run_due(self) -> int:
        """Run each of this process's jobs until none has anything left or we are
        asked to stop; returns how many rounds handled something."""
        handled = 0
        busy = True
        while busy and not self.stopping:
            busy = False
            for func in (f for name in self.lanes for f in jobs.JOBS[name]):
                if self.stopping:
                    break
                try:
                    if func():
                        handled += 1
                        busy = True
                except UNREACHABLE:
                    raise
                except Exception:
                    # Log the job's name only: items may hold intimate text.
                    log.exception("job %s failed", func.__qualname__)
        return handled

    def _run_chores(self, done: dict[int, datetime]) -> None:
        now = timezone.now()
        for index, item in enumerate(jobs.CHORES):
            last = done.get(index)
            if last is None or now - last >= item.every:
                try:
                    item.func()
                except UNREACHABLE:
                    raise
                except Exception:
                    log.exception("chore %s failed", item.func.__qualname__)
                done[index] = now

    def _sleep(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while not self.stopping and time.monotonic() < end:
            time.sleep(min(0.2, end - time.monotonic()))

    def _stop(self, signum: int, frame: Any) -> None:
        log.info("worker stopping after the current item")
        self.stopping = True
        jobs.STOP.set()
