from __future__ import annotations

import logging
import signal
import time
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils import timezone

from tending.ops import jobs

log = logging.getLogger("tending.worker")


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
        log.info("worker started with %d jobs and %d chores", len(jobs.JOBS), len(jobs.CHORES))
        while not self.stopping:
            close_old_connections()
            self._run_chores(chores_done)
            handled = self.run_due()
            if options["once"] and not handled:
                break
            if not handled:
                self._sleep(settings.WORKER_IDLE_SECONDS)
        log.info("worker stopped")

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
