"""Fuzzing every chat parser: random bytes, binary garbage, huge single lines,
truncated fixtures and odd JSON. Nothing but `ChatFormatError` (and its
subclasses) may escape, and whatever is parsed can be written out as UTF-8."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tending.insights.chats.detect import detect_format, parse
from tending.insights.chats.stream import FORMATS, KINDS, ChatFormatError, UnknownFormatError

CHATS = Path(__file__).parent / "fixtures" / "chats"
FIXTURES = sorted(p for p in CHATS.rglob("*") if p.is_file())
MB = 1024 * 1024
FUZZ = settings(
    max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
HUGE = settings(
    max_examples=6,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def consume(data: bytes, fmt: str, **options: object) -> None:
    """Parse and read the whole stream; fail on anything but ChatFormatError."""
    try:
        stream, report = parse(data, fmt, **options)
        for message in stream:
            assert message.kind in KINDS
            assert isinstance(message.time_local, datetime) and message.time_local.tzinfo is None
            assert isinstance(message.text, str)
            json.dumps(message.as_json(), ensure_ascii=False).encode("utf-8")
        json.dumps(report.as_json(), ensure_ascii=False).encode("utf-8")
    except ChatFormatError as error:
        assert str(error)


@FUZZ
@given(data=st.binary(max_size=4096), fmt=st.sampled_from(FORMATS))
def test_random_bytes(data: bytes, fmt: str) -> None:
    consume(data, fmt)


@FUZZ
@given(data=st.binary(max_size=2048))
def test_random_bytes_detection(data: bytes) -> None:
    try:
        assert detect_format(data) in FORMATS
    except UnknownFormatError as error:
        assert "Supported formats" in str(error)
    except ChatFormatError as error:  # a damaged zip
        assert "zip" in str(error)


@FUZZ
@given(data=st.binary(max_size=2048), fmt=st.sampled_from(FORMATS))
def test_garbage_behind_a_zip_signature(data: bytes, fmt: str) -> None:
    consume(b"PK\x03\x04" + data, fmt)


_LINE = st.one_of(
    st.builds(
        "{}/{}/{}, {}:{:02d}{} - {}: {}".format,
        st.integers(0, 40),
        st.integers(0, 40),
        st.sampled_from(["24", "2024", "0000", "99"]),
        st.integers(0, 30),
        st.integers(0, 70),
        st.sampled_from(["", "\u202fPM", " AM", "\u00a0p.\u00a0m."]),
        st.text(max_size=12),
        st.text(max_size=40),
    ),
    st.builds(
        "[{}.{}.{}, {}:{:02d}:{:02d}] \u200e{}: \u200e{}".format,
        st.integers(1, 31),
        st.integers(1, 12),
        st.sampled_from(["24", "2024"]),
        st.integers(0, 23),
        st.integers(0, 59),
        st.integers(0, 59),
        st.text(max_size=12),
        st.sampled_from(
            [
                "image omitted",
                "Missed voice call",
                "This message was deleted.",
                "hi <This message was edited>",
            ]
        ),
    ),
    st.builds(
        "[{}-{:02d}-{:02d} {:02d}:{:02d}:{:02d}] {}: {}".format,
        st.integers(1990, 2100),
        st.integers(0, 13),
        st.integers(0, 32),
        st.integers(0, 25),
        st.integers(0, 61),
        st.integers(0, 61),
        st.text(max_size=12),
        st.text(max_size=40),
    ),
    st.text(max_size=60),
)


# Header shapes seen in real exports (issue 17), each with the date order it is
# read in: a function of (time, 12-hour clock) -> the header before the sender.
_AR = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def _h12(when: datetime) -> int:
    return when.hour % 12 or 12


_SHAPES: dict[str, tuple[str, object]] = {
    "android": ("dmy", lambda t: f"{t.day}/{t.month}/{t.year}, {t:%H:%M} - "),
    "ios year first": ("ymd", lambda t: f"[{t.year}/{t.month}/{t.day}, {t:%H:%M:%S}] "),
    "android year first": ("ymd", lambda t: f"{t.year}/{t.month}/{t.day} {t:%H:%M} - "),
    "colon after time": ("dmy", lambda t: f"{t.day}/{t.month}/{t:%y}, {t:%H:%M:%S}: "),
    "chinese after": (
        "dmy",
        lambda t: f"{t:%d/%m/%Y} {_h12(t):02d}:{t:%M} {'下午' if t.hour >= 12 else '上午'} - ",
    ),
    "korean before": (
        "ymd",
        lambda t: f"[{t:%Y/%m/%d} {'오후' if t.hour >= 12 else '오전'} {_h12(t):02d}:{t:%M}] ",
    ),
    "french a": ("dmy", lambda t: f"{t:%d/%m/%Y} à {t:%H:%M} - "),
    "two spaces": (
        "mdy",
        lambda t: (
            f"{t.month}/{t.day}/{t:%y}, {_h12(t)}:{t:%M} {'p.m.' if t.hour >= 12 else 'a.m.'}  - "
        ),
    ),
    "dot after time": ("ymd", lambda t: f"{t:%Y/%m/%d}, {t:%H:%M}. - "),
    "finnish klo": ("dmy", lambda t: f"{t.day}.{t.month}.{t.year} klo {t.hour}.{t:%M} - "),
    "croatian": ("dmy", lambda t: f"{t.day}. {t.month}. {t.year}. {t:%H:%M:%S} - "),
    "two-digit year first": ("ymd", lambda t: f"{t:%y-%m-%d}, {t:%H:%M} - "),
    "arabic": (
        "dmy",
        lambda t: (
            f"{t.day}\u200f/{t.month}\u200f/{t.year}\u060c {_h12(t)}:{t:%M} "
            f"{'م' if t.hour >= 12 else 'ص'} - "
        ).translate(_AR),
    ),
    "zero hour am": (
        "mdy",
        lambda t: (
            f"{t.month}/{t.day}/{t:%y}, {t.hour % 12:02d}:{t:%M}\u202f{'PM' if t.hour >= 12 else 'AM'} - "
        ),
    ),
}
_NAMES = ("Ana", "Bruno", "Ana Lima", "~\u202fTheo", "\u2068Maya\u2069", "민준", "سارة")
_TEXT = st.text(
    st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"), blacklist_characters="\u200e"),
    min_size=1,
    max_size=30,
).filter(lambda text: text.strip() and ": " not in text)
_TIMES = st.datetimes(min_value=datetime(2010, 1, 1), max_value=datetime(2030, 12, 31))
_SHAPED_LINE = st.builds(
    lambda shape, when, name, text: f"{_SHAPES[shape][1](when)}{name}: {text}",  # type: ignore[operator]
    st.sampled_from(sorted(_SHAPES)),
    _TIMES,
    st.sampled_from(_NAMES),
    _TEXT,
)
_LINE = st.one_of(_LINE, _SHAPED_LINE)


@FUZZ
@given(
    shape=st.sampled_from(sorted(_SHAPES)),
    times=st.lists(_TIMES, min_size=1, max_size=12),
    said=st.lists(st.tuples(st.sampled_from(_NAMES), _TEXT), min_size=12, max_size=12),
)
def test_every_header_shape_reads_its_time_and_sender(
    shape: str, times: list[datetime], said: list[tuple[str, str]]
) -> None:
    order, render = _SHAPES[shape]
    times = sorted(t.replace(microsecond=0) for t in times)
    lines = [f"{render(t)}{name}: {text}" for t, (name, text) in zip(times, said, strict=False)]  # type: ignore[operator]
    stream, report = parse("\n".join(lines).encode("utf-8"), "whatsapp", date_order=order)
    messages = list(stream)
    assert report.skipped_count == 0, report.skipped
    assert len(messages) == len(lines)
    seconds = all(m.time_local.second == t.second for m, t in zip(messages, times, strict=True))
    assert [m.time_local.replace(second=0) for m in messages] == [
        t.replace(second=0) for t in times
    ]
    assert seconds or shape not in ("ios year first", "colon after time", "croatian")
    for message, (name, _) in zip(messages, said, strict=False):
        if message.kind not in ("system",):
            assert message.sender == name.strip("~\u202f\u2068\u2069")


@FUZZ
@given(
    lines=st.lists(_LINE, max_size=40),
    fmt=st.sampled_from(["whatsapp", "signal"]),
    order=st.sampled_from([None, "dmy", "mdy", "ymd"]),
)
def test_header_like_text(lines: list[str], fmt: str, order: str | None) -> None:
    data = "\n".join(lines).encode("utf-8", "surrogatepass")
    consume(data, fmt, **({"date_order": order} if order and fmt == "whatsapp" else {}))


@HUGE
@given(
    size=st.integers(1 * MB, 5 * MB),
    fmt=st.sampled_from(FORMATS),
    head=st.sampled_from(
        [b"", b"13/02/2024, 10:00 - Ana: ", b"[2024-02-13 10:00:00] Me: ", b'{"messages": ["']
    ),
    chunk=st.binary(min_size=1, max_size=64),
)
# Found by this test in CI: a Signal line of many "[" and no "]" made the attachment
# pattern scan to the end of the line from each one (hours for a few MB). Kept as a fixed
# case so every run checks it.
@example(size=1 * MB, fmt="signal", head=b"[2024-02-13 10:00:00] Me: ", chunk=b"[")
@example(size=1 * MB, fmt="signal", head=b"[2024-02-13 10:00:00] Me: ", chunk=b"[a](media/")
# Found while checking the others: a WhatsApp line of direction marks (every way of sharing
# them between the header's two runs of marks was tried), and a Messenger or Telegram file
# of nested "[" (the JSON parser's cost grows with the depth for every value).
@example(size=1 * MB, fmt="whatsapp", head=b"", chunk="\u200e".encode())
@example(size=1 * MB, fmt="messenger", head=b"", chunk=b"[")
@example(size=1 * MB, fmt="telegram", head=b'{"messages": ["', chunk=b"[1,")
def test_huge_single_lines(size: int, fmt: str, head: bytes, chunk: bytes) -> None:
    chunk = chunk.replace(b"\n", b" ")
    consume(head + (chunk * (size // len(chunk) + 1))[:size], fmt)


@FUZZ
@given(index=st.integers(0, len(FIXTURES) - 1), fraction=st.floats(0, 1))
def test_truncated_fixtures(index: int, fraction: float) -> None:
    raw = FIXTURES[index].read_bytes()
    cut = raw[: int(len(raw) * fraction)]
    for fmt in FORMATS:
        consume(cut, fmt, date_order="dmy") if fmt == "whatsapp" else consume(cut, fmt)


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)
_KEYS = st.sampled_from(
    [
        "date", "date_unixtime", "text", "from", "type", "action", "actor", "reactions", "photo",
        "edited", "reply_to_message_id", "sender_name", "timestamp_ms", "content", "is_unsent",
        "call_duration", "photos", "share", "sender", "body", "quote", "attachments", "deleted",
        "senderName", "timestamp", "media", "recent", "emoji", "reaction",
    ]
)  # fmt: skip
_MESSAGE = st.dictionaries(
    _KEYS, _JSON | st.sampled_from(["2024-02-13T10:00:00", "1707818400", 1707818400000]), max_size=8
)


@FUZZ
@given(messages=st.lists(_MESSAGE | _JSON, max_size=8), shape=st.integers(0, 3))
def test_odd_json_documents(messages: list, shape: int) -> None:
    documents = [
        ("telegram", {"name": "x", "type": "personal_chat", "messages": messages}),
        ("telegram", {"chats": {"list": [{"name": "x", "messages": messages}, messages]}}),
        (
            "messenger",
            {"participants": [{"name": "x"}], "messages": messages, "title": messages[:1]},
        ),
        ("signal", None),
    ]
    fmt, document = documents[shape]
    if document is None:
        data = "\n".join(json.dumps(m) for m in messages).encode()
    else:
        data = json.dumps(document).encode()
    consume(data, fmt)


@pytest.mark.parametrize("fmt", ["telegram", "messenger"])
def test_json_nested_past_any_chat_export_is_refused_plainly(fmt: str) -> None:
    # ends with "}" so that the check for a file cut short lets it through to the parser
    data = b'{"messages": [' + b'{"a": [' * 200_000 + b"}"
    with pytest.raises(ChatFormatError, match="nests too deeply"):
        stream, _report = parse(data, fmt)
        for _message in stream:
            pass


def test_the_depth_guard_reads_strings_across_pieces() -> None:
    from tending.insights.chats.jsonfiles import _Depth

    depth = _Depth()
    # brackets inside strings do not count, even when a piece ends inside the string or
    # right after a backslash that escapes the next piece's quote
    for piece in [b'{"a": "x[[[', b"\\", b'"[[" , "b": [1, 2', b', {"c": "}}}\\\\"}]}']:
        depth.feed(piece)
    assert (depth.depth, depth.in_string) == (0, False)
    depth.feed(b"[" * 64)
    with pytest.raises(RecursionError):
        depth.feed(b"[")
