"""The gentle-words coach: notices how a chat message is said, and offers gentler wording.

Labels (what each means when the labelled set was written):
- logistics: coordinating practical things (times, errands, bills, pick-ups).
- feeling: the writer shares their own emotion or state ("i'm so tired", "i miss you").
- appreciation: thanks, praise, affection.
- curiosity: an open question about the other's day, thoughts or inner world.
- criticism: a complaint aimed at the other's character or framed as always/never.
- contempt: mockery, sarcasm, insults, eye-rolling, superiority.
- defensiveness: denying responsibility, excuses, counter-attack, innocent victim.
- stonewalling: shutting the conversation down, withdrawing.
- repair: apologies, owning one's part, de-escalating, a break with a return.
- humor: laughter (in many languages and emoji), jokes, playful teasing.

Everything is rule-based: cue lexicon in data/lexicon.json (compiled once into one
regex by `tending.coach.lexicon`); rewrites come from `tending.coach.rewrite`, whose
wording is in data/rewrite.json. No models, no network.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tending.coach import rewrite
from tending.coach.labels import LABELS, NEGATIVE
from tending.coach.lexicon import alternation, load

# A negative label counts as real evidence from this score on (one strong cue, or
# two weaker ones); below it a benign label wins a tie.
REAL_EVIDENCE = 0.5
# Tie order when scores are equal: real negatives first (the coach should not miss
# them), then the benign labels, then weak negatives.
_TIE_ORDER = (
    "contempt",
    "criticism",
    "defensiveness",
    "stonewalling",
    "repair",
    "feeling",
    "appreciation",
    "curiosity",
    "humor",
    "logistics",
)
_TIE_RANK = {label: len(_TIE_ORDER) - i for i, label in enumerate(_TIE_ORDER)}

_LEXICON, _RAW = load()
if set(_LEXICON.labels) != set(LABELS):
    raise ValueError("lexicon.json labels differ from LABELS")

_FINDALL = _LEXICON.findall
_ASCII_FINDALL = _LEXICON.ascii_pattern.findall
_FINDITER = _LEXICON.finditer
_CUE_OF = _LEXICON.cue_of
_NOTHING: frozenset[str] = frozenset()
_NOT_LABELS = frozenset({"", "_foreign"})

_WHOLE: dict[str, tuple[str, float]] = {
    text: (label, float(weight))
    for label, tiers in _RAW["whole"].items()
    for weight, texts in tiers.items()
    for text in texts
}
# Longer messages are never one of the whole-message cues, so they skip the lookup.
_WHOLE_SCAN = 32
_REACTIONS: dict[str, tuple[str, float] | None] = {
    verb: (None if spec is None else (spec[0], float(spec[1])))
    for verb, spec in _RAW["reactions"].items()
}
_REACTION_STARTS = tuple(f"{verb} " for verb in _REACTIONS)
# Chat apps turn a tapback into text such as: Laughed at “see you at 7”. The quoted
# words are the other person's, so only the reaction itself is read.
_REACTION = re.compile(
    "(" + "|".join(re.escape(v) for v in _REACTIONS) + r")(?: \S{1,8} to)? [\"“'‘«]"
)
_ENGLISH = re.compile(r"\b" + alternation(_RAW["english"]) + r"(?!\w)")
_FOREIGN = re.compile(r"\b" + alternation(_RAW["markers"]["_foreign"]) + r"(?!\w)")
_LATIN_LETTER = re.compile(r"[a-zà-ɏ]")
_OTHER_LETTER = re.compile(r"[^\W\da-zà-ɏ_]")


@dataclass(frozen=True)
class Analysis:
    text: str
    labels: dict[str, float]
    primary: str
    spans: dict[str, list[tuple[int, int]]]


def _fold(text: str) -> str:
    """Lowercase without changing length, so offsets stay valid in the original."""
    folded = text.lower()
    if len(folded) != len(text):
        folded = "".join(low if len(low := ch.lower()) == 1 else ch for ch in text)
    if "’" in folded:
        folded = folded.replace("’", "'")
    return folded


def _unreadable(folded: str) -> bool:
    """True when the text is mostly in a language the lexicon does not read: more
    letters of other scripts than Latin ones, or at least as many common German,
    Spanish, French or Portuguese words as English ones."""
    if not folded.isascii():
        others = len(_OTHER_LETTER.findall(folded))
        if others and others >= len(_LATIN_LETTER.findall(folded)):
            return True
    if _FOREIGN.search(folded) is None:
        return False
    return len(_FOREIGN.findall(folded)) >= len(_ENGLISH.findall(folded))


def _reaction(folded: str) -> tuple[int, int, tuple[str, float] | None] | None:
    """(end of the part to read, end of the verb, its label) for a tapback, else None."""
    if not folded.startswith(_REACTION_STARTS):
        return None
    match = _REACTION.match(folded)
    if match is None:
        return None
    return match.end(), match.end(1), _REACTIONS[match.group(1)]


def _doubtful(found: set[str], foreign: bool, folded: str) -> bool:
    """Negative labels fired on text that may be in a language the lexicon cannot read."""
    if found.isdisjoint(NEGATIVE):
        return False
    return (foreign or not folded.isascii()) and _unreadable(folded)


def _whole(folded: str) -> tuple[str, float, str] | None:
    if len(folded) > _WHOLE_SCAN:
        return None
    stripped = folded.strip()
    whole = _WHOLE.get(stripped)
    return None if whole is None else (whole[0], whole[1], stripped)


def fast_labels(text: str) -> frozenset[str]:
    """The labels `analyse` would fire, without scores or spans."""
    folded = _fold(text)
    reaction = _reaction(folded)
    if reaction is None:
        hits = (_ASCII_FINDALL if folded.isascii() else _FINDALL)(folded)
        found = {_CUE_OF[hit][0] for hit in hits}
    else:
        end, verb_end, reacted = reaction
        found = {_CUE_OF[hit][0] for hit in _FINDALL(folded, verb_end, end)}
        if reacted is not None:
            found.add(reacted[0])
    whole = _whole(folded)
    if whole is not None:
        found.add(whole[0])
    foreign = "_foreign" in found
    found -= _NOT_LABELS
    if not found:
        return _NOTHING
    if _doubtful(found, foreign, folded):
        found -= NEGATIVE
    return frozenset(found)


def _hits(folded: str) -> list[tuple[str, float, int, int]]:
    out: list[tuple[str, float, int, int]] = []
    whole = _whole(folded)
    if whole is not None:
        start = folded.index(whole[2])
        out.append((whole[0], whole[1], start, start + len(whole[2])))
    start, end = 0, len(folded)
    reaction = _reaction(folded)
    if reaction is not None:
        end, start, reacted = reaction
        if reacted is not None:
            out.append((reacted[0], reacted[1], 0, start))
    for match in _FINDITER(folded, start, end):
        label, weight = _CUE_OF[match.group()]
        if label:
            out.append((label, weight, match.start(), match.end()))
    return out


def _primary(labels: dict[str, float]) -> str:
    if not labels:
        return "none"

    def key(label: str) -> tuple[float, int, int]:
        score = labels[label]
        real_negative = label in NEGATIVE and score >= REAL_EVIDENCE
        weak_negative = label in NEGATIVE and not real_negative
        return (score, 0 if weak_negative else 1, _TIE_RANK[label])

    return max(labels, key=key)


def analyse(text: str) -> Analysis:
    """Label a message.

    Scoring: every cue hit has a weight w in 0..1 (lexicon.json). A label's score is the
    noisy-OR of its hits, 1 - prod(1 - w), rounded to 3 places, so more evidence raises
    it but never past 1. A label fires when at least one of its cues hit; labels that did
    not fire are absent. Negative labels are dropped when the text is mostly in a
    language the lexicon cannot read (a laugh there still counts as humor).
    `primary` is the label with the highest score; on a tie a negative label wins only
    with real evidence (score >= REAL_EVIDENCE), otherwise benign labels win, in the
    order of _TIE_ORDER. With no label, `primary` is "none".
    `spans` holds (start, end) character offsets into `text` for each hit.
    """
    folded = _fold(text)
    hits = _hits(folded)
    foreign = any(hit[0] == "_foreign" for hit in hits)
    if foreign:
        hits = [hit for hit in hits if hit[0] != "_foreign"]
    if not hits:
        return Analysis(text, {}, "none", {})
    if _doubtful({hit[0] for hit in hits}, foreign, folded):
        hits = [hit for hit in hits if hit[0] not in NEGATIVE]
    remaining: dict[str, float] = {}
    spans: dict[str, list[tuple[int, int]]] = {}
    for label, weight, start, end in hits:
        remaining[label] = remaining.get(label, 1.0) * (1.0 - weight)
        spans.setdefault(label, []).append((start, end))
    labels = {label: round(1.0 - rest, 3) for label, rest in remaining.items()}
    return Analysis(text, labels, _primary(labels), spans)


# ---------------------------------------------------------------------------------------
# Rephrasing


def _gentle(suggestion: str) -> bool:
    return NEGATIVE.isdisjoint(analyse(suggestion).labels)


def rephrase(text: str, analysis: Analysis | None = None) -> list[str]:
    """Gentler ways to say a message that reads as criticism, contempt, defensiveness or
    stonewalling, written by `tending.coach.rewrite` for the worst of those labels.
    Empty when no negative label has real evidence. Every suggestion returned is itself
    free of negative labels."""
    analysis = analysis if analysis is not None else analyse(text)
    negatives = [
        label
        for label, score in analysis.labels.items()
        if label in NEGATIVE and score >= REAL_EVIDENCE
    ]
    if not negatives:
        return []
    worst = max(negatives, key=lambda label: (analysis.labels[label], _TIE_RANK[label]))
    return rewrite.suggestions(text, worst, keep=_gentle)
