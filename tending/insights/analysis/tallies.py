"""The counters a fold fills: per sender and month a `Tally`, per month a
`Month`, fixed-bucket `Histogram`s for the medians, and the time windows that
decide what counts as a conversation, a reply, a silence or a repair.

`indicators` fills them from the message stream and `trends` reads them into
the report, so both import this module and `trends` never imports `indicators`.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from tending.coach.labels import LABELS

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

# Histogram edges in seconds, finer where most delays fall.
REPLY_EDGES = (
    0, 15, 30, 60, 90, 120, 180, 300, 420, 600, 900, 1200, 1800, 2700, 3600,
    5400, 7200, 10800, 14400, 21600, 28800, 43200, 64800, 86400,
)  # fmt: skip
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
