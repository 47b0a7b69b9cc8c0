"""WhatsApp headers as people really have them (issue 17): one test per failure
class, each on a fixture written for it. The chats are invented."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from tending.insights.analysis.indicators import fold
from tending.insights.chats import whatsapp, whatsapp_shapes
from tending.insights.chats.detect import parse
from tending.insights.chats.stream import AmbiguousDateOrder, Message, ParseReport

CHATS = Path(__file__).parent / "fixtures" / "chats"


def read(name: str, **options: object) -> tuple[list[Message], ParseReport]:
    stream, report = parse(CHATS / name, **options)
    return list(stream), report


def rows(messages: list[Message]) -> list[tuple[str, str | None, str, str]]:
    return [(m.time_local.isoformat(sep=" "), m.sender, m.kind, m.text) for m in messages]


# A. Year first with a one-digit month or day ---------------------------------


def test_a_year_first_one_digit_month_and_day_ios() -> None:
    messages, report = read("whatsapp_a_year_first_ios.txt")
    assert report.date_order == "ymd" and report.skipped_count == 0
    assert rows(messages)[2] == ("2024-07-01 21:00:01", "Maya", "text", "first of the month")
    assert [m.time_local.day for m in messages] == [30, 30, 1, 1, 9, 10]
    assert messages[4].edited and messages[4].text == "Morning"
    assert messages[5].kind == "media"


def test_a_year_first_one_digit_month_and_day_android() -> None:
    messages, report = read("whatsapp_a_year_first_android.txt")
    assert report.date_order == "ymd" and len(messages) == 5
    assert rows(messages)[1] == ("2024-07-01 09:00:00", "Jonas", "text", "first of the month")
    assert messages[2].text == "Safe trip!\nand call me when you land"


# B. A person is never mistaken for system lines ------------------------------


@pytest.mark.parametrize("name", ["whatsapp_b_person_android.txt", "whatsapp_b_person_ios.txt"])
def test_b_a_person_whose_words_look_like_system_lines_keeps_their_sender(name: str) -> None:
    messages, report = read(name)
    said = [(m.sender, m.text) for m in messages if m.sender is not None]
    assert ("Ben", "I left") in said
    assert ("Carl", "I added Dana to the trip list") in said
    assert ("Ben", "Tickets are booked") in said and ("Carl", "great, see you there") in said
    assert report.participants["Ben"] == 2
    # The real system lines are still system lines, on both platforms.
    system = [m.text for m in messages if m.kind == "system"]
    assert system[-1] == "Ben left" and all(
        m.sender is None for m in messages if m.kind == "system"
    )
    assert "Trip" not in report.participants


def test_b_a_system_line_whose_text_holds_a_colon_has_no_sender() -> None:
    messages, _ = read("whatsapp_b_person_android.txt")
    renamed = [m for m in messages if "Lisbon" in m.text]
    assert [(m.sender, m.kind, m.text) for m in renamed] == [
        (None, "system", "Ana changed the group name to Trip: Lisbon")
    ]


# C. Old exports: a colon after the time --------------------------------------


def test_c_colon_after_the_time() -> None:
    messages, report = read("whatsapp_c_colon_after_time.txt")
    assert report.skipped_count == 0 and report.date_order == "dmy"
    assert rows(messages) == [
        ("2014-03-24 13:59:59", None, "system", 'Sam Lee created group "Six o\'clock"'),
        ("2014-03-24 13:59:59", "Sam Lee", "text", "see you at six"),
        ("2014-03-24 14:01:12", "Noa", "text", "At the usual place?"),
        ("2014-03-24 14:01:40", "Sam Lee", "text", "yes: by the fountain"),
        ("2014-03-25 08:00:00", "Noa", "media", "<Media omitted>"),
    ]


# D. Morning and afternoon in other scripts ------------------------------------


@pytest.mark.parametrize(
    ("name", "times"),
    [
        ("whatsapp_d_zh_after_time.txt", ["11:58", "15:04", "15:10", "00:30"]),
        ("whatsapp_d_zh_before_time.txt", ["09:05", "12:45", "15:06"]),
        ("whatsapp_d_ko_ios.txt", ["09:15", "15:06", "15:07", "00:10"]),
        ("whatsapp_d_ar.txt", ["09:05", "15:06", "00:00"]),
        ("whatsapp_d_es_el.txt", ["09:05", "15:06", "15:06"]),
    ],
)
def test_d_morning_and_afternoon_markers(name: str, times: list[str]) -> None:
    messages, report = read(name)
    assert report.skipped_count == 0
    assert [m.time_local.strftime("%H:%M") for m in messages] == times
    assert all(m.time_local.date().isoformat().startswith("2024-01-1") for m in messages)


def test_d_arabic_digits_names_and_placeholder() -> None:
    messages, _ = read("whatsapp_d_ar.txt")
    assert [m.sender for m in messages] == ["سارة", "علي", "علي"]
    assert messages[2].kind == "media"


def test_d_korean_and_chinese_placeholders() -> None:
    korean, _ = read("whatsapp_d_ko_ios.txt")
    assert korean[-1].kind == "media" and korean[-1].sender == "민준"
    chinese, _ = read("whatsapp_d_zh_before_time.txt")
    assert [m.kind for m in chinese] == ["text", "deleted", "media"]


# E. French "à" between date and time -------------------------------------------


def test_e_french_a_between_date_and_time() -> None:
    messages, report = read("whatsapp_e_fr.txt")
    assert report.skipped_count == 0
    assert rows(messages) == [
        ("2017-07-12 22:35:00", "Léa", "text", "salut"),
        ("2017-07-12 22:36:00", "Hugo", "text", "Salut ! Tu rentres quand ?"),
        ("2017-07-13 08:02:00", "Léa", "media", "<Médias omis>"),
        ("2017-07-13 08:03:00", "Hugo", "deleted", "Ce message a été supprimé"),
    ]


# G. Dates run forward: the reading that makes them do so, or a question --------


def test_g_two_digit_year_first_is_read_the_way_the_dates_run_forward() -> None:
    messages, report = read("whatsapp_g_two_digit_year_first.txt")
    assert report.date_order == "ymd"
    assert [m.time_local.date().isoformat() for m in messages] == [
        "2026-08-06",
        "2026-08-06",
        "2026-08-07",
        "2026-08-15",
        "2026-09-01",
    ]
    assert any("year first" in note for note in report.notes)


def test_g_dates_that_run_forward_in_three_readings_are_asked_about() -> None:
    with pytest.raises(AmbiguousDateOrder) as caught:
        parse(CHATS / "whatsapp_g_ambiguous_year_first.txt")
    assert caught.value.choices == ["dmy", "mdy", "ymd"]
    assert "year/month/day (ymd)" in str(caught.value)
    messages, report = read("whatsapp_g_ambiguous_year_first.txt", date_order="ymd")
    assert messages[-1].time_local == datetime(2010, 11, 13, 20, 0)


def test_g_a_reading_that_jumps_back_and_forth_is_not_chosen() -> None:
    # Day first by the votes (a field above 12), but read so the dates would fall
    # before WhatsApp existed and jump a year a day: read year first instead.
    lines = [f"{y:02d}-05-{d:02d}, 10:00 - Ana: day {d}" for y, d in ((24, 13), (24, 14), (24, 20))]
    stream, report = parse("\n".join(lines).encode(), "whatsapp")
    assert [m.time_local.date().isoformat() for m in stream] == [
        "2024-05-13",
        "2024-05-14",
        "2024-05-20",
    ]
    assert report.date_order == "ymd"


def test_g_a_chat_in_order_keeps_the_voted_reading() -> None:
    # Both readings run forward here; the field above 12 decides, as it always has.
    stream, report = parse(b"13/03/24, 10:00 - Ana: a\n14/03/24, 10:00 - Ben: b\n", "whatsapp")
    assert [m.time_local.date().isoformat() for m in stream] == ["2024-03-13", "2024-03-14"]
    assert report.date_order == "dmy" and report.notes == []


# H. Placeholders in more languages; iOS attachment forms -------------------------


@pytest.mark.parametrize(
    ("name", "kinds"),
    [
        ("whatsapp_h_nl.txt", ["text", "media", "deleted", "text"]),
        ("whatsapp_h_ru.txt", ["text", "media", "deleted"]),
        ("whatsapp_h_id.txt", ["text", "media", "deleted"]),
        ("whatsapp_h_tr.txt", ["text", "media", "deleted"]),
        ("whatsapp_h_ios_attached.txt", ["text", "media", "media", "text"]),
    ],
)
def test_h_placeholders_in_other_languages(name: str, kinds: list[str]) -> None:
    messages, report = read(name)
    assert [m.kind for m in messages] == kinds
    assert report.skipped_count == 0


def test_h_dutch_edit_marker_and_indonesian_dotted_times() -> None:
    dutch, _ = read("whatsapp_h_nl.txt")
    assert dutch[-1].edited and dutch[-1].text == "Mooi zeg"
    indonesian, _ = read("whatsapp_h_id.txt")
    assert indonesian[2].time_local == datetime(2024, 3, 22, 10, 5)


def test_h_every_language_file_has_the_same_keys_and_says_what_is_confirmed() -> None:
    languages = whatsapp_shapes.languages()
    assert len(languages) >= 20
    keys = set(languages["en"])
    for code, data in languages.items():
        assert set(data) == keys, code
        assert "unconfirmed" in data["note"], code
        listed = {w for key in keys - {"language", "note", "confirmed"} for w in _words(data[key])}
        assert set(data["confirmed"]) <= listed, code


def _words(value: object) -> list[str]:
    if isinstance(value, dict):
        return [w for words in value.values() for w in words]
    return list(value) if isinstance(value, list) else []


# I. Header variants: read, or counted when they cannot be -------------------------


def test_i_two_spaces_before_the_dash_and_a_dot_after_the_time() -> None:
    messages, report = read("whatsapp_i_variants.txt")
    assert [m.text for m in messages] == ["Are you up?", "two spaces before the dash", "yes"]
    assert messages[1].time_local == datetime(2019, 12, 30, 22, 36)
    dotted, report = read("whatsapp_i_dot_after_time.txt")
    assert [(m.sender, m.text) for m in dotted] == [
        ("John Doe", "Merry Christmas Eve"),
        ("Jane", "and to you"),
    ]
    assert report.skipped_count == 0


def test_i_lines_that_look_like_headers_are_never_merged_silently() -> None:
    messages, report = read("whatsapp_i_unread_headers.txt")
    assert [(m.sender, m.text) for m in messages] == [
        ("Ana", "Hello there"),
        # A date and a time followed by words, or a date alone, is text the person wrote.
        ("Ana", "ok, the plan:\n12/03/2024 10:00 flight to Rome"),
        ("Bruno", "fine\n15/02/2024 was a good day, and this line is part of the message"),
    ]
    assert report.skipped == [
        (2, whatsapp.UNREAD_NO_SEPARATOR),
        (3, "continuation of a skipped message"),
        (6, whatsapp.UNREAD_NO_SEPARATOR),
    ]
    section = report.skipped_section()
    assert section["messages_seen"] == 5 and section["messages_unread"] == 2
    assert section["prominent"] is True
    assert section["reasons"][0] == {
        "reason": whatsapp.UNREAD_NO_SEPARATOR,
        "count": 2,
        "first": [2, 6],
    }


def test_i_the_skipped_section_holds_no_text() -> None:
    messages, report = read("whatsapp_i_unread_headers.txt")
    result = fold(messages, report=report)
    blob = json.dumps(result["skipped"], ensure_ascii=False)
    for text in ("nobody writes", "second line", "another one"):
        assert text not in blob
    assert result["skipped"]["unit"] == "line" and result["skipped"]["count"] == 3


# J. Small ones ---------------------------------------------------------------------


def test_j_a_given_date_order_does_not_override_a_four_digit_year_written_first() -> None:
    messages, report = read("whatsapp_a_year_first_android.txt", date_order="dmy")
    assert report.date_order == "ymd" and report.skipped_count == 0
    assert messages[1].time_local == datetime(2024, 7, 1, 9, 0)


def test_j_hour_zero_on_a_twelve_hour_clock() -> None:
    messages, report = read("whatsapp_j_hour_zero.txt")
    assert report.skipped_count == 0
    assert [m.time_local for m in messages] == [
        datetime(2024, 1, 13, 23, 58),
        datetime(2024, 1, 14, 0, 15),
        datetime(2024, 1, 14, 0, 20),
    ]


def test_j_the_last_message_loses_the_blank_lines_that_end_the_file() -> None:
    messages, _ = read("whatsapp_j_blank_end.txt")
    assert messages[-1].text == "last one"


def test_j_a_system_line_holding_a_colon_gets_no_sender() -> None:
    messages, report = read("whatsapp_j_system_colon.txt")
    assert [(m.sender, m.kind) for m in messages] == [
        (None, "system"),
        ("Bruno", "text"),
        (None, "system"),
    ]
    assert messages[0].text == "Ana changed the group name to Plans: March"
    assert dict(report.participants) == {"Bruno": 1}


def test_g_dates_that_go_back_in_the_chosen_reading_are_noted() -> None:
    chat = (
        b"13/03/2024, 10:00 - Ana: a\n14/03/2024, 10:00 - Ben: b\n"
        b"02/01/2024, 10:00 - Ana: from an older export\n15/03/2024, 10:00 - Ben: c\n"
    )
    stream, report = parse(chat, "whatsapp")
    assert len(list(stream)) == 4 and report.date_order == "dmy"
    assert report.notes == [
        "In the part of the chat checked first, the dates go back in time 1 time by more than a day."
    ]
