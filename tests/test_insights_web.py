"""Chat-history insights in the web app: upload, reading in the worker, who is
who, consent, the insights page, deletion, and what is (not) kept."""

from __future__ import annotations

import io
import json
import os
import stat
import zipfile
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tending.accounts.models import User
from tending.bonds.models import Bond
from tending.bonds.privacy import Visibility
from tending.insights import jobs, storage
from tending.insights.forms import read_sample
from tending.insights.mapping import propose
from tending.insights.models import ChatImport, InsightConsent, Status
from tending.notify.models import Notification
from tending.ops import jobs as ops_jobs
from tending.safety.models import SafetyScreen

FIXTURES = Path(__file__).parent / "fixtures" / "chats"
# A phrase that occurs only in the uploaded chat: it must never be stored.
SECRET = "the lighthouse keeper's marmalade"

EARLY = (
    "I feel so lonely when you are away",
    "haha you are ridiculous 😂",
    "how was your day? what are you thinking about?",
    f"{SECRET} is the best thing I ever tasted",
)
LATE = (
    "can you pick up milk at 5?",
    "what time is the dentist tomorrow?",
    "ok",
    f"{SECRET} is in the fridge",
)


def whatsapp_chat(first: str = "Alice", second: str = "Bob", months: int = 4) -> bytes:
    """A made-up Android WhatsApp export (day first, days past the 12th so the
    order is clear): warm talk in the first half, logistics in the second."""
    start = datetime(2024, 1, 1, 8, 0)
    lines = []
    for day in range(months * 30):
        texts = EARLY if day < months * 15 else LATE
        for n in range(3):
            when = start + timedelta(days=day, hours=2 * n, minutes=7 * n)
            sender = first if (day + n) % 2 == 0 else second
            text = texts[(day + n) % len(texts)]
            lines.append(f"{when:%d/%m/%Y, %H:%M} - {sender}: {text}")
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    settings.DATA_DIR = tmp_path
    return tmp_path


@pytest.fixture(autouse=True)
def _clear_stop():  # type: ignore[no-untyped-def]
    ops_jobs.STOP.clear()
    yield
    ops_jobs.STOP.clear()


def _files(data_dir: Path) -> list[Path]:
    folder = data_dir / "imports"
    return sorted(folder.iterdir()) if folder.is_dir() else []


def _upload(client: Client, bond: Bond, data: bytes, name: str = "chat.txt", fmt: str = "auto"):  # type: ignore[no-untyped-def]
    return client.post(
        reverse("insights:upload", args=[bond.pk]),
        {"file": SimpleUploadedFile(name, data), "format": fmt},
    )


def _uploaded(client: Client, bond: Bond, data: bytes, **kwargs) -> ChatImport:  # type: ignore[no-untyped-def]
    response = _upload(client, bond, data, **kwargs)
    assert response.status_code == 302, response.content.decode()[:2000]
    return ChatImport.objects.latest("pk")


def _read(item: ChatImport) -> ChatImport:
    assert jobs.read_next_import() is True
    item.refresh_from_db()
    return item


def _confirm(client: Client, item: ChatImport, roles: list[str], offer: bool = True):  # type: ignore[no-untyped-def]
    data = {f"p{i}": role for i, role in enumerate(roles)}
    if offer:
        data["offer"] = "on"
    return client.post(reverse("insights:confirm", args=[item.bond_id, item.pk]), data)


def _ready(as_alice: Client, bond: Bond, offer: bool = True) -> ChatImport:
    item = _read(_uploaded(as_alice, bond, whatsapp_chat()))
    assert item.status == Status.NEEDS_MAPPING
    response = _confirm(as_alice, item, ["author", "other"], offer=offer)
    assert response.status_code == 302
    item.refresh_from_db()
    return item


def _url(name: str, item: ChatImport) -> str:
    return reverse(f"insights:{name}", args=[item.bond_id, item.pk])


# --- The whole way through ------------------------------------------------------------


def test_practice_card_on_the_bond_page(as_alice: Client, bond: Bond) -> None:
    # Issue 13: the practices moved from the bond's home to their own page.
    page = as_alice.get(reverse("garden:practices", args=[bond.pk])).content.decode()
    assert "Insights from your chats" in page
    assert reverse("insights:index", args=[bond.pk]) in page


def test_index_explains_what_is_computed_and_kept(as_alice: Client, bond: Bond) -> None:
    page = as_alice.get(reverse("insights:index", args=[bond.pk])).content.decode()
    assert "On this server only" in page
    assert "The messages themselves are never stored" in page
    assert 'enctype="multipart/form-data"' in page
    assert 'accept=".txt,.zip,.json,.md"' in page


def test_index_says_where_the_file_waits_with_object_storage(
    as_alice: Client, bond: Bond, settings
) -> None:
    # "On this server only" would not be true while the file waits in a bucket.
    settings.FILE_STORAGE = "s3"
    page = as_alice.get(reverse("insights:index", args=[bond.pk])).content.decode()
    assert "On this server only" not in page
    assert "waits in the storage bucket this server" in page


def test_upload_read_confirm_and_see(as_alice: Client, bond: Bond, data_dir: Path) -> None:
    item = _uploaded(as_alice, bond, whatsapp_chat())
    assert item.status == Status.QUEUED and item.author == bond.created_by
    assert item.visibility == Visibility.PRIVATE
    [path] = _files(data_dir)
    assert path.name == item.file_name and len(item.file_name) == 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE((data_dir / "imports").stat().st_mode) == 0o700

    page = as_alice.get(item.get_absolute_url()).content.decode()
    assert "<progress" in page and "Reading your chat" in page

    item = _read(item)
    assert item.status == Status.NEEDS_MAPPING
    assert item.file_name == "" and _files(data_dir) == []
    assert item.mapping == {"Alice": "author", "Bob": "other"}
    assert item.format == "whatsapp"
    assert Notification.objects.filter(user=item.author, topic="insights").count() == 1

    page = as_alice.get(item.get_absolute_url()).content.decode()
    assert "Who is who?" in page
    assert "<svg" not in page  # no insights before the person confirms

    response = _confirm(as_alice, item, ["author", "other"])
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == Status.READY and item.visibility == Visibility.SHARED

    page = as_alice.get(item.get_absolute_url()).content.decode()
    assert page.count("<svg") >= 8
    assert "Messages each month" in page and "The same numbers as a table" in page
    assert "1 Jan 2024 to " in page
    assert "more transactional" in page  # the logistics trend, in plain words
    assert "prompts/" in page or "Go there" in page or "weekly conversation" in page
    assert SECRET not in page


def test_the_page_names_people_for_the_viewer(as_alice: Client, as_bob: Client, bond: Bond) -> None:
    item = _ready(as_alice, bond)
    InsightConsent.objects.create(
        chat_import=item, user=item.bond.other_member(item.author), agreed_at=timezone.now()
    )
    alice_page = as_alice.get(item.get_absolute_url()).content.decode()
    bob_page = as_bob.get(item.get_absolute_url()).content.decode()
    assert '<th scope="col">You</th><th scope="col">Bob</th>' in alice_page
    assert '<th scope="col">Alice</th><th scope="col">You</th>' in bob_page


def test_partial_months_are_marked(as_alice: Client, bond: Bond) -> None:
    chat = whatsapp_chat().replace(b"01/01/2024, 08:00", b"15/01/2024, 08:00")
    chat = b"\n".join(line for line in chat.split(b"\n") if not line.startswith(b"0"))
    item = _read(_uploaded(as_alice, bond, chat))
    _confirm(as_alice, item, ["author", "other"])
    page = as_alice.get(item.get_absolute_url()).content.decode()
    assert "(part of the month)" in page
    assert 'fill-opacity="0.45"' in page


# --- Consent ---------------------------------------------------------------------------


def test_bob_sees_nothing_of_the_content_until_he_agrees(
    as_alice: Client, as_bob: Client, bond: Bond, bob: User
) -> None:
    item = _ready(as_alice, bond)
    asked = Notification.objects.get(user=bob, topic="insights")
    assert asked.title == "Alice asks whether you'd like to see insights from your chats together"

    index = as_bob.get(reverse("insights:index", args=[bond.pk])).content.decode()
    assert "Alice added insights from a chat" in index
    page = as_bob.get(item.get_absolute_url()).content.decode()
    assert "I agree to see these insights together" in page
    for hidden in ("<svg", "Messages each month", "transactional", "Alice</th>"):
        assert hidden not in page

    refused = as_bob.post(_url("agree", item), {})
    assert refused.status_code == 400
    assert not item.is_visible_to(bob)

    assert as_bob.post(_url("agree", item), {"agree": "on"}).status_code == 302
    assert item.is_visible_to(bob)
    assert ChatImport.objects.visible_to(bob).filter(pk=item.pk).exists()
    page = as_bob.get(item.get_absolute_url()).content.decode()
    assert "Messages each month" in page and "<svg" in page
    told = Notification.objects.filter(user=item.author, topic="insights").latest("pk")
    assert told.title == "Bob agreed to see the chat insights together"

    assert as_bob.post(_url("withdraw", item)).status_code == 302
    assert not item.is_visible_to(bob)
    page = as_bob.get(item.get_absolute_url()).content.decode()
    assert "<svg" not in page and "I agree to see these insights together" in page


def test_uploader_can_stop_sharing(as_alice: Client, as_bob: Client, bond: Bond, bob: User) -> None:
    item = _ready(as_alice, bond)
    as_bob.post(_url("agree", item), {"agree": "on"})
    assert item.is_visible_to(bob)
    as_alice.post(_url("withdraw", item))
    item.refresh_from_db()
    assert item.visibility == Visibility.PRIVATE
    assert not item.is_visible_to(bob)
    assert as_bob.get(item.get_absolute_url()).status_code == 404
    # Offered again: bob is asked afresh, his earlier agreement does not carry over.
    as_alice.post(_url("share", item))
    item.refresh_from_db()
    assert item.visibility == Visibility.SHARED and not item.is_visible_to(bob)
    assert Notification.objects.filter(user=bob, topic="insights").count() == 1


def test_not_offered_without_the_uploaders_choice(
    as_alice: Client, as_bob: Client, bond: Bond, bob: User
) -> None:
    item = _ready(as_alice, bond, offer=False)
    assert item.visibility == Visibility.PRIVATE
    assert as_bob.get(item.get_absolute_url()).status_code == 404
    assert as_bob.post(_url("agree", item), {"agree": "on"}).status_code == 404
    assert not Notification.objects.filter(user=bob).exists()
    assert (
        "added insights"
        not in as_bob.get(reverse("insights:index", args=[bond.pk])).content.decode()
    )


def test_bob_can_hide_it_for_himself(
    as_alice: Client, as_bob: Client, bond: Bond, bob: User
) -> None:
    item = _ready(as_alice, bond)
    as_bob.post(_url("agree", item), {"agree": "on"})
    assert as_bob.post(_url("hide", item)).status_code == 302
    assert not item.is_visible_to(bob)
    assert as_bob.get(item.get_absolute_url()).status_code == 404
    assert (
        "added insights"
        not in as_bob.get(reverse("insights:index", args=[bond.pk])).content.decode()
    )
    # Still there for alice, who is not told that bob hid it.
    page = as_alice.get(item.get_absolute_url()).content.decode()
    assert "has not agreed (yet)" in page and "hid" not in page.lower().replace("hidden", "")


def test_unconfirmed_import_is_never_offered(as_alice: Client, as_bob: Client, bond: Bond) -> None:
    item = _read(_uploaded(as_alice, bond, whatsapp_chat()))
    ChatImport.objects.filter(pk=item.pk).update(visibility=Visibility.SHARED)
    assert as_bob.get(item.get_absolute_url()).status_code == 404
    assert not ChatImport.objects.offered_to(item.bond.other_member(item.author)).exists()


# --- Deleting ---------------------------------------------------------------------------


def test_deleting_removes_the_figures_answers_and_file(
    as_alice: Client, as_bob: Client, bond: Bond, data_dir: Path, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    item = _ready(as_alice, bond)
    as_bob.post(_url("agree", item), {"agree": "on"})
    waiting = _uploaded(as_alice, bond, whatsapp_chat())
    assert len(_files(data_dir)) == 1
    assert as_bob.post(_url("delete", item)).status_code == 404  # only the uploader deletes
    for one in (item, waiting):
        with django_capture_on_commit_callbacks(execute=True):
            assert as_alice.post(_url("delete", one)).status_code == 302
    assert not ChatImport.objects.exists()
    assert not InsightConsent.objects.exists()
    assert _files(data_dir) == []


# --- Who may see what -------------------------------------------------------------------

ROUTES = ("detail", "date_order", "confirm", "share", "agree", "withdraw", "hide", "delete")


def test_charlie_gets_404_everywhere_and_anonymous_is_sent_to_log_in(
    as_alice: Client, as_charlie: Client, bond: Bond, charlie_bond: Bond, charlie: User
) -> None:
    item = _ready(as_alice, bond)
    urls = [_url(name, item) for name in ROUTES]
    urls += [reverse("insights:index", args=[bond.pk]), reverse("insights:upload", args=[bond.pk])]
    for url in urls:
        assert as_charlie.get(url).status_code in (404, 405), url
        assert as_charlie.post(url, {"agree": "on", "p0": "author"}).status_code == 404, url
        anonymous = Client().get(url)
        assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    # Charlie's own bond cannot reach alice's import either.
    other = reverse("insights:detail", args=[charlie_bond.pk, item.pk])
    assert as_charlie.get(other).status_code == 404
    assert not ChatImport.objects.visible_to(charlie).exists()
    assert not ChatImport.objects.offered_to(charlie).exists()
    item.refresh_from_db()
    assert item.status == Status.READY and not InsightConsent.objects.exists()


def test_bob_cannot_act_for_alice(as_alice: Client, as_bob: Client, bond: Bond) -> None:
    waiting = _read(_uploaded(as_alice, bond, (FIXTURES / "whatsapp_ambiguous.txt").read_bytes()))
    assert as_bob.post(_url("date_order", waiting), {"date_order": "mdy"}).status_code == 404
    item = _ready(as_alice, bond)
    assert as_bob.post(_url("confirm", item), {"p0": "other", "p1": "author"}).status_code == 404
    assert as_bob.post(_url("share", item)).status_code == 404
    item.refresh_from_db()
    assert item.mapping == {"Alice": "author", "Bob": "other"}


def test_detail_page_query_count(
    as_alice: Client, as_bob: Client, bond: Bond, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    item = _ready(as_alice, bond)
    as_bob.post(_url("agree", item), {"agree": "on"})
    for client in (as_alice, as_bob):
        with django_assert_max_num_queries(16):
            assert client.get(item.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(12):
        as_alice.get(reverse("insights:index", args=[bond.pk]))


# --- Bad and awkward files -----------------------------------------------------------------


def test_ambiguous_dates_are_asked_about(as_alice: Client, bond: Bond, data_dir: Path) -> None:
    item = _read(_uploaded(as_alice, bond, (FIXTURES / "whatsapp_ambiguous.txt").read_bytes()))
    assert item.status == Status.NEEDS_DATE_ORDER
    assert item.date_samples and "03/04/2024" in item.date_samples
    assert len(_files(data_dir)) == 1  # kept until the person answers
    page = as_alice.get(item.get_absolute_url()).content.decode()
    assert "One question about dates" in page
    assert "<code>03/04/2024</code>" in page
    assert "3 April 2024" in page and "4 March 2024" in page

    assert as_alice.post(_url("date_order", item), {"date_order": "ymd"}).status_code == 400
    assert as_alice.post(_url("date_order", item), {"date_order": "mdy"}).status_code == 302
    item.refresh_from_db()
    assert item.status == Status.QUEUED and item.date_order == "mdy"
    item = _read(item)
    assert item.status == Status.NEEDS_MAPPING
    assert item.report["source"]["date_order"] == "mdy"
    assert item.report["first_time"].startswith("2024-03-04")
    assert _files(data_dir) == []


def test_a_truncated_zip_is_refused_at_once(as_alice: Client, bond: Bond, data_dir: Path) -> None:
    whole = (FIXTURES / "whatsapp_ios.zip").read_bytes()
    response = _upload(as_alice, bond, whole[: len(whole) // 2], name="chat.zip")
    # Issue 13: a file that cannot be read is refused with a redirect to the form's page.
    assert response.status_code == 302
    assert "damaged or incomplete" in as_alice.get(response["Location"]).content.decode()
    assert not ChatImport.objects.exists() and _files(data_dir) == []


def test_a_damaged_zip_fails_cleanly_in_the_worker(
    as_alice: Client, bond: Bond, data_dir: Path
) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("_chat.txt", whatsapp_chat())
    data = bytearray(buffer.getvalue())
    # Damage the compressed data but keep the directory: the file looks fine at first.
    for offset in range(60, 400):
        data[offset] ^= 0x5A
    item = _read(_uploaded(as_alice, bond, bytes(data), name="chat.zip"))
    assert item.status == Status.FAILED
    assert "damaged or incomplete" in item.error
    assert item.report is None and item.file_name == ""
    assert _files(data_dir) == []
    page = as_alice.get(item.get_absolute_url()).content.decode()
    assert "This file could not be read" in page and "damaged or incomplete" in page
    assert "Nothing of it was kept" in page


def test_an_unknown_format_names_the_supported_ones(
    as_alice: Client, bond: Bond, data_dir: Path
) -> None:
    response = _upload(as_alice, bond, b"just some notes\nnothing like a chat\n")
    # Issue 13: the apps' own names, on the form's page reached by a redirect.
    assert response.status_code == 302
    assert response["Location"] == reverse("insights:index", args=[bond.pk]) + "#upload"
    page = as_alice.get(response["Location"]).content.decode()
    assert "WhatsApp, Telegram, Signal and Messenger / Instagram" in page
    assert "whatsapp, telegram" not in page
    assert not ChatImport.objects.exists() and _files(data_dir) == []
    response = _upload(as_alice, bond, b"\x89PNG\r\n", name="photo.png")
    assert response.status_code == 400
    assert "WhatsApp, Telegram, Signal, Messenger and Instagram" in response.content.decode()


def test_a_wrongly_chosen_format_fails_with_a_clear_error(
    as_alice: Client, bond: Bond, data_dir: Path
) -> None:
    item = _read(_uploaded(as_alice, bond, whatsapp_chat(), fmt="telegram"))
    assert item.status == Status.FAILED and item.error
    assert _files(data_dir) == []


def test_other_formats(as_alice: Client, bond: Bond) -> None:
    telegram = (FIXTURES / "telegram_single.json").read_bytes()
    item = _read(_uploaded(as_alice, bond, telegram, name="result.json"))
    assert item.status == Status.NEEDS_MAPPING and item.format == "telegram"
    signal = (FIXTURES / "signal_chat.md").read_bytes()
    item = _read(_uploaded(as_alice, bond, signal, name="chat.md", fmt="signal"))
    assert item.status == Status.NEEDS_MAPPING and item.format == "signal"


def test_a_full_telegram_export_keeps_no_list_of_other_chats(as_alice: Client, bond: Bond) -> None:
    item = _read(
        _uploaded(
            as_alice, bond, (FIXTURES / "telegram_full.json").read_bytes(), name="result.json"
        )
    )
    assert item.status == Status.NEEDS_MAPPING
    assert "chats" not in item.report["source"]


def test_skipped_lines_are_counted_with_numbers_and_reasons_never_text(
    as_alice: Client, bond: Bond
) -> None:
    data = (FIXTURES / "whatsapp_malformed.txt").read_bytes()
    item = _read(_uploaded(as_alice, bond, data))
    source = item.report["source"]
    assert source["skipped_count"] > 0
    page = as_alice.get(item.get_absolute_url()).content.decode()
    assert f"{source['skipped_count']} line" in page and "could not be read" in page
    first = source["skipped"][0]
    assert f"Line {first['number']}: {first['reason']}" in page
    for text in ("line is not a message", "and its second line", "this line is still mine"):
        assert text in data.decode("utf-8", "replace").lower()
        assert text not in page.lower()


def test_the_size_limit_is_checked_before_the_body_is_read(
    as_alice: Client, bond: Bond, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(storage, "MAX_BYTES", 2000)
    monkeypatch.setattr(storage, "BODY_ALLOWANCE", 100)
    response = _upload(as_alice, bond, whatsapp_chat())
    assert response.status_code == 413
    assert "larger than 60 MB" in response.content.decode()
    assert not ChatImport.objects.exists() and _files(data_dir) == []


def test_an_oversized_file_is_dropped_while_it_streams_in(
    as_alice: Client, bond: Bond, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A lying or missing Content-Length: the upload handler stops keeping the file.
    monkeypatch.setattr(storage, "MAX_BYTES", 2000)
    monkeypatch.setattr(storage, "BODY_ALLOWANCE", 10**9)
    response = _upload(as_alice, bond, whatsapp_chat())
    assert response.status_code == 400
    assert "larger than 60 MB" in response.content.decode()
    assert not ChatImport.objects.exists() and _files(data_dir) == []


def test_the_upload_is_protected_against_cross_site_posts(
    alice: User, bond: Bond, data_dir: Path
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    assert _upload(client, bond, whatsapp_chat()).status_code == 403
    assert not ChatImport.objects.exists() and _files(data_dir) == []
    client.get(reverse("insights:index", args=[bond.pk]))
    token = client.cookies["csrftoken"].value
    response = client.post(
        reverse("insights:upload", args=[bond.pk]),
        {"file": SimpleUploadedFile("chat.txt", whatsapp_chat()), "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 400  # past the CSRF check: the form asks for the app
    response = client.post(
        reverse("insights:upload", args=[bond.pk]),
        {
            "file": SimpleUploadedFile("chat.txt", whatsapp_chat()),
            "format": "auto",
            "csrfmiddlewaretoken": token,
        },
    )
    assert response.status_code == 302 and ChatImport.objects.count() == 1


def test_an_empty_post_gives_clear_errors(as_alice: Client, bond: Bond) -> None:
    response = as_alice.post(reverse("insights:upload", args=[bond.pk]), {"format": "<b>"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Please choose the file you exported." in page
    assert "Please choose one of the apps listed." in page


def test_a_person_has_only_a_few_files_waiting(as_alice: Client, bond: Bond) -> None:
    for _ in range(3):
        _uploaded(as_alice, bond, whatsapp_chat(months=1))
    response = _upload(as_alice, bond, whatsapp_chat(months=1))
    assert response.status_code == 400 and "still being read" in response.content.decode()


def test_an_ended_bond_takes_no_uploads_but_keeps_its_archive(
    as_alice: Client, bond: Bond, alice: User
) -> None:
    item = _ready(as_alice, bond)
    bond.end(alice)
    assert _upload(as_alice, bond, whatsapp_chat()).status_code == 404
    assert as_alice.get(item.get_absolute_url()).status_code == 200
    assert as_alice.post(_url("delete", item)).status_code == 302


# --- What is kept ---------------------------------------------------------------------------


def test_no_table_holds_message_text(
    as_alice: Client, as_bob: Client, bond: Bond, data_dir: Path
) -> None:
    item = _ready(as_alice, bond)
    as_bob.post(_url("agree", item), {"agree": "on"})
    item.refresh_from_db()
    assert SECRET not in json.dumps(item.report, ensure_ascii=False)
    row = ChatImport.objects.filter(pk=item.pk).values().get()
    assert SECRET not in json.dumps(row, default=str, ensure_ascii=False)
    for model in apps.get_models():
        for values in model._default_manager.values():
            dumped = json.dumps(values, default=str, ensure_ascii=False)
            assert "marmalade" not in dumped, model._meta.label
    assert _files(data_dir) == []


# --- The progress fragment -------------------------------------------------------------------


def test_progress_fragment_and_plain_reload(as_alice: Client, bond: Bond) -> None:
    item = _uploaded(as_alice, bond, whatsapp_chat())
    ChatImport.objects.filter(pk=item.pk).update(
        status=Status.PROCESSING, progress_done=400, progress_total=1000, progress_messages=120
    )
    fragment = as_alice.get(item.get_absolute_url(), headers={"HX-Request": "true"})
    body = fragment.content.decode()
    assert fragment.status_code == 200 and "<html" not in body
    assert '<progress id="import-progress" max="100" value="40">' in body
    assert 'hx-trigger="every 2s"' in body and "120 messages so far" in body
    full = as_alice.get(item.get_absolute_url()).content.decode()
    assert '<noscript><meta http-equiv="refresh" content="5"></noscript>' in full
    assert "Check again" in full

    ChatImport.objects.filter(pk=item.pk).update(progress_total=0)
    body = as_alice.get(item.get_absolute_url(), headers={"HX-Request": "true"}).content.decode()
    assert '<progress id="import-progress">' in body and "120 messages read so far" in body

    ChatImport.objects.filter(pk=item.pk).update(status=Status.NEEDS_MAPPING)
    done = as_alice.get(item.get_absolute_url(), headers={"HX-Request": "true"})
    assert done["HX-Refresh"] == "true"
    assert (
        "refresh" not in as_alice.get(item.get_absolute_url()).content.decode().split("</head>")[0]
    )


def test_the_page_and_its_fragment_are_cached_apart(as_alice: Client, bond: Bond) -> None:
    item = _uploaded(as_alice, bond, whatsapp_chat())
    ChatImport.objects.filter(pk=item.pk).update(status=Status.PROCESSING)
    fragment = as_alice.get(item.get_absolute_url(), headers={"HX-Request": "true"})
    full = as_alice.get(item.get_absolute_url())
    assert "<html" not in fragment.content.decode() and "<html" in full.content.decode()
    assert "HX-Request" in fragment["Vary"] and "HX-Request" in full["Vary"]


def test_progress_is_saved_while_reading(
    as_alice: Client, bond: Bond, monkeypatch: pytest.MonkeyPatch
) -> None:
    item = _uploaded(as_alice, bond, whatsapp_chat())
    seen: list[tuple[int, int, int]] = []
    real = jobs.save_progress

    def record(chat_import, done, total, messages):  # type: ignore[no-untyped-def]
        real(chat_import, done, total, messages)
        row = ChatImport.objects.get(pk=chat_import.pk)
        seen.append((row.progress_done, row.progress_total, row.progress_messages))

    monkeypatch.setattr(jobs, "CHECK_EVERY", 50)
    monkeypatch.setattr(jobs, "PROGRESS_SECONDS", 0)
    monkeypatch.setattr(jobs, "save_progress", record)
    real_parse = jobs.parse
    given: dict = {}

    def spy(path, fmt, **options):  # type: ignore[no-untyped-def]
        given.update(options)
        return real_parse(path, fmt, **options)

    monkeypatch.setattr(jobs, "parse", spy)
    _read(item)
    assert [m for _, _, m in seen] == list(range(50, 50 * (len(seen) + 1), 50))
    assert len(seen) > 3 and all(done <= total for done, total, _ in seen)
    # WhatsApp reports bytes read through this callback; the bar shows them.
    assert callable(given["progress"])


# --- Stopping the worker ------------------------------------------------------------------------


def test_no_import_is_claimed_once_the_worker_is_stopping(as_alice: Client, bond: Bond) -> None:
    item = _uploaded(as_alice, bond, whatsapp_chat())
    ops_jobs.STOP.set()
    assert jobs.read_next_import() is False
    item.refresh_from_db()
    assert item.status == Status.QUEUED


def test_an_import_being_read_when_stopping_is_released_back(
    as_alice: Client, bond: Bond, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    item = _uploaded(as_alice, bond, whatsapp_chat())
    monkeypatch.setattr(jobs, "CHECK_EVERY", 10)
    real = jobs.Insights.add
    calls = {"n": 0}

    def add_then_stop(self, message):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 15:
            ops_jobs.STOP.set()  # as the SIGTERM handler does
        real(self, message)

    monkeypatch.setattr(jobs.Insights, "add", add_then_stop)
    assert jobs.read_next_import() is True
    item.refresh_from_db()
    assert item.status == Status.QUEUED and item.claim == ""
    assert item.report is None and item.attempts == 0
    assert [p.name for p in _files(data_dir)] == [item.file_name]
    # The next run reads it from the start.
    ops_jobs.STOP.clear()
    monkeypatch.setattr(jobs.Insights, "add", real)
    item = _read(item)
    assert item.status == Status.NEEDS_MAPPING and _files(data_dir) == []


def test_only_one_worker_claims_an_import(as_alice: Client, bond: Bond) -> None:
    item = _uploaded(as_alice, bond, whatsapp_chat(months=1))
    first = jobs._claim()
    assert first is not None and first.pk == item.pk
    assert jobs._claim() is None
    # A worker whose claim was taken away never writes its result.
    ChatImport.objects.filter(pk=item.pk).update(claim="someone-else")
    jobs.read_import(first)
    item.refresh_from_db()
    assert item.report is None and item.status == Status.PROCESSING


def test_tidying_gives_back_stuck_imports_and_removes_stray_files(
    as_alice: Client, bond: Bond, data_dir: Path
) -> None:
    stuck = _uploaded(as_alice, bond, whatsapp_chat(months=1))
    long_ago = timezone.now() - timedelta(hours=2)
    ChatImport.objects.filter(pk=stuck.pk).update(
        status=Status.PROCESSING, claimed_until=long_ago, attempts=1, claim="x"
    )
    waiting = _read(_uploaded(as_alice, bond, (FIXTURES / "whatsapp_ambiguous.txt").read_bytes()))
    ChatImport.objects.filter(pk=waiting.pk).update(created_at=timezone.now() - timedelta(days=8))
    stray = data_dir / "imports" / ("a" * 32)
    stray.write_bytes(b"left by a crash")
    os.utime(stray, (long_ago.timestamp(), long_ago.timestamp()))
    young = data_dir / "imports" / ("b" * 32)
    young.write_bytes(b"being saved right now")

    jobs.tidy_imports()
    stuck.refresh_from_db()
    waiting.refresh_from_db()
    assert stuck.status == Status.QUEUED and stuck.claim == ""
    assert waiting.status == Status.FAILED and waiting.file_name == ""
    assert sorted(p.name for p in _files(data_dir)) == sorted([stuck.file_name, young.name])


# --- Who is who -------------------------------------------------------------------------------


def test_proposal_matches_names_ignoring_case_and_accents() -> None:
    assert propose(["bob", "ALICE"], "Alice", "Bob") == {"bob": "other", "ALICE": "author"}
    assert propose(["Zoë Martin", "Sam"], "zoe", "Sam") == {"Zoë Martin": "author", "Sam": "other"}


def test_proposal_falls_back_to_most_messages_for_the_uploader() -> None:
    # Names as the phone saved them: no match, so the most active is the uploader.
    assert propose(["Me", "My love"], "Alice", "Bob") == {"Me": "author", "My love": "other"}
    assert propose(["Bobby", "Mum"], "Alice", "Bobby") == {"Bobby": "other", "Mum": "author"}


def test_proposal_in_a_group_leaves_the_rest_as_someone_else() -> None:
    found = propose(["Dana", "Alice", "Eli", "Fay"], "Alice", "Bob")
    assert found == {"Dana": "someone", "Alice": "author", "Eli": "someone", "Fay": "someone"}
    assert propose(["Ana", "Bruno"], "Alice", None) == {"Ana": "author", "Bruno": "someone"}


def test_mapping_form_needs_exactly_one_me(as_alice: Client, bond: Bond) -> None:
    item = _read(_uploaded(as_alice, bond, whatsapp_chat()))
    response = _confirm(as_alice, item, ["author", "author"])
    assert response.status_code == 400
    assert "exactly one name as yourself" in response.content.decode()
    response = _confirm(as_alice, item, ["someone", "other"])
    assert response.status_code == 400
    item.refresh_from_db()
    assert item.status == Status.NEEDS_MAPPING


def test_mapping_can_be_changed_later(as_alice: Client, bond: Bond) -> None:
    item = _ready(as_alice, bond)
    assert _confirm(as_alice, item, ["other", "author"], offer=False).status_code == 302
    item.refresh_from_db()
    assert item.mapping == {"Alice": "other", "Bob": "author"}
    assert item.visibility == Visibility.SHARED


def test_group_chat_gets_a_kind_note(as_alice: Client, bond: Bond) -> None:
    chat = whatsapp_chat(months=2) + b"20/02/2024, 10:00 - Carol: hello all\n"
    item = _read(_uploaded(as_alice, bond, chat))
    page = as_alice.get(item.get_absolute_url()).content.decode()
    assert "insights work best, though, on a chat between the two of you" in page
    _confirm(as_alice, item, ["author", "other", "someone"])
    page = as_alice.get(item.get_absolute_url()).content.decode()
    assert "Insights work best on a chat between the two of you" in page
    assert '<th scope="col">Someone else</th>' in page


def test_a_just_me_bond_reads_a_chat_without_asking_anyone(
    charlie: User, charlie_bond: Bond
) -> None:
    from tests.conftest import client_for

    client = client_for(charlie)
    item = _read(_uploaded(client, charlie_bond, whatsapp_chat("Charlie", "Dee")))
    assert item.mapping == {"Charlie": "author", "Dee": "someone"}
    page = client.get(item.get_absolute_url()).content.decode()
    assert "Ask" not in page.split("Who is who?")[1].split("</form>")[0]
    assert _confirm(client, item, ["author", "someone"]).status_code == 302
    item.refresh_from_db()
    assert item.visibility == Visibility.PRIVATE
    assert "Messages each month" in client.get(item.get_absolute_url()).content.decode()


# --- Safety -------------------------------------------------------------------------------


def test_safety_screen_turns_suggestions_into_support(
    as_alice: Client, bond: Bond, alice: User
) -> None:
    item = _ready(as_alice, bond)
    page = as_alice.get(item.get_absolute_url()).content.decode()
    assert "Go there" in page and reverse("safety:support") not in page
    SafetyScreen.objects.create(user=alice, positive=True)
    page = as_alice.get(item.get_absolute_url()).content.decode()
    assert "Go there" not in page and "repair practice" not in page
    assert reverse("safety:support") in page and "Support, just for you" in page
    assert "data-quick-exit" in page


def test_safety_screen_leaves_the_offer_unticked(as_alice: Client, bond: Bond, alice: User) -> None:
    SafetyScreen.objects.create(user=alice, positive=True)
    item = _read(_uploaded(as_alice, bond, whatsapp_chat()))
    page = as_alice.get(item.get_absolute_url()).content.decode()
    offer = (
        page.split('name="offer"')[0].rsplit("<input", 1)[1]
        + page.split('name="offer"')[1].split(">")[0]
    )
    assert "checked" not in offer


def test_the_other_members_safety_screen_is_private_to_them(
    as_alice: Client, as_bob: Client, bond: Bond, bob: User
) -> None:
    item = _ready(as_alice, bond)
    as_bob.post(_url("agree", item), {"agree": "on"})
    SafetyScreen.objects.create(user=bob, positive=True)
    assert "Support, just for you" in as_bob.get(item.get_absolute_url()).content.decode()
    assert "Support, just for you" not in as_alice.get(item.get_absolute_url()).content.decode()


# --- Small pieces ---------------------------------------------------------------------------


def test_sample_dates_read_both_ways() -> None:
    assert read_sample("03/04/2024", "dmy") == "3 April 2024"
    assert read_sample("03/04/24", "mdy") == "4 March 2024"
    assert read_sample("13/04/2024", "mdy") == ""
    assert read_sample("no date", "dmy") == ""


def test_notifications_hold_no_content(as_alice: Client, as_bob: Client, bond: Bond) -> None:
    item = _ready(as_alice, bond)
    as_bob.post(_url("agree", item), {"agree": "on"})
    for n in Notification.objects.all():
        assert SECRET not in n.title and "marmalade" not in n.title
        assert n.topic == "insights"


def test_export_of_the_uploader_has_figures_not_files(
    as_alice: Client, bond: Bond, alice: User
) -> None:
    from tending.accounts.export import export_for

    item = _ready(as_alice, bond)
    [entry] = [e for e in export_for(alice)["entries"] if e["type"] == "insights.chatimport"]
    assert entry["id"] == item.pk and "report" in entry
    assert "file_name" not in entry and "claim" not in entry
