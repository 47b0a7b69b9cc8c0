"""The skipped report (issue 17): lines that look like message headers but cannot
be read are counted by reason, with their first line numbers, in `--json`, in
the terminal summary and on the import's page, prominently above 1%. Never a
word of the chat. Also the date question with year first among the answers."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from tending.bonds.models import Bond
from tending.insights import jobs
from tending.insights.chats import whatsapp
from tending.insights.models import ChatImport, Status
from tending.ops import jobs as ops_jobs

CHATS = Path(__file__).parent / "fixtures" / "chats"
UNREAD = CHATS / "whatsapp_i_unread_headers.txt"


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    settings.DATA_DIR = tmp_path
    ops_jobs.STOP.clear()
    return tmp_path


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("insights", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def _imported(client: Client, bond: Bond, data: bytes) -> ChatImport:
    response = client.post(
        reverse("insights:upload", args=[bond.pk]),
        {"file": SimpleUploadedFile("chat.txt", data), "format": "auto"},
    )
    assert response.status_code == 302
    assert jobs.read_next_import() is True
    return ChatImport.objects.latest("pk")


def _many_lines(unread: int) -> bytes:
    lines = [
        f"14/02/2024, 09:{n % 60:02d} - {'Ana' if n % 2 else 'Bruno'}: line {n}" for n in range(300)
    ]
    for n in range(unread):
        lines.insert(10 + 20 * n, "14/02/2024 09:30 -- Bruno: a shape nobody writes")
    return ("\n".join(lines) + "\n").encode()


def test_json_has_a_skipped_section_by_reason_with_line_numbers() -> None:
    out, err = run(str(UNREAD), "--json")
    skipped = json.loads(out)["skipped"]
    assert skipped == {
        "unit": "line",
        "count": 3,
        "messages_seen": 5,
        "messages_unread": 2,
        "share": 0.4,
        "prominent": True,
        "reasons": [
            {"reason": whatsapp.UNREAD_NO_SEPARATOR, "count": 2, "first": [2, 6]},
            {"reason": "continuation of a skipped message", "count": 1, "first": [3]},
        ],
    }
    assert "nobody writes" not in out and "another one" not in out
    assert "line 2 skipped: " + whatsapp.UNREAD_NO_SEPARATOR in err


def test_the_summary_says_so_when_more_than_one_percent_could_not_be_read(tmp_path: Path) -> None:
    chat = tmp_path / "chat.txt"
    chat.write_bytes(_many_lines(4))  # 4 of 304
    out, _ = run(str(chat))
    assert "More than 1% could not be read: 4 of 304" in out
    chat.write_bytes(_many_lines(1))  # 1 of 301: under 1%
    out, _ = run(str(chat))
    assert "More than 1%" not in out and "Skipped lines: 1" in out


def test_the_page_shows_the_lines_that_could_not_be_read(as_alice: Client, bond: Bond) -> None:
    item = _imported(as_alice, bond, _many_lines(1))
    assert item.status == Status.NEEDS_MAPPING
    page = as_alice.get(item.get_absolute_url()).content.decode()
    assert "1 line could not be read" in page and 'class="card notice skipped"' not in page
    assert f"Line 11: {whatsapp.UNREAD_NO_SEPARATOR}" in page

    item = _imported(as_alice, bond, _many_lines(4))
    page = as_alice.get(item.get_absolute_url()).content.decode()
    assert 'class="card notice skipped"' in page
    assert "4 lines could not be read" in page
    assert "4 of the 304 lines that start like a message (1.3%)" in page
    assert "Line 11:" in page and "Line 31:" in page
    assert "nobody writes" not in page


def test_year_first_is_offered_when_the_dates_read_that_way_too(
    as_alice: Client, bond: Bond
) -> None:
    item = _imported(as_alice, bond, (CHATS / "whatsapp_g_ambiguous_year_first.txt").read_bytes())
    assert item.status == Status.NEEDS_DATE_ORDER
    page = as_alice.get(item.get_absolute_url()).content.decode()
    assert "Year first: 10/11/12 is 12 November 2010" in page
    assert "Day first: 10/11/12 is 10 November 2012" in page
    url = reverse("insights:date_order", args=[bond.pk, item.pk])
    assert as_alice.post(url, {"date_order": "ymd"}).status_code == 302
    assert jobs.read_next_import() is True
    item.refresh_from_db()
    assert item.status == Status.NEEDS_MAPPING and item.report["source"]["date_order"] == "ymd"


def test_the_command_names_every_order_it_could_be(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="--date-order ymd") as caught:
        run(str(CHATS / "whatsapp_g_ambiguous_year_first.txt"))
    assert caught.value.returncode == 2
