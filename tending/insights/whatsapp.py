"""WhatsApp exports (.txt, or a .zip holding one) from Android and iOS.

Two passes over the file, both streaming: a short first pass reads message
headers only, to decide the date order and to find authors that are really the
chat's name (iOS writes system lines under it); the second pass yields messages.
It reads 4 MB blocks and finds headers with one compiled regex across each
block, so continuation lines cost nothing in Python. Memory holds one block,
the current message and a few bounded caches (date and time strings, sender
names), never the chat.
"""

from __future__ import annotations

import io
import json
import re
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any, BinaryIO

from tending.insights import sources
from tending.insights.stream import (
    DATE_ORDERS,
    AmbiguousDateOrder,
    ChatFormatError,
    Message,
    ParseReport,
    TruncatedFileError,
)

Progress = Callable[[int, int], None]

MARKS = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"
_STRIP_MARKS = {ord(ch): None for ch in MARKS}
_HAS_MARK = re.compile(f"[{MARKS}]").search
_SPACE = "[ \u202f\u00a0]"

# One header shape for both platforms: iOS wraps date and time in brackets and
# follows with "] ", Android follows with " - ". Groups: 1 bracket, 2 the whole
# date and time (a cache key), 3 date, 4 time, 5 the rest of the line.
HEADER = re.compile(
    rf"[{MARKS}]*(\[)?[{MARKS}]*"
    rf"((\d{{1,4}}[./-]\d{{1,2}}[./-]\d{{2,4}})\.?,?{_SPACE}+(?:klo{_SPACE}+)?"
    rf"(\d{{1,2}}[:.]\d{{2}}(?:[:.]\d{{2}})?(?:{_SPACE}?[AaPp]\.?{_SPACE}?[Mm]\.?)?))"
    rf"(?(1)\]{_SPACE}?|{_SPACE}[-\u2013]{_SPACE})"
    r"(.*)"
)
# The same, found anywhere in a block of text at the start of a line.
HEADER_AT_LINE = re.compile("^" + HEADER.pattern[: -len("(.*)")], re.MULTILINE)
_DATE_PARTS = re.compile(r"\d+")
_TIME_PARTS = re.compile(r"(\d+)[:.](\d+)(?:[:.](\d+))?(?:\D*([AaPp]))?")

# The first pass stops once the date order is settled and this many headers were read.
SNIFF_HEADERS = 2000
# System-line patterns are only tried on short lines: they backtrack on long ones.
SYSTEM_LINE_MAX = 500
BLOCK_SIZE = 1 << 22
# Caches keyed by strings from the file; emptied when they reach this size.
CACHE_LIMIT = 100_000
_UNKNOWN = object()


class _Markers:
    """The locale strings of data/whatsapp_markers.json, merged across languages."""

    def __init__(self, data: dict) -> None:
        langs = data["languages"].values()
        self.encryption = tuple(p for lang in langs for p in lang.get("encryption", []))
        self.exact: dict[str, str] = {}
        for lang in langs:
            for text in lang.get("media", []):
                self.exact[text] = "media"
            for text in lang.get("deleted", []):
                self.exact[text] = "deleted"
        self.media_prefix = tuple(p for lang in langs for p in lang.get("media_prefix", []))
        self.media_suffix = tuple(p for lang in langs for p in lang.get("media_suffix", []))
        self.edited = tuple(p for lang in langs for p in lang.get("edited", []))
        calls = [p for lang in langs for p in lang.get("calls", [])]
        system = [p for lang in langs for p in lang.get("system", [])]
        self.calls = re.compile("|".join(f"(?:{p})" for p in calls))
        # First and last characters of the markers, to skip the tuple checks quickly.
        self.special_first = frozenset(p[0] for p in (*self.media_prefix, *self.encryption))
        self.media_last = frozenset(p[-1] for p in self.media_suffix)
        self.system = re.compile("|".join(f"(?:{p})" for p in system))

    def is_system(self, line: str) -> bool:
        if line.startswith(self.encryption):
            return True
        return len(line) <= SYSTEM_LINE_MAX and self.system.match(line) is not None


@cache
def markers() -> _Markers:
    path = Path(__file__).parent / "data" / "whatsapp_markers.json"
    return _Markers(json.loads(path.read_text(encoding="utf-8")))


def _year(value: int, digits: int) -> int:
    return 2000 + value if digits <= 2 else value


def _date_fields(date_str: str) -> tuple[int, int, int, int] | None:
    """(first, second, third, digits of the first field)."""
    parts = _DATE_PARTS.findall(date_str)
    if len(parts) != 3:
        return None
    return int(parts[0]), int(parts[1]), int(parts[2]), len(parts[0])


def _ordered(fields: tuple[int, int, int, int], order: str) -> tuple[int, int, int]:
    """(year, month, day) read in the given order; two-digit years are 20xx."""
    a, b, c, first_digits = fields
    if order == "ymd":
        return _year(a, first_digits), b, c
    year = _year(c, 2 if c < 100 else 4)
    return (year, b, a) if order == "dmy" else (year, a, b)


def _time_fields(time_str: str) -> tuple[int, int, int] | None:
    match = _TIME_PARTS.match(time_str)
    if match is None:
        return None
    hour, minute = int(match[1]), int(match[2])
    second = int(match[3]) if match[3] else 0
    ampm = match[4]
    if ampm:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if ampm in "Pp" else 0)
    if hour > 23 or minute > 59 or second > 59:
        return None
    return hour, minute, second


def _clean_sender(raw: str) -> str:
    name = raw.translate(_STRIP_MARKS).strip()
    name = name.lstrip("~").strip(" \u202f\u00a0")
    return unicodedata.normalize("NFC", name)


def _split(rest: str) -> tuple[str | None, str]:
    cut = rest.find(": ")
    if cut < 0:
        if rest.endswith(":") and 0 < len(rest) - 1 <= 60:
            return rest[:-1], ""
        return None, rest
    return rest[:cut], rest[cut + 2 :]


class _Sniff:
    """What the first pass learns: date order votes, samples, system-only authors."""

    def __init__(self) -> None:
        self.headers = 0
        self.first_is_day = 0  # votes for day-first
        self.second_is_day = 0  # votes for month-first
        self.year_first = 0
        self.first_changes = 0
        self.second_changes = 0
        self.samples: list[str] = []
        self.authors: dict[str, list[int]] = {}  # name -> [lines, system-like lines]
        self._last: tuple[int, int, int, int] | None = None

    def add(self, date_str: str, rest: str) -> None:
        self.headers += 1
        fields = _date_fields(date_str)
        if fields is None:
            return
        a, b, c, digits = fields
        if digits == 4:
            self.year_first += 1
        elif a > 12 >= b:
            self.first_is_day += 1
        elif b > 12 >= a:
            self.second_is_day += 1
        last = self._last
        if last is not None and last[:3] != fields[:3]:
            if date_str not in self.samples and len(self.samples) < 6:
                self.samples.append(date_str)
            if last[2] == c:
                # Within one year the day may go down when the month goes up, never the month.
                if a < last[0] and b > last[1]:
                    self.first_is_day += 1
                elif b < last[1] and a > last[0]:
                    self.second_is_day += 1
            self.first_changes += a != last[0]
            self.second_changes += b != last[1]
        elif last is None:
            self.samples.append(date_str)
        self._last = fields
        if self.headers <= SNIFF_HEADERS:
            self._author(rest)

    def _author(self, rest: str) -> None:
        raw, text = _split(rest)
        if raw is None or len(self.authors) > 500:
            return
        name = _clean_sender(raw)
        tally = self.authors.setdefault(name, [0, 0])
        tally[0] += 1
        first = text.partition("\n")[0].translate(_STRIP_MARKS).strip()
        tally[1] += markers().is_system(first)

    def decided(self) -> str | None:
        if self.year_first:
            return "ymd"
        if self.first_is_day > self.second_is_day:
            return "dmy"
        if self.second_is_day > self.first_is_day:
            return "mdy"
        return None

    def suggested(self) -> str | None:
        if self.first_changes > self.second_changes:
            return "dmy"
        if self.second_changes > self.first_changes:
            return "mdy"
        return None

    def system_authors(self) -> frozenset[str]:
        return frozenset(name for name, (n, sys) in self.authors.items() if n and n == sys)


def _choose_member(names: list[str]) -> str:
    texts = [n for n in names if n.lower().endswith(".txt")]
    for name in texts:
        if name.rsplit("/", 1)[-1] == "_chat.txt":
            return name
    for name in texts:
        if "whatsapp" in name.lower():
            return name
    if texts:
        return texts[0]
    raise ChatFormatError("The zip file holds no chat text file (.txt) from WhatsApp.")


class _Opened:
    """A reopenable view of the chat text: a plain file, bytes, or a zip member."""

    def __init__(self, source: sources.Input) -> None:
        self.source = source
        self.member: str | None = None
        self.total = sources.size_of(source)
        if sources.is_zip(source):
            with sources.open_zip(source) as archive:
                self.member = _choose_member(sources.member_names(archive))
                self.total = archive.getinfo(self.member).file_size

    @contextmanager
    def open(self) -> Iterator[BinaryIO]:
        if self.member is None:
            with sources.open_binary(self.source) as handle:
                yield handle
            return
        with sources.open_zip(self.source) as archive:
            try:
                with archive.open(self.member) as handle:
                    yield handle  # type: ignore[misc]
            except sources.ZIP_ERRORS as error:
                raise TruncatedFileError(sources.DAMAGED_ZIP) from error

    def lines(self) -> Iterator[bytes]:
        with self.open() as handle:
            reader = io.BufferedReader(handle, buffer_size=1 << 20)  # type: ignore[arg-type]
            try:
                yield from reader
            except sources.ZIP_ERRORS as error:
                raise TruncatedFileError(sources.DAMAGED_ZIP) from error

    def blocks(self) -> Iterator[tuple[bytes, int]]:
        """The raw bytes in large blocks, each ending at a line break (but the
        last), with how many bytes were read so far."""
        done = 0
        tail = b""
        with self.open() as handle:
            while True:
                try:
                    block = handle.read(BLOCK_SIZE)
                except sources.ZIP_ERRORS as error:
                    raise TruncatedFileError(sources.DAMAGED_ZIP) from error
                if not block:
                    break
                done += len(block)
                block = tail + block if tail else block
                cut = block.rfind(b"\n") + 1
                if cut == 0:  # one very long line: keep reading until it ends
                    tail = block
                    continue
                tail = block[cut:]
                yield block[:cut], done
        if tail:
            yield tail, done


def _decode(raw: bytes, report: ParseReport) -> str:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        # Count the lines that held bytes that are not UTF-8, and replace those bytes.
        for line in raw.split(b"\n"):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                report.repaired_text += 1
        text = raw.decode("utf-8", "replace")
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    return text


def _sniff(opened: _Opened, report: ParseReport) -> _Sniff:
    sniff = _Sniff()
    match = HEADER.match
    for raw in opened.lines():
        line = raw.decode("utf-8", "replace").rstrip("\r\n")
        found = match(line)
        if found is None:
            continue
        sniff.add(found[3], found[5])
        if sniff.headers >= SNIFF_HEADERS and sniff.decided():
            break
    return sniff


def open_whatsapp(
    source: sources.Input,
    report: ParseReport,
    date_order: str | None = None,
    progress: Progress | None = None,
    **_: object,
) -> Iterator[Message]:
    """Check the file and settle the date order now (raising `AmbiguousDateOrder`
    when the data cannot tell and no `date_order` was given); return the stream."""
    if date_order is not None and date_order not in DATE_ORDERS:
        raise ChatFormatError(f"Unknown date order {date_order!r}: use one of dmy, mdy, ymd.")
    opened = _Opened(source)
    sniff = _sniff(opened, report)
    if sniff.headers == 0:
        raise ChatFormatError(
            "No WhatsApp messages found: no line starts with a date and time the way "
            "WhatsApp writes them."
        )
    order = date_order or sniff.decided()
    if order is None:
        raise AmbiguousDateOrder(sniff.samples, sniff.suggested())
    report.date_order = order
    return _messages(opened, report, _Builder(order, sniff.system_authors()), progress)


class _Builder:
    """Turns a header and its text into a Message; caches repeated strings."""

    def __init__(self, order: str, system_authors: frozenset[str]) -> None:
        self.order = order
        self.system_authors = system_authors
        self.marks = markers()
        self.dates: dict[str, tuple[int, int, int] | None] = {}
        self.times: dict[str, tuple[int, int, int] | None] = {}
        self.senders: dict[str, tuple[str, bool]] = {}

    def when(self, date_str: str, time_str: str) -> datetime | None:
        ymd = self.dates.get(date_str, ())
        if ymd == ():
            fields = _date_fields(date_str)
            ymd = _ordered(fields, self.order) if fields else None
            if len(self.dates) > CACHE_LIMIT:
                self.dates.clear()
            self.dates[date_str] = ymd
        hms = self.times.get(time_str, ())
        if hms == ():
            hms = _time_fields(time_str)
            if len(self.times) > CACHE_LIMIT:
                self.times.clear()
            self.times[time_str] = hms
        if ymd is None or hms is None:
            return None
        try:
            return datetime(ymd[0], ymd[1], ymd[2], hms[0], hms[1], hms[2])
        except ValueError:
            return None

    def sender(self, raw: str) -> tuple[str, bool]:
        known = self.senders.get(raw)
        if known is None:
            # A long "name" or one holding quotes is likely a system line whose
            # text has a colon in it (a group subject, say).
            suspect = len(raw) > 60 or any(q in raw for q in '"“”„«»')
            known = (_clean_sender(raw), suspect)
            if len(self.senders) > CACHE_LIMIT:
                self.senders.clear()
            self.senders[raw] = known
        return known

    def build(self, when: datetime, rest: str) -> Message:
        """`rest` is everything after the header, continuation lines included."""
        cut = rest.find(": ")
        if cut > 0 and rest.isascii() and "\n" not in rest:
            # The common case, kept short: one line of plain text from a person.
            text = rest[cut + 2 :]
            known = self.senders.get(rest[:cut])
            if known is not None and not known[1]:
                marks = self.marks
                edited = False
                if text[-1:] == ">" and text.endswith(marks.edited):
                    return self._slow(when, rest)
                kind = marks.exact.get(text)
                if kind is not None:
                    return Message(when, None, known[0], text, kind, edited)
                if text[:1] in marks.special_first and (
                    text.startswith(marks.media_prefix) or text.startswith(marks.encryption)
                ):
                    return self._slow(when, rest)
                if text[-1:] in marks.media_last and text.endswith(marks.media_suffix):
                    return Message(when, None, known[0], text, "media", edited)
                if known[0] in self.system_authors:
                    return Message(when, None, None, text, "system", edited)
                return Message(when, None, known[0], text, "text", edited)
        return self._slow(when, rest)

    def _slow(self, when: datetime, rest: str) -> Message:
        cut = rest.find(": ")
        newline = rest.find("\n", 0, cut) if cut >= 0 else rest.find("\n")
        if newline >= 0:
            cut = -1  # the first line has no "name: ", so a later line's colon is text
        if cut < 0:
            first_line = rest[:newline] if newline >= 0 else rest
            if first_line.endswith(":") and 0 < len(first_line) - 1 <= 60:
                cut = len(first_line) - 1  # a sender with nothing after the colon
        text = rest[cut + 2 :] if cut >= 0 else rest
        lead_mark = False
        if not text.isascii():
            lead_mark = text[:1] in MARKS
            if _HAS_MARK(text):
                text = text.translate(_STRIP_MARKS)
            text = unicodedata.normalize("NFC", text)
        marks = self.marks
        edited = False
        if text[-1:] == ">" and text.endswith(marks.edited):
            for marker in marks.edited:
                if text.endswith(marker):
                    text = text[: -len(marker)].rstrip()
                    edited = True
                    break
        if cut < 0:
            return Message(when, None, None, text.strip(), "system", edited)
        raw = rest[:cut]
        known = self.senders.get(raw)
        if known is None:
            known = self.sender(raw)
        sender = known[0]
        if known[1]:
            line = rest.partition("\n")[0].translate(_STRIP_MARKS).strip()
            if marks.is_system(line):
                return Message(
                    when, None, None, rest.translate(_STRIP_MARKS).strip(), "system", edited
                )
        kind = marks.exact.get(text)
        if kind is not None:
            return Message(when, None, sender, text, kind, edited)
        first = text.partition("\n")[0] if "\n" in text else text
        if first.startswith(marks.media_prefix) or first.endswith(marks.media_suffix):
            return Message(when, None, sender, text, "media", edited)
        if lead_mark or sender in self.system_authors or first.startswith(marks.encryption):
            return self._special(when, sender, text, first, lead_mark, edited)
        return Message(when, None, sender, text, "text", edited)

    def _special(
        self, when: datetime, sender: str, text: str, first: str, lead_mark: bool, edited: bool
    ) -> Message:
        marks = self.marks
        if sender in self.system_authors:
            return Message(when, None, None, text, "system", edited)
        if first.startswith(marks.encryption) or (lead_mark and marks.is_system(first)):
            return Message(when, None, None, text, "system", edited)
        if lead_mark and len(first) <= SYSTEM_LINE_MAX and marks.calls.match(first):
            return Message(when, None, sender, text, "call", edited)
        return Message(when, None, sender, text, "text", edited)


def _messages(
    opened: _Opened, report: ParseReport, builder: _Builder, progress: Progress | None
) -> Iterator[Message]:
    build = builder.build
    when_of = builder.when
    finditer = HEADER_AT_LINE.finditer
    kinds: dict[str, int] = {}
    people: dict[str, int] = {}
    count = 0
    first_time: datetime | None = None
    last_time: datetime | None = None
    pending = False  # a header was seen whose message is not finished yet
    pending_when: datetime | None = None
    pending_line = 0  # its line number, kept only when its date is impossible
    parts: list[str] = []  # its text so far, when it spans blocks
    lines_before = 0  # lines in earlier blocks
    last_stamp = ""
    last_when: datetime | None = None
    stamps: dict[str, Any] = {}  # date-and-time text -> datetime (or None when impossible)

    for raw, done in opened.blocks():
        text = _decode(raw, report)
        position = 0
        for found in finditer(text):
            start, end = found.span()
            if pending:
                if parts:
                    parts.append(text[position:start])
                    body = "".join(parts)
                    parts = []
                else:
                    body = text[position:start]
                if body.endswith("\n"):
                    body = body[:-1]
                if pending_when is not None:
                    message = build(pending_when, body)
                    count += 1
                    kind = message.kind
                    kinds[kind] = kinds.get(kind, 0) + 1
                    sender = message.sender
                    if sender is not None:
                        people[sender] = people.get(sender, 0) + 1
                    if first_time is None:
                        first_time = pending_when
                    last_time = pending_when
                    yield message
                else:
                    _skip_message(report, pending_line, body)
            elif start > position:
                _skip_lines(
                    report,
                    lines_before + 1,
                    text[position:start],
                    "text before the first message header",
                )
            stamp = found[2]
            if stamp != last_stamp:
                last_stamp = stamp
                last_when = stamps.get(stamp, _UNKNOWN)
                if last_when is _UNKNOWN:
                    last_when = when_of(found[3], found[4])
                    if len(stamps) >= CACHE_LIMIT:
                        stamps.clear()
                    stamps[stamp] = last_when
            pending = True
            pending_when = last_when
            if last_when is None:
                pending_line = lines_before + text.count("\n", 0, start) + 1
            position = end
        if pending:
            parts.append(text[position:])
        elif text.strip():
            _skip_lines(report, lines_before + 1, text, "text before the first message header")
        lines_before += text.count("\n")
        _flush(report, count, kinds, people, first_time, last_time)
        if progress is not None:
            progress(done, opened.total)
    if pending:
        body = "".join(parts)
        if body.endswith("\n"):
            body = body[:-1]
        if pending_when is not None:
            message = build(pending_when, body)
            count += 1
            kinds[message.kind] = kinds.get(message.kind, 0) + 1
            if message.sender is not None:
                people[message.sender] = people.get(message.sender, 0) + 1
            first_time = first_time or pending_when
            last_time = pending_when
            yield message
        else:
            _skip_message(report, pending_line, body)
    _flush(report, count, kinds, people, first_time, last_time)
    report.finished = True


def _flush(
    report: ParseReport,
    count: int,
    kinds: dict[str, int],
    people: dict[str, int],
    first: datetime | None,
    last: datetime | None,
) -> None:
    report.messages = count
    report.kinds.clear()
    report.kinds.update(kinds)
    report.participants.clear()
    report.participants.update(people)
    report.first_time, report.last_time = first, last


def _skip_lines(report: ParseReport, first_line: int, text: str, reason: str) -> None:
    for offset, line in enumerate(text.split("\n")):
        if line.strip(MARKS + " \t\r"):
            report.skip(first_line + offset, reason)


def _skip_message(report: ParseReport, line: int, body: str) -> None:
    report.skip(line, "message header with an impossible date or time")
    if "\n" in body:
        _skip_lines(report, line + 1, body.partition("\n")[2], "continuation of a skipped message")
