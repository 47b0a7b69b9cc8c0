"""The normalised message stream that every chat parser yields, the report each
parser fills in while the stream is read, and the errors a parser may raise.

A parser never raises anything but `ChatFormatError` (and its subclasses): a
line or message it cannot read is counted in the report and skipped.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

KINDS = ("text", "media", "system", "deleted", "call")
FORMATS = ("whatsapp", "telegram", "signal", "messenger")
FORMAT_NAMES = {
    "whatsapp": "WhatsApp",
    "telegram": "Telegram",
    "signal": "Signal",
    "messenger": "Messenger / Instagram",
}
DATE_ORDERS = ("dmy", "mdy", "ymd")

# The report keeps the first skipped entries only, so a file of garbage cannot
# make it grow; the total is always counted.
SKIPPED_KEPT = 1000
# Per reason, the report keeps this many first line (or message) numbers.
FIRST_NUMBERS = 5
# Reasons for skipping a line that does not start a message; every other reason
# skips a message (a header that could not be read, a JSON message without a date).
LINE_REASONS = frozenset(
    ("text before the first message header", "continuation of a skipped message")
)
# Above this share of unread message headers the page says so prominently.
PROMINENT_SHARE = 0.01


class ChatFormatError(Exception):
    """The file cannot be read as a chat export. The message is meant for the
    person who chose the file, and never quotes what the chat says."""


class TruncatedFileError(ChatFormatError):
    """The zip or JSON file ends early (an interrupted download or copy)."""


class TooLargeError(ChatFormatError):
    """The file unpacks to more than the reader was allowed to read."""


class UnknownFormatError(ChatFormatError):
    """Its message names the formats as the command line takes them; `for_people`
    says the same with the apps' own names, for the web page."""

    def __init__(self, detail: str = "") -> None:
        self.detail = detail
        supported = ", ".join(FORMATS)
        lead = f"{detail} " if detail else ""
        super().__init__(f"{lead}Supported formats: {supported}.")

    @property
    def for_people(self) -> str:
        names = [FORMAT_NAMES[f] for f in FORMATS]
        apps = f"{', '.join(names[:-1])} and {names[-1]}"
        lead = f"{self.detail} " if self.detail else ""
        return f"{lead}Tending can read chats exported from {apps}."


class AmbiguousDateOrder(ChatFormatError):
    """The dates in the file read in more than one order. `samples` holds a few of
    the file's date strings to show the person; `suggested` is a weak guess ("dmy"
    or "mdy") from which field changes more often, or None; `choices` are the
    orders to choose from (day/month first, and year first when the dates run in
    order that way too)."""

    def __init__(
        self, samples: list[str], suggested: str | None, choices: list[str] | None = None
    ) -> None:
        self.samples = samples
        self.suggested = suggested
        self.choices = list(choices or ["dmy", "mdy"])
        shown = ", ".join(samples[:4])
        if self.choices == ["dmy", "mdy"]:
            super().__init__(
                f"The dates in this chat read both day-first and month-first (for example {shown}). "
                "Choose the order the phone uses: day/month/year (dmy) or month/day/year (mdy)."
            )
            return
        named = " or ".join(f"{ORDER_LABELS[order]} ({order})" for order in self.choices)
        super().__init__(
            f"The dates in this chat read in more than one order (for example {shown}). "
            f"Choose the order the phone uses: {named}."
        )


ORDER_LABELS = {"dmy": "day/month/year", "mdy": "month/day/year", "ymd": "year/month/day"}


@dataclass(slots=True)
class Message:
    time_local: datetime  # naive, the wall clock of the phone that exported
    time_utc: datetime | None  # aware (UTC) when the export gives the instant
    sender: str | None  # None for system lines
    text: str
    kind: str = "text"  # one of KINDS
    edited: bool = False
    reply_to: str | None = None
    reactions: list[tuple[str, str]] = field(default_factory=list)  # (who, emoji)

    def as_json(self) -> dict[str, Any]:
        return {
            "time_local": self.time_local.isoformat(),
            "time_utc": self.time_utc.isoformat() if self.time_utc else None,
            "sender": self.sender,
            "text": self.text,
            "kind": self.kind,
            "edited": self.edited,
        }


@dataclass(slots=True)
class ParseReport:
    format: str
    date_order: str | None = None
    skipped: list[tuple[int, str]] = field(default_factory=list)
    skipped_count: int = 0
    # WhatsApp and Signal's chat.md count lines; the JSON formats count messages.
    skipped_unit: str = "line"
    messages: int = 0
    kinds: Counter[str] = field(default_factory=Counter)
    participants: Counter[str] = field(default_factory=Counter)
    first_time: datetime | None = None
    last_time: datetime | None = None
    repaired_text: int = 0  # lines or strings whose bytes were not valid UTF-8
    chat_name: str | None = None
    chats: list[dict[str, Any]] = field(default_factory=list)  # choices in a full export
    notes: list[str] = field(default_factory=list)
    finished: bool = False
    # Skipped entries by reason, with the first few numbers of each; and how many of
    # them were messages (or message headers) rather than lines within one.
    reasons: Counter[str] = field(default_factory=Counter)
    first_numbers: dict[str, list[int]] = field(default_factory=dict)
    unread: int = 0

    def skip(self, number: int, reason: str) -> None:
        self.skipped_count += 1
        if len(self.skipped) < SKIPPED_KEPT:
            self.skipped.append((number, reason))
        self.reasons[reason] += 1
        first = self.first_numbers.setdefault(reason, [])
        if len(first) < FIRST_NUMBERS:
            first.append(number)
        if reason not in LINE_REASONS:
            self.unread += 1

    def add_skipped(self, other: ParseReport, offset: int) -> None:
        """Add the skipped entries of a later part of the same file, whose numbers
        count from `offset` + 1."""
        for number, reason in other.skipped:
            if len(self.skipped) >= SKIPPED_KEPT:
                break
            self.skipped.append((number + offset, reason))
        self.skipped_count += other.skipped_count
        self.reasons.update(other.reasons)
        for reason, numbers in other.first_numbers.items():
            first = self.first_numbers.setdefault(reason, [])
            first.extend(n + offset for n in numbers[: FIRST_NUMBERS - len(first)])
        self.unread += other.unread

    def skipped_section(self) -> dict[str, Any]:
        """What could not be read, for people: counts by reason and the first few
        numbers of each, never text. `share` is the part of the messages (message
        headers, for the text formats) that could not be read."""
        seen = self.messages + self.unread
        share = self.unread / seen if seen else 0.0
        return {
            "unit": self.skipped_unit,
            "count": self.skipped_count,
            "messages_seen": seen,
            "messages_unread": self.unread,
            "share": round(share, 4),
            "prominent": share > PROMINENT_SHARE,
            "reasons": [
                {"reason": reason, "count": count, "first": self.first_numbers.get(reason, [])}
                for reason, count in self.reasons.most_common()
            ],
        }

    def count(self, message: Message) -> None:
        self.messages += 1
        self.kinds[message.kind] += 1
        if message.sender is not None:
            self.participants[message.sender] += 1
        when = message.time_local
        if self.first_time is None or when < self.first_time:
            self.first_time = when
        if self.last_time is None or when > self.last_time:
            self.last_time = when

    def as_json(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "date_order": self.date_order,
            "messages": self.messages,
            "kinds": {kind: self.kinds.get(kind, 0) for kind in KINDS},
            "participants": dict(self.participants.most_common()),
            "first_time": self.first_time.isoformat() if self.first_time else None,
            "last_time": self.last_time.isoformat() if self.last_time else None,
            "skipped_count": self.skipped_count,
            "skipped_unit": self.skipped_unit,
            "skipped": [{"number": n, "reason": r} for n, r in self.skipped[:50]],
            "repaired_text": self.repaired_text,
            "chat_name": self.chat_name,
            "chats": self.chats,
            "notes": self.notes,
        }


def clean_text(value: str) -> str:
    """NFC-normalise a string and replace lone surrogates (which JSON escapes can
    produce) so the text can always be written out as UTF-8."""
    if value.isascii():
        return value
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        value = value.encode("utf-8", "replace").decode("utf-8")
    return unicodedata.normalize("NFC", value)
