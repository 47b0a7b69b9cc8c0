"""Reading the JSON the Telegram and Messenger exports are made of, as a stream.

`ijson` (its C parser) walks the file a piece at a time, so memory holds one
message and a buffer, however large the export. Before the parser sees them,
the bytes pass through `Repaired`: bytes that are not UTF-8 are replaced (the
person still gets the rest of their chat), a byte-order mark is dropped, and
Telegram's `\\xHH` escapes, which JSON does not allow, become `\\u00HH`.

Errors never quote the file: the parser's own messages show a piece of it.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from typing import Any, BinaryIO

import ijson

from tending.insights.chats.stream import ChatFormatError, TruncatedFileError

CHUNK = 1 << 20
# Telegram writes some control characters as \xHH, which JSON does not allow.
# An escaped backslash is matched first so that `\\x41` (a backslash, then "x41")
# is left alone. Both patterns start with a backslash, which the regex engine
# looks for quickly.
_BAD_ESCAPE = re.compile(rb"\\(?:(\\)|x([0-9A-Fa-f]{2}))")
# The same, and at the very end of a piece an escape that may go on in the next.
_BAD_ESCAPE_OR_TAIL = re.compile(rb"\\(?:(\\)|x([0-9A-Fa-f]{2})|((?:x[0-9A-Fa-f]?)?)\Z)")


def _repair_escape(match: re.Match[bytes]) -> bytes:
    if match[1]:
        return b"\\\\"
    return b"\\u00" + match[2]


def repair_hex_escapes(raw: bytes) -> bytes:
    if b"\\x" not in raw:
        return raw
    return _BAD_ESCAPE.sub(_repair_escape, raw)


# No chat export nests deeper than a handful of levels. ijson's C parser spends time on
# each level for every value inside it, so a file of a million "[" (a damaged or
# hostile upload) would keep a worker busy for hours; it is refused once it passes this.
MAX_DEPTH = 64
_ESCAPE = re.compile(rb"\\.", re.DOTALL)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_OPENERS = frozenset(b"[{")
_SLICE = 1 << 16


class _Depth:
    """The nesting depth of the JSON read so far, strings left out, piece by piece.

    Each piece is read in slices of 64 KiB (so no copy of a whole piece is held): escapes
    are dropped ("\\"" is not a quote), the slice is split at its quotes, and every other
    part (the ones outside strings) is kept; only their brackets are then walked. Whether
    a string or an escape runs on into the next slice is carried over."""

    def __init__(self) -> None:
        self.depth = 0
        self.in_string = False
        self.escaped = False  # the last slice ended in a backslash

    def feed(self, data: bytes) -> None:
        for start in range(0, len(data), _SLICE):
            self._slice(data[start : start + _SLICE])

    def _slice(self, piece: bytes) -> None:
        if self.escaped:
            piece = piece[1:]
            self.escaped = False
        if b"\\" in piece:
            piece = _ESCAPE.sub(b"", piece)
            if piece.endswith(b"\\"):
                self.escaped = True
                piece = piece[:-1]
        parts = piece.split(b'"')
        outside = parts[1::2] if self.in_string else parts[0::2]
        if len(parts) % 2 == 0:
            self.in_string = not self.in_string
        depth = self.depth
        for byte in b"".join(outside).translate(None, _NOT_BRACKETS):
            if byte in _OPENERS:
                depth += 1
                if depth > MAX_DEPTH:
                    # `guarded` turns this into the reader's "nests too deeply" error
                    raise RecursionError("JSON nests too deeply")
            else:
                depth -= 1
        self.depth = depth


class Repaired:
    """A binary stream over `handle` with the repairs described above, for ijson."""

    def __init__(self, handle: BinaryIO) -> None:
        self.handle = handle
        self.decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self.held = b""  # an escape cut by the end of the last piece
        self.started = False
        self.done = False
        self.ready = b""  # repaired bytes not yet handed out, from `at` on
        self.at = 0
        self.depth = _Depth()

    def read(self, size: int = -1) -> bytes:
        """Up to `size` bytes: ijson's C parser turns all it is given at once into
        events before yielding them, so larger pieces would cost memory."""
        if size == 0:  # ijson asks for nothing first, to see bytes or text
            return b""
        if not self.ready:
            self.ready = self._next()
            self.at = 0
        if size < 0 or self.at == 0 and size >= len(self.ready):
            piece, self.ready = self.ready[self.at :], b""
            return piece
        piece = self.ready[self.at : self.at + size]
        self.at += len(piece)
        if self.at >= len(self.ready):
            self.ready = b""
        return piece

    def _next(self) -> bytes:
        while not self.done:
            raw = self.handle.read(CHUNK)
            self.done = not raw
            if raw.isascii() and not self.decoder.getstate()[0]:
                data = raw
            else:
                data = self.decoder.decode(raw, final=self.done).encode("utf-8")
            if not self.started and data:
                self.started = True
                data = data.removeprefix(codecs.BOM_UTF8)
            data = self.held + data
            self.held = b""
            if self.done:
                data = repair_hex_escapes(data)
            elif b"\\" in data:
                data = _BAD_ESCAPE_OR_TAIL.sub(self._fix, data)
            if data:
                self.depth.feed(data)
                return data
        return b""

    def _fix(self, match: re.Match[bytes]) -> bytes:
        if match[3] is not None:
            self.held = b"\\" + match[3]
            return b""
        return _repair_escape(match)


def _error(error: Exception, what: str) -> ChatFormatError:
    if "premature EOF" in str(error):
        return TruncatedFileError(
            f"The {what} file stops early: the JSON is incomplete "
            "(was the export or the download interrupted?)."
        )
    return ChatFormatError(f"The {what} file is not valid JSON.")


def guarded(events: Iterator[Any], what: str) -> Iterator[Any]:
    """Whatever ijson yields, with its errors turned into ours."""
    try:
        yield from events
    except ijson.JSONError as error:
        raise _error(error, what) from None
    except RecursionError:
        raise ChatFormatError(f"The {what} file nests too deeply to be a chat export.") from None


def items(handle: BinaryIO, prefix: str, what: str) -> Iterator[Any]:
    """The values at `prefix` (ijson's notation: "messages.item"), one at a time."""
    return guarded(ijson.items(Repaired(handle), prefix, use_float=True), what)


def events(handle: BinaryIO, what: str) -> Iterator[tuple[str, str, Any]]:
    """ijson's parse events: (prefix, event, value)."""
    return guarded(ijson.parse(Repaired(handle), use_float=True), what)


def items_of(events: Iterator[tuple[str, str, Any]], prefix: str, what: str) -> Iterator[Any]:
    """The values at `prefix` among already parsed events."""
    return guarded(ijson.items(events, prefix, use_float=True), what)


def ends_whole(tail: bytes) -> bool:
    """Whether a file's last bytes can end a JSON object: a file cut short almost
    never does, so most interrupted downloads are refused before any reading."""
    return tail.rstrip(b" \t\r\n\x00").endswith(b"}")
