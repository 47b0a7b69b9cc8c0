"""Suggestions built from the writer's own answers, for when the coach cannot tell
what a complaint or a put-down is about.

Independent samples show where the readings fail: "omg ur so thick. u put diesel in a
PETROL car" gets a line that says nothing of the diesel, or one about "the coupon" when
the point was a $70 fine. Guessing harder does not fix that (see docs/coach.md), so the
composer can ask instead: what happened, how it left you, and what you would like to ask
for. The answers are the writer's own words, so nothing is guessed; this module only
tidies them (texting spellings, sweeps such as "always" and "never", a subject a text
leaves off) and sets them in a few frames from data/rewrite.json ("guided").

Every answer is optional. A line whose answers still carry blame is vetted out by the
coach's own check (`keep`), and `Guided.vetoed` says so, so the composer can say why.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from tending.coach.rewrite.facts import _DONE_TO_ME, _TOLD_PAST, _VERB, _VERBS_MINE
from tending.coach.rewrite.words import (
    _BASE_OF_PAST,
    _DATA,
    _INSULTS,
    _PAST,
    _SPELLING,
    _TRAIT_WORDS,
    _WHENEVER,
    _YOUR_IS_YOURE,
    MAX_SUGGESTIONS,
    _alt,
    _capitalise,
    _Filler,
    _finish,
    _looks_past,
    _Message,
    _read,
)

_WORDS = _DATA["guided"]
# An answer is a few words; a long paste is cut, never read in full.
ANSWER_CHARS = 200
# The labels whose rewrite is a situation plus a feeling and a wish.
LABELS = frozenset(_WORDS["labels"])

_TOKEN = re.compile(r"\d{1,2}:\d\d\b|[£$€]?[\w]+(?:['.,][0-9]+)?(?:['’-][\w]+)*%?|[.!?;,]")
_DROP = re.compile(r"\b" + _alt(_WORDS["drop"]) + r"\b(?!') ?")
_LEAD = re.compile(r"^(?:" + _alt(_WORDS["lead"]) + r")\b[ ,]*")
_FEEL_LEAD = re.compile(r"^(?:" + _alt(_WORDS["feel_lead"]) + r")\b[ ,]*")
_ASK_LEAD = re.compile(r"^(?:" + _alt(_WORDS["ask_lead"]) + r")\b[ ,]*")
_ASK_MINE = re.compile(r"^(?:i|i'd|i'm|i'll|i've|my|it would|it'd)\b")
_ASK_WE = re.compile(r"^(?:can we|could we|we|us to|for us to|let's)\b ?")
_ASK_YOU = re.compile(r"^(?:you|you'd|for you to|you to)\b ?")
_NOUN_START = re.compile(r"^(?:" + _alt(_WORDS["noun_starts"]) + r")\b")
_ASK_VERBS = frozenset(_WORDS["ask_verbs"])
_NEVER = re.compile(r"\b(?:never once|never ever|never)\b (\w+)")
_NOT_ONCE = re.compile(r"\bnot once\b")
_SUBJECT = re.compile(
    r"^(?:i|you|we|he|she|they|it|there|this|that|my|your|our|the|a|an|his|her|their)\b"
)
# "you leave your towels on the floor", "you're on your phone": said of now. Anything else
# told in answer to "what happened?" is told as past ("you put diesel in it").
_NOW = re.compile(
    r"\b(?:i|you|we|they|he|she|it)(?: \w+ly)? (?:don't|doesn't|do|does|is|are|am|keep|keeps|"
    r"won't|can't|'re|'m|'s)\b|\b(?:you're|i'm|we're|they're|he's|she's|it's)\b"
)
_SUBJECT_VERB = re.compile(r"\b(?:i|you|we|they)(?: \w+ly)? (\w+)")
_LONE = re.compile(r"^(?:" + _alt(_WORDS["lone"]) + r")$")
# "if ur running late", "ur coming back": "your" before a verb in -ing and what only a verb
# takes ("your cooking is great" stays).
_YOUR_DOING = re.compile(
    r"\byour (?=[a-z]{2,}ing (?:late|behind|out|away|off|home|back|me|us|it|them|a|an|the|to)\b)"
)
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


# A verdict on the person in an answer ("ur so selfish", "stop being so lazy"): that
# answer is left out, and the writer is told why.
_TRAITS = re.compile(
    r"\b"
    + _alt([w for w in _TRAIT_WORDS if " " not in w and w not in _WORDS["not_traits"]])
    + r"\b"
)
_VERDICT = re.compile(r"\b(?:" + "|".join(_WORDS["verdicts"]) + r")\b")


def _blames(said: str) -> bool:
    # Imported here: the coach's analysis imports the rewrites.
    from tending.coach.analysis import lexicon_labels

    return bool(
        _INSULTS.search(said)
        or _TRAITS.search(said)
        or _VERDICT.search(said)
        or "contempt" in lexicon_labels(said)
    )


@dataclass(frozen=True)
class Answers:
    """What the writer typed into the composer's three questions; any may be blank."""

    what: str = ""
    feel: str = ""
    ask: str = ""

    @classmethod
    def of(cls, what: str = "", feel: str = "", ask: str = "") -> Answers:
        return cls(*(" ".join((value or "")[:ANSWER_CHARS].split()) for value in (what, feel, ask)))

    def __bool__(self) -> bool:
        return bool(self.what or self.feel or self.ask)


@dataclass(frozen=True)
class Guided:
    lines: tuple[str, ...]
    # True when a line was left out because the coach still read blame in it.
    vetoed: bool


def _words(text: str) -> str:
    """`text` lower-cased and tokenised like a message, with texting spellings spelled
    out and the sweeps and intensifiers taken out."""
    folded = text.replace("’", "'").replace("‘", "'").lower()
    tokens = [_SPELLING.get(tok, tok) if tok != "2" else tok for tok in _TOKEN.findall(folded)]
    joined = _YOUR_IS_YOURE.sub("you're ", " ".join(tokens))
    joined = _YOUR_DOING.sub("you're ", joined)
    joined = _WHENEVER.sub("when ", joined)
    joined = _NOT_ONCE.sub("didn't", joined)
    joined = _NEVER.sub(lambda m: ("didn't " if _looks_past(m[1]) else "don't ") + m[1], joined)
    joined = re.sub(r"\bdidn't (\w+)", lambda m: "didn't " + _base_word(m[1]), joined)
    joined = _DROP.sub("", joined)
    joined = re.sub(r"\s+([.!?;,])", r"\1", joined)
    return re.sub(r"\s+", " ", joined).strip(" ,;")


def _base_word(word: str) -> str:
    """'didn't asked' (from "never asked") -> 'didn't ask'."""
    if word in _BASE_OF_PAST:
        return _BASE_OF_PAST[word]
    if word.endswith("ied") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("ed") and _looks_past(word):
        stem = word[:-2]
        if len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] not in "lsz":
            return stem[:-1]
        return stem + "e" if stem.endswith(("at", "ak", "ar", "ok", "us", "iv", "v")) else stem
    return word


@dataclass(frozen=True)
class _What:
    text: str  # lower-case, no closing full stop
    shape: str  # "clause", "sentences" or "thing"
    past: bool


def _what(answer: str) -> _What | None:
    said = _LEAD.sub("", _words(answer)).strip(" .!?,")
    if not re.search(r"[a-z0-9]", said):
        return None
    sentences = [
        s.strip(" .!?,")
        for s in _SENTENCE.split(said)
        if s.strip(" .!?,") and not _LONE.match(s.strip(" .!?,"))
    ]
    if not sentences:
        return None
    said = ". ".join(sentences)
    first = said.split()[0]
    if _SUBJECT.match(said) is None:
        rest = set(said.split()[1:])
        if (
            first in _VERBS_MINE
            and (first.endswith("ed") or first in _TOLD_PAST)
            and not {
                "me",
                "my",
                "myself",
            }
            & rest
        ):
            # "waited 40 mins at the station": the speaker's own, its "I" left off
            said = f"i {said}"
        elif (_looks_past(first) or first in _DONE_TO_ME) and first != "me":
            # "forgot my birthday", "booked saturday without asking": the other's act
            said = f"you {said}"
    past = not _is_now(said)
    if len(sentences) > 1:
        return _What(said, "sentences", past)
    if _VERB.search(said) is None:
        return _What(said, "thing", past)
    return _What(said, "clause", past)


def _is_now(said: str) -> bool:
    if _NOW.search(said):
        return True
    m = _SUBJECT_VERB.search(said)
    # "you leave…": a base form whose past differs ("left") is said of now.
    return m is not None and m[1] in _PAST and _PAST[m[1]] != m[1]


def _feel(answer: str) -> str:
    said = _words(answer).strip(" .!?,")
    for _ in range(3):
        said = _FEEL_LEAD.sub("", said).strip(" ,")
    return said if re.search(r"[a-z]", said) else ""


def _ask(answer: str) -> tuple[str, str] | None:
    """The wish as (kind, words): 'you' for what the other could do ("check with me
    before booking"), 'we' for what the two could do, 'thing' for what is wanted ("an
    apology"), 'mine' for a sentence of the speaker's own ("i need a heads up")."""
    said = _words(answer).strip(" .!?,")
    if not re.search(r"[a-z]", said):
        return None
    for _ in range(3):
        said = _ASK_LEAD.sub("", said).strip(" ,")
    if not said:
        return None
    if _ASK_MINE.match(said):
        return "mine", said
    if (m := _ASK_WE.match(said)) is not None and len(said) > m.end():
        return "we", _as_base(said[m.end() :])
    if (m := _ASK_YOU.match(said)) is not None and len(said) > m.end():
        return "you", _as_base(said[m.end() :])
    words = said.split()
    if _NOUN_START.match(said) or (len(words) == 1 and words[0] not in _ASK_VERBS):
        return "thing", said
    return "you", _as_base(said)


def _as_base(vp: str) -> str:
    """'asked me first' -> 'ask me first': a wish is asked for in the base form."""
    verb, _, rest = vp.partition(" ")
    return f"{_base_word(verb)} {rest}".strip()


def guided(answers: Answers, label: str, keep: Callable[[str], bool] | None = None) -> Guided:
    """Up to three lines that say the writer's own answers gently, for a message read
    as `label`; none for a label without a situation to tell or for blank answers."""
    if label not in LABELS or not answers:
        return Guided((), False)
    what = _what(answers.what)
    feel = _feel(answers.feel)
    ask = _ask(answers.ask)
    if what is None and not feel and ask is None:
        return Guided((), False)
    blamed = False
    if what is not None and _blames(what.text):
        what, blamed = None, True
    if ask is not None and _blames(ask[1]):
        ask, blamed = None, True
    if feel and _blames(feel):
        feel, blamed = "", True
    message = _read(" . ".join(a for a in (answers.what, answers.feel, answers.ask) if a))
    filler = _Filler(message, f"guided-{label}")
    vetoed = blamed
    # When an answer still carries blame ("ur so selfish"), the lines are built again
    # from the other answers, so what can be said gently still is.
    for w, a in ((what, ask), (None, ask), (what, None), (None, None)):
        if w is None and not feel and a is None:
            continue
        lines, dropped = _lines(w, feel, a, message, filler, keep)
        vetoed = vetoed or dropped
        if lines:
            return Guided(lines, vetoed)
    return Guided((), vetoed)


def _lines(
    what: _What | None,
    feel: str,
    ask: tuple[str, str] | None,
    message: _Message,
    filler: _Filler,
    keep: Callable[[str], bool] | None,
) -> tuple[tuple[str, ...], bool]:
    past = what.past if what is not None else False
    asks = _ask_lines(ask, filler)
    ask_text = " ".join(asks).lower()
    frames = _WORDS["frames"][_frame_key(what, feel)]
    out: list[str] = []
    vetoed = False
    for index, variants in enumerate(frames):
        for round_ in range(len(variants)):
            template = filler.spread(f"guided{index}", variants, round_)
            line = template.format(
                what=what.text if what is not None else "",
                What=_capitalise(what.text) if what is not None else "",
                feel=feel,
                felt="felt" if past else "feel",
                ask=asks[index % len(asks)],
            )
            line = _finish(line, message)
            if line in out or len(re.findall(r"\bwhen\b", line, re.I)) > 1 + ("when" in ask_text):
                continue
            if keep is not None and not keep(line):
                vetoed = True
                continue
            out.append(line)
            break
    return tuple(out[:MAX_SUGGESTIONS]), vetoed


def _frame_key(what: _What | None, feel: str) -> str:
    if what is None:
        return "feel" if feel else "ask"
    return f"{what.shape}_feel" if feel else what.shape


def _ask_lines(ask: tuple[str, str] | None, filler: _Filler) -> list[str]:
    if ask is None:
        pool = _WORDS["asks"]["none"]
        return [filler.spread("guided-ask", pool, i) for i in range(MAX_SUGGESTIONS)]
    kind, said = ask
    if kind == "mine":
        return [_capitalise(said) + "."]
    return [template.format(ask=said, Ask=_capitalise(said)) for template in _WORDS["asks"][kind]]
