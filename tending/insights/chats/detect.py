"""Telling the export formats apart, and the one entry point for parsing.

    messages, report = parse("WhatsApp Chat with Ana.zip")
    for message in messages: ...      # the report fills in as the stream is read

`parse` opens and checks the file before returning, so a damaged file, an
unknown format or an ambiguous date order raise at once; malformed lines are
skipped and counted in the report while the stream is read.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

from tending.insights.chats import sources
from tending.insights.chats.messenger import MESSAGE_FILE, open_messenger
from tending.insights.chats.signal_app import HEADER as SIGNAL_HEADER
from tending.insights.chats.signal_app import open_signal
from tending.insights.chats.stream import FORMATS, Message, ParseReport, UnknownFormatError
from tending.insights.chats.telegram import open_telegram
from tending.insights.chats.whatsapp import HEADER as WHATSAPP_HEADER
from tending.insights.chats.whatsapp import open_whatsapp

Opener = Callable[..., Iterator[Message]]
OPENERS: dict[str, Opener] = {
    "whatsapp": open_whatsapp,
    "telegram": open_telegram,
    "signal": open_signal,
    "messenger": open_messenger,
}

# Signal's header: year first, then either seconds without a comma, or (older
# exports) a comma without seconds; WhatsApp on iOS writes both a comma and seconds.
_SIGNAL_LINE = re.compile(r"\[\d{4}-\d{2}-\d{2}(?: \d{2}:\d{2}:\d{2}|, \d{2}:\d{2})\] ")


def _from_names(names: list[str]) -> str | None:
    base = [n.rsplit("/", 1)[-1] for n in names]
    if any(MESSAGE_FILE.search(n) for n in names):
        return "messenger"
    if "result.json" in base:
        return "telegram"
    if "data.json" in base or "chat.md" in base:
        return "signal"
    if any(n.lower().endswith(".txt") for n in base):
        return "whatsapp"
    return None


def _from_text(head: bytes) -> str | None:
    text = head.decode("utf-8", "replace").lstrip("\ufeff \t\r\n")
    # Lines first: an iOS WhatsApp chat starts with "[" too.
    for line in text.splitlines():
        if _SIGNAL_LINE.match(line) and SIGNAL_HEADER.match(line):
            return "signal"
        if WHATSAPP_HEADER.match(line):
            return "whatsapp"
    if not text.startswith("{"):
        return None
    if '"date_unixtime"' in text or '"personal_chat"' in text or '"text_entities"' in text:
        return "telegram"
    if '"chats"' in text and '"list"' in text:
        return "telegram"
    if '"participants"' in text or '"timestamp_ms"' in text or '"senderName"' in text:
        return "messenger"
    if '"sender"' in text and '"body"' in text:
        return "signal"
    if '"messages"' in text and '"date"' in text:
        return "telegram"
    return None


def detect_format(source: sources.Input) -> str:
    """One of FORMATS, from a path (file, folder or zip) or the first bytes of a
    file. Raises `UnknownFormatError` naming the supported formats, or
    `TruncatedFileError` for a damaged zip."""
    found: str | None
    if not isinstance(source, bytes) and Path(source).is_dir():
        root = Path(source)
        found = _from_names(
            [p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()]
        )
    elif sources.is_zip(source):
        with sources.open_zip(source) as archive:
            found = _from_names(sources.member_names(archive))
    else:
        found = _from_text(sources.head(source))
    if found is None:
        raise UnknownFormatError("This file does not look like a chat export we can read.")
    return found


def parse(
    source: sources.Input, format: str = "auto", **options: object
) -> tuple[Iterator[Message], ParseReport]:
    """Options: `date_order` ("dmy", "mdy", "ymd") for WhatsApp; `chat` (a name or
    id) for Telegram and Messenger exports holding several chats; `tz` (a zone
    name) for Messenger; `progress(done_bytes, total_bytes)` for WhatsApp."""
    if format == "auto":
        format = detect_format(source)
    if format not in OPENERS:
        raise UnknownFormatError(f"Unknown format {format!r}.")
    report = ParseReport(format=format)
    return OPENERS[format](source, report, **options), report


__all__ = ["FORMATS", "detect_format", "parse"]
