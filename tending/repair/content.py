"""The repair flow's words (data/phrases.json), loaded once."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).parent / "data"


@dataclass(frozen=True)
class Category:
    id: str
    name: str
    description: str


@dataclass(frozen=True)
class Phrase:
    id: str
    category: str
    text: str
    bonds: tuple[str, ...]


@dataclass(frozen=True)
class Prompt:
    id: str
    text: str


@dataclass(frozen=True)
class Content:
    categories: tuple[Category, ...]
    phrases: tuple[Phrase, ...]
    topics: tuple[tuple[str, str], ...]
    flooding: dict[str, Any]
    owning_intro: str
    owning_prompts: tuple[Prompt, ...]
    counselling: dict[str, Any]

    def topic_label(self, topic_id: str) -> str:
        return dict(self.topics).get(topic_id, "Something else")

    def phrase(self, phrase_id: str) -> Phrase | None:
        return next((p for p in self.phrases if p.id == phrase_id), None)

    def phrases_for(self, kind: str) -> list[tuple[Category, list[Phrase]]]:
        """Phrases that fit a bond kind, grouped by category in the data's order."""
        return [
            (c, [p for p in self.phrases if p.category == c.id and kind in p.bonds])
            for c in self.categories
        ]

    def guidance_for(self, kind: str) -> dict[str, Any]:
        return self.counselling["partner" if kind == "partner" else "other_bonds"]

    @property
    def break_minutes(self) -> int:
        return int(self.flooding["break_minutes"])


@cache
def content() -> Content:
    raw = json.loads((DATA / "phrases.json").read_text(encoding="utf-8"))
    return Content(
        categories=tuple(Category(**c) for c in raw["categories"]),
        phrases=tuple(
            Phrase(p["id"], p["category"], p["text"], tuple(p["bonds"])) for p in raw["phrases"]
        ),
        topics=tuple((t["id"], t["label"]) for t in raw["topics"]),
        flooding=raw["flooding"],
        owning_intro=raw["owning_my_part"]["intro"],
        owning_prompts=tuple(Prompt(**p) for p in raw["owning_my_part"]["prompts"]),
        counselling=raw["counselling"],
    )
