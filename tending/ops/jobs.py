"""The worker's registry of jobs.

A *job* handles one item or one batch per call and returns true if it handled
anything: it claims its rows first (tending.lib.claims, or a conditional UPDATE
for one row), so any number of workers can run side by side on SQLite or
PostgreSQL without handling an item twice. A *chore* is idempotent housekeeping
run every few minutes. Apps register both in their own `jobs.py`, found at
start-up.

Each job runs in a *lane*. The quick lane holds everything that must happen on
time (deliveries, reminders, emails) and the chores; the heavy lane holds work
that may take minutes (reading a chat export). `tending worker` runs both, the
heavy lane in a child process, so a long job never delays a delivery.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from tending.ops.models import WorkerBeat


@dataclass(frozen=True)
class Chore:
    func: Callable[[], object]
    every: timedelta


QUICK, HEAVY = "quick", "heavy"
LANES = (QUICK, HEAVY)

JOBS: dict[str, list[Callable[[], object]]] = {lane: [] for lane in LANES}
# Set when the worker is asked to stop; jobs that handle a batch check it
# between items and give back what they have not started.
STOP = threading.Event()
CHORES: list[Chore] = []


def job(func: Callable[[], object] | None = None, *, lane: str = QUICK) -> Any:
    """Register a job: `@job` for the quick lane, `@job(lane=HEAVY)` for long work."""
    if lane not in LANES:
        raise ValueError(f"unknown lane {lane!r}")

    def register(f: Callable[[], object]) -> Callable[[], object]:
        JOBS[lane].append(f)
        return f

    return register(func) if func is not None else register


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
