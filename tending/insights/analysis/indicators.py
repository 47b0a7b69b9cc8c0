"""Monthly indicators folded from a message stream in one pass.

Memory depends on the number of months and senders, never on the number of
messages: every figure is a counter in `tallies`, and the medians come from
fixed histograms (see `tallies.Histogram`). Labels (logistics, feeling, appreciation,
curiosity, the four harsh patterns, repair, humor) come from a classifier; by
default the gentle-words coach's cue lexicon (`lexicon_labels`), not its learned
model: the lexicon reads about 170,000 messages a second on one core, the model
about 30,000, which would make a million-message chat take over half a minute
instead of a few seconds (README, "Performance"; docs/coach.md). Laughter and
we/you words are counted here directly, so they work without the coach.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from tending.coach.labels import NEGATIVE
from tending.insights.analysis.tallies import (
    CONVERSATION_GAP,
    REPAIR_WINDOW,
    REPLY_EDGES,
    REPLY_LIMIT,
    SILENCE_GAP,
    Month,
    Tally,
    Written,
)
from tending.insights.analysis.trends import build_result
from tending.insights.chats.stream import Message, ParseReport

Classifier = Callable[[str], frozenset[str]]

# Labels of texts up to this length are cached (bounded): short messages
# ("ok", "love you") repeat a lot.
CACHED_TEXT_LENGTH = 80
CLASSIFIER_CACHE = 1 << 16

CONFLICT = NEGATIVE
LOGISTICS_ONLY = frozenset({"logistics"})
NO_LABELS: frozenset[str] = frozenset()

REPLY_LAST = len(REPLY_EDGES) - 2  # index of the last reply bucket
# The same edges as durations: a reply's gap is placed without converting it.
_REPLY_DELTAS = tuple(timedelta(seconds=edge) for edge in REPLY_EDGES)


@cache
def _words() -> dict[str, Any]:
    path = Path(__file__).parent.parent / "data" / "words.json"
    return json.loads(path.read_text(encoding="utf-8"))


# Punctuation that separates words: ASCII only, so the bytes of other scripts
# pass through untouched when a text is split as UTF-8.
_PUNCTUATION = b'!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~'
_SPLIT_TABLE = bytes.maketrans(_PUNCTUATION, b" " * len(_PUNCTUATION))
# The longest run of a repeated laugh syllable that is still recognised.
LAUGH_MAX_REPEATS = 20


@dataclass(frozen=True, slots=True)
class _Vocabulary:
    """Words counted directly, as UTF-8 bytes (see `_words_in`): which group
    each belongs to ("we", "you", "laugh"), plus the reaction-notice patterns."""

    groups: dict[bytes, str]
    lookup: frozenset[bytes]
    emoji: frozenset[str]
    emoji_pattern: re.Pattern[str]
    reaction_notice: re.Pattern[str]
    laughing_notice: re.Pattern[str]
    notice_starts: tuple[str, ...]  # cheap check before the notice pattern


def _laughs(data: dict[str, Any]) -> set[str]:
    found = set(data["words"])
    for syllable, fewest in data["repeated"]:
        for times in range(fewest, LAUGH_MAX_REPEATS + 1):
            run = syllable * times
            found.add(run)
            if len(syllable) > 1:
                found.add(run + syllable[0])  # "hahah"
                found.add(syllable[-1] + run)  # "ahaha"
    return found


@cache
def vocabulary() -> _Vocabulary:
    data = _words()
    groups: dict[bytes, str] = {}
    for word in _laughs(data["laughter"]):
        groups[word.encode()] = "laugh"
    for group in ("we", "you"):
        for words in data[group].values():
            for word in words:
                groups[word.encode()] = group
    emoji = data["laughter"]["emoji"]
    return _Vocabulary(
        groups=groups,
        lookup=frozenset(groups),
        emoji=frozenset(emoji),
        emoji_pattern=re.compile("|".join(re.escape(e) for e in emoji)),
        reaction_notice=re.compile("|".join(f"(?:{p})" for p in data["reactions"])),
        laughing_notice=re.compile("|".join(f"(?:{p})" for p in data["laughing_reactions"])),
        notice_starts=tuple(
            start
            for word in data["notice_words"]
            for start in (word, word.capitalize(), word.upper())
        ),
    )


def words_in(lower: str) -> tuple[int, int, bool]:
    """(we words, you words, laughed) in a lower-cased text."""
    vocab = vocabulary()
    tokens = lower.encode("utf-8", "replace").translate(_SPLIT_TABLE).split()
    we = you = 0
    laughed = False
    for word in vocab.lookup.intersection(tokens):
        group = vocab.groups[word]
        if group == "we":
            we += tokens.count(word)
        elif group == "you":
            you += tokens.count(word)
        else:
            laughed = True
    if not laughed and not lower.isascii() and vocab.emoji_pattern.search(lower):
        laughed = True
    return we, you, laughed


# labels, we words, you words, laughed, reaction notice
_Key = tuple[frozenset[str], int, int, bool, bool]


def _coach_classifier() -> Classifier | None:
    try:
        from tending.coach.analysis import lexicon_labels
    except ImportError:
        return None
    return lexicon_labels


def _no_labels(_text: str) -> frozenset[str]:
    return NO_LABELS


class Insights:
    """Feed messages in time order with `add`, then read `result()`.

    `add` is the hot path of a million-message import and is kept flat on
    purpose. What each short text says (labels, we/you words, laughter) is
    cached in a dict that is emptied when it reaches CLASSIFIER_CACHE entries:
    bounded, and cheap to consult.

    The order-dependent state is `last`, `last_sender` and `open_conflict`;
    everything else is a sum over messages (see `tending.insights.cli.parallel`)."""

    def __init__(self, classify: Classifier | None = None) -> None:
        if classify is None:
            found = _coach_classifier()
            self.labels_available = found is not None
            classify = found or _no_labels
        else:
            self.labels_available = True
        self.classify = classify
        self._labels: dict[str, Written] = {}  # short text -> what it says
        self._profiles: dict[_Key, Written] = {}
        vocab = vocabulary()
        self.reaction_notice = vocab.reaction_notice
        self.notice_starts = vocab.notice_starts
        self.vocab = vocab
        self.laughing_notice = vocab.laughing_notice
        self.laugh_emoji = vocab.emoji
        self.months: dict[tuple[int, int], Month] = {}
        self._year = 0
        self._month_number = 0
        self._month: Month | None = None
        self.first: datetime | None = None  # any message, system lines included
        self.latest: datetime | None = None
        self.last: datetime | None = None  # the last message that was not a system line
        self.last_sender: str | None = None
        self.open_conflict: tuple[datetime, Month] | None = None
        self.senders: set[str] = set()

    def add(self, message: Message) -> None:
        when = message.time_local
        month = self._month
        if month is None or when.month != self._month_number or when.year != self._year:
            month = self._month_for(when.year, when.month)
        first = self.first
        if first is None or when < first:
            self.first = when
        latest = self.latest
        if latest is None or when > latest:
            self.latest = when
        sender = message.sender
        kind = message.kind
        if kind == "system" or sender is None:
            month.system += 1
            return
        if message.reactions:
            self._reactions(month, message.reactions)
        if kind == "text":
            text = message.text
            written = self._labels.get(text)
            if written is None:
                written = self._written(text)
            if written.notice:
                self._notice(month, sender, text)
                return
        tally = month.by_sender.get(sender)
        if tally is None:
            tally = month.by_sender[sender] = Tally()
            self.senders.add(sender)
        tally.messages += 1

        # Timing: conversation starts, replies, long silences.
        last = self.last
        if last is None:
            tally.starts += 1
            self.last = when
        elif when >= last:
            gap = when - last
            if gap >= CONVERSATION_GAP:
                tally.starts += 1
                if gap >= SILENCE_GAP:
                    self._silence(last, when)
            if sender != self.last_sender and gap <= REPLY_LIMIT:
                replies = tally.replies
                index = bisect.bisect_right(_REPLY_DELTAS, gap) - 1
                replies.counts[index if index < REPLY_LAST else REPLY_LAST] += 1
            self.last = when
        self.last_sender = sender

        if kind == "text":
            counts = tally.written
            counts[written] = counts.get(written, 0) + 1
            if written.harsh or written.repair:
                self._conflict(month, written.labels, when)
            elif (
                written.labels
                and self.open_conflict is not None
                and when - self.open_conflict[0] > REPAIR_WINDOW
            ):
                # What _conflict does with any other label: close an episode left too long.
                self.open_conflict = None
        elif kind == "media":
            tally.media += 1
        elif kind == "call":
            tally.calls += 1
        elif kind == "deleted":
            tally.deleted += 1
        if message.edited:
            tally.edited += 1

    def _written(self, text: str) -> Written:
        """What a text says, cached when short."""
        lower = text.lower()
        if text.startswith(self.notice_starts) and self.reaction_notice.match(lower):
            key: _Key = (NO_LABELS, 0, 0, False, True)
        else:
            labels = self.classify(text) if text else NO_LABELS
            we, you, laughed = words_in(lower)
            key = (labels, we, you, laughed or "humor" in labels, False)
        written = self._profiles.get(key)
        if written is None:
            labels = key[0]
            written = self._profiles[key] = Written(
                labels,
                key[1],
                key[2],
                key[3],
                notice=key[4],
                logistics_only=labels == LOGISTICS_ONLY,
                harsh=not labels.isdisjoint(CONFLICT),
                repair="repair" in labels,
            )
        if len(text) <= CACHED_TEXT_LENGTH:
            if len(self._labels) >= CLASSIFIER_CACHE:
                self._labels.clear()
            self._labels[text] = written
        return written

    def _month_for(self, year: int, number: int) -> Month:
        month = self.months.get((year, number))
        if month is None:
            month = self.months[(year, number)] = Month(year, number)
        self._year, self._month_number, self._month = year, number, month
        return month

    def _silence(self, start: datetime, end: datetime) -> None:
        day = start.date() + timedelta(days=1)
        stop = end.date()
        if day < stop:
            self._month_for_date(day).silences += 1
        while day < stop:
            self._month_for_date(day).silent_days += 1
            day += timedelta(days=1)

    def _month_for_date(self, day: date) -> Month:
        key = (day.year, day.month)
        month = self.months.get(key)
        if month is None:
            month = self.months[key] = Month(key[0], key[1])
        return month

    def _conflict(self, month: Month, labels: frozenset[str], when: datetime) -> None:
        """Episodes: a harsh message opens one when none is open; the next repair
        within REPAIR_WINDOW closes it (its delay is recorded in the month the
        episode opened); after the window it closes unrepaired."""
        opened = self.open_conflict
        if opened is not None and when - opened[0] > REPAIR_WINDOW:
            opened = self.open_conflict = None
        if opened is not None and "repair" in labels:
            start, where = opened
            where.repaired_episodes += 1
            where.repair_delays.add((when - start).total_seconds())
            self.open_conflict = None
        if self.open_conflict is None and not labels.isdisjoint(CONFLICT):
            month.conflict_episodes += 1
            self.open_conflict = (when, month)

    def _reactions(self, month: Month, reactions: list[tuple[str, str]]) -> None:
        for who, emoji in reactions:
            if not who:
                continue
            tally = month.tally(who)
            tally.reactions += 1
            if emoji in self.laugh_emoji:
                tally.laughter += 1

    def _notice(self, month: Month, sender: str, text: str) -> None:
        tally = month.tally(sender)
        self.senders.add(sender)
        tally.reactions += 1
        lower = text.lower()
        found = self.reaction_notice.match(lower)
        emoji = next((g for g in found.groups() if g), "") if found else ""
        if emoji.strip() in self.laugh_emoji or self.laughing_notice.match(lower):
            tally.laughter += 1

    def result(self, report: ParseReport | None = None) -> dict[str, Any]:
        return build_result(self, report)


def fold(
    messages: Iterable[Message],
    classify: Classifier | None = None,
    report: ParseReport | None = None,
) -> dict[str, Any]:
    """Read the stream once and return the JSON-serialisable insights report."""
    insights = Insights(classify)
    add = insights.add
    for message in messages:
        add(message)
    return insights.result(report)
