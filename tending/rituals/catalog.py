"""Ritual templates and touch ideas (data/templates.json, data/touch.json), loaded once."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import time
from functools import cache
from pathlib import Path

DATA = Path(__file__).parent / "data"

# Whether touch ideas are offered before either member has chosen. Bonds where
# touch is not a given start with them off; "just me" never has them.
TOUCH_DEFAULT = {"partner": True, "friend": False, "sibling": False, "parent_child": False}

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
DAY_SHORT = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def days_label(days: tuple[int, ...] | list[int]) -> str:
    days = sorted(days)
    if len(days) == 7:
        return "Every day"
    if days == [0, 1, 2, 3, 4]:
        return "Weekdays"
    if days == [5, 6]:
        return "Weekends"
    if len(days) == 1:
        return f"{DAY_NAMES[days[0]]}s"
    return ", ".join(DAY_SHORT[d] for d in days)


@dataclass(frozen=True)
class Template:
    id: str
    name: str
    description: str
    days: tuple[int, ...]
    at: time
    minutes: int
    bonds: tuple[str, ...]

    @property
    def days_label(self) -> str:
        return days_label(self.days)


@dataclass(frozen=True)
class TouchIdea:
    id: str
    text: str
    bonds: tuple[str, ...]
    consent_note: str = ""
    # A note meant for some kinds only (how comfort with touch changes as a child
    # grows, say), in place of `consent_note` for those kinds.
    consent_notes: tuple[tuple[str, str], ...] = ()

    def for_kind(self, kind: str) -> TouchIdea:
        """This idea as a bond of `kind` reads it: its note is the one meant for that kind."""
        note = dict(self.consent_notes).get(kind, self.consent_note)
        return TouchIdea(self.id, self.text, self.bonds, note)


@cache
def templates() -> tuple[Template, ...]:
    raw = json.loads((DATA / "templates.json").read_text(encoding="utf-8"))
    return tuple(
        Template(
            id=t["id"],
            name=t["name"],
            description=t["description"],
            days=tuple(t["days"]),
            at=time.fromisoformat(t["time"]),
            minutes=t["minutes"],
            bonds=tuple(t["bonds"]),
        )
        for t in raw["templates"]
    )


def template(template_id: str) -> Template | None:
    return next((t for t in templates() if t.id == template_id), None)


def templates_for(kind: str) -> list[Template]:
    return [t for t in templates() if kind in t.bonds]


@cache
def _touch() -> tuple[str, tuple[TouchIdea, ...]]:
    raw = json.loads((DATA / "touch.json").read_text(encoding="utf-8"))
    ideas = tuple(
        TouchIdea(
            id=i["id"],
            text=i["text"],
            bonds=tuple(i["bonds"]),
            consent_note=i.get("consent_note", ""),
            consent_notes=tuple(sorted(i.get("consent_notes", {}).items())),
        )
        for i in raw["ideas"]
    )
    return raw["intro"], ideas


def touch_intro() -> str:
    return _touch()[0]


def touch_ideas_for(kind: str) -> list[TouchIdea]:
    return [i.for_kind(kind) for i in _touch()[1] if kind in i.bonds]


def touch_possible(kind: str) -> bool:
    return kind in TOUCH_DEFAULT
