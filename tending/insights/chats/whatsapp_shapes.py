"""What WhatsApp writes, for `whatsapp.py`: the invisible marks, the header
shapes (one regex for Android and iOS), the wordings of each app language
(data/whatsapp/<code>.json: placeholders, system lines, morning and afternoon),
and reading a header's date and time fields and its sender."""

from __future__ import annotations

import json
import re
import unicodedata
from functools import cache
from pathlib import Path

MARKS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"
STRIP_MARKS = {ord(ch): None for ch in MARKS}
HAS_MARK = re.compile(f"[{MARKS}]").search
is_nfc = unicodedata.is_normalized
SPACE = "[ \u202f\u00a0]"
LANGUAGES = Path(__file__).parent.parent / "data" / "whatsapp"


@cache
def languages() -> dict[str, dict]:
    """data/whatsapp/<code>.json: the strings WhatsApp writes in each app language."""
    return {
        path.stem: json.loads(path.read_text(encoding="utf-8"))
        for path in sorted(LANGUAGES.glob("*.json"))
    }


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


def _period_key(text: str) -> str:
    """A morning/afternoon marker without spaces, dots and case: "p. m." -> "pm"."""
    return re.sub(r"[\s.\u202f\u00a0]", "", text.translate(STRIP_MARKS)).casefold()


def _header_parts() -> tuple[str, str, dict[str, int]]:
    """(the marker pattern, the words between date and time, marker key -> 0 or 12)."""
    periods: dict[str, int] = {"am": 0, "pm": 12}
    markers_seen: list[str] = []
    between: list[str] = []
    for lang in languages().values():
        for half, offset in (("am", 0), ("pm", 12)):
            for word in lang.get("day_periods", {}).get(half, []):
                markers_seen.append(word)
                periods[_period_key(word)] = offset
        between.extend(lang.get("between", []))
    latin = rf"[AaPp]\.?{SPACE}?[Mm]\.?"
    others = [w for w in markers_seen if not re.fullmatch(r"[AaPp]\.? ?[Mm]\.?", w)]
    # A look at the first character spares trying each marker where none can start.
    firsts = re.escape("".join(sorted({"A", "a", "P", "p", *(w[0] for w in others)})))
    return f"(?=[{firsts}])(?:{latin}|{_alternation(others)})", _alternation(between), periods


_PERIOD, _BETWEEN_WORDS, PERIODS = _header_parts()
# A date: year last (two to four digits) or first (four digits), with /, . or -
# between the fields; Arabic exports put a right-to-left mark before the
# separator, Korean, Hungarian and Croatian ones a space after it, and some end
# the date with a dot. The common shape comes first: it is tried on every line.
_SEP = r"\u200f?[./-] ?"
_DATE = rf"(?:\d{{1,2}}{_SEP}\d{{1,2}}{_SEP}\d{{2,4}}|\d{{4}}{_SEP}\d{{1,2}}{_SEP}\d{{1,2}})\.?"
# Between date and time: a comma (Arabic: U+060C), spaces, perhaps a word ("klo", "à").
_BETWEEN = rf"[{MARKS}]?[,\u060c]?{SPACE}+(?:(?:{_BETWEEN_WORDS}){SPACE}+)?"
# A time, with a morning/afternoon marker before it (Korean, Chinese) or after it.
_TIME = (
    rf"(?:{_PERIOD}{SPACE}?)?\d{{1,2}}[:.]\d{{2}}(?:[:.]\d{{2}})?"
    rf"(?:[{MARKS}]?{SPACE}?{_PERIOD})?"
)
# One header shape for both platforms: iOS wraps date and time in brackets and
# follows with "] ", Android follows with " - " (old exports: ": "). Groups: 1
# bracket, 2 the whole date and time (a cache key), 3 date, 4 time, 5 the rest.
# Possessive: a line of thousands of marks and no date must fail at once, not try every
# way of sharing them between the two runs (hours on a damaged export).
_STAMP = rf"[{MARKS}]*+(\[)?[{MARKS}]*+(({_DATE}){_BETWEEN}({_TIME}))"
_END = rf"\.?[{MARKS}]?(?(1)\]{SPACE}?|(?:{SPACE}+[-\u2013]|:){SPACE})"
HEADER = re.compile(_STAMP + _END + r"(.*)")
# A line that starts like a header but is not one: a date, a time, and then a
# bracket or a separator between spaces (" -- ", " ~ ", " — "), as a header in a
# shape not known would. A date and time followed by words ("12/03/2024 10:00
# flight to Rome", a pasted log) is text the person wrote. Group 5 below.
_LOOKS_LIKE = (
    rf"[{MARKS}]*\[?[{MARKS}]*\d{{1,4}}{_SEP}\d{{1,2}}{_SEP}\d{{1,4}}[^\n\d]{{0,24}}?"
    rf"\d{{1,2}}[:.h]\d{{2}}(?:[:.]\d{{2}})?[^\n\d:]{{0,16}}?(?:\]|{SPACE}[^\w\s]{{1,3}}{SPACE})"
)
# The same as HEADER (without the rest), or one that only looks like it, after a
# line break: a literal first character lets the regex engine skip ahead quickly
# (see `_Opened.blocks`, whose blocks begin with a line break).
HEADER_AFTER_BREAK = re.compile(f"\n(?:{_STAMP}{_END}|({_LOOKS_LIKE}))")
STAMP_ONLY = re.compile(_STAMP)
_DATE_PARTS = re.compile(r"\d+")
_TIME_PARTS = re.compile(r"(\d+)[:.](\d+)(?:[:.](\d+))?")
_NOT_PERIOD = re.compile(rf"[\d:.\s{MARKS}\u202f\u00a0]+")

UNREAD_NO_SEPARATOR = "date and time followed by what no message header has"
UNREAD_SHAPE = "starts with a date and time in a shape not known as a message header"
IMPOSSIBLE = "message header with an impossible date or time"
# System-line patterns are only tried on short lines: they backtrack on long ones.
SYSTEM_LINE_MAX = 500


class _Markers:
    """The strings of data/whatsapp/*.json, merged across languages: an export is
    in one language, and the wordings of different languages do not collide."""

    def __init__(self, langs: list[dict]) -> None:
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
        # The markers by their first (or last) character: most messages share none,
        # and the others are checked against a few markers, not every language's.
        self.special_first: dict[str, tuple[str, ...]] = {}
        for marker in (*self.media_prefix, *self.encryption):
            self.special_first[marker[0]] = (*self.special_first.get(marker[0], ()), marker)
        self.media_last: dict[str, tuple[str, ...]] = {}
        for marker in self.media_suffix:
            self.media_last[marker[-1]] = (*self.media_last.get(marker[-1], ()), marker)
        self.system = re.compile("|".join(f"(?:{p})" for p in system))

    def is_system(self, line: str) -> bool:
        if line.startswith(self.encryption):
            return True
        return len(line) <= SYSTEM_LINE_MAX and self.system.match(line) is not None


@cache
def markers() -> _Markers:
    return _Markers(list(languages().values()))


def _year(value: int, digits: int) -> int:
    return 2000 + value if digits <= 2 else value


def date_fields(date_str: str) -> tuple[int, int, int, int] | None:
    """(first, second, third, digits of the first field)."""
    parts = _DATE_PARTS.findall(date_str)
    if len(parts) != 3:
        return None
    return int(parts[0]), int(parts[1]), int(parts[2]), len(parts[0])


def ordered(fields: tuple[int, int, int, int], order: str) -> tuple[int, int, int]:
    """(year, month, day) read in the given order; two-digit years are 20xx."""
    a, b, c, first_digits = fields
    if order == "ymd":
        return _year(a, first_digits), b, c
    year = _year(c, 2 if c < 100 else 4)
    return (year, b, a) if order == "dmy" else (year, a, b)


def time_fields(time_str: str) -> tuple[int, int, int] | None:
    match = _TIME_PARTS.search(time_str)
    if match is None:
        return None
    hour, minute = int(match[1]), int(match[2])
    second = int(match[3]) if match[3] else 0
    marker = _NOT_PERIOD.sub("", time_str)
    if marker:
        offset = PERIODS.get(marker.casefold())
        # "00:15 AM" is written too: hour 0 on a 12-hour clock is 12.
        if offset is None or hour > 12:
            return None
        hour = hour % 12 + offset
    if hour > 23 or minute > 59 or second > 59:
        return None
    return hour, minute, second


def clean_sender(raw: str) -> str:
    name = raw.translate(STRIP_MARKS).strip()
    name = name.lstrip("~").strip(" \u202f\u00a0")
    return unicodedata.normalize("NFC", name)


def split_sender(rest: str) -> tuple[str | None, str]:
    cut = rest.find(": ")
    if cut < 0:
        if rest.endswith(":") and 0 < len(rest) - 1 <= 60:
            return rest[:-1], ""
        return None, rest
    return rest[:cut], rest[cut + 2 :]
