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


class ChatFormatError(Exception):
    """The file cannot be read as a chat export. The message is meant for the
    person who chose the file, and never quotes what the chat says."""


class TruncatedFileError(ChatFormatError):
    """The zip or JSON file ends early (an interrupted download or copy)."""


class UnknownFormatError(ChatFormatError):
    def __init__(self, detail: str = "") -> None:
        supported = ", ".join(FORMATS)
        lead = f"{detail} " if detail else ""
        super().__init__(f"{lead}Supported formats: {supported}.")


class AmbiguousDateOrder(ChatFormatError):
    """Every date in the file reads both day-first and month-first. `samples`
    holds a few of the file's date strings to show the person; `suggested` is
    a weak guess ("dmy" or "mdy") from which field changes more often, or None."""

    def __init__(self, samples: list[str], suggested: str | None) -> None:
        self.samples = samples
        self.suggested = suggested
        shown = ", ".join(samples[:4])
        super().__init__(
            f"The dates in this chat read both day-first and month-first (for example {shown}). "
            "Choose the order the phone uses: day/month/year (dmy) or month/day/year (mdy)."
        )


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

    def skip(self, number: int, reason: str) -> None:
        self.skipped_count += 1
        if len(self.skipped) < SKIPPED_KEPT:
            self.skipped.append((number, reason))

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
