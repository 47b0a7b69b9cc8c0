"""Themed decks (`data/decks/*.json`) and evening sequences (`data/sequences/*.json`): their
shapes, how they are read and what is checked. `library` keeps them in memory with the theme
files' prompts; the formats are documented in `data/README.md`."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from tending.prompts import library
from tending.prompts.library import BONDS, DEPTHS, PREFIXES, THEMES, Prompt, normalise

T = TypeVar("T")

# A deck is chosen for a few weeks: it holds at least DECK_MIN_PROMPTS prompts, and every
# depth x bond kind it lists at least DECK_MIN_PER_CELL of them.
DECK_MIN_PROMPTS = 40
DECK_MIN_PER_CELL = 8
OPT_IN = ("one", "both")  # who must opt in before a deck opens: either member, or both
# The evening sequence: one round per depth, light to deep, each with enough questions for
# every bond kind the sequence lists.
SEQUENCE_PREFIX = "seq"
SEQUENCE_MIN_PER_ROUND = 10


@dataclass(frozen=True)
class Deck:
    """A themed deck: prompts on one subject a bond can choose for a few weeks.

    `opt_in` is "one" (either member chooses it, both see it) or "both" (it opens only once
    both members have opted in). A deck prompt's theme and `deck` are both the deck's id."""

    id: str
    title: str
    description: str
    bonds: tuple[str, ...]
    opt_in: str
    prefix: str
    prompts: tuple[Prompt, ...]  # retired ones included, in id order

    @property
    def needs_both(self) -> bool:
        return self.opt_in == "both"

    def fits(self, bond: str) -> bool:
        return bond in self.bonds

    @property
    def active(self) -> tuple[Prompt, ...]:
        return tuple(prompt for prompt in self.prompts if not prompt.retired)


_DECK_KEYS = ("id", "title", "description", "bonds", "opt_in", "prefix", "prompts")
_DECK_FIELDS = {"id", "text", "depth", "bonds", "tags", "retired"}
_DECK_REQUIRED = ("id", "text", "depth", "bonds")
_SLUG = re.compile(r"^[a-z][a-z_]*$")
_PREFIX = re.compile(r"^[a-z]{3}$")


def deck_files(directory: Path | None = None) -> list[Path]:
    return sorted(((directory or library.DATA_DIR) / "decks").glob("*.json"))


def _read_json(path: Path) -> tuple[Any, str | None]:
    try:
        return json.loads(path.read_text(encoding="utf-8")), None
    except (OSError, ValueError) as error:
        return None, f"unreadable: {error}"


def _read_each(
    paths: list[Path],
    folder: str,
    problems_of: Callable[[Any, str], list[str]],
    build: Callable[[Any], T],
) -> tuple[list[T], list[str]]:
    """Each file read and checked; the sound ones built, every problem named by its file."""
    built: list[T] = []
    errors: list[str] = []
    for path in paths:
        where = f"{folder}/{path.name}"
        raw, unreadable = _read_json(path)
        if unreadable:
            errors.append(f"{where}: {unreadable}")
            continue
        problems = problems_of(raw, path.stem)
        errors += [f"{where}: {problem}" for problem in problems]
        if not problems:
            built.append(build(raw))
    return built, errors


def read_decks(directory: Path | None = None) -> tuple[list[Deck], list[str]]:
    """The decks under `directory`/decks and the problems found in them."""
    decks, errors = _read_each(deck_files(directory), "decks", _deck_problems, _deck)
    errors += _unique_problems("deck prefix", [deck.prefix for deck in decks])
    return decks, errors


def _deck_problems(raw: Any, stem: str) -> list[str]:
    if not isinstance(raw, Mapping):
        return ["a deck must be a JSON object"]
    problems = [f"missing key {key!r}" for key in _DECK_KEYS if key not in raw]
    problems += [f"unknown key {key!r}" for key in sorted(set(raw) - set(_DECK_KEYS))]
    if problems:
        return problems
    deck_id, bonds, prefix = raw["id"], raw["bonds"], raw["prefix"]
    if not (isinstance(deck_id, str) and _SLUG.match(deck_id)) or deck_id != stem:
        problems.append(f"id {deck_id!r} must be a lowercase name matching the file name")
    if deck_id in THEMES:
        problems.append(f"id {deck_id!r} is a theme's name")
    problems += _label_problems("title", raw["title"], 40)
    problems += _label_problems("description", raw["description"], 200)
    if not (isinstance(bonds, list) and bonds and set(bonds) <= set(BONDS)):
        return [*problems, f"bonds must be a non-empty list drawn from {list(BONDS)}"]
    if raw["opt_in"] not in OPT_IN:
        problems.append(f"opt_in must be one of {list(OPT_IN)}")
    if raw["opt_in"] == "both" and "just_me" in bonds:
        problems.append("a deck both must opt in to cannot list just_me")
    if not (isinstance(prefix, str) and _PREFIX.match(prefix)):
        return [*problems, f"prefix {prefix!r} must be three lowercase letters"]
    if prefix in PREFIXES.values() or prefix == SEQUENCE_PREFIX:
        problems.append(f"prefix {prefix!r} belongs to a theme or the sequence")
    if not isinstance(raw["prompts"], list):
        return [*problems, "prompts must be a list"]
    for entry in raw["prompts"]:
        if not isinstance(entry, Mapping):
            problems.append("a prompt must be a JSON object")
            continue
        label = entry.get("id", "<no id>")
        found = [f"missing field {name!r}" for name in _DECK_REQUIRED if name not in entry]
        found += [f"unknown field {name!r}" for name in sorted(set(entry) - _DECK_FIELDS)]
        found += library.id_problems(entry.get("id"), prefix, f"deck {deck_id}")
        found += library.shared_problems(entry, tuple(bonds))
        problems += [f"{label}: {problem}" for problem in found]
    problems += _unique_problems("id", [entry.get("id") for entry in raw["prompts"]])
    if problems:
        return problems
    return _deck_coverage_problems(_deck(raw))


def _label_problems(name: str, value: Any, limit: int) -> list[str]:
    if not isinstance(value, str) or not value.strip() or len(value) > limit:
        return [f"{name} must be a short text (at most {limit} characters)"]
    return []


def _unique_problems(what: str, values: list[Any]) -> list[str]:
    return [f"{what} {value!r} is used twice" for value, n in Counter(values).items() if n > 1]


def _deck(raw: Mapping[str, Any]) -> Deck:
    prompts = sorted(
        (
            Prompt(
                id=entry["id"],
                text=entry["text"],
                theme=raw["id"],
                depth=entry["depth"],
                bonds=tuple(entry["bonds"]),
                tags=tuple(entry.get("tags", ())),
                retired=entry.get("retired", False),
                deck=raw["id"],
            )
            for entry in raw["prompts"]
        ),
        key=lambda prompt: prompt.number,
    )
    return Deck(
        id=raw["id"],
        title=raw["title"],
        description=raw["description"],
        bonds=tuple(raw["bonds"]),
        opt_in=raw["opt_in"],
        prefix=raw["prefix"],
        prompts=tuple(prompts),
    )


def _deck_coverage_problems(deck: Deck) -> list[str]:
    problems = []
    if len(deck.active) < DECK_MIN_PROMPTS:
        problems.append(f"{len(deck.active)} active prompts, fewer than {DECK_MIN_PROMPTS}")
    for depth in DEPTHS:
        for bond in deck.bonds:
            count = sum(1 for p in deck.active if p.depth == depth and bond in p.bonds)
            if count < DECK_MIN_PER_CELL:
                problems.append(f"{depth}/{bond}: {count} prompts, fewer than {DECK_MIN_PER_CELL}")
    return problems


@dataclass(frozen=True)
class Round:
    title: str
    intro: str
    depth: str
    questions: tuple[Prompt, ...]  # active ones, in the order of the file

    def for_bond(self, bond: str) -> tuple[Prompt, ...]:
        return tuple(question for question in self.questions if bond in question.bonds)


@dataclass(frozen=True)
class Sequence:
    """Questions for one evening together, in rounds that go from light to deep."""

    id: str
    title: str
    summary: str
    guide: tuple[str, ...]
    bonds: tuple[str, ...]
    rounds: tuple[Round, ...]

    def fits(self, bond: str) -> bool:
        return bond in self.bonds

    @property
    def questions(self) -> tuple[Prompt, ...]:
        return tuple(question for part in self.rounds for question in part.questions)


_SEQUENCE_KEYS = ("id", "title", "summary", "guide", "bonds", "rounds")
_ROUND_KEYS = ("title", "intro", "questions")
_QUESTION_FIELDS = {"id", "text", "bonds", "tags", "retired"}


def sequence_files(directory: Path | None = None) -> list[Path]:
    return sorted(((directory or library.DATA_DIR) / "sequences").glob("*.json"))


def read_sequences(directory: Path | None = None) -> tuple[list[Sequence], list[str]]:
    found, errors = _read_each(
        sequence_files(directory), "sequences", _sequence_problems, _sequence
    )
    questions = [question.id for one in found for question in one.questions]
    errors += _unique_problems("sequence question id", questions)
    return found, errors


def _sequence_problems(raw: Any, stem: str) -> list[str]:
    if not isinstance(raw, Mapping):
        return ["a sequence must be a JSON object"]
    problems = [f"missing key {key!r}" for key in _SEQUENCE_KEYS if key not in raw]
    problems += [f"unknown key {key!r}" for key in sorted(set(raw) - set(_SEQUENCE_KEYS))]
    if problems:
        return problems
    if raw["id"] != stem or not _SLUG.match(str(raw["id"])):
        problems.append("id must be a lowercase name matching the file name")
    problems += _label_problems("title", raw["title"], 60)
    problems += _label_problems("summary", raw["summary"], 200)
    guide, bonds, rounds = raw["guide"], raw["bonds"], raw["rounds"]
    if not (isinstance(guide, list) and guide and all(isinstance(g, str) and g for g in guide)):
        problems.append("guide must be a list of paragraphs")
    if not (isinstance(bonds, list) and bonds and set(bonds) <= set(BONDS)):
        return [*problems, f"bonds must be a non-empty list drawn from {list(BONDS)}"]
    if not (isinstance(rounds, list) and len(rounds) == len(DEPTHS)):
        return [*problems, f"rounds must be a list of {len(DEPTHS)}, light to deep"]
    for number, (part, depth) in enumerate(zip(rounds, DEPTHS, strict=True), 1):
        problems += [f"round {number}: {p}" for p in _round_problems(part, depth, bonds)]
    return problems


def _round_problems(part: Any, depth: str, bonds: list[str]) -> list[str]:
    if not isinstance(part, Mapping) or set(part) != set(_ROUND_KEYS):
        return [f"a round holds exactly {list(_ROUND_KEYS)}"]
    problems = _label_problems("title", part["title"], 40)
    problems += _label_problems("intro", part["intro"], 300)
    if not isinstance(part["questions"], list):
        return [*problems, "questions must be a list"]
    for entry in part["questions"]:
        if not isinstance(entry, Mapping):
            problems.append("a question must be a JSON object")
            continue
        label = entry.get("id", "<no id>")
        found = [f"missing field {name!r}" for name in ("id", "text") if name not in entry]
        found += [f"unknown field {name!r}" for name in sorted(set(entry) - _QUESTION_FIELDS)]
        found += library.id_problems(entry.get("id"), SEQUENCE_PREFIX, "the sequence")
        found += library.shared_problems({"depth": depth, "bonds": bonds, **entry}, tuple(bonds))
        problems += [f"{label}: {problem}" for problem in found]
    if problems:
        return problems
    for bond in bonds:
        count = sum(
            1
            for entry in part["questions"]
            if bond in entry.get("bonds", bonds) and not entry.get("retired")
        )
        if count < SEQUENCE_MIN_PER_ROUND:
            problems.append(f"{bond}: {count} questions, fewer than {SEQUENCE_MIN_PER_ROUND}")
    return problems


def _sequence(raw: Mapping[str, Any]) -> Sequence:
    rounds = tuple(
        Round(
            title=part["title"],
            intro=part["intro"],
            depth=depth,
            questions=tuple(
                Prompt(
                    id=entry["id"],
                    text=entry["text"],
                    theme="sequence",
                    depth=depth,
                    bonds=tuple(entry.get("bonds", raw["bonds"])),
                    tags=tuple(entry.get("tags", ())),
                )
                for entry in part["questions"]
                if not entry.get("retired")
            ),
        )
        for part, depth in zip(raw["rounds"], DEPTHS, strict=True)
    )
    return Sequence(
        id=raw["id"],
        title=raw["title"],
        summary=raw["summary"],
        guide=tuple(raw["guide"]),
        bonds=tuple(raw["bonds"]),
        rounds=rounds,
    )


def cross_problems(
    entries: list[tuple[str, Any]], decks: list[Deck], sequences: list[Sequence]
) -> list[str]:
    """Problems between files: two prompts anywhere with the same meaningful words."""
    seen: dict[str, str] = {}
    for _where, raw in entries:
        seen.setdefault(" ".join(sorted(normalise(raw["text"]))), raw["id"])
    problems = []
    others = [p for deck in decks for p in deck.prompts]
    others += [q for one in sequences for q in one.questions]
    for prompt in others:
        key = " ".join(sorted(normalise(prompt.text)))
        if key in seen:
            problems.append(f"{prompt.id}: same words as {seen[key]}")
        seen.setdefault(key, prompt.id)
    return problems
