"""Loading the JSON the Telegram and Messenger exports are made of.

These are loaded whole: the standard library has no streaming JSON reader, and
one chat's export is rarely more than a few hundred megabytes. Memory for these
two formats therefore grows with the file (about ten times its size at peak);
the WhatsApp and Signal parsers stream.
"""

from __future__ import annotations

import json
import re
from typing import Any

from tending.insights.chats.stream import ChatFormatError, TruncatedFileError

# Telegram writes some control characters as \xHH, which JSON does not allow.
# An escaped backslash is matched first so that `\\x41` (a backslash, then "x41")
# is left alone.
_BAD_ESCAPE = re.compile(rb"(\\\\)|\\x([0-9A-Fa-f]{2})")


def _repair_escape(match: re.Match[bytes]) -> bytes:
    if match[1]:
        return match[1]
    return b"\\u00" + match[2]


def repair_hex_escapes(raw: bytes) -> bytes:
    if b"\\x" not in raw:
        return raw
    return _BAD_ESCAPE.sub(_repair_escape, raw)


def load(raw: bytes, what: str) -> Any:
    """Parse JSON bytes, raising `TruncatedFileError` when the text stops early
    and `ChatFormatError` for any other damage."""
    text = raw.decode("utf-8", "replace").lstrip("\ufeff")
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        if error.pos >= len(text.rstrip()) - 1 or "Unterminated string" in error.msg:
            raise TruncatedFileError(
                f"The {what} file stops early: the JSON is incomplete "
                "(was the export or the download interrupted?)."
            ) from None
        raise ChatFormatError(
            f"The {what} file is not valid JSON (problem at line {error.lineno}, "
            f"column {error.colno})."
        ) from None
    except RecursionError:
        raise ChatFormatError(f"The {what} file nests too deeply to be a chat export.") from None
