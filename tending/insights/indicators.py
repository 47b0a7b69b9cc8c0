"""Monthly indicators folded from a message stream in one pass.

Memory depends on the number of months and senders, never on the number of
messages: every figure is a counter, and the medians come from fixed
histograms (see `Histogram`). Labels (logistics, feeling, appreciation,
curiosity, the four harsh patterns, repair, humor) come from a classifier; by
default the gentle-words coach's `fast_labels`. Laughter and we/you words are
counted here directly, so they work without the coach.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from tending.coach.labels import LABELS, NEGATIVE
from tending.insights.stream import Message, ParseReport

Classifier = Callable[[str], frozenset[str]]

# A message after at least this long a pause starts a new conversation.
CONVERSATION_GAP = timedelta(hours=6)
# A reply is the other person's next message; longer waits are not replies.
REPLY_LIMIT = timedelta(hours=24)
# Pauses at least this long are long silences; their empty days are counted.
SILENCE_GAP = timedelta(days=3)
# A repair this long after a harsh moment no longer counts as its repair.
REPAIR_WINDOW = timedelta(days=7)
# Months with fewer written messages are too thin to compare.
MIN_TEXTS_PER_MONTH = 20
# Labels of texts up to this length are cached (bounded): short messages
# ("ok", "love you") repeat a lot.
CACHED_TEXT_LENGTH = 80
CLASSIFIER_CACHE = 1 << 16

CONFLICT = NEGATIVE
LOGISTICS_ONLY = frozenset({"logistics"})
NO_LABELS: frozenset[str] = frozenset()

# Histogram edges in seconds, finer where most delays fall.
REPLY_EDGES = (
    0, 15, 30, 60, 90, 120, 180, 300, 420, 600, 900, 1200, 1800, 2700, 3600,
    5400, 7200, 10800, 14400, 21600, 28800, 43200, 64800, 86400,
)  # fmt: skip
REPLY_LAST = len(REPLY_EDGES) - 2  # index of the last reply bucket
# The same edges as durations: a reply's gap is placed without converting it.
_REPLY_DELTAS = tuple(timedelta(seconds=edge) for edge in REPLY_EDGES)
REPAIR_EDGES = (
    0, 60, 300, 900, 1800, 3600, 7200, 14400, 28800, 43200, 86400,
    2 * 86400, 3 * 86400, 5 * 86400, 7 * 86400,
)  # fmt: skip


class Histogram:
    """Counts of durations in fixed buckets. `median()` finds the bucket holding
    the middle value and interpolates linearly inside it, so its error is at
    most that bucket's width (15 s for quick replies, a few hours for slow ones).
    Values past the last edge fall in the last bucket."""

    __slots__ = ("edges", "counts")

    def __init__(self, edges: tuple[int, ...]) -> None:
        self.edges = edges
        self.counts = [0] * (len(edges) - 1)

    def add(self, seconds: float) -> None:
        index = bisect.bisect_right(self.edges, seconds) - 1
        self.counts[min(max(index, 0), len(self.counts) - 1)] += 1

    def merge(self, other: Histogram, sign: int = 1) -> None:
        for index, count in enumerate(other.counts):
            self.counts[index] += sign * count

    @property
    def total(self) -> int:
        return sum(self.counts)

    def median(self) -> float | None:
        total = self.total
        if not total:
            return None
        half = total / 2
        seen = 0
        for index, count in enumerate(self.counts):
            if count and seen + count >= half:
                low, high = self.edges[index], self.edges[index + 1]
                return low + (high - low) * (half - seen) / count
            seen += count
        return float(self.edges[-1])


COUNTED = (
    "messages",
    "texts",
    "media",
    "calls",
    "deleted",
    "edited",
    "starts",
    "logistics_only",
    "harsh",
    "laughter",
    "we",
    "you",
    "reactions",
)


@dataclass(frozen=True, slots=True, eq=False)
class Written:
    """What one written text says, as the fold counts it. Interned per `Insights`
    (one object per distinct content), so a tally can count texts by profile with
    one dict operation and multiply out later (see `Tally.settle`)."""

    labels: frozenset[str]
    we: int
    you: int
    laughed: bool
    notice: bool = False  # a reaction notice ("Laughed at ...") rather than a text
    logistics_only: bool = False
    harsh: bool = False
    repair: bool = False


@dataclass(slots=True)
class Tally:
    """One sender's (or everyone's) figures for one month.

    While a fold runs, written texts are counted in `written` by profile; the
    text counters (texts, labels, logistics_only, harsh, we, you and the laughter
    of texts) hold their true values only after `settle()`, which `merge` and
    `figures` call."""

    messages: int = 0  # everything but system lines and reaction notices
    texts: int = 0
    media: int = 0
    calls: int = 0
    deleted: int = 0
    edited: int = 0
    starts: int = 0  # conversations started
    logistics_only: int = 0
    harsh: int = 0  # messages with any of the four harsh labels
    laughter: int = 0  # messages with a laugh, plus laughing reactions given
    we: int = 0
    you: int = 0
    reactions: int = 0  # reactions given
    labels: dict[str, int] = field(default_factory=dict)
    replies: Histogram = field(default_factory=lambda: Histogram(REPLY_EDGES))
    written: dict[Written, int] = field(default_factory=dict)

    def settle(self) -> None:
        written = self.written
        if not written:
            return
        counts = self.labels
        for profile, n in written.items():
            self.texts += n
            self.we += profile.we * n
            self.you += profile.you * n
            if profile.laughed:
                self.laughter += n
            if profile.logistics_only:
                self.logistics_only += n
            if profile.harsh:
                self.harsh += n
            for label in profile.labels:
                counts[label] = counts.get(label, 0) + n
        written.clear()

    def merge(self, other: Tally) -> None:
        self.settle()
        other.settle()
        for name in COUNTED:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for label, count in other.labels.items():
            self.labels[label] = self.labels.get(label, 0) + count
        self.replies.merge(other.replies)

    def figures(self) -> dict[str, Any]:
        self.settle()
        out: dict[str, Any] = {name: getattr(self, name) for name in COUNTED}
        for label in LABELS:
            out[label] = self.labels.get(label, 0)
        median = self.replies.median()
        out["replies"] = self.replies.total
        out["reply_median_seconds"] = round(median) if median is not None else None
        return out


@dataclass(slots=True)
class Month:
    year: int
    month: int
    by_sender: dict[str, Tally] = field(default_factory=dict)
    system: int = 0
    silent_days: int = 0
    silences: int = 0  # long silences that began this month
    conflict_episodes: int = 0
    repaired_episodes: int = 0
    repair_delays: Histogram = field(default_factory=lambda: Histogram(REPAIR_EDGES))

    @property
    def key(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    def tally(self, sender: str) -> Tally:
        found = self.by_sender.get(sender)
        if found is None:
            found = self.by_sender[sender] = Tally()
        return found

    def together(self) -> Tally:
        total = Tally()
        for tally in self.by_sender.values():
            total.merge(tally)
        return total

    def merge(self, other: Month) -> None:
        """Add another fold's figures for the same month; senders new to this month
        come after the known ones, as they would in one fold of both."""
        self.system += other.system
        self.silent_days += other.silent_days
        self.silences += other.silences
        self.conflict_episodes += other.conflict_episodes
        self.repaired_episodes += other.repaired_episodes
        self.repair_delays.merge(other.repair_delays)
        for sender, tally in other.by_sender.items():
            self.tally(sender).merge(tally)


@cache
def _words() -> dict[str, Any]:
    path = Path(__file__).parent / "data" / "words.json"
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
        from tending.coach.analysis import fast_labels
    except ImportError:
        return None
    return fast_labels


def _no_labels(_text: str) -> frozenset[str]:
    return NO_LABELS


class Insights:
    """Feed messages in time order with `add`, then read `result()`.

    `add` is the hot path of a million-message import and is kept flat on
    purpose. What each short text says (labels, we/you words, laughter) is
    cached in a dict that is emptied when it reaches CLASSIFIER_CACHE entries:
    bounded, and cheap to consult.

    The order-dependent state is `last`, `last_sender` and `open_conflict`;
    everything else is a sum over messages (see `tending.insights.parallel`)."""

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
        from tending.insights.trends import build_result

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
