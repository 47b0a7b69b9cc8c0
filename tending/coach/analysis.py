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

A learned model decides the labels (`tending.coach.model`, weights in data/model.json,
trained by `tending coach train` from the corpus; see docs/coach.md, "Model"). The cue
lexicon in data/lexicon.json (compiled once into one regex by `tending.coach.lexicon`)
gives the model some of its features and the spans the composer marks. Rewrites come
from `tending.coach.rewrite`, whose wording is in data/rewrite.json. No network, and no numpy at run time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from tending.coach import rewrite
from tending.coach.labels import LABELS, NEGATIVE
from tending.coach.lexicon import alternation, load
from tending.coach.model import Model, cue_features, probability
from tending.coach.model import load as load_model

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


@cache
def model() -> Model:
    """The shipped model, loaded on first use (training reads cues without one)."""
    return load_model()


_NONE = frozenset({"none"})

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


def _cue_hits(folded: str) -> tuple[list[str], bool]:
    """Labels of every lexicon hit (with repeats, markers included), and whether the
    text is a chat app's reaction line."""
    reaction = _reaction(folded)
    if reaction is None:
        hits = (_ASCII_FINDALL if folded.isascii() else _FINDALL)(folded)
        found = [_CUE_OF[hit][0] for hit in hits]
    else:
        end, verb_end, reacted = reaction
        found = [_CUE_OF[hit][0] for hit in _FINDALL(folded, verb_end, end)]
        if reacted is not None:
            found.append(reacted[0])
    whole = _whole(folded)
    if whole is not None:
        found.append(whole[0])
    return found, reaction is not None


def cue_view(text: str) -> tuple[str, frozenset[str], frozenset[str], bool, bool]:
    """(folded text, labels the lexicon's cues hit, labels hit twice or more, whether
    negative labels are doubtful because of the language, whether it is a reaction)."""
    folded = _fold(text)
    hits, reaction = _cue_hits(folded)
    foreign = "_foreign" in hits
    found = frozenset(hits) - _NOT_LABELS
    if not found:
        return folded, _NOTHING, _NOTHING, False, reaction
    many = (
        frozenset(label for label in found if hits.count(label) > 1)
        if len(hits) > len(found)
        else _NOTHING
    )
    return folded, found, many, _doubtful(found, foreign, folded), reaction


def lexicon_labels(text: str) -> frozenset[str]:
    """The labels the cue lexicon alone fires (the coach's decisions before the model)."""
    _folded, found, _many, doubtful, _reaction = cue_view(text)
    return found - NEGATIVE if doubtful else found


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


def _lexicon_analysis(text: str, folded: str) -> Analysis:
    """The cue lexicon's own reading: noisy-OR scores of the cue hits."""
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


def fast_labels(text: str) -> frozenset[str]:
    """The labels `analyse` gives, without probabilities or spans: the model over many
    messages (the same model and decision). Chat insights use `lexicon_labels`, which is
    far faster (see docs/coach.md)."""
    folded, found, many, doubtful, reaction = cue_view(text)
    if reaction:
        return found - NEGATIVE if doubtful else found
    m = model()
    shown, _primary = m.decide(m.logits(m.fields(folded, cue_features(found, many))), not doubtful)
    return frozenset(shown)


def probabilities(text: str) -> dict[str, float]:
    """The model's calibrated probability for each of the eleven labels ("none" too),
    before any threshold: for inspecting the model, not for showing."""
    folded, found, many, _doubtful, _reaction = cue_view(text)
    m = model()
    z = m.logits(m.fields(folded, cue_features(found, many)))
    return {label: probability(value) for label, value in zip(m.labels, z, strict=True)}


def analyse(text: str) -> Analysis:
    """Label a message.

    The learned model (`tending.coach.model`) decides (`Model.decide`): `primary` is the
    likeliest of the eleven labels, where a harsh label counts only at or above its
    threshold (chosen for precision, see data/model.json); "none" when that is none.
    `labels` maps the primary and every other label at or above its threshold (0.5 for
    the soft ones) to its calibrated probability, rounded to 3 places; it is empty when
    the primary is "none".
    `spans` holds (start, end) character offsets into `text` of the lexicon's cue hits,
    the explainable part, only for labels the model gave.
    A chat app's reaction line (Laughed at “…”) is read by the lexicon alone, from the
    reaction itself; the quoted words are the other person's. Negative labels are
    dropped when the text is mostly in a language the coach cannot read.
    """
    folded, found, many, doubtful, reaction = cue_view(text)
    if reaction:
        return _lexicon_analysis(text, folded)
    m = model()
    z = m.logits(m.fields(folded, cue_features(found, many)))
    shown, primary = m.decide(z, not doubtful)
    by_label = dict(zip(m.labels, z, strict=True))
    labels = {label: max(round(probability(by_label[label]), 3), 0.001) for label in shown}
    spans: dict[str, list[tuple[int, int]]] = {}
    if found:
        for label, _weight, start, end in _hits(folded):
            if label in labels:
                spans.setdefault(label, []).append((start, end))
    return Analysis(text, labels, primary, spans)


# ---------------------------------------------------------------------------------------
# Rephrasing


def _gentle(suggestion: str) -> bool:
    return NEGATIVE.isdisjoint(analyse(suggestion).labels)


def worst_harsh(analysis: Analysis) -> str | None:
    """The harsh label a rewrite answers: the strongest of those with real evidence."""
    negatives = [
        label
        for label, score in analysis.labels.items()
        if label in NEGATIVE and score >= REAL_EVIDENCE
    ]
    if not negatives:
        return None
    return max(negatives, key=lambda label: (analysis.labels[label], _TIE_RANK[label]))


def rephrase(text: str, analysis: Analysis | None = None) -> list[str]:
    """Gentler ways to say a message that reads as criticism, contempt, defensiveness or
    stonewalling, written by `tending.coach.rewrite` for the worst of those labels.
    Empty when no negative label has real evidence. Every suggestion returned is itself
    free of negative labels."""
    analysis = analysis if analysis is not None else analyse(text)
    worst = worst_harsh(analysis)
    if worst is None:
        return []
    return rewrite.suggestions(text, worst, keep=_gentle)


def from_answers(answers: rewrite.Answers, label: str, text: str = "") -> rewrite.Guided:
    """Gentle lines built from the writer's own answers to the composer's questions
    (what happened, how it left them, what they would ask for), for a message `text`
    read as `label`; every line is free of negative labels."""
    return rewrite.guided(answers, label, keep=_gentle, text=text)
