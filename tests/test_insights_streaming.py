"""Telegram and Messenger JSON read as a stream (issue 17): the same messages as
before, a memory use that does not grow with the file, Telegram's \\xHH escapes
repaired across the pieces the file is read in, and damage found wherever it is."""

from __future__ import annotations

import io
import json
import tracemalloc
import zipfile
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tending.insights.chats import jsonfiles
from tending.insights.chats.detect import parse
from tending.insights.chats.stream import ChatFormatError, TruncatedFileError

CHATS = Path(__file__).parent / "fixtures" / "chats"


def telegram_export(path: Path, count: int) -> None:
    when = datetime(2023, 1, 1, 8, 0)
    with path.open("w", encoding="utf-8") as out:
        out.write('{"name": "Noor", "type": "personal_chat", "id": 7, "messages": [\n')
        for n in range(count):
            when += timedelta(minutes=7)
            item = {
                "id": n,
                "type": "message",
                "date": when.isoformat(),
                "date_unixtime": str(int(when.timestamp())),
                "from": "Noor" if n % 3 else "Eli",
                "from_id": f"user{n % 3}",
                "text": [f"message {n} with ", {"type": "bold", "text": "some words"}],
                "text_entities": [],
            }
            out.write(("," if n else "") + json.dumps(item) + "\n")
        out.write("]}\n")


def test_a_telegram_export_is_read_without_holding_it(tmp_path: Path) -> None:
    path = tmp_path / "result.json"
    telegram_export(path, 20_000)
    size = path.stat().st_size
    tracemalloc.start()
    try:
        stream, report = parse(path, "telegram")
        count = sum(1 for _ in stream)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 20_000 and report.chats[0]["messages"] == 20_000
    assert report.chat_name == "Noor" and dict(report.participants)["Eli"] == 6667
    # The parser holds a piece of the file and one message, however large the file.
    assert size > 4_000_000 and peak < 8_000_000


def test_hex_escapes_are_repaired_across_the_pieces_read(monkeypatch: pytest.MonkeyPatch) -> None:
    whole = [m.text for m in parse(CHATS / "telegram_single.json")[0]]
    for chunk in (1, 2, 3, 5, 64):
        monkeypatch.setattr(jsonfiles, "CHUNK", chunk)
        assert [m.text for m in parse(CHATS / "telegram_single.json")[0]] == whole
    assert "Good morning \tsunshine" in whole


def test_a_byte_order_mark_and_bytes_that_are_not_utf8_are_tolerated() -> None:
    raw = (CHATS / "telegram_single.json").read_bytes()
    raw = b"\xef\xbb\xbf" + raw.replace(b"the view from work", b"the view from w\xffrk")
    messages = list(parse(raw, "telegram")[0])
    assert messages[3].text == "the view from w\ufffdrk"


def test_damage_in_the_middle_is_found_while_reading() -> None:
    raw = (CHATS / "telegram_single.json").read_bytes()
    with pytest.raises(TruncatedFileError, match="stops early"):
        parse(raw[: len(raw) // 2], "telegram")  # refused at once: it cannot end there
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("result.json", raw[: len(raw) // 2])
    with pytest.raises(TruncatedFileError, match="stops early"):
        list(parse(buffer.getvalue(), "telegram")[0])  # found when the stream gets there
    broken = raw.replace(b'"text": "Good', b'"text": Good', 1)
    assert broken != raw
    with pytest.raises(ChatFormatError, match="not valid JSON") as caught:
        list(parse(broken, "telegram")[0])
    assert "Good" not in str(caught.value)


def test_a_full_telegram_export_in_a_zip_reads_the_chosen_chat() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.write(CHATS / "telegram_full.json", "export/result.json")
    stream, report = parse(buffer.getvalue(), "telegram", chat="Garden group")
    assert report.chat_name == "Garden group" and len(list(stream)) == 4
    assert [c["messages"] for c in report.chats] == [4, 3, 1]


def test_messenger_files_are_read_oldest_first_and_overlaps_are_sorted_whole(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "messages" / "inbox" / "sam_1"
    folder.mkdir(parents=True)

    def write(number: int, stamps: list[int]) -> None:
        messages = [
            {"sender_name": "Sam", "timestamp_ms": s, "content": f"at {s}"}
            for s in sorted(stamps, reverse=True)
        ]
        data = {"participants": [{"name": "Sam"}], "messages": messages, "title": "Sam"}
        (folder / f"message_{number}.json").write_text(json.dumps(data), encoding="utf-8")

    base = 1_700_000_000_000
    write(1, [base + 5000, base + 6000])
    write(2, [base + 1000, base + 2000])
    write(3, [base + 1500, base + 3000])  # overlaps message_2.json
    stream, report = parse(folder, tz="UTC")
    stamps = [int(m.time_utc.timestamp() * 1000) - base for m in stream]
    assert stamps == [1000, 1500, 2000, 3000, 5000, 6000]
    assert report.chat_name == "Sam" and report.messages == 6


def test_a_messenger_file_that_is_not_an_object_is_refused() -> None:
    with pytest.raises(ChatFormatError, match="not a Messenger or Instagram export"):
        list(parse(b'[{"sender_name": "x"}]', "messenger")[0])


def test_the_encrypted_messenger_download_streams_too(tmp_path: Path) -> None:
    data = {
        "participants": ["Zoé", "Marc"],
        "threadName": "Zoé",
        "messages": [
            {"senderName": "Marc", "timestamp": 1712750460000, "text": "À demain", "media": []},
            {"senderName": "Zoé", "timestamp": 1712750400000, "text": "", "media": [{"uri": "x"}]},
            {"senderName": "Zoé", "timestamp": 1712750300000, "text": "Coucou", "isUnsent": True},
        ],
    }
    path = tmp_path / "message_1.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    stream, report = parse(path, "messenger", tz="UTC")
    assert [(m.sender, m.kind, m.text) for m in stream] == [
        ("Zoé", "deleted", "Coucou"),
        ("Zoé", "media", ""),
        ("Marc", "text", "À demain"),
    ]
    assert report.chat_name == "Zoé"
