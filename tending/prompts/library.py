"""The prompt library: Tending's own prompts, read once from `data/*.json` and validated.

The data format, the coverage minimum and the rules that keep ids stable are documented in
`data/README.md`.
"""

from __future__ import annotations

import difflib
import functools
import json
import re
import string
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"

THEMES: tuple[str, ...] = (
    "conversation",
    "curiosity",
    "inner_world",
    "appreciation",
    "repair",
    "dreams",
    "memories",
    "rituals",
)
# Each theme owns an id prefix, so an id alone says where the prompt lives.
PREFIXES: dict[str, str] = {
    "conversation": "con",
    "curiosity": "cur",
    "inner_world": "inn",
    "appreciation": "app",
    "repair": "rep",
    "dreams": "dre",
    "memories": "mem",
    "rituals": "rit",
}
DEPTHS: tuple[str, ...] = ("light", "medium", "deep")
BONDS: tuple[str, ...] = ("partner", "friend", "sibling", "parent_child", "just_me")
TAGS: frozenset[str] = frozenset({"about_self", "playful", "reflective", "novelty"})

MAX_LENGTH = 160
MIN_PER_CELL = 12
# Near-duplicate thresholds on normalised text (see normalise()).
JACCARD_LIMIT = 0.6
RATIO_LIMIT = 0.85

ID_PATTERN = re.compile(r"^(?P<prefix>[a-z]{3})-(?P<number>\d{3,})$")
_FIELDS = {"id", "text", "theme", "depth", "bonds", "tags", "retired"}
_REQUIRED = ("id", "text", "theme", "depth", "bonds")
# A prompt opening with one of these invites a yes or a no instead of a story.
_CLOSED_OPENINGS = {
    "am", "are", "can", "could", "did", "do", "does", "had", "has", "have",
    "is", "shall", "should", "was", "were", "will", "would",
}  # fmt: skip
_BANNED_PHRASES = ("the other person",)
_SOLO_BANNED_PHRASES = ("your partner",)

# Words too common to tell two prompts apart.
_STOPWORDS = frozenset({
    "a", "about", "after", "all", "also", "am", "an", "and", "any", "are", "as", "at", "be",
    "been", "before", "being", "but", "by", "can", "could", "did", "do", "does", "doing", "for",
    "from", "had", "has", "have", "how", "i", "if", "in", "into", "is", "it", "its", "just",
    "me", "might", "more", "most", "my", "myself", "of", "on", "one", "or", "our", "ours",
    "ourselves", "out", "over", "own", "really", "so", "some", "something", "still", "such",
    "than", "that", "the", "their", "them", "then", "there", "these", "they", "thing", "things",
    "this", "those", "to", "too", "up", "us", "very", "was", "we", "were", "what", "whats",
    "when", "where", "which", "while", "who", "why", "will", "with", "would", "you", "youd",
    "youll", "your", "youre", "yours", "yourself", "yourselves", "ive", "im", "weve", "dont",
})  # fmt: skip
_PUNCTUATION = str.maketrans("", "", string.punctuation + "\u2019\u2018\u201c\u201d")


@dataclass(frozen=True, slots=True)
class Prompt:
    id: str
    text: str
    theme: str
    depth: str
    bonds: tuple[str, ...]
    tags: tuple[str, ...] = ()
    retired: bool = False

    @property
    def number(self) -> int:
        """The numeric part of the id: unique within a theme, never reused."""
        return int(self.id.split("-", 1)[1])

    def fits(self, bond: str) -> bool:
        return bond in self.bonds


class PromptDataError(ValueError):
    def __init__(self, errors: list[str]) -> None:
        super().__init__("invalid prompt data:\n" + "\n".join(errors))
        self.errors = errors


def validate(entries: Iterable[tuple[str, Any]]) -> list[str]:
    """Check raw prompt entries given as (where, entry) pairs; returns readable errors, [] if valid."""
    errors: list[str] = []
    seen_ids: dict[str, str] = {}
    seen_texts: dict[str, str] = {}
    for where, raw in entries:
        if not isinstance(raw, Mapping):
            errors.append(f"{where}: a prompt must be a JSON object")
            continue
        label = f"{where} {raw.get('id', '<no id>')}"
        problems = _entry_problems(raw)
        errors.extend(f"{label}: {problem}" for problem in problems)
        prompt_id = raw.get("id")
        if isinstance(prompt_id, str):
            if prompt_id in seen_ids:
                errors.append(f"{label}: duplicate id (also in {seen_ids[prompt_id]})")
            seen_ids.setdefault(prompt_id, where)
        text = raw.get("text")
        if isinstance(text, str):
            key = " ".join(sorted(normalise(text))) or text
            if key in seen_texts:
                errors.append(f"{label}: same words as {seen_texts[key]}")
            seen_texts.setdefault(key, str(prompt_id))
    return errors


def _entry_problems(raw: Mapping[str, Any]) -> list[str]:
    problems = [f"missing field {name!r}" for name in _REQUIRED if name not in raw]
    problems += [f"unknown field {name!r}" for name in sorted(set(raw) - _FIELDS)]
    theme, depth = raw.get("theme"), raw.get("depth")
    if "theme" in raw and theme not in THEMES:
        problems.append(f"unknown theme {theme!r}")
    if "depth" in raw and depth not in DEPTHS:
        problems.append(f"unknown depth {depth!r}")
    problems += _id_problems(raw.get("id"), theme)
    bonds = raw.get("bonds", [])
    if not isinstance(bonds, list) or not bonds:
        problems.append("bonds must be a non-empty list")
        bonds = []
    problems += [f"unknown bond kind {bond!r}" for bond in bonds if bond not in BONDS]
    if len(set(map(str, bonds))) != len(bonds):
        problems.append("a bond kind is listed twice")
    tags = raw.get("tags", [])
    if not isinstance(tags, list):
        problems.append("tags must be a list")
        tags = []
    problems += [f"unknown tag {tag!r}" for tag in tags if tag not in TAGS]
    if not isinstance(raw.get("retired", False), bool):
        problems.append("retired must be true or false")
    if "text" in raw:
        problems += _text_problems(raw["text"], bonds)
    return problems


def _id_problems(prompt_id: Any, theme: Any) -> list[str]:
    if prompt_id is None:
        return []
    match = ID_PATTERN.match(prompt_id) if isinstance(prompt_id, str) else None
    if match is None:
        return [f"id {prompt_id!r} does not match {ID_PATTERN.pattern}"]
    if theme in PREFIXES and match["prefix"] != PREFIXES[theme]:
        return [f"id prefix {match['prefix']!r} should be {PREFIXES[theme]!r} for {theme}"]
    if int(match["number"]) == 0:
        return ["id numbers start at 001"]
    return []


def _text_problems(text: Any, bonds: list[Any]) -> list[str]:
    if not isinstance(text, str) or not text.strip():
        return ["text must be a non-empty string"]
    problems = []
    if len(text) > MAX_LENGTH:
        problems.append(f"text is {len(text)} characters, more than {MAX_LENGTH}")
    if text != text.strip() or "  " in text or "\n" in text:
        problems.append("text has stray whitespace")
    if not text.endswith(("?", ".")):
        problems.append("text should end with '?' or '.'")
    if "\u2019" in text or "\u2018" in text:
        problems.append("use a straight apostrophe (')")
    first_word = text.split(maxsplit=1)[0].lower().strip(string.punctuation)
    if first_word in _CLOSED_OPENINGS:
        problems.append(f"opens with {first_word!r}, which asks for yes or no")
    lowered = text.lower()
    problems += [f"says {phrase!r}" for phrase in _BANNED_PHRASES if phrase in lowered]
    if "just_me" in bonds:
        problems += [
            f"a just_me prompt says {phrase!r}"
            for phrase in _SOLO_BANNED_PHRASES
            if phrase in lowered
        ]
    return problems


def data_files(directory: Path | None = None) -> list[Path]:
    return sorted((directory or DATA_DIR).glob("*.json"))


def read_entries(directory: Path | None = None) -> list[tuple[str, Any]]:
    """All raw entries as (where, entry) pairs; a file that is not a JSON list is an error entry."""
    entries: list[tuple[str, Any]] = []
    for path in data_files(directory):
        try:
            content = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            entries.append((path.name, f"unreadable: {error}"))
            continue
        if not isinstance(content, list):
            entries.append((path.name, "the file must hold a JSON list of prompts"))
            continue
        entries.extend((path.name, raw) for raw in content)
    return entries


def validate_files(directory: Path | None = None) -> list[str]:
    return validate(read_entries(directory))


def load(directory: Path | None = None) -> tuple[Prompt, ...]:
    """Every prompt in `directory`, retired ones included, sorted by id; raises PromptDataError."""
    entries = read_entries(directory)
    errors = validate(entries)
    if errors:
        raise PromptDataError(errors)
    prompts = [
        Prompt(
            id=raw["id"],
            text=raw["text"],
            theme=raw["theme"],
            depth=raw["depth"],
            bonds=tuple(raw["bonds"]),
            tags=tuple(raw.get("tags", ())),
            retired=raw.get("retired", False),
        )
        for _where, raw in entries
    ]
    return tuple(sorted(prompts, key=lambda prompt: (prompt.theme, prompt.number)))


@dataclass(frozen=True)
class _Library:
    everything: tuple[Prompt, ...]
    active: tuple[Prompt, ...]
    ids: dict[str, Prompt]
    cells: dict[tuple[str, str, str], tuple[Prompt, ...]]


@functools.cache
def _library() -> _Library:
    everything = load()
    active = tuple(prompt for prompt in everything if not prompt.retired)
    cells: dict[tuple[str, str, str], list[Prompt]] = {
        (theme, depth, bond): [] for theme in THEMES for depth in DEPTHS for bond in BONDS
    }
    for prompt in active:
        for bond in prompt.bonds:
            cells[(prompt.theme, prompt.depth, bond)].append(prompt)
    return _Library(
        everything=everything,
        active=active,
        ids={prompt.id: prompt for prompt in everything},
        cells={key: tuple(prompts) for key, prompts in cells.items()},
    )


def all_prompts(*, include_retired: bool = False) -> tuple[Prompt, ...]:
    library = _library()
    return library.everything if include_retired else library.active


def by_id(prompt_id: str) -> Prompt:
    """The prompt with this id, retired or not (past answers keep their prompt); KeyError if none."""
    try:
        return _library().ids[prompt_id]
    except KeyError:
        raise KeyError(f"no prompt with id {prompt_id!r}") from None


def pool(
    theme: str | None = None, depth: str | None = None, bond: str | None = None
) -> tuple[Prompt, ...]:
    """Active prompts matching every given filter, in id order; ValueError for an unknown value."""
    _check_choice("theme", theme, THEMES)
    _check_choice("depth", depth, DEPTHS)
    _check_choice("bond", bond, BONDS)
    library = _library()
    if theme and depth and bond:
        return library.cells[(theme, depth, bond)]
    return tuple(
        prompt
        for prompt in library.active
        if (theme is None or prompt.theme == theme)
        and (depth is None or prompt.depth == depth)
        and (bond is None or bond in prompt.bonds)
    )


def _check_choice(name: str, value: str | None, allowed: tuple[str, ...]) -> None:
    if value is not None and value not in allowed:
        raise ValueError(f"unknown {name} {value!r}; expected one of {', '.join(allowed)}")


def stats() -> dict[str, Any]:
    """Counts of active prompts. `min_cell` is the smallest theme x depth x bond cell."""
    library = _library()
    active = library.active
    cells = {
        theme: {
            depth: {bond: len(library.cells[(theme, depth, bond)]) for bond in BONDS}
            for depth in DEPTHS
        }
        for theme in THEMES
    }
    smallest = min(len(prompts) for prompts in library.cells.values())
    return {
        "total": len(active),
        "retired": len(library.everything) - len(active),
        "by_theme": _counts(THEMES, (prompt.theme for prompt in active)),
        "by_depth": _counts(DEPTHS, (prompt.depth for prompt in active)),
        "by_bond": _counts(BONDS, (bond for prompt in active for bond in prompt.bonds)),
        "by_tag": _counts(tuple(sorted(TAGS)), (tag for prompt in active for tag in prompt.tags)),
        "min_cell": smallest,
        "min_cells": sorted(
            "/".join(key) for key, prompts in library.cells.items() if len(prompts) == smallest
        ),
        "required_per_cell": MIN_PER_CELL,
        "cells": cells,
    }


def _counts(order: tuple[str, ...], values: Iterable[str]) -> dict[str, int]:
    counted = Counter(values)
    return {key: counted[key] for key in order}


def normalise(text: str) -> frozenset[str]:
    """The words that carry meaning: lowercased, punctuation and stopwords removed."""
    words = text.lower().translate(_PUNCTUATION).split()
    return frozenset(word for word in words if word not in _STOPWORDS)


def _normalised_string(text: str) -> str:
    words = text.lower().translate(_PUNCTUATION).split()
    return " ".join(word for word in words if word not in _STOPWORDS)


def near_duplicates(
    prompts: Iterable[Prompt], *, jaccard: float = JACCARD_LIMIT, ratio: float = RATIO_LIMIT
) -> list[tuple[str, str, float, float]]:
    """Pairs (id, id, jaccard, ratio) whose normalised texts reach either threshold.

    Jaccard is computed on the sets of meaningful words; ratio is difflib's
    SequenceMatcher ratio on the meaningful words joined by spaces.
    """
    items = [(p.id, normalise(p.text), _normalised_string(p.text)) for p in prompts]
    found = []
    for index, (first_id, first_words, first_string) in enumerate(items):
        matcher = difflib.SequenceMatcher(autojunk=False)
        matcher.set_seq2(first_string)
        for second_id, second_words, second_string in items[index + 1 :]:
            union = first_words | second_words
            overlap = len(first_words & second_words) / len(union) if union else 1.0
            similarity = 0.0
            matcher.set_seq1(second_string)
            if matcher.real_quick_ratio() >= ratio and matcher.quick_ratio() >= ratio:
                similarity = matcher.ratio()
            if overlap >= jaccard or similarity >= ratio:
                found.append((first_id, second_id, round(overlap, 3), round(similarity, 3)))
    return found
