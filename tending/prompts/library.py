"""The prompt library: Tending's own prompts, read once and validated.

Three kinds of file, all under `data/`: one file per theme (`data/*.json`), the themed decks a
bond can choose for a few weeks (`data/decks/*.json`) and the evening sequence of questions that
go from light to deep (`data/sequences/*.json`). The formats, the coverage minimums, the wording
rules and the rules that keep ids stable are documented in `data/README.md`.
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
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tending.prompts.decks import Deck, Sequence

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
TAGS: frozenset[str] = frozenset(
    {"about_self", "playful", "reflective", "novelty", "both_directions"}
)

MAX_LENGTH = 160
MIN_PER_CELL = 12
# No opener (a prompt's first two words, case-folded) is used by more than this share of a pool.
MAX_OPENER_SHARE = 0.15
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

# Childhood wording: words that turn a question toward the answerer's childhood or upbringing.
# Asked by a parent of their own child, such a question may have the parent as its honest
# answer, so a prompt listing parent_child may use them only when it is tagged
# `both_directions`: safe to ask and to answer whichever of the two is asking.
CHILDHOOD_WORDS: tuple[str, ...] = (
    "child", "childhood", "children", "kid", "kids", "young", "younger", "youth",
    "teen", "teens", "teenage", "teenager", "teenagers", "school", "schooldays",
    "raised", "upbringing", "brought up", "grew up", "growing up", "your parents",
    "the adults", "when you were",
)  # fmt: skip
CHILDHOOD = re.compile(r"\b(?:" + "|".join(map(re.escape, CHILDHOOD_WORDS)) + r")\b")
# Siblings may be half-, step- or adoptive siblings, or far apart in age: a sibling prompt does
# not take a childhood spent together, or the same parents, for granted.
SHARED_CHILDHOOD = re.compile(
    r"\b(?:our childhood|as kids|as children|as teenagers|growing up together|grew up together|"
    r"our parents|when we were (?:kids|little|small|young|children|teenagers))\b"
)

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
    deck: str = ""  # the deck's id for a deck prompt, whose theme is then the deck's id too

    @property
    def number(self) -> int:
        """The numeric part of the id: unique within a theme, never reused."""
        return int(self.id.split("-", 1)[1])

    def fits(self, bond: str) -> bool:
        return bond in self.bonds

    @property
    def deck_title(self) -> str:
        """The title of the deck this prompt comes from, "" for a theme's prompt."""
        deck = _library().decks.get(self.deck) if self.deck else None
        return deck.title if deck is not None else ""


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
    theme = raw.get("theme")
    if "theme" in raw and theme not in THEMES:
        problems.append(f"unknown theme {theme!r}")
    problems += id_problems(raw.get("id"), PREFIXES.get(theme) if theme in PREFIXES else None)
    return problems + shared_problems(raw)


def shared_problems(raw: Mapping[str, Any], allowed_bonds: tuple[str, ...] = BONDS) -> list[str]:
    """The checks every prompt meets, in a theme file, a deck or the sequence."""
    problems = []
    depth = raw.get("depth")
    if "depth" in raw and depth not in DEPTHS:
        problems.append(f"unknown depth {depth!r}")
    bonds = raw.get("bonds", [])
    if not isinstance(bonds, list) or not bonds:
        problems.append("bonds must be a non-empty list")
        bonds = []
    problems += [f"unknown bond kind {bond!r}" for bond in bonds if bond not in BONDS]
    problems += [
        f"bond kind {bond!r} is not among this file's {list(allowed_bonds)}"
        for bond in bonds
        if bond in BONDS and bond not in allowed_bonds
    ]
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
        retired = raw.get("retired") is True
        problems += _text_problems(raw["text"], bonds, retired=retired)
        if not retired:
            problems += _direction_problems(raw["text"], bonds, tags)
    return problems


def _direction_problems(text: Any, bonds: list[Any], tags: list[Any]) -> list[str]:
    if not isinstance(text, str):
        return []
    childhood = CHILDHOOD.search(text.lower())
    marked = "both_directions" in tags
    if childhood and "parent_child" in bonds and not marked:
        return [
            f"says {childhood[0]!r} to parent_child: tag it both_directions if it is safe "
            "asked by either of the two, else leave parent_child out"
        ]
    if marked and not (childhood and "parent_child" in bonds):
        return ["both_directions belongs only on a parent_child prompt with childhood wording"]
    return []


def id_problems(prompt_id: Any, prefix: str | None, owner: str = "") -> list[str]:
    if prompt_id is None:
        return []
    match = ID_PATTERN.match(prompt_id) if isinstance(prompt_id, str) else None
    if match is None:
        return [f"id {prompt_id!r} does not match {ID_PATTERN.pattern}"]
    if prefix is not None and match["prefix"] != prefix:
        owner = owner or next(theme for theme, known in PREFIXES.items() if known == prefix)
        return [f"id prefix {match['prefix']!r} should be {prefix!r} for {owner}"]
    if int(match["number"]) == 0:
        return ["id numbers start at 001"]
    return []


def _text_problems(text: Any, bonds: list[Any], *, retired: bool = False) -> list[str]:
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
    # A retired prompt is never offered again: it keeps the words it was answered with.
    shared = None if retired else SHARED_CHILDHOOD.search(lowered)
    if shared and "sibling" in bonds:
        problems.append(f"a sibling prompt says {shared[0]!r}: siblings may not share a childhood")
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
    """Every problem in the theme files, the decks and the sequences, [] if all is well."""
    from tending.prompts import decks as deck_files

    entries = read_entries(directory)
    errors = validate(entries)
    decks, deck_errors = deck_files.read_decks(directory)
    sequences, sequence_errors = deck_files.read_sequences(directory)
    errors += deck_errors + sequence_errors
    if not errors:
        errors += deck_files.cross_problems(entries, decks, sequences)
    return errors


def load(directory: Path | None = None) -> tuple[Prompt, ...]:
    """Every prompt of the theme files in `directory`, retired ones included, sorted by id;
    raises PromptDataError."""
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


# --- The library in memory -----------------------------------------------------------------


@dataclass(frozen=True)
class _Library:
    everything: tuple[Prompt, ...]
    active: tuple[Prompt, ...]
    ids: dict[str, Prompt]
    cells: dict[tuple[str, str, str], tuple[Prompt, ...]]
    decks: dict[str, Deck]
    deck_cells: dict[tuple[str, str, str], tuple[Prompt, ...]]
    sequences: dict[str, Sequence]


@functools.cache
def _library() -> _Library:
    from tending.prompts import decks as deck_files

    everything = load()
    decks, deck_errors = deck_files.read_decks()
    sequences, sequence_errors = deck_files.read_sequences()
    if deck_errors or sequence_errors:
        raise PromptDataError(deck_errors + sequence_errors)
    active = tuple(prompt for prompt in everything if not prompt.retired)
    cells: dict[tuple[str, str, str], list[Prompt]] = {
        (theme, depth, bond): [] for theme in THEMES for depth in DEPTHS for bond in BONDS
    }
    for prompt in active:
        for bond in prompt.bonds:
            cells[(prompt.theme, prompt.depth, bond)].append(prompt)
    deck_cells: dict[tuple[str, str, str], list[Prompt]] = {
        (deck.id, depth, bond): [] for deck in decks for depth in DEPTHS for bond in deck.bonds
    }
    for deck in decks:
        for prompt in deck.active:
            for bond in prompt.bonds:
                deck_cells[(deck.id, prompt.depth, bond)].append(prompt)
    ids = {prompt.id: prompt for prompt in everything}
    ids.update((prompt.id, prompt) for deck in decks for prompt in deck.prompts)
    return _Library(
        everything=everything,
        active=active,
        ids=ids,
        cells={key: tuple(prompts) for key, prompts in cells.items()},
        decks={deck.id: deck for deck in decks},
        deck_cells={key: tuple(prompts) for key, prompts in deck_cells.items()},
        sequences={one.id: one for one in sequences},
    )


def all_prompts(*, include_retired: bool = False) -> tuple[Prompt, ...]:
    """The theme files' prompts (decks and the sequence have their own functions)."""
    library = _library()
    return library.everything if include_retired else library.active


def every_prompt() -> tuple[Prompt, ...]:
    """Every active prompt anywhere: the themes, the decks and the sequences."""
    library = _library()
    return (
        library.active
        + tuple(p for deck in library.decks.values() for p in deck.active)
        + tuple(q for one in library.sequences.values() for q in one.questions)
    )


def by_id(prompt_id: str) -> Prompt:
    """The prompt (of a theme or a deck) with this id, retired or not (past answers keep their
    prompt); KeyError if none."""
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


def decks() -> tuple[Deck, ...]:
    return tuple(_library().decks.values())


def decks_for(bond: str) -> tuple[Deck, ...]:
    return tuple(deck for deck in decks() if deck.fits(bond))


def deck(deck_id: str) -> Deck:
    """The deck with this id; KeyError if none."""
    return _library().decks[deck_id]


def deck_pool(deck_id: str, depth: str, bond: str) -> tuple[Prompt, ...]:
    """The deck's active prompts of one depth that fit the bond kind, in id order."""
    return _library().deck_cells.get((deck_id, depth, bond), ())


def sequences() -> tuple[Sequence, ...]:
    return tuple(_library().sequences.values())


def sequence(sequence_id: str) -> Sequence:
    """The sequence with this id; KeyError if none."""
    return _library().sequences[sequence_id]


def _check_choice(name: str, value: str | None, allowed: tuple[str, ...]) -> None:
    if value is not None and value not in allowed:
        raise ValueError(f"unknown {name} {value!r}; expected one of {', '.join(allowed)}")


# --- Openers -------------------------------------------------------------------------------


def opener(text: str) -> str:
    """A prompt's opener: its first two words, case-folded, without punctuation at their ends."""
    return " ".join(word.strip(string.punctuation) for word in text.casefold().split()[:2])


def opener_pools() -> dict[str, tuple[Prompt, ...]]:
    """Every pool a bond draws from, by name: theme/depth/bond, deck/depth/bond, and each
    round of a sequence for each bond kind it lists."""
    library = _library()
    pools = {"/".join(key): prompts for key, prompts in library.cells.items()}
    pools.update((f"deck {'/'.join(key)}", prompts) for key, prompts in library.deck_cells.items())
    for one in library.sequences.values():
        for number, part in enumerate(one.rounds, 1):
            for bond in one.bonds:
                pools[f"sequence {one.id}/round {number}/{bond}"] = part.for_bond(bond)
    return {name: prompts for name, prompts in pools.items() if prompts}


def opener_shares() -> list[tuple[float, str, str, int, int]]:
    """(share, pool, opener, count, pool size) of each pool's most used opener, largest first."""
    found = []
    for name, prompts in opener_pools().items():
        (top, count), *_rest = Counter(opener(p.text) for p in prompts).most_common(1)
        found.append((count / len(prompts), name, top, count, len(prompts)))
    return sorted(found, key=lambda row: (-row[0], row[1]))


def opener_problems() -> list[str]:
    return [
        f"{name}: {count} of {size} prompts open with {top!r}, more than {MAX_OPENER_SHARE:.0%}"
        for share, name, top, count, size in opener_shares()
        if share > MAX_OPENER_SHARE
    ]


# --- Statistics ----------------------------------------------------------------------------


def stats() -> dict[str, Any]:
    """Counts of active prompts. `min_cell` is the smallest theme x depth x bond cell; `decks`,
    `sequences` and `openers` describe the decks, the evening sequences and the most used
    opener of any pool."""
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
    shares = opener_shares()
    first_words = Counter(p.text.split(maxsplit=1)[0].casefold() for p in every_prompt())
    everything = every_prompt()
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
        "decks": {deck.id: _deck_stats(deck, library) for deck in library.decks.values()},
        "sequences": {
            one.id: {
                "title": one.title,
                "bonds": list(one.bonds),
                "rounds": [
                    {"title": part.title, "depth": part.depth, "questions": len(part.questions)}
                    for part in one.rounds
                ],
                "total": len(one.questions),
            }
            for one in library.sequences.values()
        },
        "openers": {
            "limit": MAX_OPENER_SHARE,
            "max_share": round(shares[0][0], 3) if shares else 0.0,
            "max_pool": shares[0][1] if shares else None,
            "max_opener": shares[0][2] if shares else None,
            "pools_over_limit": sum(1 for row in shares if row[0] > MAX_OPENER_SHARE),
            "what_share": round(
                (first_words["what"] + first_words["what's"]) / max(len(everything), 1), 3
            ),
        },
    }


def _deck_stats(deck: Deck, library: _Library) -> dict[str, Any]:
    cells = {
        depth: {bond: len(library.deck_cells[(deck.id, depth, bond)]) for bond in deck.bonds}
        for depth in DEPTHS
    }
    return {
        "title": deck.title,
        "bonds": list(deck.bonds),
        "opt_in": deck.opt_in,
        "total": len(deck.active),
        "retired": len(deck.prompts) - len(deck.active),
        "by_depth": _counts(DEPTHS, (prompt.depth for prompt in deck.active)),
        "min_cell": min(n for depths in cells.values() for n in depths.values()),
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
