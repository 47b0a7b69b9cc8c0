"""Honest health: /healthz checks the database and the worker's last heartbeat;
pages say calmly that Tending is unavailable while the database is; and a worker
facing a broken database waits and tries again instead of filling the log."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from unittest.mock import patch

import pytest
from django.conf import settings
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client
from django.utils import timezone

from tending.ops.management.commands.worker import Backoff
from tending.ops.models import WorkerBeat
from tests.test_worker import _subprocess_env


def test_healthz_needs_a_worker_seen_lately(db) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    never = client.get("/healthz")
    assert never.status_code == 503
    assert never.content.decode() == "database: ok\nworker: never seen\n"
    WorkerBeat.objects.create(worker="host:1", beat_at=timezone.now() - timedelta(seconds=12))
    fine = client.get("/healthz")
    assert fine.status_code == 200
    assert fine.content.decode() == "database: ok\nworker: ok, last seen 12 s ago\n"
    WorkerBeat.objects.update(beat_at=timezone.now() - timedelta(minutes=6))
    silent = client.get("/healthz")
    assert silent.status_code == 503
    assert "worker: silent, last seen 360 s ago" in silent.content.decode()


def _database_down(*args, **kwargs):  # type: ignore[no-untyped-def]
    raise OperationalError("could not connect to server")


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/bonds/"])
def test_pages_say_calmly_that_tending_is_unavailable(db, path: str) -> None:  # type: ignore[no-untyped-def]
    with patch.object(BaseDatabaseWrapper, "ensure_connection", _database_down):
        response = Client().get(path)
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    page = response.content.decode()
    assert "Tending is not available just now" in page and "Nothing you wrote is lost" in page
    assert "Traceback" not in page


def test_healthz_says_the_database_is_unreachable(db) -> None:  # type: ignore[no-untyped-def]
    with patch.object(BaseDatabaseWrapper, "ensure_connection", _database_down):
        response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.content.decode() == "database: unreachable\nworker: unknown\n"


def test_backoff_doubles_with_jitter_up_to_a_minute() -> None:
    backoff = Backoff()
    bounds = []
    for _ in range(10):
        pause = backoff.failed()
        bounds.append(pause)
    assert 0.5 <= bounds[0] <= 1 and 1 <= bounds[1] <= 2 and 2 <= bounds[2] <= 4
    assert all(30 <= p <= 60 for p in bounds[6:])
    backoff.recovered()
    assert backoff.failed() <= 1


def test_a_worker_with_a_broken_database_waits_instead_of_filling_the_log(tmp_path: Path) -> None:
    env = _subprocess_env(tmp_path)
    env["DATABASE_URL"] = "postgres://nobody@127.0.0.1:1/nothing"  # nothing listens there
    log_path = tmp_path / "worker.log"
    with log_path.open("wb") as log:
        worker = subprocess.Popen(
            [sys.executable, "-m", "django", "worker", "--lane", "quick"],
            env=env,
            cwd=settings.BASE_DIR,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            time.sleep(5)
            assert worker.poll() is None, log_path.read_text()
            worker.send_signal(signal.SIGTERM)
            code = worker.wait(timeout=10)
        finally:
            if worker.poll() is None:
                worker.kill()
                worker.wait()
    output = log_path.read_text()
    assert code == 0, output
    assert "Traceback" not in output
    assert output.count("database unreachable") == 1, output
    assert len(output.splitlines()) <= 4, output


def test_the_support_page_stays_up_without_the_database(db) -> None:  # type: ignore[no-untyped-def]
    with patch.object(BaseDatabaseWrapper, "ensure_connection", _database_down):
        response = Client().get("/support/")
    assert response.status_code == 200
