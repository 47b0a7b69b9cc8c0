"""The insights page: the stored monthly figures turned into sections (one per
warning sign), each with its trends, charts (charts.py SVG) and a table of the
same numbers, with people named as the viewer knows them.

Per-person shares are computed here from the stored counts; a month with fewer
than MIN_COUNT messages to count from is left blank rather than shown as a
jumpy 0% or 100%."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.safestring import SafeString, mark_safe

from tending.bonds.cards import cards_for
from tending.bonds.models import Bond
from tending.insights import charts
from tending.insights.analysis.trends import format_duration, short_month
from tending.insights.chats.stream import FORMAT_NAMES
from tending.insights.models import ChatImport, Role

MIN_COUNT = 5
MIN_REPLIES = 3
TOGETHER = "Together"

# chart id -> (numerator, denominator) of a share, per person and together.
SHARES: dict[str, tuple[str, str]] = {
    "logistics_share": ("logistics_only", "texts"),
    "feeling_share": ("feeling", "texts"),
    "curiosity_share": ("curiosity", "texts"),
    "appreciation_share": ("appreciation", "texts"),
    "laughter_share": ("laughter", "messages"),
    "conflict_share": ("harsh", "texts"),
    "you_share": ("you", "we_you"),
}
NEEDS_LABELS = {
    "logistics_share",
    "feeling_share",
    "curiosity_share",
    "appreciation_share",
    "conflict_share",
    "repair_rate",
}
COUNTS = ("messages", "starts")


@cache
def words() -> dict[str, Any]:
    path = Path(__file__).parent / "data" / "page.json"
    return json.loads(path.read_text(encoding="utf-8"))


@dataclass
class Chart:
    id: str
    title: str
    explanation: str
    svg: SafeString
    columns: list[str]
    rows: list[dict[str, Any]]


@dataclass
class Section:
    id: str
    title: str
    intro: str
    sign: str = ""
    trends: list[dict[str, Any]] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    suggestion: dict[str, str] | None = None


def _sum(figures: list[dict[str, Any]]) -> dict[str, Any]:
    total: dict[str, Any] = {}
    for one in figures:
        for key, value in one.items():
            if isinstance(value, int | float) and not key.endswith("_seconds"):
                total[key] = total.get(key, 0) + value
    if len(figures) == 1:
        total["reply_median_seconds"] = figures[0].get("reply_median_seconds")
    total["we_you"] = total.get("we", 0) + total.get("you", 0)
    return total


def _share(figures: dict[str, Any], numerator: str, denominator: str) -> float | None:
    bottom = figures.get(denominator, 0)
    if bottom < MIN_COUNT:
        return None
    return min(figures.get(numerator, 0) / bottom, 1.0)


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{round(value * 100)}%"


class People:
    """The chat's participants grouped by role, named for the viewer."""

    def __init__(self, chat_import: ChatImport, viewer: Any, other: Any) -> None:
        mapping = chat_import.mapping or {}
        self.roles: dict[str, list[str]] = {r.value: [] for r in Role}
        for name in chat_import.participants():
            self.roles[mapping.get(name, Role.SOMEONE.value)].append(name)
        author_is_viewer = chat_import.author_id == viewer.pk
        others = self.roles[Role.SOMEONE.value]
        self.labels = {
            Role.AUTHOR.value: "You" if author_is_viewer else chat_import.author.display_name,
            Role.OTHER.value: (
                "You" if not author_is_viewer else (other.display_name if other else "They")
            ),
            Role.SOMEONE.value: "Someone else" if len(others) == 1 else "Others",
        }
        self.shown = [role for role in (r.value for r in Role) if self.roles[role]]

    def figures(self, month: dict[str, Any], role: str) -> dict[str, Any]:
        by_sender = month["by_sender"]
        return _sum([by_sender[name] for name in self.roles[role] if name in by_sender])


def _table(
    months: list[dict[str, Any]], series: dict[str, list[str]]
) -> tuple[list[str], list[dict[str, Any]]]:
    rows = []
    for index, month in enumerate(months):
        rows.append(
            {
                "month": short_month(month["month"]),
                "partial": month["partial"],
                "cells": [values[index] for values in series.values()],
            }
        )
    return list(series), rows


def _chart(
    chart_id: str,
    months: list[dict[str, Any]],
    people: People,
) -> Chart | None:
    text = words()["charts"][chart_id]
    labels = [short_month(m["month"]) for m in months]
    partial = [m["partial"] for m in months]
    title = text["title"]
    if chart_id in COUNTS:
        counts = {
            people.labels[role]: [people.figures(m, role).get(chart_id, 0) for m in months]
            for role in people.shown
        }
        svg = charts.stacked_bars(title, labels, counts, partial)
        shown = {name: [str(v) for v in values] for name, values in counts.items()}
    elif chart_id in SHARES:
        numerator, denominator = SHARES[chart_id]
        values: dict[str, list[float | None]] = {
            people.labels[role]: [
                _share(people.figures(m, role), numerator, denominator) for m in months
            ]
            for role in people.shown
        }
        together = [_share(_together(m), numerator, denominator) for m in months]
        if len(people.shown) > 1:
            values[TOGETHER] = together
        svg = charts.lines(title, labels, values, partial, unit="%", scale=100)
        shown = {name: [_percent(v) for v in points] for name, points in values.items()}
    elif chart_id == "reply_median":
        minutes: dict[str, list[float | None]] = {}
        for role in people.shown:
            points = []
            for m in months:
                figures = people.figures(m, role)
                seconds = figures.get("reply_median_seconds")
                enough = figures.get("replies", 0) >= MIN_REPLIES
                points.append(seconds / 60 if enough and seconds is not None else None)
            minutes[people.labels[role]] = points
        title = f"{title} (minutes)"
        svg = charts.lines(title, labels, minutes, partial, unit=" min")
        shown = {
            name: ["–" if v is None else format_duration(v * 60) for v in points]
            for name, points in minutes.items()
        }
    elif chart_id == "silent_days":
        days = {TOGETHER: [m["together"]["silent_days"] for m in months]}
        svg = charts.stacked_bars(title, labels, days, partial)
        shown = {TOGETHER: [str(v) for v in days[TOGETHER]]}
    elif chart_id == "repair_rate":
        rates: dict[str, list[float | None]] = {
            TOGETHER: [
                m["together"]["repaired_episodes"] / m["together"]["conflict_episodes"]
                if m["together"]["conflict_episodes"]
                else None
                for m in months
            ]
        }
        svg = charts.lines(title, labels, rates, partial, unit="%", scale=100)
        shown = {
            TOGETHER: [_percent(v) for v in rates[TOGETHER]],
            "Harsh moments that began a difficult stretch": [
                str(m["together"]["conflict_episodes"]) for m in months
            ],
        }
    else:
        return None
    columns, rows = _table(months, shown)
    # charts.py escapes every label it draws.
    return Chart(chart_id, title, text["explanation"], mark_safe(svg), columns, rows)  # noqa: S308


def _together(month: dict[str, Any]) -> dict[str, Any]:
    figures = dict(month["together"])
    figures["we_you"] = figures.get("we", 0) + figures.get("you", 0)
    return figures


def _practice_urls(bond: Bond) -> set[str]:
    return {link.url for link in cards_for(bond)}


def _suggestion(raw: dict[str, str] | None, bond: Bond, offered: set[str]) -> dict[str, str] | None:
    if not raw:
        return None
    try:
        url = reverse(raw["practice"], args=[bond.pk])
    except NoReverseMatch:
        url = ""
    return {"text": raw["text"], "url": url if url in offered else ""}


def build(
    chat_import: ChatImport, viewer: Any, bond: Bond, safe_to_suggest: bool
) -> dict[str, Any]:
    """Everything the insights part of the page shows. `safe_to_suggest` False
    (a positive safety screen) leaves out every suggestion that involves the
    other person."""
    result = chat_import.report or {}
    months = result.get("months", [])
    people = People(chat_import, viewer, bond.other_member(chat_import.author))
    labels = bool(result.get("labels_available"))
    by_indicator: dict[str, list[dict[str, Any]]] = {}
    for trend in result.get("trends", []):
        by_indicator.setdefault(trend["indicator"], []).append(trend)
    offered = _practice_urls(bond) if safe_to_suggest else set()
    sections = []
    for raw in words()["sections"]:
        sign = words()["sign_intro"].format(sign=raw["sign"].lower()) if raw.get("sign") else ""
        section = Section(raw["id"], raw["title"], raw["intro"], sign)
        for chart_id in raw["charts"]:
            if chart_id in NEEDS_LABELS and not labels:
                continue
            chart = _chart(chart_id, months, people)
            if chart is not None:
                section.charts.append(chart)
            section.trends.extend(by_indicator.get(chart_id, []))
        if not section.charts:
            continue
        if safe_to_suggest and any(t["toward_warning_sign"] for t in section.trends):
            section.suggestion = _suggestion(raw.get("suggestion"), bond, offered)
        sections.append(section)
    source = result.get("source") or {}
    totals = result.get("totals", {}).get("together", {})
    return {
        "about": result.get("about", ""),
        "sections": sections,
        "notes": result.get("notes", []),
        "thin_months": words()["thin_months"].format(count=MIN_COUNT),
        "group": words()["group"] if len(chat_import.participants()) > 2 else "",
        "format_name": FORMAT_NAMES.get(source.get("format", ""), "Chat"),
        "messages": totals.get("messages", 0),
        "first": _day(result.get("first_time")),
        "last": _day(result.get("last_time")),
        "partial_any": any(m["partial"] for m in months),
        "legend": [people.labels[role] for role in people.shown],
        "trend_count": len(result.get("trends", [])),
    }


def _day(value: str | None) -> date | None:
    try:
        return datetime.fromisoformat(value).date() if value else None
    except ValueError:
        return None


def skipped_summary(chat_import: ChatImport, shown: int = 5) -> dict[str, Any] | None:
    """How many lines (or messages) were skipped, with the first few numbers and
    reasons, and each reason's count; `prominent` when more than 1% of what
    looked like messages could not be read. Never their text (the report holds none)."""
    report = chat_import.report or {}
    source = report.get("source") or {}
    count = source.get("skipped_count", 0)
    if not count:
        return None
    unit = "line" if source.get("skipped_unit") == "line" else "message"
    section = report.get("skipped") or {}  # reports read before issue 17 have none
    share = section.get("share", 0.0)
    return {
        "count": count,
        "unit": unit if count == 1 else f"{unit}s",
        "unit_one": unit,
        "first": source.get("skipped", [])[:shown],
        "reasons": section.get("reasons", []),
        "prominent": bool(section.get("prominent")),
        "unread": section.get("messages_unread", 0),
        "seen": section.get("messages_seen", 0),
        "percent": f"{share * 100:.1f}".rstrip("0").rstrip(".") if share else "0",
    }
