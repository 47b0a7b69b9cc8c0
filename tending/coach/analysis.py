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
gives the model some of its features and the spans the composer marks. Rephrasing
templates are in data/rephrase.json. No network, and no numpy at run time.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache

from tending.coach.labels import LABELS, NEGATIVE
from tending.coach.lexicon import DATA_DIR, alternation, load
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
    """The labels `analyse` gives, without probabilities or spans: the bulk path of
    chat insights (the same model and decision)."""
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

_TEMPLATES = json.loads((DATA_DIR / "rephrase.json").read_text(encoding="utf-8"))
_SPELLING: dict[str, str] = _TEMPLATES["spelling"]
_TOKEN = re.compile(r"[\w']+|[.,!?;:]")
_ADVERBS = (
    "(?:just|really|literally|even|seriously|honestly|actually|still|also|like|kinda|sometimes)"
)


def _words(key: str) -> str:
    return (
        "(?:" + "|".join(re.escape(w) for w in sorted(_TEMPLATES[key], key=len, reverse=True)) + ")"
    )


_CLAUSE_END = r"(?P<rest>[^.,!?;:]+)"
# Order matters: the first pattern that matches decides the kind of rephrasing.
_CLAUSES: tuple[tuple[str, str, re.Pattern[str]], ...] = tuple(
    (kind, verb, re.compile(pattern))
    for kind, verb, pattern in (
        ("never", "be", rf"\byou're (?:{_ADVERBS} )*never {_CLAUSE_END}"),
        ("never", "", rf"\bwhy {_words('negators')} you {_CLAUSE_END}"),
        ("never", "", rf"\byou (?:{_ADVERBS} )*{_words('negators')} {_CLAUSE_END}"),
        ("always", "be", rf"\byou're (?:{_ADVERBS} )*{_words('habitual')} {_CLAUSE_END}"),
        ("always", "be", rf"\bare you (?:{_ADVERBS} )*{_words('habitual')} {_CLAUSE_END}"),
        ("always", "", rf"\byou (?:{_ADVERBS} )*{_words('habitual')} {_CLAUSE_END}"),
        ("past", "", rf"\byou (?P<rest>(?:{_words('past_markers')}|\w+ed)\b[^.,!?;:]*)"),
    )
)
_FILLERS = re.compile(r"\b" + _words("fillers") + r"\b")
_BREAKS = re.compile(r"\b" + _words("clause_breaks") + r"\b")
_TOPIC = re.compile(r"\b(" + _words("determiners") + r") ([\w']+)(?: ([\w']+))?")
_SPACES = re.compile(r"\s+")


# "ur so lazy": here "ur" means "you're", not "your".
_YOUR_IS_YOURE = re.compile(
    r"\byour (?=(?:so|such|being|always|never|right|the best|an?|just|really)\b)"
)


def _normalise(text: str) -> str:
    """Lowercase words with chat spellings expanded and emoji dropped, one space apart."""
    norm = " ".join(_SPELLING.get(tok, tok) for tok in _TOKEN.findall(_fold(text)))
    return _YOUR_IS_YOURE.sub("you're ", norm)


def _masked(text: str, analysis: Analysis) -> str:
    """The text with its negative cues blanked out, so a topic is never taken from them."""
    chars = list(text)
    for label in NEGATIVE.intersection(analysis.spans):
        for start, end in analysis.spans[label]:
            chars[start:end] = " " * (end - start)
    return "".join(chars)


def _tidy(rest: str) -> str:
    rest = _BREAKS.split(rest, maxsplit=1)[0]
    rest = _FILLERS.sub(" ", rest)
    words = [_TEMPLATES["swap"].get(w, w) for w in rest.split()]
    return " ".join(words[:10])


def _past(base: str) -> str:
    verb, _, rest = base.partition(" ")
    irregular: dict[str, str] = _TEMPLATES["past"]
    if verb in irregular:
        past = irregular[verb]
    elif verb in _TEMPLATES["double_final"]:
        past = verb + verb[-1] + "ed"
    elif verb.endswith("e"):
        past = verb + "d"
    elif verb.endswith("y") and len(verb) > 2 and verb[-2] not in "aeiou":
        past = verb[:-1] + "ied"
    else:
        past = verb + "ed"
    return f"{past} {rest}".strip()


def _unging(base: str) -> str:
    """'checking your phone' -> 'check your phone', for 'you keep checking …'."""
    verb, _, rest = base.partition(" ")
    if not verb.endswith("ing") or len(verb) < 5:
        return base
    stem = verb[:-3]
    if len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] not in "lsz":
        stem = stem[:-1]
    elif stem[-1] in "vcz" or stem.endswith(("at", "ak", "ok", "ov", "iv")):
        stem += "e"
    return f"{stem} {rest}".strip()


def _topic(text: str) -> str:
    """A determiner and one or two words after it ("the toilet seat"), or ""."""
    for match in _TOPIC.finditer(_SPACES.sub(" ", _FILLERS.sub(" ", text))):
        determiner, noun, second = match.group(1, 2, 3)
        if noun in _TEMPLATES["not_topics"] or noun in _TEMPLATES["topic_stop"]:
            continue
        if second and second not in _TEMPLATES["topic_stop"]:
            return f"{determiner} {noun} {second}"
        return f"{determiner} {noun}"
    return ""


def _feelings(words: str) -> tuple[str, str]:
    present = set(words.split())
    for group in _TEMPLATES["feelings"]:
        if present.intersection(group["words"]):
            return group["feeling"], group["feeling2"]
    return _TEMPLATES["default_feeling"], _TEMPLATES["default_feeling2"]


_WISH = re.compile(r"^" + _words("wish_verbs") + r" ")


def _complaint(text: str, analysis: Analysis) -> list[str]:
    norm = _normalise(text)
    for kind, verb, pattern in _CLAUSES:
        match = pattern.search(norm)
        if match is None:
            continue
        rest = _tidy(match.group("rest"))
        if not rest or rest in _TEMPLATES["empty_actions"]:
            continue
        if rest.startswith("keep "):
            rest = _unging(rest[5:])
        elif norm[match.start() : match.end()].split()[1:2] == ["keep"]:
            rest = _unging(rest)
        said = f"{verb} {rest}".strip()
        finite = "are" + said[2:] if said.startswith("be ") else said
        past = rest if kind == "past" else _past(said)
        feeling, feeling2 = _feelings(f"{rest} {norm}")
        slots = {"base": _WISH.sub("", said), "finite": finite, "past": past, "topic": ""}
        return _fill(kind, slots, feeling, feeling2)
    topic = _topic(_normalise(_masked(text, analysis)))
    feeling, feeling2 = _feelings(norm)
    slots = {"base": "", "finite": "", "past": "", "topic": topic}
    return _fill("topic" if topic else "plain", slots, feeling, feeling2)


def _fill(kind: str, slots: dict[str, str], feeling: str, feeling2: str) -> list[str]:
    return [
        template.format(feeling=feeling, feeling2=feeling2, **slots)
        for template in _TEMPLATES["templates"][kind]
    ]


def rephrase(text: str, analysis: Analysis | None = None) -> list[str]:
    """Gentler ways to say a message that reads as criticism, contempt, defensiveness or
    stonewalling: an I-statement about a feeling, one specific situation instead of
    always/never, and a request. Empty when no negative label has real evidence.
    Every suggestion returned is itself free of negative labels."""
    analysis = analysis if analysis is not None else analyse(text)
    negatives = [
        label
        for label, score in analysis.labels.items()
        if label in NEGATIVE and score >= REAL_EVIDENCE
    ]
    if not negatives:
        return []
    worst = max(negatives, key=lambda label: (analysis.labels[label], _TIE_RANK[label]))
    if worst in ("defensiveness", "stonewalling"):
        candidates = list(_TEMPLATES["templates"][worst])
    else:
        candidates = _complaint(text, analysis)
    gentle = [c for c in candidates if NEGATIVE.isdisjoint(fast_labels(c))]
    for spare in _TEMPLATES["fallback"]:
        if len(gentle) >= 2:
            break
        if spare not in gentle:
            gentle.append(spare)
    return gentle[:3]
