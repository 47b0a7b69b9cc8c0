"""Small server-rendered SVG charts for the insights report: no JavaScript, no
external resources, every label escaped."""

from __future__ import annotations

from html import escape

WIDTH = 720
HEIGHT = 220
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 14, 42
PALETTE = ("#4c7a5a", "#c7834f", "#5a6fa8", "#a85a7d", "#7d8c3a", "#5a9aa8", "#8c6d5a")
PARTIAL_OPACITY = "0.45"


def _frame(title: str, body: list[str], legend: list[tuple[str, str]]) -> str:
    height = HEIGHT + (18 if legend else 0)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        *body,
    ]
    x = LEFT
    for name, colour in legend:
        parts.append(f'<rect x="{x}" y="{HEIGHT + 4}" width="10" height="10" fill="{colour}"/>')
        parts.append(f'<text x="{x + 14}" y="{HEIGHT + 13}" font-size="11">{escape(name)}</text>')
        x += 24 + 7 * len(name)
    parts.append("</svg>")
    return "".join(parts)


def _axes(labels: list[str], top_value: float, unit: str) -> list[str]:
    plot_h = HEIGHT - TOP - BOTTOM
    out = [
        f'<line x1="{LEFT}" y1="{HEIGHT - BOTTOM}" x2="{WIDTH - RIGHT}" y2="{HEIGHT - BOTTOM}" stroke="#888"/>',
    ]
    for fraction in (0, 0.5, 1):
        y = HEIGHT - BOTTOM - plot_h * fraction
        value = top_value * fraction
        shown = f"{value:g}{unit}" if value == int(value) else f"{value:.1f}{unit}"
        out.append(
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" font-size="10" text-anchor="end">{escape(shown)}</text>'
        )
        if fraction:
            out.append(
                f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" stroke="#ddd" stroke-dasharray="3 3"/>'
            )
    step = max(1, len(labels) // 12 + (1 if len(labels) % 12 else 0))
    slot = (WIDTH - LEFT - RIGHT) / max(len(labels), 1)
    for index, label in enumerate(labels):
        if index % step:
            continue
        x = LEFT + slot * (index + 0.5)
        out.append(
            f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 14}" font-size="10" text-anchor="middle">{escape(label)}</text>'
        )
    return out


def _nice_top(value: float) -> float:
    if value <= 0:
        return 1.0
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        if value <= step:
            return float(step)
    magnitude = 10 ** (len(str(int(value))) - 1)
    return float((int(value / magnitude) + 1) * magnitude)


def stacked_bars(
    title: str,
    labels: list[str],
    series: dict[str, list[float]],
    partial: list[bool],
    unit: str = "",
) -> str:
    """One bar per label, stacked by series; partial months drawn faded."""
    totals = [sum(values[i] for values in series.values()) for i in range(len(labels))]
    top = _nice_top(max(totals, default=0))
    plot_h = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - LEFT - RIGHT) / max(len(labels), 1)
    bar = max(slot * 0.7, 1)
    body = _axes(labels, top, unit)
    legend = list(zip(series, PALETTE * 10, strict=False))
    base = [0.0] * len(labels)
    for (name, values), colour in zip(series.items(), PALETTE * 10, strict=False):
        for i, value in enumerate(values):
            if not value:
                continue
            h = plot_h * value / top
            y = HEIGHT - BOTTOM - base[i] - h
            x = LEFT + slot * i + (slot - bar) / 2
            opacity = PARTIAL_OPACITY if partial[i] else "1"
            body.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="{colour}" '
                f'fill-opacity="{opacity}"><title>{escape(labels[i])}: {escape(name)} {value:g}{escape(unit)}</title></rect>'
            )
            base[i] += h
    return _frame(title, body, legend if len(series) > 1 else [])


def lines(
    title: str,
    labels: list[str],
    series: dict[str, list[float | None]],
    partial: list[bool],
    unit: str = "",
    scale: float = 1.0,
) -> str:
    """One line per series; gaps where a value is missing; partial months as hollow dots."""
    values = [v * scale for vs in series.values() for v in vs if v is not None]
    top = _nice_top(max(values, default=0))
    plot_h = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - LEFT - RIGHT) / max(len(labels), 1)
    body = _axes(labels, top, unit)
    legend = []
    for (name, points), colour in zip(series.items(), PALETTE * 10, strict=False):
        legend.append((name, colour))
        path: list[str] = []
        for i, value in enumerate(points):
            if value is None:
                if path:
                    body.append(_polyline(path, colour))
                path = []
                continue
            x = LEFT + slot * (i + 0.5)
            y = HEIGHT - BOTTOM - plot_h * value * scale / top
            path.append(f"{x:.1f},{y:.1f}")
            fill = "white" if partial[i] else colour
            body.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{fill}" stroke="{colour}">'
                f"<title>{escape(labels[i])}: {escape(name)} {value * scale:.0f}{escape(unit)}</title></circle>"
            )
        if path:
            body.append(_polyline(path, colour))
    return _frame(title, body, legend if len(series) > 1 else [])


def _polyline(points: list[str], colour: str) -> str:
    return f'<polyline points="{" ".join(points)}" fill="none" stroke="{colour}" stroke-width="2"/>'
