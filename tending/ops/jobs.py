"""The worker's registry of jobs.

A *job* handles at most one item per call and returns True if it did: it claims
its row with a conditional UPDATE (go on only if exactly one row changed), so any
number of workers can run side by side on SQLite or PostgreSQL without handling
an item twice. A *chore* is idempotent housekeeping run every few minutes.
Apps register both in their own `jobs.py`, found at start-up.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from tending.ops.models import WorkerBeat


@dataclass(frozen=True)
class Chore:
    func: Callable[[], object]
    every: timedelta


JOBS: list[Callable[[], bool]] = []
# Set when the worker is asked to stop; jobs that handle a batch check it
# between items and give back what they have not started.
STOP = threading.Event()
CHORES: list[Chore] = []


def job(func: Callable[[], bool]) -> Callable[[], bool]:
    JOBS.append(func)
    return func


def chore(every: timedelta) -> Callable[[Callable[[], object]], Callable[[], object]]:
    def register(func: Callable[[], object]) -> Callable[[], object]:
        CHORES.append(Chore(func, every))
        return func

    return register


def discover() -> None:
    autodiscover_modules("jobs")


@chore(every=timedelta(hours=1))
def forget_gone_workers() -> None:
    """Workers not seen for a day have stopped for good (a restart is a new row)."""
    WorkerBeat.objects.filter(beat_at__lt=timezone.now() - timedelta(days=1)).delete()
