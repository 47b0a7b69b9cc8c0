"""Turning the folded monthly tallies into the JSON report: per-month figures,
partial months, and plain-language trends between an early and a late period.

A trend compares pooled figures of the first and the last few full months
(one month each when there are fewer than four, two when fewer than six, else
three), and is reported only when the change is large both in points and
relative to its size. The sentences live in data/explanations.json.

It reads the tallies of a finished fold (`Folded`, which `indicators.Insights`
is) and never imports `indicators`: the fold calls `build_result`, not the
other way round.
"""

from __future__ import annotations

import calendar
import json
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any, Protocol

from tending.insights.analysis.tallies import (
    CONVERSATION_GAP,
    MIN_TEXTS_PER_MONTH,
    REPAIR_EDGES,
    REPAIR_WINDOW,
    REPLY_EDGES,
    REPLY_LIMIT,
    SILENCE_GAP,
    Histogram,
    Month,
    Tally,
)
from tending.insights.chats.stream import ParseReport

REPORT_VERSION = 1


class Folded(Protocol):
    """What the report is built from: a fold's months and its first and last
    moments (see `indicators.Insights`)."""

    months: dict[tuple[int, int], Month]
    first: datetime | None
    latest: datetime | None
    labels_available: bool
    senders: set[str]


@dataclass(frozen=True, slots=True)
class Share:
    """A ratio indicator: which way is toward its warning sign, and how big a
    change must be to be mentioned (in points, and relative to the larger value)."""

    key: str
    numerator: str
    denominator: str
    worse: str  # "up" or "down"
    needs_labels: bool
    min_points: float = 0.04
    min_relative: float = 0.25
    min_denominator: int = MIN_TEXTS_PER_MONTH


SHARES = (
    Share("logistics_share", "logistics_only", "texts", "up", True),
    Share("feeling_share", "feeling", "texts", "down", True),
    Share("appreciation_share", "appreciation", "texts", "down", True),
    Share("curiosity_share", "curiosity", "texts", "down", True),
    Share("laughter_share", "laughter", "messages", "down", False),
    Share("conflict_share", "harsh", "texts", "up", True, min_points=0.02),
    Share("repair_rate", "repaired_episodes", "conflict_episodes", "down", True, 0.15, 0.25, 3),
    Share("you_share", "you", "we_you", "up", False, 0.10, 0.2, 20),
)
REPLY_MIN_RATIO = 1.5
REPLY_MIN_SECONDS = 120
REPLY_MIN_COUNT = 20
SILENT_DAYS_MIN_CHANGE = 3.0


@cache
def explanations() -> dict[str, Any]:
    path = Path(__file__).parent.parent / "data" / "explanations.json"
    return json.loads(path.read_text(encoding="utf-8"))


def _month_range(first: tuple[int, int], last: tuple[int, int]) -> list[tuple[int, int]]:
    keys = []
    year, month = first
    while (year, month) <= last:
        keys.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return keys


def _ratio(numerator: float, denominator: float) -> float | None:
    return round(numerator / denominator, 4) if denominator else None


def _month_figures(month: Month, together: Tally) -> dict[str, Any]:
    figures = together.figures()
    figures.update(
        system=month.system,
        silent_days=month.silent_days,
        silences=month.silences,
        conflict_episodes=month.conflict_episodes,
        repaired_episodes=month.repaired_episodes,
        we_you=together.we + together.you,
    )
    delay = month.repair_delays.median()
    figures["repair_median_seconds"] = round(delay) if delay is not None else None
    for share in SHARES:
        value = _ratio(figures[share.numerator], figures[share.denominator])
        figures[share.key] = min(value, 1.0) if value is not None else None
    return figures


def format_duration(seconds: float) -> str:
    if seconds < 90:
        return f"{round(seconds)} s"
    minutes = seconds / 60
    if minutes < 90:
        return f"{round(minutes)} min"
    hours = int(minutes // 60)
    rest = round(minutes - hours * 60)
    return f"{hours} h {rest} min" if rest else f"{hours} h"


def short_month(key: str) -> str:
    year, month = key.split("-")
    return f"{calendar.month_abbr[int(month)]} {year[2:]}"


def period_label(keys: list[str]) -> str:
    def name(key: str, with_year: bool = True) -> str:
        year, month = key.split("-")
        label = calendar.month_name[int(month)]
        return f"{label} {year}" if with_year else label

    if len(keys) == 1:
        return name(keys[0])
    first, last = keys[0], keys[-1]
    same_year = first[:4] == last[:4]
    return f"{name(first, not same_year)}\u2013{name(last)}"


def _sentence(key: str, toward: bool, values: dict[str, str]) -> tuple[str, str]:
    entry = explanations()["indicators"][key]
    text = entry["toward" if toward else "away"].format(**values)
    return text, entry["relates_to"]


def _trend(
    key: str,
    early: list[str],
    late: list[str],
    before: float,
    after: float,
    worse: str,
    shown: tuple[str, str],
) -> dict[str, Any]:
    direction = "up" if after > before else "down"
    toward = direction == worse
    text, relates_to = _sentence(
        key,
        toward,
        {
            "from": shown[0],
            "to": shown[1],
            "from_period": period_label(early),
            "to_period": period_label(late),
        },
    )
    return {
        "indicator": key,
        "direction": direction,
        "toward_warning_sign": toward,
        "relates_to": relates_to,
        "from": round(before, 4),
        "to": round(after, 4),
        "from_months": early,
        "to_months": late,
        "text": text,
    }


def _pooled(rows: list[dict[str, Any]], numerator: str, denominator: str) -> tuple[float, float]:
    return (
        sum(row[numerator] for row in rows),
        sum(row[denominator] for row in rows),
    )


def _trends(
    full: list[dict[str, Any]], replies: dict[str, Histogram], labels_available: bool
) -> list[dict[str, Any]]:
    if len(full) < 2:
        return []
    width = 1 if len(full) < 4 else 2 if len(full) < 6 else 3
    early_rows, late_rows = full[:width], full[-width:]
    early = [row["month"] for row in early_rows]
    late = [row["month"] for row in late_rows]
    found: list[dict[str, Any]] = []
    for share in SHARES:
        if share.needs_labels and not labels_available:
            continue
        top1, bottom1 = _pooled(
            [r["together"] for r in early_rows], share.numerator, share.denominator
        )
        top2, bottom2 = _pooled(
            [r["together"] for r in late_rows], share.numerator, share.denominator
        )
        if min(bottom1, bottom2) < share.min_denominator:
            continue
        before, after = min(top1 / bottom1, 1.0), min(top2 / bottom2, 1.0)
        change = abs(after - before)
        if change < share.min_points or change < share.min_relative * max(before, after):
            continue
        shown = (f"{round(before * 100)}%", f"{round(after * 100)}%")
        found.append(_trend(share.key, early, late, before, after, share.worse, shown))
    found.extend(_reply_trend(early, late, replies))
    days1 = sum(r["together"]["silent_days"] for r in early_rows) / width
    days2 = sum(r["together"]["silent_days"] for r in late_rows) / width
    if abs(days2 - days1) >= SILENT_DAYS_MIN_CHANGE:
        shown = (f"{days1:g}", f"{days2:g}")
        found.append(_trend("silent_days", early, late, days1, days2, "up", shown))
    return found


def _reply_trend(
    early: list[str], late: list[str], replies: dict[str, Histogram]
) -> list[dict[str, Any]]:
    pooled = []
    for keys in (early, late):
        histogram = Histogram(REPLY_EDGES)
        for key in keys:
            histogram.merge(replies[key])
        pooled.append(histogram)
    if min(h.total for h in pooled) < REPLY_MIN_COUNT:
        return []
    before, after = pooled[0].median(), pooled[1].median()
    if before is None or after is None:
        return []
    low, high = sorted((before, after))
    if high - low < REPLY_MIN_SECONDS or high < REPLY_MIN_RATIO * max(low, 1):
        return []
    shown = (format_duration(before), format_duration(after))
    return [_trend("reply_median", early, late, before, after, "up", shown)]


def _partial(key: tuple[int, int], first: Any, last: Any) -> tuple[bool, int]:
    """(cut short by the export, days of the month the export covers)."""
    days = calendar.monthrange(*key)[1]
    start_day, end_day = 1, days
    if first is not None and (first.year, first.month) == key:
        start_day = first.day
    if last is not None and (last.year, last.month) == key:
        end_day = last.day
    covered = end_day - start_day + 1
    return covered < days, covered


def build_result(insights: Folded, report: ParseReport | None) -> dict[str, Any]:
    words = explanations()
    first = report.first_time if report and report.first_time else insights.first
    last = report.last_time if report and report.last_time else insights.latest
    rows: list[dict[str, Any]] = []
    replies: dict[str, Histogram] = {}
    totals = Tally()
    sender_totals: dict[str, Tally] = {}
    keys = _month_range(min(insights.months), max(insights.months)) if insights.months else []
    for key in keys:
        month = insights.months.get(key) or Month(*key)
        together = month.together()
        totals.merge(together)
        for name, tally in month.by_sender.items():
            sender_totals.setdefault(name, Tally()).merge(tally)
        partial, covered = _partial(key, first, last)
        replies[month.key] = together.replies
        rows.append(
            {
                "month": month.key,
                "partial": partial,
                "covered_days": covered,
                "days_in_month": calendar.monthrange(*key)[1],
                "together": _month_figures(month, together),
                "by_sender": {name: t.figures() for name, t in sorted(month.by_sender.items())},
            }
        )
    full = [r for r in rows if not r["partial"] and r["together"]["texts"] >= MIN_TEXTS_PER_MONTH]
    trends = _trends(full, replies, insights.labels_available)
    notes = _notes(rows, full, trends, insights, words)
    participants = sorted(sender_totals, key=lambda n: -sender_totals[n].messages)
    return {
        "version": REPORT_VERSION,
        "about": words["about"],
        "source": report.as_json() if report else None,
        "skipped": report.skipped_section() if report else None,
        "labels_available": insights.labels_available,
        "participants": participants,
        "first_time": first.isoformat() if first else None,
        "last_time": last.isoformat() if last else None,
        "totals": {
            "together": totals.figures(),
            "by_sender": {name: sender_totals[name].figures() for name in participants},
        },
        "months": rows,
        "trends": trends,
        "notes": notes,
        "method": _method(),
    }


def _notes(
    rows: list[dict[str, Any]],
    full: list[dict[str, Any]],
    trends: list[dict[str, Any]],
    insights: Folded,
    words: dict[str, Any],
) -> list[str]:
    notes = words["notes"]
    found = []
    partial = [r["month"] for r in rows if r["partial"]]
    if partial:
        found.append(
            notes["partial_months"].format(months=" and ".join(period_label([m]) for m in partial))
        )
    if not insights.labels_available:
        found.append(notes["no_labels"])
    if len(full) < 2:
        found.append(notes["too_short"])
    elif not trends:
        found.append(notes["steady"])
    if len(insights.senders) > 2:
        found.append(notes["group"])
    return found


def _method() -> dict[str, Any]:
    return {
        "conversation_gap_hours": CONVERSATION_GAP.total_seconds() / 3600,
        "reply_limit_hours": REPLY_LIMIT.total_seconds() / 3600,
        "silence_gap_days": SILENCE_GAP.days,
        "repair_window_days": REPAIR_WINDOW.days,
        "min_texts_per_month": MIN_TEXTS_PER_MONTH,
        "reply_histogram_edges_seconds": list(REPLY_EDGES),
        "repair_histogram_edges_seconds": list(REPAIR_EDGES),
        "medians": (
            "Medians come from fixed histograms of delays (edges listed here) with "
            "linear interpolation inside the bucket that holds the middle value; "
            "the error is at most that bucket's width. WhatsApp on Android records "
            "minutes only, so a reply within the same minute counts as 0 s."
        ),
        "trends": (
            "A trend compares the first and the last full months with at least "
            f"{MIN_TEXTS_PER_MONTH} written messages (one, two or three months each, "
            "depending on how many there are), pooling their counts."
        ),
    }
