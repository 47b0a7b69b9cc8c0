"""The database's migration state: what `serve` and `worker` check before they
start, and what a backup records."""

from __future__ import annotations

from django.core.management.base import CommandError
from django.db import connections
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder


def unapplied(using: str = "default") -> list[str]:
    """The migrations this code has that the database lacks, as "app.name"."""
    executor = MigrationExecutor(connections[using])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _ in plan]


def applied(using: str = "default") -> dict[str, list[str]]:
    """The migrations recorded in the database, by app, each list sorted."""
    found: dict[str, list[str]] = {}
    for app, name in MigrationRecorder(connections[using]).applied_migrations():
        found.setdefault(app, []).append(name)
    return {app: sorted(names) for app, names in sorted(found.items())}


def refuse_unapplied(using: str = "default") -> None:
    """Raise CommandError, naming the command to run, when migrations are missing.

    Code that runs on an older schema fails on the first page or job that
    touches a new column, so `serve` and `worker` stop before that."""
    missing = unapplied(using)
    if not missing:
        return
    if not MigrationRecorder(connections[using]).has_table():
        raise CommandError(
            "The database has no tables yet. Run `tending migrate`, then start again."
        )
    shown = ", ".join(missing[:3]) + (f" and {len(missing) - 3} more" if len(missing) > 3 else "")
    raise CommandError(
        f"The database is not up to date: {len(missing)} migration(s) to apply ({shown}). "
        "Run `tending migrate`, then start again."
    )
