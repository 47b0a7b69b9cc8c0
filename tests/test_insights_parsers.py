"""Every chat-export fixture parsed exactly: counts, kinds, senders, multi-line
text, edited flags and times. The fixtures are invented chats."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tending.insights.chats import whatsapp
from tending.insights.chats.detect import detect_format, parse
from tending.insights.chats.messenger import fix_mojibake
from tending.insights.chats.stream import (
    AmbiguousDateOrder,
    ChatFormatError,
    Message,
    ParseReport,
    TruncatedFileError,
    UnknownFormatError,
)

CHATS = Path(__file__).parent / "fixtures" / "chats"


def read(name: str | Path, **options: object) -> tuple[list[Message], ParseReport]:
    stream, report = parse(CHATS / name, **options)
    return list(stream), report


def rows(messages: list[Message]) -> list[tuple[str, str | None, str, bool, str]]:
    return [(m.time_local.isoformat(sep=" "), m.sender, m.kind, m.edited, m.text) for m in messages]


# WhatsApp ----------------------------------------------------------------------


def test_android_24_hour_day_first() -> None:
    messages, report = read("whatsapp_android_24h_dmy.txt")
    assert report.format == "whatsapp" and report.date_order == "dmy"
    assert rows(messages) == [
        ("2024-02-14 09:15:00", None, "system", False, messages[0].text),
        ("2024-02-14 09:15:00", "Ana", "text", False, "Morning! Did you sleep ok?"),
        ("2024-02-14 09:17:00", "Bruno", "text", False, "Not really, the neighbours' dog again"),
        ("2024-02-14 09:18:00", "Bruno", "text", False, "Can you pick up bread on the way home?"),
        ("2024-02-14 18:40:00", "Ana", "media", False, "<Media omitted>"),
        (
            "2024-02-14 18:41:00",
            "Ana",
            "text",
            False,
            "Bread and those olives you like.\nAlso, I booked the table for Friday.\n\nLooking forward to it",
        ),
        ("2024-02-15 07:02:00", "Bruno", "deleted", False, "This message was deleted"),
        ("2024-02-15 07:03:00", "Bruno", "text", True, "Thank you for yesterday, it meant a lot"),
        ("2024-02-16 21:30:00", "Ana", "text", False, "haha you are ridiculous \U0001f602"),
        ("2024-02-16 21:31:00", None, "system", False, messages[-1].text),
    ]
    assert messages[0].text.startswith("Messages and calls are end-to-end encrypted")
    assert messages[-1].text.startswith("Bruno changed their phone number")
    assert all(m.time_utc is None for m in messages)
    assert report.messages == 10
    assert dict(report.kinds) == {"system": 2, "text": 6, "media": 1, "deleted": 1}
    assert dict(report.participants) == {"Ana": 4, "Bruno": 4}
    assert report.first_time == datetime(2024, 2, 14, 9, 15)
    assert report.last_time == datetime(2024, 2, 16, 21, 31)
    assert report.skipped_count == 0 and report.finished


def test_android_12_hour_month_first_with_narrow_space_before_pm() -> None:
    messages, report = read("whatsapp_android_12h_mdy.txt")
    assert report.date_order == "mdy"
    assert [m.time_local for m in messages] == [
        datetime(2024, 2, 12, 23, 58),
        datetime(2024, 2, 13, 0, 3),  # 12:03 AM is just after midnight
        datetime(2024, 2, 13, 0, 4),
        datetime(2024, 2, 13, 9, 5),
        datetime(2024, 2, 13, 12, 45),  # 12:45 PM is just after noon
        datetime(2024, 2, 13, 13, 30),
    ]
    assert [m.sender for m in messages] == ["Sam", "Robin", "Robin", "Sam", "Sam", "Robin"]
    assert [m.kind for m in messages] == ["text"] * 5 + ["media"]


def test_german_dotted_dates_with_two_digit_years() -> None:
    messages, report = read("whatsapp_de_dotted.txt")
    assert report.date_order == "dmy"
    assert messages[0].time_local == datetime(2024, 3, 13, 21, 5)
    assert [(m.sender, m.kind, m.edited) for m in messages] == [
        (None, "system", False),
        (None, "system", False),
        (None, "system", False),
        ("Lena", "text", False),
        ("Jonas", "media", False),
        ("Jonas", "deleted", False),
        ("Jonas", "text", True),
        (None, "system", False),
    ]
    assert messages[1].text == "Lena hat die Gruppe \u201eSommerhaus\u201c erstellt"
    assert messages[6].text == "Ich kümmere mich drum"


@pytest.mark.parametrize("name", ["whatsapp_ios_dmy.txt", "whatsapp_ios.zip"])
def test_ios_brackets_seconds_and_invisible_marks(name: str) -> None:
    messages, report = read(name)
    assert report.date_order == "dmy"
    assert rows(messages)[1:9] == [
        ("2024-01-03 20:14:09", "Ana Lima", "text", False, "Are you still at the studio?"),
        ("2024-01-03 20:15:41", "Bruno", "media", False, "image omitted"),
        (
            "2024-01-03 20:16:02",
            "Ana Lima",
            "media",
            False,
            "<attached: 00000012-PHOTO-2024-01-03-20-16-02.jpg>",
        ),
        ("2024-01-03 20:17:30", "Bruno", "text", False, "On my way, 20 min"),
        ("2024-01-03 20:30:00", "Ana Lima", "call", False, "Missed voice call"),
        (
            "2024-01-13 08:00:05",
            "Bruno",
            "text",
            False,
            "Long day ahead.\nI miss our lazy Sundays.",
        ),
        ("2024-01-13 08:01:00", "Ana Lima", "text", True, "Me too"),
        ("2024-01-13 08:02:11", "Bruno", "deleted", False, "This message was deleted."),
    ]
    # The encryption notice and the security-code line carry the other person's
    # name as author on iOS; they are recognised by content.
    assert (messages[0].sender, messages[0].kind) == (None, "system")
    assert (messages[-1].sender, messages[-1].kind) == (None, "system")
    assert dict(report.participants) == {"Ana Lima": 4, "Bruno": 4}
    invisible = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"
    for message in messages:
        assert not any(mark in message.text + (message.sender or "") for mark in invisible)


def test_ios_group_chat_name_as_author_of_system_lines() -> None:
    messages, report = read("whatsapp_ios_group_mdy.txt")
    assert report.date_order == "mdy"
    assert [(m.sender, m.kind) for m in messages] == [
        (None, "system"),
        (None, "system"),
        (None, "system"),
        ("Mira", "text"),
        ("Theo", "text"),  # "~ Theo": not in the exporter's contacts
        (None, "system"),
    ]
    assert messages[-1].time_local == datetime(2024, 1, 15, 0, 0)
    assert messages[4].time_local == datetime(2024, 1, 14, 20, 3, 45)
    assert "Book Club \U0001f4da" not in report.participants


@pytest.mark.parametrize(
    ("name", "first_time", "people"),
    [
        ("whatsapp_es.txt", datetime(2024, 4, 20, 18, 2), {"Mateo": 3, "Lucía": 1}),
        ("whatsapp_fr.txt", datetime(2024, 5, 25, 19, 0), {"Hugo": 2, "Claire": 2}),
        ("whatsapp_pt.txt", datetime(2024, 6, 30, 21, 40), {"Caio": 2, "Bia": 2}),
    ],
)
def test_other_languages_system_lines_and_markers(
    name: str, first_time: datetime, people: dict
) -> None:
    messages, report = read(name)
    assert messages[0].time_local == first_time
    assert [m.kind for m in messages] == [
        "system",  # encryption notice
        "system",  # created the group
        "system",  # added someone
        "text",
        "media",
        "deleted",
        "text",
        "system",  # left
    ]
    assert [m.edited for m in messages] == [False] * 6 + [True, False]
    assert "<" not in messages[6].text and ">" not in messages[6].text
    assert dict(report.participants) == people


def test_spanish_twelve_hour_clock_with_no_break_spaces() -> None:
    messages, _ = read("whatsapp_es.txt")
    assert messages[0].time_local == datetime(2024, 4, 20, 18, 2)  # 6:02 p. m.
    assert messages[5].time_local == datetime(2024, 4, 21, 9, 15)  # 9:15 a. m.


def test_ambiguous_dates_ask_and_accept_an_explicit_order() -> None:
    with pytest.raises(AmbiguousDateOrder) as caught:
        parse(CHATS / "whatsapp_ambiguous.txt")
    assert caught.value.samples[:2] == ["03/04/2024", "03/05/2024"]
    assert caught.value.suggested == "mdy"  # the second field changes, the first does not
    day_first, report = read("whatsapp_ambiguous.txt", date_order="dmy")
    assert report.date_order == "dmy"
    assert [m.time_local.date().isoformat() for m in day_first] == [
        "2024-04-03",
        "2024-05-03",
        "2024-07-03",
        "2024-08-03",
    ]
    month_first, _ = read("whatsapp_ambiguous.txt", date_order="mdy")
    assert month_first[1].time_local == datetime(2024, 3, 5, 10, 0)


def test_date_order_settled_by_a_field_that_goes_down_within_a_year() -> None:
    # Every field is at most 12, but the first one drops while the second rises:
    # only a day can do that within one year.
    chat = b"12/01/2024, 10:00 - Ana: one\n03/02/2024, 10:00 - Bruno: two\n"
    messages, report = (lambda s, r: (list(s), r))(*parse(chat, "whatsapp"))
    assert report.date_order == "dmy"
    assert messages[1].time_local == datetime(2024, 2, 3, 10, 0)


def test_unknown_date_order_is_refused() -> None:
    with pytest.raises(ChatFormatError, match="dmy"):
        parse(CHATS / "whatsapp_android_24h_dmy.txt", date_order="dym")


def test_malformed_lines_are_skipped_with_their_numbers_never_their_text() -> None:
    messages, report = read("whatsapp_malformed.txt")
    assert [(m.sender, m.text) for m in messages] == [
        ("Ana", "Hello there"),
        ("Bruno", "caf\ufffd with bad bytes"),
        ("Ana", "Two lines here\n15/02/2024 was a good day, and this line is still mine"),
    ]
    assert report.skipped == [
        (1, "text before the first message header"),
        (4, "message header with an impossible date or time"),
        (5, "continuation of a skipped message"),
    ]
    assert report.skipped_count == 3
    assert report.repaired_text == 1
    blob = json.dumps(report.as_json())
    assert (
        "not a message" not in blob
        and "impossible date\\n" not in blob
        and "second line" not in blob
    )


def test_messages_spanning_read_blocks_are_joined(monkeypatch: pytest.MonkeyPatch) -> None:
    whole, _ = read("whatsapp_android_24h_dmy.txt")
    monkeypatch.setattr(whatsapp, "BLOCK_SIZE", 7)
    pieces, report = read("whatsapp_android_24h_dmy.txt")
    assert rows(pieces) == rows(whole)
    assert report.messages == len(whole)


def test_windows_line_endings_and_bytes_input() -> None:
    raw = (CHATS / "whatsapp_android_24h_dmy.txt").read_bytes().replace(b"\n", b"\r\n")
    stream, report = parse(raw)
    messages = list(stream)
    assert report.format == "whatsapp"
    assert messages[5].text == (
        "Bread and those olives you like.\nAlso, I booked the table for Friday.\n\nLooking forward to it"
    )
    assert not any("\r" in m.text for m in messages)


def test_progress_reports_bytes_read() -> None:
    seen: list[tuple[int, int]] = []
    stream, _ = parse(
        CHATS / "whatsapp_fr.txt", progress=lambda done, total: seen.append((done, total))
    )
    list(stream)
    size = (CHATS / "whatsapp_fr.txt").stat().st_size
    assert seen and seen[-1] == (size, size)


def test_zip_picks_the_chat_text_and_truncated_zip_is_a_clear_error(tmp_path: Path) -> None:
    raw = (CHATS / "whatsapp_ios.zip").read_bytes()
    cut = tmp_path / "cut.zip"
    cut.write_bytes(raw[: len(raw) // 2])
    with pytest.raises(TruncatedFileError, match="damaged or incomplete"):
        stream, _ = parse(cut)
        list(stream)
    empty = io.BytesIO()
    with zipfile.ZipFile(empty, "w") as archive:
        archive.writestr("photo.jpg", b"\xff\xd8")
    with pytest.raises(ChatFormatError, match="no chat text file"):
        parse(empty.getvalue(), "whatsapp")


def test_whatsapp_parser_refuses_a_file_without_any_header() -> None:
    with pytest.raises(ChatFormatError, match="No WhatsApp messages"):
        parse(b"just some notes\nno dates here\n", "whatsapp")


# Telegram ----------------------------------------------------------------------


def test_telegram_single_chat() -> None:
    messages, report = read("telegram_single.json")
    assert report.format == "telegram" and report.chat_name == "Noor"
    assert [(m.sender, m.kind, m.edited) for m in messages] == [
        ("Noor", "call", False),
        ("Noor", "text", False),
        ("Eli", "text", False),
        ("Eli", "media", False),
        ("Noor", "text", True),
        ("Eli", "media", False),
        ("user33", "text", False),  # a deleted account has no name, only its id
    ]
    # Times: `date` is local (UTC+1 in this export), `date_unixtime` the instant.
    assert messages[0].time_local == datetime(2024, 1, 31, 18, 2, 3)
    assert messages[0].time_utc == datetime(2024, 1, 31, 17, 2, 3, tzinfo=UTC)
    assert messages[2].text == "Did you see this recipe? Tomorrow maybe"  # list of parts
    assert messages[2].reply_to == "2"
    assert messages[3].text == "the view from work"  # a caption stays as text
    assert messages[4].text == "Good morning \tsunshine"  # \x09 repaired to a tab
    assert messages[4].reactions == [("Eli", "\u2764")]
    assert report.skipped_unit == "message"
    assert report.skipped == [(8, "not a message object"), (9, "no readable date")]


def test_telegram_full_export_defaults_to_the_largest_personal_chat() -> None:
    messages, report = read("telegram_full.json")
    assert report.chat_name == "Eli"
    assert [c["name"] for c in report.chats] == ["Garden group", "Eli", "Sam"]
    assert [m.text for m in messages] == ["Coffee later?", "Yes \u2615 at 4 \nété", ""]
    assert messages[2].kind == "call" and messages[2].sender == "Eli"


def test_telegram_full_export_chat_chosen_by_name_or_id() -> None:
    by_name, report = read("telegram_full.json", chat="garden group")
    assert report.chat_name == "Garden group"
    # An escaped backslash before "x41" is the person's own text, not an escape.
    assert by_name[2].text == "\\x41 stays as typed"
    by_id, _ = read("telegram_full.json", chat=33)
    assert [m.text for m in by_id] == ["hi"]
    with pytest.raises(ChatFormatError, match="No chat"):
        parse(CHATS / "telegram_full.json", chat="Nobody")


def test_truncated_telegram_json_is_a_clear_error() -> None:
    raw = (CHATS / "telegram_single.json").read_bytes()
    with pytest.raises(TruncatedFileError, match="stops early"):
        parse(raw[: len(raw) - 40], "telegram")


# Signal ------------------------------------------------------------------------


def test_signal_markdown() -> None:
    messages, report = read("signal_chat.md")
    assert report.format == "signal"
    assert rows(messages) == [
        ("2024-01-31 18:02:03", "Me", "text", False, "Are you home yet?"),
        ("2024-01-31 18:05:40", "Jo", "text", False, "Almost! Traffic was awful"),
        ("2024-01-31 18:06:00", "Jo", "text", False, "Ten minutes, promise"),
        ("2024-01-31 18:07:12", "Me", "media", False, ""),
        ("2024-01-31 18:08:00", "Jo", "deleted", False, ""),
        ("2024-02-01 07:30:00", "Me", "text", False, "Good morning.\nI made extra coffee"),
        ("2024-02-01 07:45:00", "Jo", "call", False, "Missed voice call"),
    ]
    assert messages[1].reactions == [("Me", "\U0001f602")]
    assert messages[2].reply_to == "Are you home yet?"
    assert messages[5].reactions == [("Jo", "\u2764\ufe0f"), ("Me", "\U0001f44d")]


def test_signal_markdown_old_header_and_stray_line() -> None:
    messages, report = read("signal_chat_old.md")
    assert [(m.time_local, m.sender, m.text) for m in messages] == [
        (datetime(2023, 12, 24, 20, 0), "Me", "Merry Christmas"),
        (datetime(2023, 12, 24, 20, 5), "Kim", "And to you!"),
    ]
    assert report.skipped == [(1, "text before the first message header")]


def test_signal_json_lines() -> None:
    messages, report = read("signal_data.json")
    assert [(m.sender, m.kind, m.text) for m in messages] == [
        ("Me", "text", "Are you home yet?"),
        ("Jo", "text", "Almost! Traffic was awful"),
        ("Jo", "text", "Ten minutes, promise"),
        ("Me", "media", ""),
        ("Jo", "deleted", ""),
        ("Jo", "call", "Missed voice call"),
    ]
    assert messages[1].time_local == datetime(2024, 1, 31, 18, 5, 40, 250000)
    assert messages[1].reactions == [("Me", "\U0001f602")]
    assert messages[2].reply_to == "Are you home yet?"
    assert report.skipped == [(6, "not a JSON object"), (7, "no date")]


# Messenger and Instagram -------------------------------------------------------


def test_messenger_folder_merged_in_time_order_with_mojibake_repaired() -> None:
    messages, report = read("messenger/inbox/zoe_123", tz="UTC")
    assert report.format == "messenger" and report.chat_name == "Zoé"
    assert [(m.sender, m.kind) for m in messages] == [
        (None, "system"),
        ("Zoé", "text"),
        ("Marc", "text"),
        ("Zoé", "media"),
        ("Marc", "call"),
        ("Zoé", "deleted"),
        ("Marc", "text"),
    ]
    times = [m.time_utc for m in messages]
    assert times == sorted(times)
    assert messages[1].time_local == datetime(2024, 4, 10, 12, 0)
    assert messages[2].text == "Ça va très bien, merci"
    assert messages[2].reactions == [("Zoé", "\u2764")]
    assert messages[3].reactions == [("Marc", "\U0001f602")]
    assert messages[-1].text == "À bientôt \u2764\ufe0f"
    # A string holding a character above U+00FF cannot be mojibake: kept as it was.
    assert messages[1].text == "Coucou ! \u00c3\u0087a va ? \u03a9"
    assert report.skipped == [(7, "not a message object")]


def test_messenger_local_time_follows_the_zone_given() -> None:
    messages, _ = read("messenger/inbox/zoe_123", tz="Europe/Paris")
    assert messages[1].time_local == datetime(2024, 4, 10, 14, 0)  # CEST, UTC+2
    with pytest.raises(ChatFormatError, match="time zone"):
        parse(CHATS / "messenger/inbox/zoe_123", tz="Mars/Olympus")


def test_messenger_export_root_and_zip() -> None:
    messages, report = read("messenger", tz="UTC")
    assert len(messages) == 7 and report.chat_name == "Zoé"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in (CHATS / "messenger").rglob("*.json"):
            archive.write(path, path.relative_to(CHATS).as_posix())
        for path in (CHATS / "instagram").rglob("*.json"):
            archive.write(path, path.relative_to(CHATS).as_posix())
    stream, report = parse(buffer.getvalue(), tz="UTC")
    assert report.format == "messenger" and len(list(stream)) == 7
    assert {c["name"] for c in report.chats} == {"zoe_123", "tomk_987"}
    stream, report = parse(buffer.getvalue(), chat="tomk_987", tz="UTC")
    assert [m.sender for m in stream] == ["ines.draws", "tom_k", "ines.draws", "tom_k"]


def test_instagram() -> None:
    messages, report = read("instagram", tz="UTC")
    assert report.chat_name == "tom_k"
    assert [(m.sender, m.kind, m.text) for m in messages] == [
        ("ines.draws", "text", "this made me think of you \U0001f408"),
        ("tom_k", "text", "Liked a message"),
        ("ines.draws", "media", ""),  # a shared post with no words
        ("tom_k", "text", "Reacted \U0001f602 to your message "),
    ]


def test_mojibake_repair_is_per_string_and_safe() -> None:
    assert fix_mojibake("Zo\u00c3\u00a9") == "Zoé"
    assert fix_mojibake("plain") == "plain"
    assert fix_mojibake("café") == "café"  # not mojibake: the bytes are not UTF-8
    assert fix_mojibake("\u00c3\u00a9 \u2603") == "\u00c3\u00a9 \u2603"


# Detection ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("whatsapp_android_24h_dmy.txt", "whatsapp"),
        ("whatsapp_ios_dmy.txt", "whatsapp"),
        ("whatsapp_ios.zip", "whatsapp"),
        ("whatsapp_es.txt", "whatsapp"),
        ("telegram_single.json", "telegram"),
        ("telegram_full.json", "telegram"),
        ("signal_chat.md", "signal"),
        ("signal_chat_old.md", "signal"),
        ("signal_data.json", "signal"),
        ("messenger", "messenger"),
        ("messenger/inbox/zoe_123/message_1.json", "messenger"),
        ("instagram", "messenger"),
    ],
)
def test_detect_format(name: str, expected: str) -> None:
    assert detect_format(CHATS / name) == expected
    path = CHATS / name
    if path.is_file() and not name.endswith(".zip"):
        assert detect_format(path.read_bytes()[:4096]) == expected


def test_unknown_format_names_the_supported_ones() -> None:
    with pytest.raises(UnknownFormatError) as caught:
        detect_format(b"%PDF-1.7 not a chat")
    assert "whatsapp, telegram, signal, messenger" in str(caught.value)
    with pytest.raises(UnknownFormatError, match="Supported formats"):
        parse(CHATS / "whatsapp_fr.txt", format="viber")


def test_missing_file_is_a_chat_format_error(tmp_path: Path) -> None:
    with pytest.raises(ChatFormatError, match="Cannot read"):
        parse(tmp_path / "nothing.txt", format="whatsapp")


def test_message_as_json_has_the_documented_keys() -> None:
    messages, _ = read("telegram_single.json")
    row = messages[0].as_json()
    assert row == {
        "time_local": "2024-01-31T18:02:03",
        "time_utc": "2024-01-31T17:02:03+00:00",
        "sender": "Noor",
        "text": "",
        "kind": "call",
        "edited": False,
    }
