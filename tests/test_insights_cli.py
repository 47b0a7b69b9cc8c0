"""`tending insights FILE`: summaries, JSON, HTML, message lines, and calm
errors with exit code 2 and never a traceback."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import datetime, timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

CHATS = Path(__file__).parent / "fixtures" / "chats"
ROOT = Path(__file__).resolve().parent.parent


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("insights", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def shell(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tending.cli", "insights", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )


def long_chat(path: Path) -> Path:
    """Eight months of an invented Android chat whose talk drifts toward errands."""
    lines = []
    for offset in range(8):
        start = datetime(2024, 2 + offset, 1, 8, 0)
        errands = 12 + offset * 2
        for i in range(40):
            when = start + timedelta(hours=i * 12, minutes=i)
            who = "Ana" if i % 2 else "Bruno"
            text = (
                "Can you pick up milk on the way home?"
                if i < errands
                else f"haha that walk was lovely {i}"
            )
            lines.append(f"{when:%d/%m/%Y, %H:%M} - {who}: {text}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_default_summary() -> None:
    out, err = run(str(CHATS / "whatsapp_android_24h_dmy.txt"))
    assert out.startswith("WhatsApp chat · Ana, Bruno · 8 messages · 2024-02-14 to 2024-02-16")
    assert "Skipped lines: 0" in out
    assert re.search(r"^2024-02\*\s+8\s+4\s+4\s+4\s", out, re.MULTILINE)
    assert "* only partly covered by the export" in out
    assert "not the relationship itself" in out
    assert err == ""


def test_json_report() -> None:
    out, _ = run(str(CHATS / "signal_chat.md"), "--json")
    report = json.loads(out)
    assert report["source"]["format"] == "signal"
    assert report["participants"] == ["Jo", "Me"]
    assert [m["month"] for m in report["months"]] == ["2024-01", "2024-02"]
    assert report["totals"]["together"]["messages"] == 7


def test_messages_as_json_lines() -> None:
    out, _ = run(str(CHATS / "whatsapp_de_dotted.txt"), "--messages")
    rows = [json.loads(line) for line in out.splitlines()]
    assert len(rows) == 8
    assert all(
        set(row) == {"time_local", "time_utc", "sender", "text", "kind", "edited"} for row in rows
    )
    assert rows[0]["sender"] is None and rows[0]["kind"] == "system"
    assert rows[3] == {
        "time_local": "2024-03-13T21:07:00",
        "time_utc": None,
        "sender": "Lena",
        "text": "Wer bringt die Grillkohle mit?",
        "kind": "text",
        "edited": False,
    }
    assert rows[6]["edited"] is True


def test_html_report_is_self_contained(tmp_path: Path) -> None:
    chat = long_chat(tmp_path / "chat.txt")
    out_file = tmp_path / "report.html"
    out, _ = run(str(chat), "--html", str(out_file))
    assert out.strip() == f"Report written to {out_file}"
    page = out_file.read_text(encoding="utf-8")
    assert page.count("<svg") == 4
    assert "<script" not in page.lower()
    assert not re.search(r"\s(?:src|href)=", page)
    assert not re.search(r"url\(", page)
    assert set(re.findall(r"https?://[^\"' )]+", page)) <= {"http://www.w3.org/2000/svg"}
    assert "Talk has become more transactional" in page


def test_html_escapes_names(tmp_path: Path) -> None:
    chat = tmp_path / "chat.txt"
    chat.write_text(
        "13/02/2024, 10:00 - <b>Ana</b>: hi\n13/02/2024, 10:01 - Bruno: hello\n", encoding="utf-8"
    )
    out_file = tmp_path / "report.html"
    run(str(chat), "--html", str(out_file))
    page = out_file.read_text(encoding="utf-8")
    assert "<b>Ana</b>" not in page and "&lt;b&gt;Ana&lt;/b&gt;" in page


def test_skipped_lines_are_listed_on_stderr() -> None:
    out, err = run(str(CHATS / "whatsapp_malformed.txt"))
    assert err.splitlines() == [
        "line 1 skipped: text before the first message header",
        "line 4 skipped: message header with an impossible date or time",
        "line 5 skipped: continuation of a skipped message",
        "3 line(s) skipped in all.",
    ]
    assert "Skipped lines: 3" in out


def test_many_skipped_lines_are_capped(tmp_path: Path) -> None:
    chat = tmp_path / "chat.txt"
    chat.write_text("noise\n" * 50 + "13/02/2024, 10:00 - Ana: hi\n", encoding="utf-8")
    _, err = run(str(chat))
    lines = err.splitlines()
    assert (
        len(
            [
                line
                for line in lines
                if line.endswith("skipped: text before the first message header")
            ]
        )
        == 20
    )
    assert "... and 30 more skipped lines" in lines
    assert lines[-1] == "50 line(s) skipped in all."


def test_telegram_chat_option() -> None:
    out, _ = run(str(CHATS / "telegram_full.json"), "--chat", "Garden group", "--json")
    assert json.loads(out)["participants"] == ["Pia", "Noor", "Eli"]


def test_json_and_messages_together_are_refused() -> None:
    with pytest.raises(CommandError, match="choose one") as caught:
        run(str(CHATS / "whatsapp_fr.txt"), "--json", "--messages")
    assert caught.value.returncode == 2


def test_ambiguous_dates_ask_for_the_order() -> None:
    with pytest.raises(CommandError, match="--date-order dmy") as caught:
        run(str(CHATS / "whatsapp_ambiguous.txt"))
    assert caught.value.returncode == 2
    out, _ = run(str(CHATS / "whatsapp_ambiguous.txt"), "--date-order", "dmy", "--json")
    assert [m["month"] for m in json.loads(out)["months"]][:2] == ["2024-04", "2024-05"]


def test_unknown_format_exits_2_naming_the_supported_formats() -> None:
    done = shell(str(CHATS / "whatsapp_fr.txt"), "--format", "viber")
    assert done.returncode == 2
    assert "Supported formats: whatsapp, telegram, signal, messenger." in done.stderr
    assert "Traceback" not in done.stderr
    done = shell(str(CHATS / "whatsapp_fr.txt").replace(".txt", ".pdf"))
    assert done.returncode == 2 and "Traceback" not in done.stderr


def test_truncated_files_exit_2_with_a_clear_error(tmp_path: Path) -> None:
    raw = (CHATS / "whatsapp_ios.zip").read_bytes()
    cut = tmp_path / "WhatsApp Chat - Ana.zip"
    cut.write_bytes(raw[: len(raw) // 2])
    done = shell(str(cut))
    assert done.returncode == 2
    assert "damaged or incomplete" in done.stderr and "Traceback" not in done.stderr
    raw = (CHATS / "telegram_single.json").read_bytes()
    cut = tmp_path / "result.json"
    cut.write_bytes(raw[: len(raw) * 2 // 3])
    done = shell(str(cut), "--format", "telegram")
    assert done.returncode == 2
    assert "stops early" in done.stderr and "Traceback" not in done.stderr


def test_every_option_is_documented_in_help() -> None:
    done = shell("--help")
    assert done.returncode == 0
    for option in ("--format", "--json", "--html", "--messages", "--date-order", "--chat"):
        assert option in done.stdout
