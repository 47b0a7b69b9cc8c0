"""Showing an insights report: a readable terminal summary, and a self-contained
HTML page (inline CSS and SVG, no JavaScript, nothing loaded from elsewhere)."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from tending.insights import charts
from tending.insights.analysis.trends import format_duration, short_month
from tending.insights.chats.stream import FORMAT_NAMES

# Per-sender columns in the terminal table only for small chats.
MAX_SENDER_COLUMNS = 3


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{round(value * 100)}%"


def _duration(value: float | None) -> str:
    return "–" if value is None else format_duration(value)


def _heading(result: dict[str, Any]) -> str:
    source = result.get("source") or {}
    name = FORMAT_NAMES.get(source.get("format", ""), "Chat")
    people = ", ".join(result["participants"]) or "nobody"
    total = result["totals"]["together"]["messages"]
    first = (result["first_time"] or "")[:10]
    last = (result["last_time"] or "")[:10]
    span = f" · {first} to {last}" if first else ""
    return f"{name} chat · {people} · {total:,} messages{span}"


def summary_text(result: dict[str, Any]) -> str:
    lines = [_heading(result)]
    source = result.get("source") or {}
    if source:
        unit = "lines" if source.get("skipped_unit") == "line" else "messages"
        lines.append(f"Skipped {unit}: {source.get('skipped_count', 0)}")
        skipped = result.get("skipped") or {}
        if skipped.get("prominent"):
            lines.append(
                f"  More than 1% could not be read: {skipped['messages_unread']} of "
                f"{skipped['messages_seen']} {'lines that start like a message' if unit == 'lines' else 'messages'} "
                "(see the line numbers above or in --json)."
            )
    lines.append("")
    senders = (
        result["participants"][:MAX_SENDER_COLUMNS]
        if len(result["participants"]) <= MAX_SENDER_COLUMNS
        else []
    )
    header = [
        "Month",
        "Msgs",
        *[s[:10] for s in senders],
        "Starts",
        "Logist.",
        "Feel.",
        "Laugh",
        "Harsh",
        "Repair",
        "Reply",
        "Silent",
    ]
    rows = [header]
    for month in result["months"]:
        t = month["together"]
        mark = "*" if month["partial"] else ""
        rows.append(
            [
                month["month"] + mark,
                str(t["messages"]),
                *[str(month["by_sender"].get(s, {}).get("messages", 0)) for s in senders],
                str(t["starts"]),
                _percent(t["logistics_share"]) if result["labels_available"] else "–",
                _percent(t["feeling_share"]) if result["labels_available"] else "–",
                _percent(t["laughter_share"]),
                _percent(t["conflict_share"]) if result["labels_available"] else "–",
                _percent(t["repair_rate"]),
                _duration(t["reply_median_seconds"]),
                str(t["silent_days"]),
            ]
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    for row in rows:
        cells = [row[0].ljust(widths[0])] + [
            cell.rjust(widths[i]) for i, cell in enumerate(row) if i
        ]
        lines.append("  ".join(cells).rstrip())
    if any(m["partial"] for m in result["months"]):
        lines.append("* only partly covered by the export")
    lines.append("")
    if result["trends"]:
        lines.append("What changed")
        lines.extend(f"  - {trend['text']}" for trend in result["trends"])
        lines.append("")
    if result["notes"]:
        lines.append("Notes")
        lines.extend(f"  - {note}" for note in result["notes"])
        lines.append("")
    lines.append(result["about"])
    return "\n".join(lines) + "\n"


def _charts(result: dict[str, Any]) -> list[dict[str, Any]]:
    months = result["months"]
    labels = [short_month(m["month"]) for m in months]
    partial = [m["partial"] for m in months]
    senders = result["participants"][:6]
    found = [
        {
            "title": "Messages each month",
            "svg": charts.stacked_bars(
                "Messages each month",
                labels,
                {
                    s: [m["by_sender"].get(s, {}).get("messages", 0) for m in months]
                    for s in senders
                },
                partial,
            ),
        }
    ]
    shares: dict[str, list[float | None]] = {
        "Laughter": [m["together"]["laughter_share"] for m in months]
    }
    if result["labels_available"]:
        shares = {
            "Logistics only": [m["together"]["logistics_share"] for m in months],
            "Feelings": [m["together"]["feeling_share"] for m in months],
            **shares,
            "Harsh moments": [m["together"]["conflict_share"] for m in months],
        }
    found.append(
        {
            "title": "Share of messages",
            "svg": charts.lines("Share of messages", labels, shares, partial, unit="%", scale=100),
        }
    )
    replies = [m["together"]["reply_median_seconds"] for m in months]
    found.append(
        {
            "title": "Typical reply time (minutes)",
            "svg": charts.lines(
                "Typical reply time in minutes",
                labels,
                {"Reply": [None if r is None else r / 60 for r in replies]},
                partial,
                unit=" min",
            ),
        }
    )
    found.append(
        {
            "title": "Days in long silences",
            "svg": charts.stacked_bars(
                "Days in long silences",
                labels,
                {"Silent days": [m["together"]["silent_days"] for m in months]},
                partial,
            ),
        }
    )
    for chart in found:
        chart["svg"] = mark_safe(chart["svg"])  # noqa: S308 - built by charts.py, every label escaped
    return found


def _table(result: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for month in result["months"]:
        t = month["together"]
        rows.append(
            {
                "month": month["month"],
                "partial": month["partial"],
                "messages": t["messages"],
                "by_sender": [
                    month["by_sender"].get(s, {}).get("messages", 0)
                    for s in result["participants"][:6]
                ],
                "starts": [
                    month["by_sender"].get(s, {}).get("starts", 0)
                    for s in result["participants"][:6]
                ],
                "logistics": _percent(t["logistics_share"]),
                "feeling": _percent(t["feeling_share"]),
                "appreciation": _percent(t["appreciation_share"]),
                "curiosity": _percent(t["curiosity_share"]),
                "laughter": _percent(t["laughter_share"]),
                "harsh": _percent(t["conflict_share"]),
                "repair": _percent(t["repair_rate"]),
                "repair_delay": _duration(t["repair_median_seconds"]),
                "reply": _duration(t["reply_median_seconds"]),
                "silent_days": t["silent_days"],
                "we": t["we"],
                "you": t["you"],
            }
        )
    return rows


def html_report(result: dict[str, Any]) -> str:
    ctx = {
        "heading": _heading(result),
        "result": result,
        "senders": result["participants"][:6],
        "charts": _charts(result),
        "rows": _table(result),
    }
    return render_to_string("insights/report.html", ctx)
