"""The architecture change carries a real database: one written at the schema of
before it (safety screens in the check-up, notes and ritual reminders under their
leases, a notification being emailed, entries of every visibility) comes out
whole at the newest schema."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tending.accounts.models import User
from tending.bonds.models import Bond
from tending.notes.models import Note
from tending.notify.models import Notification
from tending.rituals.models import ReminderSchedule, Ritual
from tending.safety.models import SafetyScreen, safety_positive

# Every app's newest migration when the change began; apps it added had none.
BEFORE = [
    ("accounts", "0001_initial"),
    ("bonds", "0002_invitation_nonce_length"),
    ("checkup", "0003_garden_window_indexes"),
    ("feelings", "0002_garden_window_indexes"),
    ("garden", "0002_garden_window_indexes"),
    ("insights", "0001_initial"),
    ("notes", "0002_home_indexes"),
    ("notify", "0001_initial"),
    ("prompts", "0003_sealed_and_window_indexes"),
    ("repair", "0002_garden_window_indexes"),
    ("rituals", "0001_initial"),
    ("safety", None),
    ("ops", None),
]
WHEN = datetime(2026, 11, 20, 18, 0, tzinfo=UTC)


@pytest.fixture
def executor(transactional_db: None) -> Iterator[MigrationExecutor]:
    executor = MigrationExecutor(connection)
    yield executor
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    ContentType.objects.clear_cache()


def test_a_database_from_before_the_change_comes_through_whole(
    executor: MigrationExecutor, alice: User, bob: User, bond: Bond
) -> None:
    executor.migrate(BEFORE)
    old = executor.loader.project_state([node for node in BEFORE if node[1]]).apps
    screen = old.get_model("checkup", "SafetyScreen").objects.create(
        user_id=bob.pk, answers={"afraid": "yes"}, positive=True, created_at=WHEN
    )
    note = old.get_model("notes", "Note").objects.create(
        bond_id=bond.pk,
        author_id=alice.pk,
        recipient_id=bob.pk,
        visibility="shared",
        text="see you at the lake",
        timing="at",
        deliver_at=WHEN + timedelta(hours=2),
        claim="n" * 32,
        claimed_until=WHEN + timedelta(minutes=10),
        created_at=WHEN,
    )
    ritual = old.get_model("rituals", "Ritual").objects.create(
        bond_id=bond.pk,
        author_id=alice.pk,
        visibility="shared",
        name="Evening walk",
        weekdays=0b1111111,
        at=time(19, 30),
        created_at=WHEN,
    )
    reminder = old.get_model("rituals", "ReminderSchedule").objects.create(
        ritual_id=ritual.pk,
        user_id=bob.pk,
        enabled=True,
        zone="America/New_York",
        next_due_at=WHEN + timedelta(days=1),
        claim="r" * 32,
        claimed_until=WHEN + timedelta(minutes=5),
    )
    emailing = old.get_model("notify", "Notification").objects.create(
        user_id=alice.pk,
        bond_id=bond.pk,
        topic="notes",
        title="Bob sent you a note",
        email_state="sending",
        email_claim="e" * 32,
        email_due_at=WHEN,
    )
    # A feeling stored as sealed, which feelings never allowed, comes out private.
    feeling = old.get_model("feelings", "FeelingCheckin").objects.create(
        bond_id=bond.pk,
        author_id=alice.pk,
        visibility="sealed",
        family="calm",
        word="calm",
        intensity=2,
    )

    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    ContentType.objects.clear_cache()

    moved = SafetyScreen.objects.get(pk=screen.pk)
    assert (moved.user_id, moved.answers, moved.positive, moved.created_at) == (
        bob.pk,
        {"afraid": "yes"},
        True,
        WHEN,
    )
    assert safety_positive(bob) and not safety_positive(alice)
    kept = Note.objects.get(pk=note.pk)
    assert (kept.text, kept.deliver_at, kept.claim, kept.claimed_until) == (
        "see you at the lake",
        WHEN + timedelta(hours=2),
        "n" * 32,
        WHEN + timedelta(minutes=10),
    )
    assert kept.is_visible_to(alice) and not kept.is_visible_to(bob)  # not delivered yet
    walk = Ritual.objects.get(pk=ritual.pk)
    assert (walk.name, walk.weekdays, walk.at) == ("Evening walk", 0b1111111, time(19, 30))
    due = ReminderSchedule.objects.get(pk=reminder.pk)
    assert (due.enabled, due.zone, due.next_due_at, due.claim, due.claimed_until) == (
        True,
        "America/New_York",
        WHEN + timedelta(days=1),
        "r" * 32,
        WHEN + timedelta(minutes=5),
    )
    sending = Notification.objects.get(pk=emailing.pk)
    assert (sending.email_state, sending.claim, sending.title) == (
        "sending",
        "e" * 32,
        "Bob sent you a note",
    )
    from tending.feelings.models import FeelingCheckin

    assert FeelingCheckin.objects.get(pk=feeling.pk).visibility == "private"
