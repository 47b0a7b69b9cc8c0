from __future__ import annotations

import logging
import os
import random
import signal
import socket
import time
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import InterfaceError, OperationalError, close_old_connections
from django.utils import timezone

from tending.ops import jobs
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


class Command(BaseCommand):
    help = "Run background work: reminders, deliveries, expiries. Stops cleanly on SIGTERM."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--once", action="store_true", help="Handle everything due now, then exit."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stopping = False
        jobs.STOP.clear()
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        jobs.discover()
        chores_done: dict[int, datetime] = {}
        self.name = f"{socket.gethostname()}:{os.getpid()}"[:120]
        self.beaten_at: datetime | None = None
        backoff = Backoff()
        log.info("worker started with %d jobs and %d chores", len(jobs.JOBS), len(jobs.CHORES))
        while not self.stopping:
            try:
                close_old_connections()
                self._beat()
                self._run_chores(chores_done)
                handled = self.run_due()
            except UNREACHABLE:
                close_old_connections()
                self._sleep(backoff.failed())
                continue
            backoff.recovered()
            if options["once"] and not handled:
                break
            if not handled:
                self._sleep(settings.WORKER_IDLE_SECONDS)
        log.info("worker stopped")

    def _beat(self) -> None:
        now = timezone.now()
        if self.beaten_at is None or now - self.beaten_at >= BEAT_EVERY:
            WorkerBeat.objects.update_or_create(worker=self.name, defaults={"beat_at": now})
            self.beaten_at = now

    def run_due(self) -> int:
        """Run each job until none has anything left or we are asked to stop;
        returns how many items were handled."""
        handled = 0
        busy = True
        while busy and not self.stopping:
            busy = False
            for func in jobs.JOBS:
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
