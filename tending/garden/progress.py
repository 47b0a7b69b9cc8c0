"""Progress over time: a few charts, each with the same numbers as a table.

Every series reads a bounded window (the last PROGRESS_WEEKS weeks, or the
last MAX_RESULTS check-ups), through the privacy model where entries are
concerned, so the page costs the same however long the history is.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.utils import timezone
from django.utils.safestring import SafeString

from tending.checkup.models import CheckupResult
from tending.feelings.models import FeelingCheckin
from tending.lib.svg import Series, chart
from tending.lib.timeutil import local_time
from tending.prompts.models import Conversation, UnderstoodRating
from tending.rituals.models import Completion

PROGRESS_WEEKS = 26
MAX_RESULTS = 24
ACCENT = "#3f6f4c"
WARM = "#c0643f"


@dataclass
class Panel:
    id: str
    title: str
    explanation: str
    svg: SafeString | None
    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    empty: str = ""


def _mondays(today: date, weeks: int) -> list[date]:
    monday = today - timedelta(days=today.weekday())
    return [monday - timedelta(weeks=w) for w in range(weeks - 1, -1, -1)]


def _week_ticks(mondays: list[date]) -> list[tuple[date, str]]:
    return [(m, f"{m:%-d %b}") for m in mondays[:: max(1, len(mondays) // 5)]]


def _weekly_panel(
    id: str, title: str, explanation: str, counts: Counter[date], mondays: list[date], empty: str
) -> Panel:
    points = [(m, counts.get(m, 0)) for m in mondays]
    top = max([c for _, c in points] + [1])
    svg = chart(
        [Series(title, points, colour=ACCENT)],
        title=title,
        description=f"{sum(counts.values())} in the last {len(mondays)} weeks, week by week.",
        y_min=0,
        y_max=top,
        y_ticks=[(0, "0"), (top, str(top))],
        x_ticks=_week_ticks(mondays),
    )
    rows = [(f"week of {m:%-d %b %Y}", c) for m, c in reversed(points)]
    has_any = any(counts.values())
    return Panel(
        id,
        title,
        explanation,
        svg if has_any else None,
        ("Week", "Count"),
        rows if has_any else [],
        empty,
    )


def _monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def conversations_panel(bond: Any, user: Any, mondays: list[date]) -> Panel | None:
    if bond.is_solo_kind:
        return None
    since = timezone.now() - timedelta(weeks=len(mondays) + 1)
    counts: Counter[date] = Counter()
    for held in Conversation.objects.filter(bond=bond, held_at__gte=since).values_list(
        "held_at", flat=True
    ):
        counts[_monday_of(local_time(held, user.tz).date())] += 1
    return _weekly_panel(
        "conversations",
        "Weekly conversations held",
        "Each point is a week; one conversation a week is a lovely rhythm, and any week is a good week to start again.",
        counts,
        mondays,
        "No weekly conversation recorded yet.",
    )


def rituals_panel(bond: Any, mondays: list[date]) -> Panel:
    counts: Counter[date] = Counter(
        _monday_of(day) for day in Completion.objects.kept_days(bond, mondays[0])
    )
    return _weekly_panel(
        "rituals",
        "Rituals kept",
        "How many times you marked a ritual as done, week by week. Missed days are simply not counted.",
        counts,
        mondays,
        "No ritual marked as done yet.",
    )


def understood_panel(bond: Any, user: Any, mondays: list[date]) -> Panel | None:
    if bond.is_solo_kind:
        return None
    since = timezone.now() - timedelta(weeks=len(mondays) + 1)
    mine = list(
        UnderstoodRating.objects.filter(bond=bond, author=user, created_at__gte=since)
        .order_by("created_at")
        .values_list("created_at", "score")
    )
    if not mine:
        return Panel(
            "understood",
            "How understood I felt",
            "After each weekly conversation you may say how understood you felt, from 1 to 5. Only you see your own answers here.",
            None,
            ("Date", "How understood (1–5)"),
            empty="Nothing yet: after your next conversation you can add how understood you felt.",
        )
    points = [(local_time(t, user.tz), s) for t, s in mine]
    svg = chart(
        [Series("How understood I felt", points, colour=WARM)],
        title="How understood I felt after our conversations",
        description=f"{len(points)} answers, from 1 (not much) to 5 (very).",
        y_min=1,
        y_max=5,
        y_ticks=[(1, "1"), (3, "3"), (5, "5")],
        x_ticks=_week_ticks(mondays),
        x_range=(mondays[0], mondays[-1] + timedelta(days=7)),
    )
    rows = [(f"{t:%-d %b %Y}", s) for t, s in reversed(points)]
    return Panel(
        "understood",
        "How understood I felt",
        "After each weekly conversation you may say how understood you felt, from 1 to 5. Only you see your own answers here.",
        svg,
        ("Date", "How understood (1–5)"),
        rows,
    )


def checkup_panel(bond: Any, user: Any) -> Panel:
    results = list(
        CheckupResult.objects.filter(bond=bond, author=user, overall__isnull=False)
        .order_by("-created_at")
        .values_list("created_at", "overall")[:MAX_RESULTS]
    )
    results.reverse()
    title = "My check-ups: overall closeness"
    explanation = "Your own check-ups, 0 to 100. The check-up page shows each area in detail."
    if not results:
        return Panel(
            "checkup", title, explanation, None, ("Date", "Overall"), empty="No check-up taken yet."
        )
    points = [(local_time(t, user.tz), round(v)) for t, v in results]
    svg = chart(
        [Series(title, points, colour=ACCENT)],
        title=title,
        description=f"{len(points)} check-ups.",
        y_min=0,
        y_max=100,
        y_ticks=[(0, "0"), (50, "50"), (100, "100")],
    )
    return Panel(
        "checkup",
        title,
        explanation,
        svg,
        ("Date", "Overall"),
        [(f"{t:%-d %b %Y}", v) for t, v in reversed(points)],
    )


def feelings_panel(bond: Any, user: Any, mondays: list[date]) -> Panel:
    counts: Counter[date] = Counter()
    since = timezone.now() - timedelta(weeks=len(mondays) + 1)
    for t in FeelingCheckin.objects.filter(
        bond=bond, author=user, created_at__gte=since
    ).values_list("created_at", flat=True):
        counts[_monday_of(local_time(t, user.tz).date())] += 1
    return _weekly_panel(
        "feelings",
        "Feelings I named",
        "How often you named a feeling, week by week. The feelings page shows which ones.",
        counts,
        mondays,
        "No feeling named yet.",
    )


def panels_for(bond: Any, user: Any, today: date) -> list[Panel]:
    mondays = _mondays(today, PROGRESS_WEEKS)
    found = [
        checkup_panel(bond, user),
        conversations_panel(bond, user, mondays),
        understood_panel(bond, user, mondays),
        feelings_panel(bond, user, mondays),
        rituals_panel(bond, mondays),
    ]
    return [p for p in found if p is not None]
