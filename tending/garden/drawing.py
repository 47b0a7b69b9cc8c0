"""The garden, drawn as SVG on the server.

Each practice is a plant with its own shape. `growth` (0–1) sets its height,
how many leaves it has and whether it flowers; below WILT_BELOW it droops and
fades — gently, never dead: even at 0 a small sprout stays, because it is never
too late. Colours come from CSS classes (tending/static/css/garden.css), so the same
drawing follows the light and dark schemes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

WIDTH = 720
HEIGHT = 380
GROUND = 300
WILT_BELOW = 0.3
BLOOM_FROM = 0.6
MAX_WEEDS = 6


@dataclass(frozen=True)
class PlantView:
    practice: str
    label: str
    growth: float  # 0..1
    url: str
    description: str


def _n(value: float) -> str:
    return f"{value:.1f}"


def _stem(x: float, height: float, droop: float) -> tuple[str, float, float]:
    """A stem from the ground up; droop bends its top sideways and down.
    Returns the path and the top point."""
    top_x = x + droop * height * 0.55
    top_y = GROUND - height * (1 - 0.35 * droop)
    ctrl_x = x + droop * height * 0.05
    ctrl_y = GROUND - height * 0.75
    d = f"M{_n(x)},{GROUND} Q{_n(ctrl_x)},{_n(ctrl_y)} {_n(top_x)},{_n(top_y)}"
    return d, top_x, top_y


def _leaf(x: float, y: float, size: float, angle: float, cls: str = "leaf") -> str:
    return format_html(
        '<path class="{}" d="M0,0 C{},{} {},{} {},0 C{},{} {},{} 0,0Z" '
        'transform="translate({},{}) rotate({})"/>',
        cls,
        _n(size * 0.3),
        _n(-size * 0.35),
        _n(size * 0.75),
        _n(-size * 0.35),
        _n(size),
        _n(size * 0.75),
        _n(size * 0.35),
        _n(size * 0.3),
        _n(size * 0.35),
        _n(x),
        _n(y),
        _n(angle),
    )


def _leaves(x: float, height: float, droop: float, count: int, size: float) -> list[str]:
    out = []
    for i in range(count):
        t = (i + 1) / (count + 1)
        lx = x + droop * height * 0.55 * t * t
        ly = GROUND - height * t * (1 - 0.35 * droop * t)
        side = -1 if i % 2 else 1
        angle = (-30 if side > 0 else -150) + droop * 60 * side
        out.append(_leaf(lx, ly, size * (1 - 0.3 * t), angle))
    return out


def _head(practice: str, x: float, y: float, growth: float) -> str:
    """The flower or crown that makes each plant recognisable."""
    open_ = max(0.0, min(1.0, (growth - BLOOM_FROM) / (1 - BLOOM_FROM)))
    if growth < BLOOM_FROM:
        # A closed bud that swells as the plant grows.
        r = 3 + 6 * growth / BLOOM_FROM
        return format_html(
            '<ellipse class="bud bud-{}" cx="{}" cy="{}" rx="{}" ry="{}"/>',
            practice,
            _n(x),
            _n(y - r),
            _n(r * 0.7),
            _n(r),
        )
    r = 15 + 15 * open_
    if practice == "conversation":
        # Two rounded petals turned towards each other, with many small ones around.
        petals = format_html_join(
            "",
            '<ellipse class="petal petal-conversation" cx="{}" cy="{}" rx="{}" ry="{}" '
            'transform="rotate({} {} {})"/>',
            (
                (_n(x), _n(y - r * 0.8), _n(r * 0.28), _n(r * 0.6), _n(a), _n(x), _n(y))
                for a in range(0, 360, 30)
            ),
        )
        return petals + format_html(
            '<circle class="heart" cx="{}" cy="{}" r="{}"/>', _n(x), _n(y), _n(r * 0.45)
        )
    if practice == "inner_world":
        # A layered cup, like a tulip seen from the side: an outer cup and an
        # inner petal rising from its middle.
        def pt(dx: float, dy: float) -> str:
            return f"{_n(x + dx * r)},{_n(y + dy * r)}"

        outer = (
            f"M{pt(-0.8, -1.4)} Q{pt(-1, 0)} {pt(0, 0.2)} Q{pt(1, 0)} {pt(0.8, -1.4)} "
            f"Q{pt(0.4, -0.7)} {pt(0, -1.0)} Q{pt(-0.4, -0.7)} {pt(-0.8, -1.4)}Z"
        )
        inner = (
            f"M{pt(-0.35, -0.5)} Q{pt(0, -1.9)} {pt(0.35, -0.5)} Q{pt(0, -0.2)} {pt(-0.35, -0.5)}Z"
        )
        return format_html(
            '<path class="petal petal-inner_world" d="{}"/>'
            '<path class="petal petal-inner_world-2" d="{}"/>',
            outer,
            inner,
        )
    if practice == "curiosity":
        # A seed head: rays with small tufts, some drifting away.
        rays = []
        for i in range(16):
            a = i / 16 * math.tau
            ex, ey = x + math.cos(a) * r, y + math.sin(a) * r
            rays.append(
                format_html(
                    '<line class="ray" x1="{}" y1="{}" x2="{}" y2="{}"/><circle class="tuft" cx="{}" cy="{}" r="2.2"/>',
                    _n(x),
                    _n(y),
                    _n(ex),
                    _n(ey),
                    _n(ex),
                    _n(ey),
                )
            )
        drift = "".join(
            format_html(
                '<circle class="tuft drift" cx="{}" cy="{}" r="2"/>',
                _n(x + r * (1.4 + i * 0.5)),
                _n(y - r * (0.6 + i * 0.4)),
            )
            for i in range(int(open_ * 3))
        )
        return mark_safe("".join(rays) + drift)  # noqa: S308  (pieces escaped above)
    if practice == "rituals":
        # Small regular florets along the top, like lavender: the same, every day.
        florets = "".join(
            format_html(
                '<ellipse class="petal petal-rituals" cx="{}" cy="{}" rx="{}" ry="{}"/>',
                _n(x + (3 if i % 2 else -3)),
                _n(y - i * 6),
                "4",
                "5",
            )
            for i in range(3 + int(open_ * 5))
        )
        return mark_safe(florets)  # noqa: S308
    if practice == "repair":
        # A fern frond uncurling: a spiral that opens as the plant grows.
        turns = 1.6 - open_ * 1.1
        points = []
        for i in range(24):
            t = i / 23 * turns * math.tau
            rr = r * 0.9 * (1 - i / 26)
            points.append(f"{_n(x + math.cos(t) * rr)},{_n(y - r * 0.2 + math.sin(t) * rr)}")
        return format_html('<polyline class="frond" points="{}"/>', " ".join(points))
    # touch: two heart-shaped leaves leaning together.
    return format_html(
        '<path class="petal petal-touch" d="M{},{} c{},{} {},{} 0,{} c{},{} {},{} 0,{}Z" '
        'transform="rotate(-18 {} {})"/>'
        '<path class="petal petal-touch" d="M{},{} c{},{} {},{} 0,{} c{},{} {},{} 0,{}Z" '
        'transform="rotate(18 {} {})"/>',
        _n(x - 4),
        _n(y),
        _n(-r * 0.9),
        _n(-r * 0.5),
        _n(-r * 0.5),
        _n(-r * 1.4),
        _n(-r * 0.9),
        _n(r * 0.5),
        _n(-r * 0.5),
        _n(r * 0.9),
        _n(r * 0.5),
        _n(r * 0.9),
        _n(x - 4),
        _n(y),
        _n(x + 4),
        _n(y),
        _n(-r * 0.9),
        _n(-r * 0.5),
        _n(-r * 0.5),
        _n(-r * 1.4),
        _n(-r * 0.9),
        _n(r * 0.5),
        _n(-r * 0.5),
        _n(r * 0.9),
        _n(r * 0.5),
        _n(r * 0.9),
        _n(x + 4),
        _n(y),
    )


def _one_stem(practice: str, x: float, height: float, droop: float, g: float, lean: float) -> str:
    stem, top_x, top_y = _stem(x, height, min(0.95, droop + lean))
    leaves = _leaves(x, height, min(0.95, droop + lean), 1 + int(g * 4), 20 + 16 * g)
    return (
        format_html('<path class="stem" d="{}" stroke-width="{}"/>', stem, _n(3 + 3 * g))
        + mark_safe("".join(leaves))  # noqa: S308  (each leaf built with format_html)
        + _head(practice, top_x, top_y, g)
    )


@lru_cache(maxsize=4096)
def _body(practice: str, x: float, g: float) -> SafeString:
    """The drawing of one plant: the same practice, place and growth always
    draw the same, so it is kept (growth comes in hundredths, a few thousand
    drawings at most)."""
    height = 45 + 185 * g
    droop = max(0.0, (WILT_BELOW - g) / WILT_BELOW) * 0.9
    # A tended plant fills out: side stems appear, shorter and leaning outwards.
    parts = []
    if g >= 0.45:
        parts.append(_one_stem(practice, x - 6, height * 0.62, droop, g * 0.85, -0.35))
    if g >= 0.7:
        parts.append(_one_stem(practice, x + 6, height * 0.74, droop, g * 0.9, 0.3))
    parts.append(_one_stem(practice, x, height, droop, g, 0.0))
    tuft = format_html(
        '<path class="tuft-grass" d="M{},{} q-4,-12 -10,-16 M{},{} q1,-14 -2,-20 M{},{} q5,-10 12,-14"/>',
        _n(x - 4),
        GROUND,
        _n(x),
        GROUND,
        _n(x + 4),
        GROUND,
    )
    return mark_safe("".join(parts)) + tuft  # noqa: S308  (parts built with format_html)


def _plant(p: PlantView, x: float) -> str:
    g = max(0.0, min(1.0, p.growth))
    mood = "wilting" if g < WILT_BELOW else ("blooming" if g >= BLOOM_FROM else "growing")
    body = _body(p.practice, x, round(g, 2))
    return format_html(
        '<a href="{}" class="plant plant-{} {}" id="plant-{}"><title>{}</title>'
        '<rect class="hit" x="{}" y="{}" width="100" height="{}"/>{}'
        '<text class="plant-label" x="{}" y="{}" text-anchor="middle">{}</text></a>',
        p.url,
        p.practice,
        mood,
        p.practice,
        p.description,
        _n(x - 50),
        _n(GROUND - 260),
        290,
        body,
        _n(x),
        GROUND + 34,
        p.label,
    )


def _weeds(count: int) -> str:
    shown = min(count, MAX_WEEDS)
    out = []
    for i in range(shown):
        x = 70 + i * (WIDTH - 140) / max(1, MAX_WEEDS - 1) + (17 if i % 2 else -11)
        spikes = format_html(
            '<g class="weed-plant"><title>A weed: something left unrepaired</title>'
            '<path class="weed-leaf" d="M{x},{g} l-16,-10 l8,-1 l-10,-9 l12,3 l-2,-10 l9,12 Z"/>'
            '<path class="weed-leaf" d="M{x},{g} l16,-10 l-8,-1 l10,-9 l-12,3 l2,-10 l-9,12 Z"/>'
            '<path class="weed" d="M{x},{g} q-2,-20 2,-34"/>'
            '<circle class="weed-head" cx="{hx}" cy="{hy}" r="5"/></g>',
            x=_n(x),
            g=GROUND + 2,
            hx=_n(x + 2),
            hy=GROUND - 34,
        )
        out.append(spikes)
    return mark_safe("".join(out))  # noqa: S308


def garden_svg(plants: Sequence[PlantView], weeds: int, title: str, description: str) -> SafeString:
    spacing = WIDTH / (len(plants) + 1)
    drawn = "".join(_plant(p, spacing * (i + 1)) for i, p in enumerate(plants))
    return format_html(
        '<svg class="garden" viewBox="0 0 {} {}" xmlns="http://www.w3.org/2000/svg" '
        'role="group" aria-labelledby="garden-title garden-desc">'
        '<title id="garden-title">{}</title><desc id="garden-desc">{}</desc>'
        '<defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1">'
        '<stop offset="0" class="sky-top"/><stop offset="1" class="sky-bottom"/></linearGradient></defs>'
        '<rect class="sky" x="0" y="0" width="{}" height="{}" fill="url(#sky)"/>'
        '<circle class="sun" cx="{}" cy="58" r="26"/>'
        '<g class="cloud"><ellipse cx="140" cy="70" rx="46" ry="14"/><ellipse cx="168" cy="60" rx="28" ry="14"/></g>'
        '<g class="cloud"><ellipse cx="430" cy="44" rx="38" ry="11"/><ellipse cx="450" cy="36" rx="22" ry="11"/></g>'
        '<path class="hill" d="M0,{} Q{},{} {},{} T{},{} V{} H0Z"/>'
        '<rect class="soil" x="0" y="{}" width="{}" height="{}"/>'
        '<path class="soil-line" d="M0,{} H{}"/>'
        "{}{}</svg>",
        WIDTH,
        HEIGHT,
        title,
        description,
        WIDTH,
        GROUND,
        WIDTH - 70,
        GROUND - 30,
        WIDTH * 0.25,
        GROUND - 70,
        WIDTH * 0.5,
        GROUND - 35,
        WIDTH,
        GROUND - 55,
        GROUND,
        GROUND,
        WIDTH,
        HEIGHT - GROUND,
        GROUND + 1,
        WIDTH,
        _weeds(weeds),
        mark_safe(drawn),  # noqa: S308  (each plant built with format_html)
    )


@dataclass(frozen=True)
class WeekView:
    label: str  # e.g. "3 Nov"
    level: int  # 0..4, how much was tended that week
    summary: str


def seasons_svg(weeks: Sequence[WeekView]) -> SafeString:
    """The last weeks as a strip of small seasons, from bare to lush."""
    w, gap, h = 52, 6, 44
    width = len(weeks) * (w + gap)
    cells = format_html_join(
        "",
        '<g class="week level-{}"><title>{}</title><rect x="{}" y="0" width="{}" height="{}" rx="8"/>'
        '<text x="{}" y="{}" text-anchor="middle">{}</text></g>',
        (
            (wk.level, wk.summary, i * (w + gap), w, h, _n(i * (w + gap) + w / 2), h + 16, wk.label)
            for i, wk in enumerate(weeks)
        ),
    )
    return format_html(
        '<svg class="seasons" viewBox="0 0 {} {}" xmlns="http://www.w3.org/2000/svg" role="img" '
        'aria-label="The last {} weeks, from bare to lush">{}</svg>',
        width,
        h + 22,
        len(weeks),
        cells,
    )
