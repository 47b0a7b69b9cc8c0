"""Reading one WhatsApp export in several spans, in forked workers or one after the
other, gives exactly the report of one pass: at every seam, with conversations,
replies, silences and conflicts that cross it. The chats are invented."""

from __future__ import annotations

import json
import multiprocessing
import random
import threading
from datetime import datetime, timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tending.coach.analysis import _LEXICON
from tending.insights.analysis.indicators import Insights
from tending.insights.chats import sources, whatsapp
from tending.insights.chats.detect import parse
from tending.insights.chats.stream import ParseReport
from tending.insights.cli import parallel

CHATS = Path(__file__).parent / "fixtures" / "chats"
WHATSAPP = sorted(p.name for p in CHATS.glob("whatsapp_*") if "ambiguous" not in p.name)

HARSH = ("You never listen to me", "you always forget the bins", "whatever")
REPAIR = ("I'm sorry, I was wrong", "sorry")
GENTLE = (
    "haha ok",
    "Can you pick up milk on the way home?",
    "I feel lonely tonight",
    "thank you, love",
    "how was your day?",
    "we should go",
    "ok",
    "<Media omitted>",
    "This message was deleted",
    "see you at 7 <This message was edited>",
    "first line\nsecond line of the same message",
)


def one_pass(source: sources.Input, date_order: str | None = "dmy") -> dict[str, Any]:
    stream, report = parse(source, date_order=date_order)
    insights = Insights()
    for message in stream:
        insights.add(message)
    return insights.result(report)


def in_parts(
    source: sources.Input, offsets: list[int], fork: bool = False, date_order: str | None = "dmy"
) -> parallel.Reading:
    report = ParseReport(format="whatsapp")
    chat = whatsapp.prepare(source, report, date_order)
    cuts = sorted({cut for o in offsets if (cut := chat.seam_at(max(o, 1))) is not None})
    return parallel.read_in_parts(chat, report, cuts, Insights(), fork=fork)


def same(result: dict[str, Any], expected: dict[str, Any]) -> None:
    assert json.dumps(result, sort_keys=True) == json.dumps(expected, sort_keys=True)


def header_offsets(data: bytes) -> list[int]:
    """Byte offsets of the lines that begin a message."""
    offsets, position = [], 0
    for line in data.splitlines(keepends=True):
        if position and whatsapp.HEADER.match(line.decode("utf-8", "replace")):
            offsets.append(position)
        position += len(line)
    return offsets


def chat_lines(seed: int, count: int, start: datetime = datetime(2023, 11, 28, 8, 0)) -> list[str]:
    """An Android export with gaps of every size, harsh words and repairs, multi-line
    messages, media, edits, and now and then a system line, a stray line and a
    header with an impossible date (skipped with its next line)."""
    rng = random.Random(seed)
    when, lines = start, []
    for index in range(count):
        when += rng.choice(
            (
                timedelta(seconds=30),
                timedelta(minutes=4),
                timedelta(hours=7),
                timedelta(days=4, hours=3),
                timedelta(days=9),
                timedelta(minutes=-50),  # a clock set back
            )
        )
        who = rng.choice(("Ana", "Bruno"))
        roll = rng.random()
        text = rng.choice(HARSH if roll < 0.2 else REPAIR if roll < 0.35 else GENTLE)
        stamp = f"{when:%d/%m/%Y, %H:%M}"
        if index % 37 == 5:
            lines.append(f"{stamp} - Bruno changed the group description")
        elif index % 41 == 7:
            lines.append("a stray line, read as part of the message before it")
        elif index % 43 == 9:
            lines.extend(("31/02/2024, 10:00 - Ana: a date that never was", "and its second line"))
        lines.append(f"{stamp} - {who}: {text}")
    return lines


def write(tmp_path: Path, lines: list[str], name: str = "chat.txt") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# Seams in the fixtures and in invented chats ------------------------------------------


@pytest.mark.parametrize("name", WHATSAPP)
def test_every_seam_of_every_fixture_gives_the_one_pass_report(name: str) -> None:
    path = CHATS / name
    expected = one_pass(path, date_order=None)
    offsets = header_offsets(path.read_bytes())
    for offset in offsets:
        same(in_parts(path, [offset], date_order=None).result(), expected)
    same(in_parts(path, offsets, date_order=None).result(), expected)  # a span per message


def test_seams_where_a_conflict_a_silence_and_a_reply_cross(tmp_path: Path) -> None:
    lines = [
        "01/03/2024, 09:00 - Ana: how was your day?",
        "01/03/2024, 09:05 - Bruno: You never listen to me",  # opens an episode
        "01/03/2024, 09:06 - Ana: haha ok",  # a reply, while the episode is open
        "03/03/2024, 10:00 - Ana: thank you, love",  # a conversation start
        "07/03/2024, 10:00 - Bruno: I'm sorry, I was wrong",  # silence, then the repair
        "07/03/2024, 10:02 - Ana: whatever",
        "20/03/2024, 08:00 - Ana: haha ok",  # the open episode expires unrepaired
        "31/03/2024, 23:01 - Bruno: you always forget the bins",
        "01/04/2024, 08:00 - Bruno: sorry",  # repairs an episode of the month before
        "12/04/2024, 08:00 - Ana: ok",
    ]
    path = write(tmp_path, lines)
    expected = one_pass(path)
    assert sum(m["together"]["conflict_episodes"] for m in expected["months"]) == 3
    assert sum(m["together"]["repaired_episodes"] for m in expected["months"]) == 2
    assert sum(m["together"]["silences"] for m in expected["months"]) == 4
    offsets = header_offsets(path.read_bytes())
    for offset in offsets:
        same(in_parts(path, [offset], fork=True).result(), expected)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    seed=st.integers(0, 10_000),
    count=st.integers(1, 120),
    cuts=st.lists(st.floats(0, 1), min_size=1, max_size=4),
)
def test_any_seams_in_any_chat_give_the_one_pass_report(
    tmp_path: Path, seed: int, count: int, cuts: list[float]
) -> None:
    path = write(tmp_path, chat_lines(seed, count))
    offsets = [int(path.stat().st_size * cut) for cut in cuts]
    same(in_parts(path, offsets).result(), one_pass(path))


def test_a_head_too_short_to_settle_reads_the_span_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parallel, "HEAD_MESSAGES", 1)
    lines = [
        "01/03/2024, 09:00 - Bruno: You never listen to me",
        "01/03/2024, 09:30 - Ana: thank you, love",  # the seam: the episode is still open
        "01/03/2024, 09:31 - Bruno: you always forget the bins",  # opens none in one pass
        "01/03/2024, 09:40 - Ana: sorry",
    ]
    path = write(tmp_path, lines)
    reading = in_parts(path, [header_offsets(path.read_bytes())[0]], fork=True)
    assert reading.reread == 1
    same(reading.result(), one_pass(path))


def test_clocks_set_back_across_the_seam(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "HEAD_MESSAGES", 2)
    lines = [
        "27/10/2024, 02:50 - Ana: how was your day?",
        "27/10/2024, 02:59 - Bruno: haha ok",
        "27/10/2024, 02:05 - Ana: ok",  # summer time ended: the clock went back an hour
        "27/10/2024, 02:10 - Bruno: ok",
        "27/10/2024, 02:20 - Ana: ok",
        "27/10/2024, 09:00 - Bruno: thank you, love",
    ]
    path = write(tmp_path, lines)
    expected = one_pass(path)
    for offset in header_offsets(path.read_bytes()):
        same(in_parts(path, [offset]).result(), expected)


def test_skipped_lines_after_the_seam_keep_their_line_numbers(tmp_path: Path) -> None:
    path = write(tmp_path, chat_lines(3, 300))
    expected = one_pass(path)
    assert expected["source"]["skipped_count"] > 2
    data = path.read_bytes()
    same(in_parts(path, [len(data) // 3, 2 * len(data) // 3], fork=True).result(), expected)


def test_windows_line_endings_and_bytes_in_memory(tmp_path: Path) -> None:
    data = ("\r\n".join(chat_lines(11, 200)) + "\r\n").encode("utf-8")
    expected = one_pass(data)
    for offset in header_offsets(data)[::17]:
        same(in_parts(data, [offset]).result(), expected)


def test_seams_start_lines_that_begin_messages(tmp_path: Path) -> None:
    path = write(tmp_path, chat_lines(5, 400))
    report = ParseReport(format="whatsapp")
    chat = whatsapp.prepare(path, report, "dmy")
    cuts = chat.seams(4)
    assert len(cuts) == 3 and cuts == sorted(set(cuts))
    assert set(cuts) <= set(header_offsets(path.read_bytes()))


def test_one_huge_message_leaves_no_seam(tmp_path: Path) -> None:
    body = "\n".join(f"line {i} of a very long letter" for i in range(2000))
    path = write(tmp_path, [f"01/03/2024, 09:00 - Ana: {body}"])
    chat = whatsapp.prepare(path, ParseReport(format="whatsapp"), "dmy")
    assert chat.seams(2) == []


# read_insights: when it forks, and when it does not ----------------------------------


@pytest.fixture
def alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """As in the command: no other thread (a live server of other test files may run)."""
    monkeypatch.setattr(threading, "active_count", lambda: 1)


def test_a_large_file_is_read_by_workers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, alone: None
) -> None:
    monkeypatch.setattr(parallel, "MIN_PART_BYTES", 4096)
    path = write(tmp_path, chat_lines(8, 2000))
    reading = parallel.read_insights(path, processes=3, date_order="dmy")
    assert reading.processes == 3 and reading.reread == 0
    assert len(reading.workers) == 2 and all(w.peak_mb > 0 for w in reading.workers)
    same(reading.result(), one_pass(path))


def test_a_small_file_pays_no_start_up(tmp_path: Path) -> None:
    path = write(tmp_path, chat_lines(8, 2000))
    assert path.stat().st_size < 2 * parallel.MIN_PART_BYTES
    reading = parallel.read_insights(path, date_order="dmy")
    assert reading.processes == 1 and reading.workers == []
    same(reading.result(), one_pass(path))


def test_without_fork_one_process_reads_it_all(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parallel, "MIN_PART_BYTES", 4096)
    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    path = write(tmp_path, chat_lines(8, 2000))
    reading = parallel.read_insights(path, processes=2, date_order="dmy")
    assert reading.processes == 1
    same(reading.result(), one_pass(path))


def test_a_process_with_other_threads_does_not_fork(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parallel, "MIN_PART_BYTES", 4096)
    path = write(tmp_path, chat_lines(8, 2000))
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        reading = parallel.read_insights(path, processes=2, date_order="dmy")
    finally:
        release.set()
        other.join()
    assert reading.processes == 1
    same(reading.result(), one_pass(path))


def test_a_failed_worker_is_replaced_by_reading_its_span_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, alone: None
) -> None:
    def broken(*_: object) -> parallel._Part:
        raise MemoryError

    monkeypatch.setattr(parallel, "MIN_PART_BYTES", 4096)
    monkeypatch.setattr(parallel, "_read_part", broken)
    path = write(tmp_path, chat_lines(9, 2000))
    reading = parallel.read_insights(path, processes=2, date_order="dmy")
    assert reading.processes == 2 and reading.reread == 1
    same(reading.result(), one_pass(path))


def test_zip_exports_and_other_formats_take_one_pass() -> None:
    for name in ("whatsapp_ios.zip", "telegram_single.json", "signal_chat.md"):
        reading = parallel.read_insights(CHATS / name, processes=2)
        assert reading.processes == 1
        same(reading.result(), one_pass(CHATS / name, date_order=None))


def test_the_command_reads_in_parts_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, alone: None
) -> None:
    path = write(tmp_path, chat_lines(12, 3000))

    def run(*args: str) -> tuple[str, str]:
        out, err = StringIO(), StringIO()
        call_command(
            "insights", str(path), "--json", "--date-order", "dmy", *args, stdout=out, stderr=err
        )
        return out.getvalue(), err.getvalue()

    whole, _ = run()
    monkeypatch.setattr(parallel, "MIN_PART_BYTES", 8192)
    monkeypatch.setattr(parallel, "_cores", lambda: 2)
    split, said = run("-v", "2")
    assert split == whole
    assert "Read in 2 process(es)" in said and "largest worker: peak" in said


# The coach's cheaper start ----------------------------------------------------------

CUE_STARTS = sorted({cue.prefix for cue in _LEXICON.cues if cue.prefix})
PIECES = st.one_of(
    st.sampled_from(CUE_STARTS),
    st.sampled_from(list(" '.!?\n😂🤣❤️хаχα哈ㅋkéß0")),
    st.text(max_size=3),
)


@settings(max_examples=300, deadline=None)
@given(
    pieces=st.lists(PIECES, max_size=25), bounds=st.tuples(st.integers(0, 80), st.integers(0, 90))
)
def test_the_coach_finds_the_same_cue_hits_without_its_joined_pattern(
    pieces: list[str], bounds: tuple[int, int]
) -> None:
    # The insights fold reads with `findall`, which never compiles the joined pattern.
    text = "".join(pieces).lower()
    start, end = min(bounds), max(bounds)
    assert _LEXICON.findall(text) == _LEXICON.pattern.findall(text)
    assert _LEXICON.findall(text, start, end) == _LEXICON.pattern.findall(text, start, end)
