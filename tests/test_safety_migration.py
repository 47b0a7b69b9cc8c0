"""The safety screen's move from the check-up to the safety app keeps every screen.

A database is taken back to before the move, given screens through the historical
model, and migrated forward again; the same rows must come out of the new model."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tending.accounts.models import User
from tending.safety.models import SafetyScreen, safety_positive

CHECKUP_BEFORE = ("checkup", "0004_visibility_check")
BEFORE = [CHECKUP_BEFORE, ("safety", None)]
AFTER = [("checkup", "0005_safetyscreen_to_safety"), ("safety", "0001_initial")]


@pytest.fixture
def executor(transactional_db: None) -> Iterator[MigrationExecutor]:
    executor = MigrationExecutor(connection)
    yield executor
    # Whatever happened, leave the database fully migrated for the tests that follow.
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    ContentType.objects.clear_cache()


def _table_names() -> list[str]:
    with connection.cursor() as cursor:
        return connection.introspection.table_names(cursor)


def test_screens_survive_the_move(executor: MigrationExecutor, alice: User, bob: User) -> None:
    content_type = ContentType.objects.get_for_model(SafetyScreen)
    executor.migrate(BEFORE)
    assert "checkup_safetyscreen" in _table_names()
    old = executor.loader.project_state(CHECKUP_BEFORE).apps.get_model("checkup", "SafetyScreen")
    rows = [
        (alice.pk, {"afraid": "no", "controlled": "no"}, False, datetime(2026, 3, 1, 8, 30, tzinfo=UTC)),
        (bob.pk, {"threatened": "prefer_not_to_say", "afraid": "no"}, False, datetime(2026, 3, 2, 21, 5, 7, 250_000, tzinfo=UTC)),
        (alice.pk, {"afraid": "yes", "hurt_otherwise": None}, True, datetime(2026, 4, 15, 12, 0, 0, 123_456, tzinfo=UTC)),
    ]  # fmt: skip
    made = [
        old.objects.create(user_id=user, answers=answers, positive=positive, created_at=when).pk
        for user, answers, positive, when in rows
    ]

    executor.loader.build_graph()  # it still remembers the migrations as unapplied
    executor.migrate(AFTER)
    ContentType.objects.clear_cache()

    moved = SafetyScreen.objects.order_by("pk")
    assert [s.pk for s in moved] == made
    assert [(s.user_id, s.answers, s.positive, s.created_at) for s in moved] == rows
    assert safety_positive(alice) and not safety_positive(bob)
    # The table, its index and its content type (with the permissions on it) moved too.
    tables = _table_names()
    assert "safety_safetyscreen" in tables and "checkup_safetyscreen" not in tables
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "safety_safetyscreen")
    (index,) = SafetyScreen._meta.indexes
    assert constraints[index.name]["columns"] == ["user_id", "created_at"]
    assert ContentType.objects.get_for_model(SafetyScreen).pk == content_type.pk
    assert not ContentType.objects.filter(app_label="checkup", model="safetyscreen").exists()
    assert Permission.objects.filter(content_type=content_type).count() == 4


def test_the_move_can_be_undone(executor: MigrationExecutor, alice: User) -> None:
    SafetyScreen.objects.create(user=alice, answers={"afraid": "yes"}, positive=True)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(CHECKUP_BEFORE).apps.get_model("checkup", "SafetyScreen")
    assert list(old.objects.values_list("user_id", "answers", "positive")) == [
        (alice.pk, {"afraid": "yes"}, True)
    ]
    assert "safety_safetyscreen" not in _table_names()
