"""Upgrades: `tending serve` and `tending worker` refuse to start on a database
that lacks migrations and say which command to run; the changelog and the
account page tell which version runs."""

from __future__ import annotations

from pathlib import Path
from unittest.mock import patch

from django.conf import settings
from django.core.management import call_command
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client
from django.urls import reverse

import tending
from tests.test_configuration import _clean_env, _until_refused

ROOT = settings.BASE_DIR
STRONG = {"SECRET_KEY": "upgrade-test-" + "k7Qz9xWp" * 6}


def _start(tmp_path: Path, *args: str) -> tuple[int, str]:
    """Run a command that would serve forever if it started; returns its exit
    code and output once it refuses."""
    env = _clean_env(tmp_path, **STRONG)
    # Set by the browser tests in this process; production's checks refuse it.
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return _until_refused(env, *args)


def test_the_worker_refuses_a_database_without_its_tables(tmp_path: Path) -> None:
    code, output = _start(tmp_path, "worker", "--once")
    assert code == 1, output
    assert "Run `tending migrate`, then start again." in output
    assert "worker started" not in output and "Traceback" not in output


def test_serve_refuses_a_database_without_its_tables(tmp_path: Path) -> None:
    for prod in ([], ["--prod", "--workers", "1"]):
        code, output = _start(tmp_path, "serve", "--port", "8766", *prod)
        assert code == 1, output
        assert "Run `tending migrate`, then start again." in output
        assert "is at http" not in output and "Traceback" not in output


def test_serve_starts_without_the_check_when_the_database_is_down(db, capsys) -> None:  # type: ignore[no-untyped-def]
    from tending.ops.management.commands.serve import Command

    def down(*args: object, **kwargs: object) -> None:
        raise OperationalError("could not connect to server")

    with patch.object(BaseDatabaseWrapper, "ensure_connection", down):
        Command()._refuse_unapplied()
    assert "migrations were not checked" in capsys.readouterr().err


def test_a_migrated_database_passes(db) -> None:  # type: ignore[no-untyped-def]
    from tending.ops import schema

    assert schema.unapplied() == []
    schema.refuse_unapplied()
    call_command("migrate", "--check", verbosity=0)


def test_the_changelog_has_this_version() -> None:
    changelog = (ROOT / "CHANGELOG.md").read_text()
    assert f"## {tending.__version__}" in changelog


def test_the_account_page_shows_the_version(as_alice: Client) -> None:
    page = as_alice.get(reverse("accounts:account")).content.decode()
    footer = page[page.index('<footer class="foot">') :]
    assert f"Tending {tending.__version__}" in footer
