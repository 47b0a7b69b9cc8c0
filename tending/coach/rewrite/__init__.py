"""Gentler rewrites of a harsh message that keep what the speaker meant.

One strategy per harsh label:
- criticism: one situation plus a need ("I feel worn out when you leave your dishes
  out. I need us to share the load."). The situation comes from the message's own
  words: what the other person does, doesn't do, did, or a plain fact ("the bins have
  been full for days"). When no situation can be read reliably, the suggestion names
  none rather than a wrong one.
- contempt: names the hurt under it ("I'm feeling taken for granted"), naming the event
  only when the message states one plainly (sarcasm is never read as a fact).
- defensiveness: hears the other out and keeps the speaker's own account ("I know it's
  frustrating that the train was late. It was out of my hands."), never an admission
  the speaker did not make.
- stonewalling: a break with a time to come back, keeping the speaker's own plan
  (bed, going out, phone off) where they said one.

All wording lives in data/rewrite.json. Choices among equally good wordings come from
a stable hash of the message, so the same message always gets the same suggestions and
many messages spread over many lines.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import astuple

from tending.coach.rewrite.contempt import _contempt
from tending.coach.rewrite.criticism import (
    _criticism,
    _criticism_spares,
)
from tending.coach.rewrite.defensiveness import (
    _defensiveness,
    _defensiveness_spares,
)
from tending.coach.rewrite.facts import content_words, says_something_of
from tending.coach.rewrite.guided import LABELS as GUIDED_LABELS
from tending.coach.rewrite.guided import Answers, Guided, guided
from tending.coach.rewrite.stonewalling import _stonewalling, _stonewalling_spares
from tending.coach.rewrite.words import (
    _DATA,
    ENOUGH,
    HARSH,
    MAX_SUGGESTIONS,
    _Filler,
    _finish,
    _Message,
    _read,
    plain_letters,
    untag,
)

__all__ = [
    "GUIDED_LABELS",
    "HARSH",
    "MAX_SUGGESTIONS",
    "Answers",
    "Guided",
    "guided",
    "says_something_of",
    "suggestions",
]

_STRATEGIES: dict[str, Callable[[_Message, _Filler], Iterator[str]]] = {
    "criticism": _criticism,
    "contempt": _contempt,
    "defensiveness": _defensiveness,
    "stonewalling": _stonewalling,
}


def _no_spares(message: _Message, filler: _Filler) -> Iterator[str]:
    return iter(())


# When every line of the strategy is vetoed, these general ones keep the coach useful.
_SPARES: dict[str, Callable[[_Message, _Filler], Iterator[str]]] = {
    "criticism": _criticism_spares,
    "contempt": _no_spares,
    "defensiveness": _defensiveness_spares,
    "stonewalling": _stonewalling_spares,
}


_CAPITALS = frozenset(w.lower() for w in _DATA["capitalised"])
# "bail on me last minute Priya.", "Priya, you always…": a name that addresses the
# reader. Quoted inside a clause it reads as glued on, so no line may carry it.
_VOCATIVE = re.compile(r"(?:^|[.,!?] )([A-Z][a-z]+),|\b([A-Z][a-z]+) ?(?:[.!?,]|$)")

_OBJECT_BEFORE = re.compile(
    r"\b(?:for|to|with|at|from|of|about|by|on|in|like|than|and|or|the|a|an|my|your|our|his|"
    r"her|their|this|that|feed|fed|walk|walked|"
    r"call|called|ring|rang|text|texted|tell|told|ask|asked|see|saw|meet|met|visit|visited)"
    r" (?:\w+'s )?$",
    re.IGNORECASE,
)


_IN_A_NAME = re.compile(r"\b[A-Z][\w']*(?: (?:n|and|&|of|de|la|le|da))? $")


def _vocatives(message: _Message) -> frozenset[str]:
    names = set()
    for m in _VOCATIVE.finditer(message.text):
        name = m[1] or m[2]
        key = name.lower()
        if m[2] and _IN_A_NAME.search(message.text, 0, m.start(2)):
            # "at TM Pick n Pay.": the last word of a name of several, not a person addressed
            continue
        if m[2] and _OBJECT_BEFORE.search(message.text, 0, m.start(2)):
            # "book the vet for Biscuit, you didn't…", "shifts at the Royal,": a name after
            # a preposition, a determiner or a verb is what the clause is about, not the
            # person addressed.
            continue
        if message.case.get(key) == name and key not in _CAPITALS:
            names.add(key)
    return frozenset(names)


# A slot filled with a cut-off fragment ("The thing is, I only said.", "ask where I'd.",
# "without gettin wrecked can you more often"): such a line is dropped, and the next one
# (or a spare) takes its place.
_BROKEN = re.compile(
    r"\b(?:the|a|an|and|with|where|your|my|our|their)[.?!,]"
    r"|\b(?:only|just) (?:said|told|thought)[.?!,]|\b(?:where|what|when|how) (?:I|you)'d[.?!,]"
    r"|\b(?:can|could|will|would) (?:you|ye|ya)\b(?! (?:\w+))"
    r"|\b(?:can|could) (?:you|ye) (?:more often|from now on)\b"
    # "I get how annoying it was that what was I supposed to do.": a question as the event
    r"|\bthat (?:what|why|how|who) (?:was|were|am|is|are|do|did|should|must) (?:I|you)\b"
    # "Underneath my frustration, I feel frustrated"
    r"|\bmy frustration\b.*\bfrustrated\b"
    # "plan things", "say things": "anything" after "never" turned positive leaves a bare
    # "things" as the whole topic
    r"|\b(?:say|said|plan|planned|do|did|tell|told|fix|sort|organise|organize|remember|notice|"
    r"own up to|help with|think about|care about) things\b(?! (?:like|that|you|we|I|about|for|at|in|on|with|to)\b)"
)


# "I'd like to pick this up again when I'm calmer. Can we pick this up tomorrow morning?":
# frames that each read well, put together, say the same three words twice.
_REPEATS = re.compile(r"(?i)\b(\w+(?:'\w+)? \w+ \w+)\b.*\b\1\b")


def _says_a_name(line: str, names: frozenset[str]) -> bool:
    return bool(names) and any(w.strip(".,?!;:").lower() in names for w in line.split())


# A rewrite keeps one situation, so it reads the message's opening only: some of the
# readings cost time with the square of a clause's length, and a 20,000-character paste
# with no full stop took seconds. Chat messages are rarely a tenth of this.
READ_CHARS = 1_500
_LAST_END = re.compile(r"[.!?\n][^.!?\n]*\Z")


def _opening(text: str) -> str:
    """`text`, or its first READ_CHARS characters cut after the last sentence (or word)
    that ends within them."""
    if len(text) <= READ_CHARS:
        return text
    head = text[:READ_CHARS]
    end = _LAST_END.search(head)
    if end is not None and end.start() > READ_CHARS // 2:
        return head[: end.start() + 1]
    return head.rsplit(" ", 1)[0] if " " in head else head


_ROUND_THE_CLOCK = re.compile(r"\b24 ?[/x] ?7\b", re.IGNORECASE)


def _wording(data: object, section: str = "", key: str = "") -> Iterator[str]:
    if isinstance(data, dict):
        for name, value in data.items():
            yield from _wording(value, section or name, name)
    elif isinstance(data, list):
        for value in data:
            yield from _wording(value, section, key)
    elif isinstance(data, str) and (
        key in _FEELINGS or (section not in _TOPICAL and _SENTENCE.search(data))
    ):
        yield data


# The words the lines are made of, as against the words they take from the message:
# every content word of a sentence or a feeling in data/rewrite.json, except the themes'
# sentences, which name a topic ("your phone", "money") only where the message names it.
# So "I feel embarrassed" does not keep "so embarrassing" from the message.
_TOPICAL = frozenset({"themes", "spelling", "about"})
_FEELINGS = frozenset({"feelings", "feeling", "hurt", "mild"})
_SENTENCE = re.compile(r"\S+ \S+ \S+ \S+.*(?:[.?!]\s*$|\{)")
_FRAME = frozenset(w for line in _wording(_DATA) for w in content_words(line))


def _words(text: str) -> frozenset[str]:
    # Without quote marks: "'at the gym'" keeps "gym".
    return frozenset(w.strip("'") for w in content_words(text))


def _specific(line: str, words: frozenset[str]) -> bool:
    """Whether `line` carries a content word of the message that the lines' own wording
    does not: "the dishwasher", "the tyre was already stuffed", "uni", never "talk"."""
    return bool((_words(line) & words) - _FRAME)


def suggestions(text: str, label: str, keep: Callable[[str], bool] | None = None) -> list[str]:
    """Up to three gentler ways to say `text`, which reads as `label` (one of HARSH;
    any other label gives []). Deterministic: the same text and label always give the
    same lines. `keep`, when given, vets each candidate (the coach passes one that
    rejects anything it would itself flag); rejected ones are replaced by spares."""
    strategy = _STRATEGIES.get(label)
    if strategy is None:
        return []
    # Accents come off for reading and go back on in the lines ("Żebbuġ", "hāngī").
    accented = {
        plain_letters(word).lower(): word
        for word in re.findall(r"[^\W\d_]+(?:'[^\W\d_]+)?", text)
        if not word.isascii()
    }
    # "24/7" is a sweep like "all the time"; read as one, it is never cut to "24".
    text = untag(_ROUND_THE_CLOCK.sub("all the time", _opening(plain_letters(text))))
    message = _read(text)
    names = _vocatives(message)
    if names:
        # Read without the name, so "bail on me last minute Priya." keeps its act.
        bare = text
        for name in names:
            bare = re.sub(rf"(?i)(?:^|(?<=[.!?] )){name}, ?|,? ?\b{name}\b(?= ?[.!?,]|$)", "", bare)
        # The facts are read without it too: "Kofi you have not sent your part" is told
        # as "you have not sent your part" (names in a line are dropped below anyway).
        message = _Message(bare.strip(" ,"), *astuple(_read(bare))[1:])
    message.case.update(accented)
    out: list[str] = []
    filler = _Filler(message, label)
    for line in itertools.chain(strategy(message, filler), _SPARES[label](message, filler)):
        if line == ENOUGH:
            if out:
                break
            continue
        line = _finish(line, message)
        if (
            line in out
            or _BROKEN.search(line)
            or _REPEATS.search(line)
            or _says_a_name(line, names)
            or (keep is not None and not keep(line))
        ):
            continue
        out.append(line)
        if len(out) == MAX_SUGGESTIONS:
            break
    # A general line beside ones that keep what the message said ("It wasn't something I
    # could control." beside "the tyre was already stuffed before I took it") loses what
    # the others keep: when any line keeps the message's own words, only those are shown.
    # No line takes a dropped one's place: the strategy's later lines are its weaker ones.
    words = _words(message.text)
    specific = [line for line in out if _specific(line, words)]
    return specific or out
