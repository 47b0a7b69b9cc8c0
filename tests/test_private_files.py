"""Voice messages and chat exports against both private storages: the folder
under the data directory (the default) and S3, a real endpoint (moto in server
mode on 127.0.0.1). The same tests run on each: who may play a recording, a
crash during an upload leaves nothing half-written, deleting a note, an import
or an account deletes the file, and the tidy finds orphans in both directions."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import time
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import botocore.client
import pytest
from boto3.s3.transfer import TransferConfig
from django.core.files import File
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tending.accounts.models import User
from tending.bonds.models import Bond
from tending.insights import jobs as insights_jobs
from tending.insights.models import ChatImport, Status
from tending.insights.storage import IMPORTS
from tending.lib import files
from tending.lib.files import NoPublicURL
from tending.notes.jobs import tidy_voice_files
from tending.notes.models import Note
from tending.notes.storage import VOICE
from tending.ops import jobs as ops_jobs
from tests.conftest import PASSWORD, S3_KEYS, new_bucket, s3_client, s3_storage
from tests.test_insights_web import whatsapp_chat
from tests.test_notes_audio import SAMPLES

MB = 1024 * 1024
ROOT = Path(__file__).resolve().parent.parent


class Stored:
    """Everything physically present in one kind of storage, partial writes and
    unfinished multipart uploads included, as the storage itself lists it."""

    def __init__(self, kind: str, data_dir: Path, endpoint: str = "", bucket: str = "") -> None:
        self.kind, self.data_dir, self.endpoint, self.bucket = kind, data_dir, endpoint, bucket

    def keys(self, folder: str) -> list[str]:
        if self.kind == "folder":
            root = self.data_dir / folder
            return sorted(p.name for p in root.iterdir()) if root.exists() else []
        client = s3_client(self.endpoint)
        listed = client.list_objects_v2(Bucket=self.bucket, Prefix=f"{folder}/")
        uploads = client.list_multipart_uploads(Bucket=self.bucket).get("Uploads", [])
        return sorted(o["Key"].removeprefix(f"{folder}/") for o in listed.get("Contents", [])) + [
            f"(unfinished upload {u['Key']})" for u in uploads
        ]

    def everything(self) -> list[str]:
        return self.keys("voice") + self.keys("imports")

    def drop(self, folder: str, name: str) -> None:
        """Remove a file behind the app's back."""
        if self.kind == "folder":
            (self.data_dir / folder / name).unlink()
        else:
            s3_client(self.endpoint).delete_object(Bucket=self.bucket, Key=f"{folder}/{name}")

    def put(self, folder: str, name: str, data: bytes) -> None:
        """Leave a file behind the app's back, as a crash would."""
        if self.kind == "folder":
            (self.data_dir / folder).mkdir(parents=True, exist_ok=True)
            (self.data_dir / folder / name).write_bytes(data)
        else:
            s3_client(self.endpoint).put_object(
                Bucket=self.bucket, Key=f"{folder}/{name}", Body=data
            )


@pytest.fixture(params=["folder", "s3"])
def stored(request: pytest.FixtureRequest, settings: Any, tmp_path: Path) -> Iterator[Stored]:
    settings.DATA_DIR = tmp_path
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "tmp")
    ops_jobs.STOP.clear()
    if request.param == "folder":
        yield Stored("folder", tmp_path)
        return
    endpoint = request.getfixturevalue("s3_endpoint")
    bucket = new_bucket(endpoint)
    # Small multipart parts, so a crash can happen between parts of one upload.
    small_parts = TransferConfig(
        multipart_threshold=5 * MB, multipart_chunksize=5 * MB, use_threads=False
    )
    settings.STORAGES = {
        **settings.STORAGES,
        "voice": s3_storage(endpoint, bucket, "voice", transfer_config=small_parts),
        "imports": s3_storage(endpoint, bucket, "imports", transfer_config=small_parts),
    }
    yield Stored("s3", tmp_path, endpoint, bucket)


def _voice(client: Client, bond: Bond, data: bytes = SAMPLES["ogg_opus"]) -> Any:
    return client.post(
        reverse("notes:create", args=[bond.pk]),
        {
            "text": "",
            "timing": "now",
            "voice": SimpleUploadedFile("hello.ogg", data, content_type="audio/ogg"),
        },
    )


def _chat(client: Client, bond: Bond, data: bytes) -> Any:
    return client.post(
        reverse("insights:upload", args=[bond.pk]),
        {"file": SimpleUploadedFile("chat.txt", data), "format": "auto"},
    )


class Breaks(File):
    """A file that fails after `good` bytes, as a dropped connection or a full disk would."""

    def __init__(self, size: int, good: int) -> None:
        super().__init__(io.BytesIO(b"x" * size), name="upload")
        self.good = good

    def read(self, size: int = -1) -> bytes:
        if self.file.tell() >= self.good:
            raise ConnectionResetError("the upload broke off")
        return self.file.read(size)


# Voice messages


def test_a_recording_is_played_to_the_bond_only(
    stored: Stored, as_alice: Client, as_bob: Client, as_charlie: Client, bond: Bond
) -> None:
    data = SAMPLES["ogg_opus"]
    assert _voice(as_alice, bond, data).status_code == 302
    note = Note.objects.get()
    assert stored.keys("voice") == [note.voice_name]
    assert re.fullmatch(r"[0-9a-f]{32}", note.voice_name)
    if stored.kind == "folder":
        assert (stored.data_dir / "voice" / note.voice_name).stat().st_mode & 0o777 == 0o600
        assert (stored.data_dir / "voice").stat().st_mode & 0o777 == 0o700
    url = reverse("notes:voice", args=[bond.pk, note.pk])
    for client in (as_alice, as_bob):
        played = client.get(url)
        assert played.status_code == 200
        assert b"".join(played.streaming_content) == data
        assert played["Content-Type"] == "audio/ogg"
        assert played["Cache-Control"] == "private, no-store"
        assert note.voice_name not in played["Content-Disposition"]
    partial = as_bob.get(url, HTTP_RANGE="bytes=4-9")
    assert partial.status_code == 206 and partial.content == data[4:10]
    assert partial["Content-Range"] == f"bytes 4-9/{len(data)}"
    # A stranger, and nobody at all, get a plain 404: the address gives nothing away.
    assert as_charlie.get(url).status_code == 404
    assert Client().get(url).status_code == 404
    # The file has no address of its own, in either storage.
    with pytest.raises(NoPublicURL):
        storages["voice"].url(note.voice_name)


def test_a_stranger_cannot_reach_a_recording_through_their_own_bond(
    stored: Stored, as_alice: Client, as_charlie: Client, bond: Bond, charlie_bond: Bond
) -> None:
    _voice(as_alice, bond)
    note = Note.objects.get()
    for pk in (bond.pk, charlie_bond.pk):
        assert as_charlie.get(reverse("notes:voice", args=[pk, note.pk])).status_code == 404


def test_a_missing_recording_is_a_calm_404(
    stored: Stored, as_alice: Client, as_bob: Client, bond: Bond
) -> None:
    _voice(as_alice, bond)
    note = Note.objects.get()
    stored.drop("voice", note.voice_name)
    assert as_bob.get(reverse("notes:voice", args=[bond.pk, note.pk])).status_code == 404
    assert as_bob.get(reverse("notes:detail", args=[bond.pk, note.pk])).status_code == 200


@pytest.mark.parametrize("size", [200_000, 12 * MB], ids=["small", "multipart"])
def test_a_crash_during_an_upload_leaves_nothing(
    stored: Stored, size: int, db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    real_call = botocore.client.BaseClient._make_api_call

    def counted(client: Any, operation: str, params: Any) -> Any:
        calls.append(operation)
        return real_call(client, operation, params)

    monkeypatch.setattr(botocore.client.BaseClient, "_make_api_call", counted)
    for private in (VOICE, IMPORTS):
        with pytest.raises(ConnectionResetError):
            private.save(Breaks(size, good=size * 2 // 3))
    assert stored.everything() == []
    if stored.kind == "s3" and size > 5 * MB:
        # Parts were sent before the break, and the unfinished upload was abandoned.
        assert calls.count("CreateMultipartUpload") == 2 and "UploadPart" in calls
        assert calls.count("AbortMultipartUpload") == 2


def test_a_crash_after_the_upload_takes_the_file_back(
    stored: Stored, as_alice: Client, bond: Bond, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(Note.objects, "create", broken)
    with pytest.raises(RuntimeError):
        _voice(as_alice, bond)
    assert stored.keys("voice") == []


def test_deleting_a_note_deletes_its_recording(
    stored: Stored,
    as_alice: Client,
    as_bob: Client,
    bond: Bond,
    django_capture_on_commit_callbacks: Any,
) -> None:
    _voice(as_alice, bond)
    _voice(as_alice, bond, SAMPLES["webm_live"])
    first = Note.objects.order_by("pk").first()
    assert len(stored.keys("voice")) == 2
    with django_capture_on_commit_callbacks(execute=True):
        as_bob.post(reverse("notes:delete", args=[bond.pk, first.pk]))
    assert stored.keys("voice") == [Note.objects.get().voice_name]


def test_deleting_an_account_leaves_no_object(
    stored: Stored,
    alice: User,
    as_alice: Client,
    as_bob: Client,
    bond: Bond,
    django_capture_on_commit_callbacks: Any,
) -> None:
    _voice(as_alice, bond)
    _voice(as_bob, bond)
    assert _chat(as_alice, bond, whatsapp_chat()).status_code == 302
    assert len(stored.keys("voice")) == 2 and len(stored.keys("imports")) == 1
    with django_capture_on_commit_callbacks(execute=True):
        response = as_alice.post(
            reverse("accounts:delete"), {"password": PASSWORD, "confirm": "on"}
        )
    assert response.status_code == 200
    assert not User.objects.filter(pk=alice.pk).exists()
    assert stored.everything() == []


# Chat exports


def test_an_export_is_kept_until_it_is_read_then_deleted(
    stored: Stored, as_alice: Client, as_charlie: Client, bond: Bond
) -> None:
    data = whatsapp_chat()
    assert _chat(as_alice, bond, data).status_code == 302
    item = ChatImport.objects.get()
    assert stored.keys("imports") == [item.file_name]
    with IMPORTS.local_copy(item.file_name) as path:
        assert path.read_bytes() == data
        if stored.kind == "s3":  # a private copy, gone afterwards
            assert path.stat().st_mode & 0o777 == 0o600
            assert path.is_relative_to(stored.data_dir / "tmp")
    if stored.kind == "s3":
        assert not path.exists()
    detail = reverse("insights:detail", args=[bond.pk, item.pk])
    assert as_charlie.get(detail).status_code == 404
    assert insights_jobs.read_next_import() is True
    item.refresh_from_db()
    assert item.status == Status.NEEDS_MAPPING and item.file_name == ""
    assert item.report["participants"]
    assert stored.everything() == []


def test_a_file_that_is_not_a_chat_is_refused_and_not_kept(
    stored: Stored, as_alice: Client, bond: Bond
) -> None:
    response = _chat(as_alice, bond, b"\x00\x01 nothing like a chat export " * 50)
    # Refused back to the upload form at a GET address (issue 13), with its message.
    assert response.status_code == 302
    assert response["Location"].endswith(reverse("insights:index", args=[bond.pk]) + "#upload")
    assert not ChatImport.objects.exists() and stored.everything() == []


def test_deleting_a_waiting_import_deletes_its_file(
    stored: Stored, as_alice: Client, bond: Bond, django_capture_on_commit_callbacks: Any
) -> None:
    _chat(as_alice, bond, whatsapp_chat())
    item = ChatImport.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = as_alice.post(reverse("insights:delete", args=[bond.pk, item.pk]))
    assert response.status_code == 302
    assert stored.everything() == []


# Orphans, both ways


def _later(monkeypatch: pytest.MonkeyPatch, hours: float) -> None:
    real = time.time
    monkeypatch.setattr(files, "time", types.SimpleNamespace(time=lambda: real() + hours * 3600))


def test_the_tidy_finds_orphans_both_ways(
    stored: Stored,
    as_alice: Client,
    bond: Bond,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _voice(as_alice, bond)
    _voice(as_alice, bond, SAMPLES["webm_live"])
    kept, lost = Note.objects.order_by("pk")
    _chat(as_alice, bond, whatsapp_chat())
    waiting = ChatImport.objects.get()
    stored.drop("voice", lost.voice_name)
    stored.drop("imports", waiting.file_name)
    stored.put("voice", "b" * 32, b"left behind by a crash")
    stored.put("imports", "c" * 32, b"left behind by a crash")

    # Within the hour, a file without a row may be having its row saved: kept.
    report = tidy_voice_files()
    assert (report.removed, report.young, report.missing) == (0, 1, 1)

    _later(monkeypatch, 2)
    call_command("tidy_files", "--dry-run")
    dry = capsys.readouterr().out
    assert "voice: 2 stored, 1 without a row removed" in dry and "nothing was changed" in dry
    assert "b" * 32 in stored.keys("voice")
    assert ChatImport.objects.get().status == Status.QUEUED

    call_command("tidy_files")
    out = capsys.readouterr().out
    assert "voice: 2 stored, 1 without a row removed, 0 recent left alone, 1 row(s)" in out
    assert "imports: 1 stored, 1 without a row removed" in out and "(1 settled)" in out
    for name in (kept.voice_name, lost.voice_name, waiting.file_name, "b" * 32):
        assert name not in out
    assert stored.keys("voice") == [kept.voice_name]
    assert stored.keys("imports") == []
    # The note keeps its words and its reference; the waiting import is told.
    lost.refresh_from_db()
    assert lost.voice_name and Note.objects.count() == 2
    waiting.refresh_from_db()
    assert waiting.status == Status.FAILED and waiting.file_name == ""
    assert waiting.error == insights_jobs.LOST


def test_an_empty_storage_changes_no_rows(
    stored: Stored, as_alice: Client, bond: Bond, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Several imports whose files are all missing look like wrong settings."""
    _chat(as_alice, bond, whatsapp_chat())
    _chat(as_alice, bond, whatsapp_chat(months=3))
    for item in ChatImport.objects.all():
        stored.drop("imports", item.file_name)
    report = insights_jobs.tidy_import_files()
    assert report.missing == 2 and report.settled == 0
    assert "check its settings" in report.line()
    assert set(ChatImport.objects.values_list("status", flat=True)) == {Status.QUEUED}


# Backups with object storage


def test_backup_and_restore_carry_the_objects(s3_endpoint: str, tmp_path: Path) -> None:
    """With FILE_STORAGE=s3 the archive holds the objects, as the same members a
    folder storage gives, and a restore puts them into the configured bucket."""
    from tests.test_backup import VOICE as RECORDING
    from tests.test_backup import _manifest, _ok
    from tests.test_configuration import _clean_env

    def run(data_dir: Path, bucket: str, *args: str) -> subprocess.CompletedProcess[str]:
        env = _clean_env(
            data_dir,
            FILE_STORAGE="s3",
            S3_BUCKET=bucket,
            S3_ENDPOINT_URL=s3_endpoint,
            S3_REGION="us-east-1",
            S3_ACCESS_KEY_ID=S3_KEYS["access_key"],
            S3_SECRET_ACCESS_KEY=S3_KEYS["secret_key"],
        )
        return subprocess.run(
            [sys.executable, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=300
        )

    source, target = tmp_path / "source", tmp_path / "target"
    first, second = new_bucket(s3_endpoint), new_bucket(s3_endpoint)
    _ok(run(source, first, "-m", "django", "migrate", "--noinput", "-v", "0"))
    populate = "import django; django.setup(); from tests.test_backup import populate; populate()"
    name = _ok(run(source, first, "-c", populate)).strip()
    assert not (source / "voice").exists()
    out = tmp_path / "backups"
    out.mkdir()
    _ok(run(source, first, "-m", "django", "backup", str(out)))
    (archive,) = out.iterdir()
    assert f"files/voice/{name}" in _manifest(archive)["members"]

    restored = _ok(run(target, second, "-m", "django", "restore", str(archive)))
    assert "Restored" in restored
    body = s3_client(s3_endpoint).get_object(Bucket=second, Key=f"voice/{name}")["Body"].read()
    assert body == RECORDING
    assert not (target / "voice").exists()
    # The bucket counts as data already there: no silent restore over it.
    again = run(target, second, "-m", "django", "restore", str(archive))
    assert again.returncode == 1 and "Refusing to restore over existing data" in again.stderr


def test_deleting_while_the_storage_is_unreachable_still_deletes_the_note(
    settings: Any,
    tmp_path: Path,
    as_bob: Client,
    alice: User,
    bob: User,
    bond: Bond,
    django_capture_on_commit_callbacks: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The row goes; the file is left for the tidy, and the log names no file."""
    from botocore.config import Config

    from tests.conftest import free_port

    settings.DATA_DIR = tmp_path
    nowhere = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    quick = Config(retries={"max_attempts": 1}, connect_timeout=1, read_timeout=1)
    settings.STORAGES = {
        **settings.STORAGES,
        "voice": s3_storage(nowhere, "tending-none", "voice", client_config=quick),
    }
    name = "d" * 32
    now = timezone.now()
    note = Note.objects.create(
        bond=bond,
        author=alice,
        recipient=bob,
        text="",
        deliver_at=now,
        delivered_at=now,
        voice_name=name,
        voice_mime="audio/ogg",
    )
    assert as_bob.get(reverse("notes:voice", args=[bond.pk, note.pk])).status_code == 404
    assert "cannot be read (FileUnavailable)" in caplog.text
    with django_capture_on_commit_callbacks(execute=True):
        response = as_bob.post(reverse("notes:delete", args=[bond.pk, note.pk]))
    assert response.status_code == 302 and not Note.objects.exists()
    assert "could not be deleted now" in caplog.text
    assert name not in caplog.text


def test_an_unreachable_storage_puts_an_import_back_in_the_queue_a_few_times(
    settings: Any, tmp_path: Path, alice: User, bond: Bond
) -> None:
    from botocore.config import Config

    from tests.conftest import free_port

    settings.DATA_DIR = tmp_path
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "tmp")
    ops_jobs.STOP.clear()
    quick = Config(retries={"max_attempts": 1}, connect_timeout=1, read_timeout=1)
    nowhere = f"http://127.0.0.1:{free_port()}"
    settings.STORAGES = {
        **settings.STORAGES,
        "imports": s3_storage(nowhere, "tending-none", "imports", client_config=quick),
    }
    item = ChatImport.objects.create(bond=bond, author=alice, file_name="e" * 32, file_size=10)
    for attempt in (1, 2):
        assert insights_jobs.read_next_import() is True
        item.refresh_from_db()
        assert (item.status, item.attempts) == (Status.QUEUED, attempt)
    assert insights_jobs.read_next_import() is True
    item.refresh_from_db()
    assert item.status == Status.FAILED and item.error == insights_jobs.UNEXPECTED
    assert not list((tmp_path / "tmp").rglob("*"))  # no private copy left behind
