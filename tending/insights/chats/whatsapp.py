"""WhatsApp exports (.txt, or a .zip holding one) from Android and iOS.

Two passes over the file, both streaming: a short first pass reads message
headers only, to decide the date order and to find authors that are really the
chat's name (iOS writes system lines under it); the second pass yields messages.
It reads 4 MB blocks and finds headers with one compiled regex across each
block, so continuation lines cost nothing in Python. Memory holds one block,
the current message and a few bounded caches (date and time strings, sender
names, short message bodies), never the chat. A checked chat (`prepare`) can also
be read in byte spans that begin at message headers (`Chat.seams`), each on its
own, with the messages one whole read gives; `tending.insights.cli.parallel` does so.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import BinaryIO

from tending.insights.chats import sources
from tending.insights.chats.stream import (
    DATE_ORDERS,
    AmbiguousDateOrder,
    ChatFormatError,
    Message,
    ParseReport,
    TruncatedFileError,
)
from tending.insights.chats.whatsapp_shapes import (
    HAS_MARK,
    HEADER,
    HEADER_AFTER_BREAK,
    IMPOSSIBLE,
    MARKS,
    STAMP_ONLY,
    STRIP_MARKS,
    SYSTEM_LINE_MAX,
    UNREAD_NO_SEPARATOR,
    UNREAD_SHAPE,
    clean_sender,
    date_fields,
    is_nfc,
    markers,
    ordered,
    split_sender,
    time_fields,
)

Progress = Callable[[int, int], None]

# WhatsApp was first released in 2009: a reading of the dates that puts them
# earlier, or after next year, is not how the phone wrote them.
FIRST_YEAR = 2009

# The first pass stops once the date order is settled and this many headers were read;
# past them, it looks whether the order is settled every SETTLED_EVERY headers.
SNIFF_HEADERS = 2000
SETTLED_EVERY = 500
BLOCK_SIZE = 1 << 22
# Caches keyed by strings from the file; emptied when they reach this size.
CACHE_LIMIT = 100_000
# Message bodies up to this length are remembered (see `_Builder.build`), this many
# at a time: the ones that repeat come back soon.
REPEATED_LENGTH = 64
REPEATED_CACHE = 1 << 14
# Where a seam is looked for: lines are read in pieces of at most SEAM_LINE bytes,
# and no further than SEAM_SEARCH bytes after the wished offset.
SEAM_LINE = 1 << 16
SEAM_SEARCH = 1 << 24


class _Reading:
    """How the dates of a chat run under one reading (dmy, mdy or ymd): dates that
    cannot be, that fall outside WhatsApp's years, that go back in time (more than
    a day: travel and clock changes move a date by one at most) or leap ahead by
    most of a year."""

    __slots__ = ("order", "dates", "invalid", "outside", "back", "leaps", "last")

    def __init__(self, order: str) -> None:
        self.order = order
        self.dates = self.invalid = self.outside = self.back = self.leaps = 0
        self.last: int | None = None

    def add(self, day: int | None, year: int) -> None:
        if day is None:
            self.invalid += 1
            return
        self.dates += 1
        if not FIRST_YEAR <= year <= _this_year() + 1:
            self.outside += 1
        if self.last is not None:
            if day < self.last - 1:
                self.back += 1
            elif day > self.last + 300:
                self.leaps += 1
        self.last = day

    @property
    def possible(self) -> bool:
        return self.dates > 0 and self.invalid == 0

    @property
    def plausible(self) -> bool:
        """Every date possible, and they run forward as a chat's dates do (a stray
        date from a phone whose clock was reset is allowed in a long chat)."""
        changes = max(self.dates - 1, 0)
        return (
            self.possible
            and self.outside <= self.dates // 100
            and self.back <= changes // 50
            and self.leaps <= max(1, changes // 10)
        )


@cache
def _this_year() -> int:
    return datetime.now().year


def _day_number(fields: tuple[int, int, int, int], order: str) -> tuple[int | None, int]:
    year, month, day = ordered(fields, order)
    try:
        return date(year, month, day).toordinal(), year
    except ValueError:
        return None, year


class _Sniff:
    """What the first pass learns: date order votes, how the dates run under each
    reading, samples, and (iOS) authors whose lines are all marked system lines."""

    def __init__(self) -> None:
        self.headers = 0
        self.first_is_day = 0  # votes for day-first
        self.second_is_day = 0  # votes for month-first
        self.year_first = 0
        self.first_changes = 0
        self.second_changes = 0
        self.samples: list[str] = []
        self.readings = {order: _Reading(order) for order in DATE_ORDERS}
        self.authors: dict[str, list[int]] = {}  # name -> [lines, marked system lines]
        self._last: tuple[int, int, int, int] | None = None

    def add(self, date_str: str, rest: str, bracket: bool) -> None:
        self.headers += 1
        fields = date_fields(date_str)
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
        if last is None or last[:3] != fields[:3]:
            self._run(fields)
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
        if bracket and self.headers <= SNIFF_HEADERS:
            self._author(rest)

    def _run(self, fields: tuple[int, int, int, int]) -> None:
        days = {order: _day_number(fields, order) for order in DATE_ORDERS}
        if all(day is None for day, _ in days.values()):
            return  # a date no reading can make sense of: skipped later, whatever the order
        for order, (day, year) in days.items():
            self.readings[order].add(day, year)

    def _author(self, rest: str) -> None:
        """iOS writes a group's system lines under the group's name, their text led by
        a left-to-right mark. Only lines so marked count: a person's own words never
        make them a system author, whatever they say ("I left")."""
        raw, text = split_sender(rest)
        if raw is None or len(self.authors) > 500:
            return
        name = clean_sender(raw)
        tally = self.authors.setdefault(name, [0, 0])
        tally[0] += 1
        if text[:1] in MARKS:
            first = text.partition("\n")[0].translate(STRIP_MARKS).strip()
            tally[1] += markers().is_system(first)

    def decided(self) -> str | None:
        """The order the votes give (a field above 12, a field that wraps), as before
        the dates' run was looked at."""
        if self.year_first:
            return "ymd"
        if self.first_is_day > self.second_is_day:
            return "dmy"
        if self.second_is_day > self.first_is_day:
            return "mdy"
        return None

    def plausible(self) -> list[str]:
        return [order for order in DATE_ORDERS if self.readings[order].plausible]

    def choose(self) -> tuple[str | None, list[str]]:
        """(the order, or None to ask; the orders to ask about). The votes decide
        unless their reading makes the dates jump about while another reading runs
        in order: then that one (or, when several do, the person chooses)."""
        voted = self.decided()
        plausible = self.plausible()
        if voted is not None and (voted in plausible or not plausible):
            return voted, []
        if len(plausible) == 1:
            return plausible[0], []
        if voted is None and not plausible:
            possible = [o for o in DATE_ORDERS if self.readings[o].possible and o != "ymd"]
            return None, possible or ["dmy", "mdy"]
        return None, plausible

    def settled(self) -> bool:
        """Reading more headers cannot change the choice."""
        order, _ = self.choose()
        if order is None:
            return False
        possible = [o for o in DATE_ORDERS if self.readings[o].possible]
        return len(possible) == 1 or self.plausible() in ([order], [])

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

    @property
    def seekable(self) -> bool:
        """A plain file or bytes: a byte range can be read without the bytes before it."""
        return self.member is None

    def blocks(self, start: int = 0, stop: int | None = None) -> Iterator[tuple[bytes, int]]:
        """The bytes from `start` (a line start) to `stop` in large blocks, with how
        many bytes were read so far. Each block begins with the line break that
        ends the line before it (a made-up one for the first block) and stops
        just before a line break (a CR LF pair kept whole), but the last, which stops
        where the range does. A header is then always a line break and a date,
        which the regex engine finds much faster than a line start."""
        done = 0
        carry = b"\n"
        left = -1 if stop is None else stop - start
        with self.open() as handle:
            if start:
                handle.seek(start)
            while left:
                try:
                    block = handle.read(BLOCK_SIZE if left < 0 else min(BLOCK_SIZE, left))
                except sources.ZIP_ERRORS as error:
                    raise TruncatedFileError(sources.DAMAGED_ZIP) from error
                if not block:
                    break
                done += len(block)
                if left > 0:
                    left -= len(block)
                block = carry + block
                cut = block.rfind(b"\n")
                if block[cut - 1 : cut] == b"\r":
                    cut -= 1
                if cut <= 0:  # one very long line: keep reading until it ends
                    carry = block
                    continue
                carry = block[cut:]
                yield block[:cut], done
        yield carry, done


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


def _sniff(opened: _Opened, report: ParseReport, order_given: bool) -> _Sniff:
    """Read headers until the date order is settled (at least SNIFF_HEADERS of
    them, to learn the system authors), or to the end."""
    sniff = _Sniff()
    match = HEADER.match
    for raw in opened.lines():
        line = raw.decode("utf-8", "replace").rstrip("\r\n")
        found = match(line)
        if found is None:
            continue
        sniff.add(found[3], found[5], found[1] is not None)
        headers = sniff.headers
        if headers >= SNIFF_HEADERS and (
            order_given or (headers % SETTLED_EVERY == 0 and sniff.settled())
        ):
            break
    return sniff


ORDER_NAMES = {"dmy": "day first", "mdy": "month first", "ymd": "year first"}


def open_whatsapp(
    source: sources.Input,
    report: ParseReport,
    date_order: str | None = None,
    progress: Progress | None = None,
    **_: object,
) -> Iterator[Message]:
    """Check the file and settle the date order now (raising `AmbiguousDateOrder`
    when the data cannot tell and no `date_order` was given); return the stream."""
    return prepare(source, report, date_order).messages(report, progress)


def prepare(source: sources.Input, report: ParseReport, date_order: str | None = None) -> Chat:
    """Check the file and settle the date order, as `open_whatsapp` does, and return
    the chat, ready to be read whole or in byte ranges."""
    if date_order is not None and date_order not in DATE_ORDERS:
        raise ChatFormatError(f"Unknown date order {date_order!r}: use one of dmy, mdy, ymd.")
    opened = _Opened(source)
    sniff = _sniff(opened, report, date_order is not None)
    if sniff.headers == 0:
        raise ChatFormatError(
            "No WhatsApp messages found: no line starts with a date and time the way "
            "WhatsApp writes them."
        )
    order = _order(sniff, date_order, report)
    return Chat(opened, order, sniff.system_authors())


def _order(sniff: _Sniff, given: str | None, report: ParseReport) -> str:
    """The date order to read with; raises `AmbiguousDateOrder` when the person must say."""
    if given is not None:
        if given != "ymd" and sniff.year_first and sniff.readings["ymd"].possible:
            # A four-digit year written first says where the year is, whatever was chosen.
            report.notes.append(
                "The dates start with a four-digit year, so they were read year first."
            )
            given = "ymd"
        report.date_order = given
        return given
    order, choices = sniff.choose()
    if order is None:
        raise AmbiguousDateOrder(sniff.samples, sniff.suggested(), choices)
    voted = sniff.decided()
    if voted is not None and voted != order:
        report.notes.append(
            f"The dates were read {ORDER_NAMES[order]}: read {ORDER_NAMES[voted]}, "
            "they would jump back and forth in time."
        )
    back = sniff.readings[order].back
    if back:
        # The check, made visible: a chat joined from several exports, or a phone
        # whose clock was wrong for a while.
        report.notes.append(
            f"In the part of the chat checked first, the dates go back in time {back} "
            f"time{'s' if back > 1 else ''} by more than a day."
        )
    report.date_order = order
    return order


@dataclass(slots=True)
class Span:
    """A byte range of the chat file that starts at a message header (or at 0);
    `lines` is filled in when it has been read: how many line breaks it holds."""

    start: int = 0
    stop: int | None = None
    lines: int = 0


class Chat:
    """A checked WhatsApp chat whose date order is known."""

    def __init__(self, opened: _Opened, order: str, system_authors: frozenset[str]) -> None:
        self.opened = opened
        self.order = order
        self.system_authors = system_authors

    @property
    def size(self) -> int:
        return self.opened.total

    @property
    def seekable(self) -> bool:
        return self.opened.seekable

    def messages(
        self, report: ParseReport, progress: Progress | None = None, span: Span | None = None
    ) -> Iterator[Message]:
        """The messages of the whole chat, or of one span of it. Reading a span from
        `seams` gives exactly the messages the whole read gives between the same
        offsets, and a report whose line numbers count from the span's start."""
        builder = _Builder(self.order, self.system_authors)
        return _messages(self.opened, report, builder, progress, span or Span())

    def seams(self, parts: int) -> list[int]:
        """Offsets that cut the chat into up to `parts` spans of about equal size, each
        at the start of a line that begins a message. Fewer when headers are too far
        apart (a huge message) or when the chat is not a plain file."""
        if not self.seekable or parts < 2:
            return []
        cuts: list[int] = []
        for index in range(1, parts):
            cut = self.seam_at(max(self.size * index // parts, cuts[-1] + 1 if cuts else 1))
            if cut is None:
                break
            cuts.append(cut)
        return cuts

    def seam_at(self, offset: int) -> int | None:
        """The start of the first line at or after `offset` (at least 1) that begins
        with a header, looked for within SEAM_SEARCH bytes."""
        if not self.seekable:
            return None
        with self.opened.open() as handle:
            handle.seek(offset - 1)
            reader = io.BufferedReader(handle, buffer_size=1 << 16)  # type: ignore[arg-type]
            position = offset - 1
            at_line_start = False  # the byte before `offset` may end a line: read it first
            while position < offset + SEAM_SEARCH:
                piece = reader.readline(SEAM_LINE)
                if not piece:
                    return None
                if at_line_start and HEADER.match(piece.decode("utf-8", "replace")):
                    return position
                position += len(piece)
                at_line_start = piece.endswith(b"\n")
        return None


class _Builder:
    """Turns a header and its text into a Message; caches repeated strings."""

    def __init__(self, order: str, system_authors: frozenset[str]) -> None:
        self.order = order
        self.system_authors = system_authors
        self.marks = markers()
        self.dates: dict[str, tuple[int, int, int] | None] = {}
        self.times: dict[str, tuple[int, int, int] | None] = {}
        self.senders: dict[str, tuple[str, bool]] = {}
        # Raw sender -> name, for the senders `build` may take the short way for:
        # not suspect, and not the chat's own name.
        self.people: dict[str, str] = {}
        # Short message bodies the common case has read -> (sender, text, kind).
        self.repeated: dict[str, tuple[str, str, str]] = {}

    def when(self, date_str: str, time_str: str) -> datetime | None:
        ymd = self.dates.get(date_str, ())
        if ymd == ():
            fields = date_fields(date_str)
            ymd = ordered(fields, self.order) if fields else None
            if len(self.dates) > CACHE_LIMIT:
                self.dates.clear()
            self.dates[date_str] = ymd
        hms = self.times.get(time_str, ())
        if hms == ():
            hms = time_fields(time_str)
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
            # A long "name", one holding quotes, or one that is itself the start of
            # a system line ("Ana changed the group name to Trip" before ": Rome") is
            # likely a system line whose text has a colon in it.
            name = clean_sender(raw)
            suspect = (
                len(raw) > 60
                or any(q in raw for q in '"“”„«»')
                or (" " in name and self.marks.is_system(name))
            )
            known = (name, suspect)
            if len(self.senders) > CACHE_LIMIT:
                self.senders.clear()
                self.people.clear()
            self.senders[raw] = known
            if not suspect and known[0] not in self.system_authors:
                self.people[raw] = known[0]
        return known

    def build(self, when: datetime, rest: str) -> Message:
        """`rest` is everything after the header, continuation lines included."""
        cut = rest.find(": ")
        if cut > 0 and "\n" not in rest:
            name = self.people.get(rest[:cut])
            if name is not None:
                # The common case, kept short: one line of text from a person, with no
                # invisible marks and nothing to normalise.
                text = rest[cut + 2 :]
                if text.isascii() or (HAS_MARK(text) is None and is_nfc("NFC", text)):
                    kind = self._kind(text)
                    if kind is not None:
                        if len(rest) <= REPEATED_LENGTH:
                            if len(self.repeated) >= REPEATED_CACHE:
                                self.repeated.clear()
                            self.repeated[rest] = (name, text, kind)
                        return Message(when, None, name, text, kind)
        return self._slow(when, rest)

    def _kind(self, text: str) -> str | None:
        """The kind of a text without marks from a known person, or None when it
        needs the slow way (an edit marker, an attachment or an encryption notice)."""
        marks = self.marks
        last = text[-1:]
        if last == ">" and text.endswith(marks.edited):
            return None
        kind = marks.exact.get(text)
        if kind is not None:
            return kind
        special = marks.special_first.get(text[:1])
        if special is not None and text.startswith(special):
            return None
        suffixes = marks.media_last.get(last)
        if suffixes is not None and text.endswith(suffixes):
            return "media"
        return "text"

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
            if HAS_MARK(text):
                text = text.translate(STRIP_MARKS)
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
            line = rest.partition("\n")[0].translate(STRIP_MARKS).strip()
            if marks.is_system(line):
                return Message(
                    when, None, None, rest.translate(STRIP_MARKS).strip(), "system", edited
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
        """iOS lines whose text is led by a left-to-right mark: system lines (under the
        chat's name or, in a one-to-one chat, the other person's), calls. Text the
        person wrote carries no such mark and always keeps its sender."""
        marks = self.marks
        if first.startswith(marks.encryption) or (lead_mark and marks.is_system(first)):
            return Message(when, None, None, text, "system", edited)
        if lead_mark and len(first) <= SYSTEM_LINE_MAX and marks.calls.match(first):
            return Message(when, None, sender, text, "call", edited)
        if lead_mark and sender in self.system_authors:
            return Message(when, None, None, text, "system", edited)
        return Message(when, None, sender, text, "text", edited)


def _messages(
    opened: _Opened,
    report: ParseReport,
    builder: _Builder,
    progress: Progress | None,
    span: Span,
) -> Iterator[Message]:
    build = builder.build
    repeated = builder.repeated.get
    when_of = builder.when
    finditer = HEADER_AFTER_BREAK.finditer
    kinds: dict[str, int] = {}  # but "text", which is `count` minus the others
    people: dict[str, int] = {}
    count = 0
    first_time: datetime | None = None
    last_time: datetime | None = None
    pending = False  # a header was seen whose message is not finished yet
    pending_when: datetime | None = None
    # When a header cannot be read (an impossible date, or a line that only looks
    # like a header): its line number and why. Its message is skipped, never joined
    # to the one before.
    pending_line = 0
    pending_reason = IMPOSSIBLE
    parts: list[str] = []  # its text so far, when it spans blocks
    breaks = 0  # line breaks in earlier blocks, the made-up first one included
    last_stamp = ""
    last_when: datetime | None = None
    total = (opened.total if span.stop is None else span.stop) - span.start

    for raw, done in opened.blocks(span.start, span.stop):
        # Every block begins with a line break, so text[position:start] is a whole
        # message body without the break that ends it.
        text = _decode(raw, report)
        position = 0
        # Line numbers are counted only up to where one is needed, never twice.
        counted_to = counted = 0
        for found in finditer(text):
            start, end = found.span()
            if pending:
                if parts:
                    parts.append(text[position:start])
                    body = "".join(parts)
                    parts = []
                else:
                    body = text[position:start]
                if pending_when is not None:
                    # Short messages repeat ("ok", "<Media omitted>"): `build` remembers them.
                    known = repeated(body) if len(body) <= REPEATED_LENGTH else None
                    if known is None:
                        message = build(pending_when, body)
                    else:
                        message = Message(pending_when, None, known[0], known[1], known[2])
                    count += 1
                    kind = message.kind
                    if kind != "text":
                        kinds[kind] = kinds.get(kind, 0) + 1
                    sender = message.sender
                    if sender is not None:
                        people[sender] = people.get(sender, 0) + 1
                    if first_time is None:
                        first_time = pending_when
                    last_time = pending_when
                    yield message
                else:
                    _skip_message(report, pending_line, body, pending_reason)
            elif start > position:
                _skip_lines(
                    report, breaks + 1, text[1:start], "text before the first message header"
                )
            pending = True
            position = end
            if found[5] is not None:
                pending_when = None
                pending_reason = _unread_reason(text, start + 1)
            else:
                stamp = found[2]
                if stamp != last_stamp:
                    last_stamp = stamp
                    last_when = when_of(found[3], found[4])
                pending_when = last_when
                if last_when is not None:
                    continue
                pending_reason = IMPOSSIBLE
            counted += text.count("\n", counted_to, start + 1)
            counted_to = start + 1
            pending_line = breaks + counted
        if pending:
            parts.append(text[position:])
        elif text.strip():
            _skip_lines(report, breaks + 1, text[1:], "text before the first message header")
        breaks += text.count("\n")
        _flush(report, count, kinds, people, first_time, last_time)
        if progress is not None:
            progress(done, total)
    if pending:
        body = "".join(parts)
        # The file's last message: without the line breaks that end the file (a
        # span's last one ends where the next span begins, with one line break).
        body = body.rstrip("\n") if span.stop is None else body.removesuffix("\n")
        if pending_when is not None:
            message = builder.build(pending_when, body)
            count += 1
            if message.kind != "text":
                kinds[message.kind] = kinds.get(message.kind, 0) + 1
            if message.sender is not None:
                people[message.sender] = people.get(message.sender, 0) + 1
            first_time = first_time or pending_when
            last_time = pending_when
            yield message
        else:
            _skip_message(report, pending_line, body, pending_reason)
    _flush(report, count, kinds, people, first_time, last_time)
    span.lines = breaks - 1
    report.finished = True


def _unread_reason(text: str, start: int) -> str:
    """Why a line that starts with a date and a time is not a header (a fixed
    sentence; the line itself is never kept)."""
    end = text.find("\n", start)
    line = text[start : end if end >= 0 else len(text)]
    return UNREAD_NO_SEPARATOR if STAMP_ONLY.match(line) else UNREAD_SHAPE


def _flush(
    report: ParseReport,
    count: int,
    kinds: dict[str, int],
    people: dict[str, int],
    first: datetime | None,
    last: datetime | None,
) -> None:
    """`kinds` counts every kind but "text", which is what is left of `count`."""
    report.messages = count
    report.kinds.clear()
    report.kinds.update(kinds)
    texts = count - sum(kinds.values())
    if texts:
        report.kinds["text"] = texts
    report.participants.clear()
    report.participants.update(people)
    report.first_time, report.last_time = first, last


def _skip_lines(report: ParseReport, first_line: int, text: str, reason: str) -> None:
    for offset, line in enumerate(text.split("\n")):
        if line.strip(MARKS + " \t\r"):
            report.skip(first_line + offset, reason)


def _skip_message(report: ParseReport, line: int, body: str, reason: str = IMPOSSIBLE) -> None:
    report.skip(line, reason)
    if "\n" in body:
        _skip_lines(report, line + 1, body.partition("\n")[2], "continuation of a skipped message")
