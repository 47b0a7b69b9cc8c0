"""Compiles the cue lexicon (data/lexicon.json) into one regular expression.

Every cue is a small regex over lowercased text. Cues are expanded (list macros and a
leading group give one variant per item), cut into atoms (a character, an escape, a
class or a group, each with its quantifier) and merged into a trie of atoms, so the
combined pattern tries about one branch per letter at each word start instead of every
cue. The pattern has no capturing groups: a matched string is mapped back to its cue by
`Lexicon.resolve`, cached in `Lexicon.cue_of`.

Order at each branching point of the trie: plain characters first, then regex atoms,
then ending the match. So "you never fail to" (appreciation) wins over "you never"
(criticism) at the same spot, and a plain cue beats one whose next atom is a group.
Matches do not overlap: the leftmost cue wins its words.

The pattern has two parts: cues that start a word (behind one \\b) and the others
(emoji and other scripts). Each part is compiled on its own, and `Lexicon.findall`
scans with both as the joined alternation would; the joined `Lexicon.pattern`, which
`analyse` uses for its spans, is compiled only when first asked for. Compiling it
costs about as much as both parts together, and the insights import never needs it.
"""

from __future__ import annotations

import itertools
import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"

_MACRO = re.compile(r"\{([a-z_]+)\}")
_REGEX_META = set("\\.^$*+?{}[]()|")
_QUANTIFIERS = set("?*+{")
_QUANTIFIER = re.compile(r"(?:[?*+]|\{\d*,?\d*\})\??")
# A cue that starts with one of these needs a word boundary before it.
_WORDISH_START = re.compile(r"[a-z0-9à-ÿ]")
_OPEN_END = "~"
_CACHE_LIMIT = 100_000


@dataclass(frozen=True)
class Cue:
    label: str
    weight: float
    source: str
    regex: str
    prefix: str
    tail: str
    order: int


@dataclass
class _Node:
    children: dict[str, _Node] = field(default_factory=dict)
    end: bool = False


def _expand(cue: str, macros: dict[str, str | list[str]]) -> list[str]:
    """Macros given as lists multiply the cue (one variant each); strings inline."""
    parts = _MACRO.split(cue)
    choices: list[list[str]] = []
    for i, part in enumerate(parts):
        if i % 2 == 0:
            choices.append([part])
            continue
        if part not in macros:
            raise ValueError(f"unknown macro {{{part}}} in cue {cue!r}")
        value = macros[part]
        choices.append(list(value) if isinstance(value, list) else [value])
    out = [
        _expand_leading_group(r) for r in ("".join(combo) for combo in itertools.product(*choices))
    ]
    return list(dict.fromkeys(itertools.chain.from_iterable(out)))


_LEADING_GROUP = re.compile(r"\(\?:([^()\\\[\]]*)\)(\?)?(?![?*+{])")


def _expand_leading_group(regex: str) -> list[str]:
    """Spread a leading (?:a|b) or (?:a)? over variants, so each gets a literal prefix."""
    match = _LEADING_GROUP.match(regex)
    if not match:
        return [regex]
    rest = regex[match.end() :]
    options = match.group(1).split("|") + ([""] if match.group(2) else [])
    out: list[str] = []
    for option in options:
        out.extend(_expand_leading_group(option + rest))
    return out


def _has_top_level_bar(regex: str) -> bool:
    depth, i = 0, 0
    while i < len(regex):
        ch = regex[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":
            i = regex.index("]", i + 2)
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            return True
        i += 1
    return False


def _split_prefix(regex: str) -> tuple[str, str]:
    """Longest leading run of plain characters not followed by a quantifier."""
    if _has_top_level_bar(regex):
        return "", regex
    prefix: list[str] = []
    i = 0
    while i < len(regex):
        ch = regex[i]
        if ch in _REGEX_META:
            break
        if i + 1 < len(regex) and regex[i + 1] in _QUANTIFIERS:
            break
        prefix.append(ch)
        i += 1
    return "".join(prefix), regex[i:]


def _ends_wordy(regex: str) -> bool:
    stripped = re.sub(r"(?:\{\d*,?\d*\}|[)?*+])+$", "", regex)
    return bool(stripped) and bool(_WORDISH_START.match(stripped[-1]))


def _finish(regex: str) -> str:
    if regex.endswith(_OPEN_END):
        return regex[: -len(_OPEN_END)]
    if _ends_wordy(regex):
        return regex + r"(?!\w)"
    return regex


def _skip_class(regex: str, i: int) -> int:
    j = i + 1
    if j < len(regex) and regex[j] == "^":
        j += 1
    if j < len(regex) and regex[j] == "]":
        j += 1
    while regex[j] != "]":
        j += 2 if regex[j] == "\\" else 1
    return j + 1


def _skip_group(regex: str, i: int) -> int:
    depth, j = 0, i
    while True:
        ch = regex[j]
        if ch == "\\":
            j += 2
            continue
        if ch == "[":
            j = _skip_class(regex, j)
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return j + 1
        j += 1


def _atoms(regex: str) -> list[str]:
    """Split a cue into atoms (char, escape, class or group, each with its quantifier)."""
    if _has_top_level_bar(regex):
        return [f"(?:{regex})"]
    atoms: list[str] = []
    i = 0
    while i < len(regex):
        ch = regex[i]
        if ch == "\\":
            j = i + 2
        elif ch == "[":
            j = _skip_class(regex, i)
        elif ch == "(":
            j = _skip_group(regex, i)
        else:
            j = i + 1
        quantifier = _QUANTIFIER.match(regex, j)
        if quantifier:
            j = quantifier.end()
        atoms.append(regex[i:j])
        i = j
    return atoms


def _is_literal(atom: str) -> bool:
    return len(atom) == 1 and atom not in _REGEX_META


def _emit(atom: str) -> str:
    return re.escape(atom) if _is_literal(atom) else atom


def _trie_regex(node: _Node) -> str:
    # Literal steps first (the sre engine skips a wrong first letter cheaply), regex
    # atoms next, and ending here last, so the more specific cue is tried first.
    keys = sorted(k for k in node.children if _is_literal(k))
    keys += [k for k in node.children if not _is_literal(k)]
    branches = []
    for key in keys:
        child = node.children[key]
        path = _emit(key)
        # Collapse single-child chains to keep nesting shallow.
        while len(child.children) == 1 and not child.end:
            (key, child) = next(iter(child.children.items()))
            path += _emit(key)
        branches.append(path + _trie_regex(child))
    if node.end:
        branches.append("")
    if len(branches) == 1:
        return branches[0]
    return "(?:" + "|".join(branches) + ")"


def _insert(root: _Node, atoms: list[str]) -> None:
    node = root
    for atom in atoms:
        node = node.children.setdefault(atom, _Node())
    node.end = True


def alternation(words: list[str]) -> str:
    """A trie-shaped regex that matches any of the literal `words`."""
    root = _Node()
    for word in words:
        _insert(root, list(word))
    return _trie_regex(root)


class Lexicon:
    """The compiled cue set: `pattern` finds cue hits, `resolve` names their label."""

    def __init__(self, raw: dict) -> None:
        macros: dict[str, str | list[str]] = raw["macros"]
        self.labels: tuple[str, ...] = tuple(raw["cues"])
        self.cues: list[Cue] = []
        word_root, other_root, other_ascii_root = _Node(), _Node(), _Node()
        order = 0
        cues = dict(raw["cues"])
        # Marker cues carry no weight; they only tell that a word of another language
        # is present. File order puts them after every real cue.
        for marker, words in raw.get("markers", {}).items():
            cues[marker] = {"0": [re.escape(word) for word in words]}
        for label, tiers in cues.items():
            for weight_text, sources in tiers.items():
                weight = float(weight_text)
                for source in sources:
                    variants = _expand(source, macros)
                    if re.compile(variants[0]).groups:
                        raise ValueError(f"cue {source!r} has a capturing group; use (?:)")
                    for variant in variants:
                        regex = _finish(variant)
                        prefix, tail = _split_prefix(regex)
                        self.cues.append(Cue(label, weight, source, regex, prefix, tail, order))
                        order += 1
                        atoms = _atoms(regex)
                        if regex.startswith("\\d") or _WORDISH_START.match(regex[:1]):
                            _insert(word_root, atoms)
                            continue
                        if not prefix:
                            raise ValueError(f"cue {source!r} must start with a plain character")
                        _insert(other_root, atoms)
                        if prefix[0].isascii():
                            _insert(other_ascii_root, atoms)
        word_part = f"\\b{_trie_regex(word_root)}" if word_root.children else ""
        other_part = self._guarded(other_root)
        self.source = "|".join(p for p in (word_part, other_part) if p)
        # Compiling a pattern this size takes about 0.2 s, so the joined `pattern` is
        # compiled only when first used (see `findall`).
        self.word_pattern = re.compile(word_part or "(?!)")
        # On its own, the other part needs no guard: its first characters give the
        # regex engine a set to skip ahead with.
        self.other_pattern = re.compile(_trie_regex(other_root)) if other_part else None
        # ASCII text cannot hit a cue that starts with a non-ASCII character, so it gets
        # a smaller pattern with the same word part.
        ascii_other = self._guarded(other_ascii_root)
        self.ascii_pattern = (
            re.compile("|".join(p for p in (word_part, ascii_other) if p))
            if ascii_other
            else self.word_pattern
        )
        # Same order as the trie tries them: longer literal prefix first, then file order.
        self._by_first: dict[str, list[Cue]] = {}
        ranked = sorted(self.cues, key=lambda c: (-len(c.prefix), c.order))
        for cue in ranked:
            if cue.prefix:
                self._by_first.setdefault(cue.prefix[0], []).append(cue)
        self._wild = [c for c in ranked if not c.prefix]
        self._compiled: dict[int, re.Pattern[str]] = {}
        self.cue_of = _Resolved(self)

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        return re.compile(self.source)

    def finditer(
        self, text: str, pos: int = 0, endpos: int = sys.maxsize
    ) -> Iterator[re.Match[str]]:
        return self.pattern.finditer(text, pos, endpos)

    def findall(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> list[str]:
        """`pattern.findall(text, pos, endpos)` without compiling `pattern`: the leftmost
        hit of the word part or of the other cues (the word part first on a tie, as
        in the joined alternation), then on from its end. Each part's next hit is
        looked for again only once the scan has passed its start."""
        other = self.other_pattern
        if other is None:
            return self.word_pattern.findall(text, pos, endpos)
        found = other.search(text, pos, endpos)
        if found is None:
            return self.word_pattern.findall(text, pos, endpos)
        word_search, other_search = self.word_pattern.search, other.search
        start = pos
        word = word_search(text, pos, endpos)
        hits: list[str] = []
        while word is not None or found is not None:
            if found is None or (word is not None and word.start() <= found.start()):
                hit = word
            else:
                hit = found
            pos = hit.end()
            if pos == hit.start():  # an empty hit: findall's own rules, from the start
                return self.pattern.findall(text, start, endpos)
            hits.append(hit.group())
            if word is not None and word.start() < pos:
                word = word_search(text, pos, endpos)
            if found is not None and found.start() < pos:
                found = other_search(text, pos, endpos)
        return hits

    @staticmethod
    def _guarded(root: _Node) -> str:
        """Non-word cues, behind one class test per position instead of one per emoji."""
        if not root.children:
            return ""
        firsts = "".join(re.escape(ch) for ch in sorted(root.children))
        return f"(?=[{firsts}]){_trie_regex(root)}"

    def _matches(self, cue: Cue, hit: str) -> bool:
        if not hit.startswith(cue.prefix):
            return False
        compiled = self._compiled.get(cue.order)
        if compiled is None:
            compiled = self._compiled[cue.order] = re.compile(cue.regex)
        return compiled.fullmatch(hit) is not None

    def resolve(self, hit: str) -> tuple[str, float]:
        """(label, weight) of the cue that produced `hit`; ("", 0.0) if none claims it."""
        for cue in itertools.chain(self._by_first.get(hit[:1], ()), self._wild):
            if self._matches(cue, hit):
                return cue.label, cue.weight
        return "", 0.0


class _Resolved(dict):
    """hit -> (label, weight), filled on first sight; lookups of known hits stay in C."""

    def __init__(self, lexicon: Lexicon) -> None:
        super().__init__()
        self._lexicon = lexicon

    def __missing__(self, hit: str) -> tuple[str, float]:
        if len(self) >= _CACHE_LIMIT:
            self.clear()
        result = self[hit] = self._lexicon.resolve(hit)
        return result


def load(path: Path = DATA_DIR / "lexicon.json") -> tuple[Lexicon, dict]:
    raw = json.loads(path.read_text(encoding="utf-8"))
    return Lexicon(raw), raw
