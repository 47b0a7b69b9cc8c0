"""Server-rendered SVG charts. Each chart stands beside an accessible table
of the same numbers (the templates render both), so nothing depends on sight
or on JavaScript."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

Number = float | int
X = date | datetime


@dataclass(frozen=True)
class Series:
    name: str
    points: Sequence[tuple[X, Number | None]]
    colour: str = "currentColor"
    # "line" joins points; "dots" draws them alone (for scattered check-ins).
    style: str = "line"
    dot_colours: Sequence[str] = field(default_factory=tuple)


def _n(value: float) -> str:
    return f"{value:.1f}"


def _ordinal(x: X) -> float:
    """Days on one scale for dates and datetimes (a datetime in its own zone)."""
    if isinstance(x, datetime):
        seconds = x.hour * 3600 + x.minute * 60 + x.second
        return x.toordinal() + seconds / 86400
    return float(x.toordinal())


def chart(
    series: Sequence[Series],
    *,
    title: str,
    description: str,
    y_min: Number,
    y_max: Number,
    y_ticks: Sequence[tuple[Number, str]] = (),
    x_ticks: Sequence[tuple[X, str]] = (),
    x_range: tuple[X, X] | None = None,
    x_markers: Sequence[tuple[X, str]] = (),
    width: int = 640,
    height: int = 240,
) -> SafeString:
    """An SVG chart; x is a date or datetime, y runs from y_min to y_max.

    Each of `x_markers` is drawn as a dashed vertical rule with a short label at
    its top, for a moment when what is measured changed."""
    longest = max((len(label) for _, label in y_ticks), default=2)
    left, right, top, bottom = max(30, 8 + longest * 7), 16, 12, 28
    plot_w, plot_h = width - left - right, height - top - bottom
    xs = [_ordinal(x) for s in series for x, y in s.points if y is not None]
    if x_range:
        x0, x1 = _ordinal(x_range[0]), _ordinal(x_range[1])
    elif xs:
        x0, x1 = min(xs), max(xs)
    else:
        x0, x1 = 0.0, 1.0
    if x1 <= x0:
        x0, x1 = x0 - 1, x1 + 1
    span_y = (y_max - y_min) or 1

    def px(x: X) -> float:
        return left + (_ordinal(x) - x0) / (x1 - x0) * plot_w

    def py(y: Number) -> float:
        return top + plot_h - (y - y_min) / span_y * plot_h

    parts: list[str] = []
    uid = abs(hash((title, description))) % 10**8
    parts.append(
        format_html(
            '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-labelledby="t{} d{}" '
            'xmlns="http://www.w3.org/2000/svg"><title id="t{}">{}</title><desc id="d{}">{}</desc>',
            width,
            height,
            uid,
            uid,
            uid,
            title,
            uid,
            description,
        )
    )
    for value, label in y_ticks:
        y = py(value)
        parts.append(
            format_html(
                '<line class="grid" x1="{}" x2="{}" y1="{}" y2="{}"/>'
                '<text class="tick" x="{}" y="{}" text-anchor="end">{}</text>',
                left,
                width - right,
                _n(y),
                _n(y),
                left - 6,
                _n(y + 4),
                label,
            )
        )
    for x, label in x_ticks:
        parts.append(
            format_html(
                '<text class="tick" x="{}" y="{}" text-anchor="middle">{}</text>',
                _n(px(x)),
                height - 8,
                label,
            )
        )
    for x, label in x_markers:
        parts.append(
            format_html(
                '<g class="marker"><line x1="{}" x2="{}" y1="{}" y2="{}" stroke="currentColor" '
                'stroke-dasharray="4 3"/><text class="tick" x="{}" y="{}" text-anchor="start">'
                "{}</text></g>",
                _n(px(x)),
                _n(px(x)),
                top,
                top + plot_h,
                _n(px(x) + 4),
                top + 10,
                label,
            )
        )
    for s in series:
        pts = [(px(x), py(y)) for x, y in s.points if y is not None]
        if s.style == "line" and len(pts) > 1:
            d = " ".join(f"{'M' if i == 0 else 'L'}{x:.1f},{y:.1f}" for i, (x, y) in enumerate(pts))
            parts.append(
                format_html(
                    '<path class="line" d="{}" fill="none" stroke="{}" stroke-width="2.5" '
                    'stroke-linejoin="round" stroke-linecap="round"/>',
                    d,
                    s.colour,
                )
            )
        colours = list(s.dot_colours) or [s.colour] * len(pts)
        for (x, y), colour in zip(pts, colours, strict=False):
            parts.append(
                format_html(
                    '<circle cx="{}" cy="{}" r="{}" fill="{}"/>',
                    _n(x),
                    _n(y),
                    5 if s.style == "dots" else 3.5,
                    colour,
                )
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  (every piece above is escaped by format_html)


def legend(series: Sequence[Series]) -> SafeString:
    items = "".join(
        f'<li><span class="swatch" style="background:{escape(s.colour)}"></span>{escape(s.name)}</li>'
        for s in series
    )
    return mark_safe(f'<ul class="legend">{items}</ul>')  # noqa: S308
