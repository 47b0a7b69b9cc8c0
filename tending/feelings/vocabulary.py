"""The emotion vocabulary (data/emotions.json), loaded once."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).parent / "data" / "emotions.json"

# Words that can come with hopelessness or despair: a check-in with one of
# them gently shows where support is, without alarm.
HEAVY_WORDS = frozenset({"hopeless", "despairing", "empty", "numb", "worthless", "trapped"})


@dataclass(frozen=True)
class Family:
    id: str
    name: str
    description: str
    colour: str


@dataclass(frozen=True)
class Word:
    id: str
    word: str
    family: str
    definition: str
    energy: str
    pleasant: str


@dataclass(frozen=True)
class Vocabulary:
    version: int
    families: tuple[Family, ...]
    words: tuple[Word, ...]
    prompts: tuple[str, ...]
    intensity: dict[int, str]

    def family(self, family_id: str) -> Family | None:
        return next((f for f in self.families if f.id == family_id), None)

    def word(self, word_id: str) -> Word | None:
        return _words_by_id().get(word_id)

    def words_in(self, family_id: str) -> list[Word]:
        return [w for w in self.words if w.family == family_id]


@cache
def vocabulary() -> Vocabulary:
    raw = json.loads(DATA.read_text(encoding="utf-8"))
    return Vocabulary(
        version=raw["version"],
        families=tuple(Family(**f) for f in raw["families"]),
        words=tuple(Word(**w) for w in raw["words"]),
        prompts=tuple(p["text"] for p in raw["prompts"]),
        intensity={i["level"]: i["label"] for i in raw["intensity"]},
    )


@cache
def _words_by_id() -> dict[str, Word]:
    return {w.id: w for w in vocabulary().words}
