"""Years of realistic activity for many bonds, written with COPY.

Used by the benchmarks only. Fresh database assumed: users get ids 1..2N
(users 2i-1 and 2i share bond i). Rows are written in time order, day by day
across all bonds, as a server in use receives them: a table is not clustered
by bond, and the planner sees it as it would in production."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

WORDS = [
    ("calm", "calm"),
    ("low", "lonely"),
    ("glad", "joyful"),
    ("warm", "tender"),
    ("drained", "tired"),
]


def seed_activity(
    connection: Any, *, bonds: int, years: int, copy: Callable[..., int]
) -> dict[str, int]:
    rng = random.Random(42)
    now = datetime.now(UTC)
    start = now - timedelta(days=365 * years)
    counts: dict[str, int] = {}
    with connection.cursor() as django_cursor:
        cursor = django_cursor.cursor  # the psycopg cursor, for COPY
        counts["users"] = copy(
            cursor,
            "accounts_user",
            [
                "password",
                "is_superuser",
                "email",
                "display_name",
                "time_zone",
                "is_active",
                "is_staff",
                "date_joined",
            ],
            (
                (
                    "!",
                    False,
                    f"member{u}@bench.example",
                    f"Member {u}",
                    rng.choice(["Europe/Berlin", "America/New_York", "Australia/Sydney"]),
                    True,
                    False,
                    start,
                )
                for u in range(1, bonds * 2 + 1)
            ),
        )
        counts["bonds"] = copy(
            cursor,
            "bonds_bond",
            ["kind", "created_by_id", "created_at", "seed"],
            (("partner", 2 * b - 1, start, rng.randrange(2**31)) for b in range(1, bonds + 1)),
        )
        counts["memberships"] = copy(
            cursor,
            "bonds_membership",
            ["bond_id", "user_id", "joined_at"],
            ((b, 2 * b - 1 + m, start) for b in range(1, bonds + 1) for m in (0, 1)),
        )

        def checkins() -> Iterator[tuple[Any, ...]]:
            for d in range(365 * years):
                for b in range(1, bonds + 1):
                    day = start + timedelta(days=d)
                    for m in (0, 1):
                        if rng.random() < 0.7:
                            family, word = rng.choice(WORDS)
                            yield (
                                b,
                                2 * b - 1 + m,
                                rng.choice(("private", "shared")),
                                "",
                                day + timedelta(hours=8 + 10 * m, minutes=rng.randrange(60)),
                                family,
                                word,
                                rng.randint(1, 5),
                                "",
                            )

        def answers() -> Iterator[tuple[Any, ...]]:
            for d in range(365 * years):
                for b in range(1, bonds + 1):
                    day = (start + timedelta(days=d)).date()
                    for m in (0, 1):
                        if rng.random() < 0.6:
                            moment = start + timedelta(days=d, hours=19 + m)
                            yield (
                                b,
                                2 * b - 1 + m,
                                "sealed",
                                f"daily:{day.isoformat()}",
                                moment,
                                day,
                                f"cur-{rng.randrange(1, 80):03d}",
                                "answer",
                                "an answer",
                                "",
                            )

        counts["daily answers"] = copy(
            cursor,
            "prompts_dailyanswer",
            [
                "bond_id",
                "author_id",
                "visibility",
                "seal",
                "created_at",
                "day",
                "prompt_id",
                "kind",
                "text",
                "closeness",
            ],
            answers(),
        )

        def conversations() -> Iterator[tuple[Any, ...]]:
            for w in range(52 * years):
                for b in range(1, bonds + 1):
                    week_start = (start + timedelta(weeks=w)).date()
                    held = (
                        start + timedelta(weeks=w, days=6, hours=19) if rng.random() < 0.7 else None
                    )
                    yield (
                        b,
                        w,
                        week_start,
                        "[]",
                        None,
                        held,
                        2 * b - 1 if held else None,
                        start + timedelta(weeks=w),
                    )

        counts["conversations"] = copy(
            cursor,
            "prompts_conversation",
            [
                "bond_id",
                "week",
                "week_start",
                "prompt_ids",
                "speaker_id",
                "held_at",
                "held_by_id",
                "created_at",
            ],
            conversations(),
        )

        def ruptures() -> Iterator[tuple[Any, ...]]:
            for month in range(12 * years):
                for b in range(1, bonds + 1):
                    if rng.random() < 0.5:
                        made = start + timedelta(days=30 * month + rng.randrange(28))
                        resolved = made + timedelta(days=2) if rng.random() < 0.9 else None
                        yield (
                            b,
                            2 * b - 1 + rng.randrange(2),
                            "shared",
                            "",
                            made,
                            "a repair message",
                            made + timedelta(hours=1),
                            resolved,
                            resolved,
                            resolved,
                        )

        counts["ruptures"] = copy(
            cursor,
            "repair_rupture",
            [
                "bond_id",
                "author_id",
                "visibility",
                "seal",
                "created_at",
                "message",
                "sent_at",
                "author_resolved_at",
                "other_resolved_at",
                "resolved_at",
            ],
            ruptures(),
        )

        counts["feeling check-ins"] = copy(
            cursor,
            "feelings_feelingcheckin",
            [
                "bond_id",
                "author_id",
                "visibility",
                "seal",
                "created_at",
                "family",
                "word",
                "intensity",
                "note",
            ],
            checkins(),
        )
    return counts
