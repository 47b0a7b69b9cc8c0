"""How `tending serve --prod` runs gunicorn and how web processes hold their
database connections (issue 15; the figures behind the choices are in
docs/deployment.md)."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from tending.ops.management.commands import serve
from tests.test_configuration import _django


def _gunicorn_argv(monkeypatch: pytest.MonkeyPatch, *args: str) -> list[str]:
    started: dict[str, Any] = {}
    monkeypatch.setattr(
        serve.subprocess, "run", lambda cmd, **kw: subprocess.CompletedProcess(cmd, 0)
    )
    monkeypatch.setattr(serve.schema, "refuse_unapplied", lambda: None)
    monkeypatch.setattr(serve.os, "execve", lambda exe, argv, env: started.update(argv=argv))
    call_command("serve", "--prod", *args)
    return started["argv"]


def test_serve_runs_sync_workers_unless_threads_are_asked_for(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    argv = _gunicorn_argv(monkeypatch, "--workers", "3")
    assert argv[argv.index("--workers") + 1] == "3"
    assert "--threads" not in argv
    argv = _gunicorn_argv(monkeypatch, "--workers", "2", "--threads", "4")
    assert argv[argv.index("--threads") + 1] == "4"


def test_postgres_connections_are_kept_and_checked_before_reuse(tmp_path: Path) -> None:
    show = (
        "from django.conf import settings as s; d = s.DATABASES['default']; "
        "print(d['CONN_MAX_AGE'], d.get('CONN_HEALTH_CHECKS', False))"
    )
    code, output = _django(
        tmp_path,
        "shell",
        "-v",
        "0",
        "-c",
        show,
        DATABASE_URL="postgres://tending@127.0.0.1:5432/tending",
    )
    assert code == 0, output
    assert output.split() == ["60", "True"]
    code, output = _django(tmp_path, "shell", "-v", "0", "-c", show)
    assert code == 0, output
    assert output.split()[0] == "0"  # SQLite: one connection per request, as before
