"""Backups: `tending backup` writes one private archive; `tending restore` puts it
back into an empty database and data directory, and every person's data export
and every voice message come back identical, on SQLite and on PostgreSQL.
A damaged archive, or one from a newer Tending, is refused and changes nothing.

Everything runs in real Tending processes, each with its own data directory
and database, so nothing here touches the test database or the checkout's var/."""

from __future__ import annotations

import io
import json
import os
import shutil
import stat
import subprocess
import sys
import tarfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import quote

import pytest
from django.conf import settings

from tending.ops import backup
from tests.test_configuration import _clean_env

ROOT = settings.BASE_DIR
# Every byte value, so nothing can survive a round trip by accident.
VOICE = bytes(range(256)) * 40
ON_POSTGRES = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


# Run inside a Tending process (see _python).


def populate() -> None:
    """tests.world's world (alice, bob and charlie, entries of every kind) and a
    delivered voice message from alice to bob; prints the recording's name."""
    from django.utils import timezone

    from tending.notes.models import Note, Timing
    from tending.notes.storage import save_voice
    from tests.world import make_world

    world = make_world()
    name = save_voice(VOICE)
    now = timezone.now()
    Note.objects.create(
        bond=world.bond,
        author=world.alice,
        recipient=world.bob,
        timing=Timing.NOW,
        deliver_at=now,
        delivered_at=now,
        voice_name=name,
        voice_mime="audio/ogg",
        voice_seconds=2.5,
    )
    print(name)


def exports() -> None:
    """Print every person's data export, less the moment it was made."""
    from tending.accounts.export import export_for
    from tending.accounts.models import User

    found: dict[str, Any] = {}
    for user in User.objects.order_by("email"):
        data = export_for(user)
        data.pop("exported_at")
        found[user.email] = data
    print(json.dumps(found, sort_keys=True))


# Helpers


def _env(data_dir: Path, database_url: str | None) -> dict[str, str]:
    return _clean_env(data_dir, **({"DATABASE_URL": database_url} if database_url else {}))


def _tending(
    data_dir: Path, *args: str, database_url: str | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "django", *args],
        env=_env(data_dir, database_url),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def _python(data_dir: Path, function: str, database_url: str | None = None) -> str:
    code = f"import django; django.setup(); from tests.test_backup import {function}; {function}()"
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=_env(data_dir, database_url),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return _ok(result).strip()


def _manifest(archive: Path) -> dict[str, Any]:
    with tarfile.open(archive) as tar:
        member = tar.extractfile("manifest.json")
        assert member is not None
        return json.loads(member.read())


def _rewrite(archive: Path, out: Path, change: Callable[[str, bytes], bytes]) -> Path:
    """A copy of `archive`, whole and well-formed, with members changed by `change`."""
    with tarfile.open(archive) as source, tarfile.open(out, "w:gz") as target:
        for member in source.getmembers():
            file = source.extractfile(member)
            data = change(member.name, file.read() if file else b"")
            member.size = len(data)
            target.addfile(member, io.BytesIO(data))
    return out


def _tree(folder: Path) -> list[tuple[str, int, int]]:
    """Every file and folder, with each file's size and time."""
    return sorted(
        (
            str(p.relative_to(folder)),
            *((p.stat().st_size, p.stat().st_mtime_ns) if p.is_file() else (0, 0)),
        )
        for p in folder.rglob("*")
    )


class Source(NamedTuple):
    data_dir: Path
    archive: Path
    exports: dict[str, Any]
    voice_name: str


@pytest.fixture(scope="module")
def sqlite_source(tmp_path_factory: pytest.TempPathFactory) -> Source:
    """A populated SQLite installation and its backup, made once for this module."""
    data_dir = tmp_path_factory.mktemp("source")
    _ok(_tending(data_dir, "migrate", "--noinput", "-v", "0"))
    voice_name = _python(data_dir, "populate")
    before = json.loads(_python(data_dir, "exports"))
    out = tmp_path_factory.mktemp("backups")
    written = _ok(_tending(data_dir, "backup", str(out)))
    (archive,) = out.iterdir()
    assert str(archive) in written and "everything people wrote" in written
    return Source(data_dir, archive, before, voice_name)


# SQLite


def test_a_restored_backup_gives_everyone_the_same_data_on_sqlite(
    sqlite_source: Source, tmp_path: Path
) -> None:
    output = _ok(_tending(tmp_path, "restore", str(sqlite_source.archive)))
    assert "every checksum matches" in output and "Restored the SQLite database" in output
    after = json.loads(_python(tmp_path, "exports"))
    assert set(after) == {"alice@example.org", "bob@example.org", "charlie@example.org"}
    assert after == sqlite_source.exports
    # Entries of every kind came back, not just the accounts.
    kinds = {entry["type"] for entry in after["alice@example.org"]["entries"]}
    assert len(kinds) >= 8, kinds
    assert (tmp_path / "voice" / sqlite_source.voice_name).read_bytes() == VOICE
    assert (tmp_path / "secret_key").read_text() == (
        sqlite_source.data_dir / "secret_key"
    ).read_text()
    _ok(_tending(tmp_path, "migrate", "--check"))


def test_the_archive_is_private_and_its_manifest_lists_every_member(
    sqlite_source: Source,
) -> None:
    archive = sqlite_source.archive
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    assert backup.ARCHIVE_NAME.fullmatch(archive.name)
    manifest = _manifest(archive)
    assert manifest["format"] == "tending-backup" and manifest["format_version"] == 1
    assert manifest["tending_version"] == __import__("tending").__version__
    assert manifest["database"] == {"engine": "sqlite", "member": "database/tending.sqlite3"}
    assert "0001_initial" in manifest["migrations"]["notes"]
    assert manifest["created_at"].endswith("+00:00")
    members = set(manifest["members"])
    assert f"files/voice/{sqlite_source.voice_name}" in members
    assert "files/secret_key" in members
    # Rebuilt or passing things stay out: collected static files, uploads in progress.
    assert not any(m.startswith(("files/static/", "files/tmp/")) for m in members)
    with tarfile.open(archive) as tar:
        assert set(tar.getnames()) == members | {"manifest.json"}
        voice = tar.extractfile(f"files/voice/{sqlite_source.voice_name}")
        assert voice is not None and voice.read() == VOICE


def test_restore_refuses_data_that_is_there_unless_forced(
    sqlite_source: Source, tmp_path: Path
) -> None:
    _ok(_tending(tmp_path, "restore", str(sqlite_source.archive)))
    again = _tending(tmp_path, "restore", str(sqlite_source.archive))
    assert again.returncode == 1
    assert "Refusing to restore over existing data" in again.stderr
    assert "--force" in again.stderr and "Traceback" not in again.stderr
    stray = tmp_path / "voice" / ("f" * 32)
    stray.write_bytes(b"not in the archive")
    output = _ok(_tending(tmp_path, "restore", "--force", str(sqlite_source.archive)))
    assert "Restored" in output
    assert not stray.exists()
    assert json.loads(_python(tmp_path, "exports")) == sqlite_source.exports


def _flip_the_voice(name: str, data: bytes) -> bytes:
    return data[:-1] + bytes([data[-1] ^ 1]) if name.startswith("files/voice/") else data


@pytest.mark.parametrize(
    ("damage", "words"),
    [
        ("changed", "does not match its checksum"),
        ("truncated", "is damaged or is not a Tending backup"),
        ("garbage", "is damaged or is not a Tending backup"),
        ("no-manifest", "has no Tending manifest"),
    ],
)
def test_a_damaged_archive_is_refused_and_changes_nothing(
    sqlite_source: Source, tmp_path: Path, damage: str, words: str
) -> None:
    original = sqlite_source.archive
    broken = tmp_path / "broken.tar.gz"
    if damage == "changed":
        _rewrite(original, broken, _flip_the_voice)
    elif damage == "truncated":
        broken.write_bytes(original.read_bytes()[: original.stat().st_size // 2])
    elif damage == "garbage":
        broken.write_bytes(os.urandom(4096))
    else:
        with tarfile.open(original) as source, tarfile.open(broken, "w:gz") as target:
            for member in source.getmembers():
                if member.name != "manifest.json":
                    target.addfile(member, source.extractfile(member))
    target = tmp_path / "target"
    _ok(_tending(target, "check"))  # what any start of Tending creates
    before = _tree(target)
    result = _tending(target, "restore", str(broken))
    assert result.returncode == 1, result.stdout
    assert words in result.stderr, result.stderr
    assert "Nothing was changed" in result.stderr
    assert "Traceback" not in result.stderr
    assert _tree(target) == before
    assert not (target / "tending.sqlite3").exists()


def test_an_archive_from_a_newer_tending_is_refused(sqlite_source: Source, tmp_path: Path) -> None:
    def from_the_future(name: str, data: bytes) -> bytes:
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["tending_version"] = "9.9.9"
        manifest["migrations"]["notes"].append("9999_from_the_future")
        return json.dumps(manifest).encode()

    newer = _rewrite(sqlite_source.archive, tmp_path / "newer.tar.gz", from_the_future)
    target = tmp_path / "target"
    result = _tending(target, "restore", str(newer))
    assert result.returncode == 1
    assert "newer Tending (9.9.9)" in result.stderr
    assert "notes.9999_from_the_future" in result.stderr
    assert not (target / "tending.sqlite3").exists()


def test_an_archive_from_an_older_tending_is_migrated_forward(tmp_path: Path) -> None:
    old = tmp_path / "old"
    _ok(_tending(old, "migrate", "--noinput", "-v", "0"))
    # An older schema: one that lacks the last migrations of one app.
    _ok(_tending(old, "migrate", "ops", "zero", "--noinput", "-v", "0"))
    refused = _tending(old, "worker", "--once")
    assert refused.returncode == 1 and "Run `tending migrate`" in refused.stderr
    archive = tmp_path / "old.tar.gz"
    _ok(_tending(old, "backup", str(archive)))
    assert "ops" not in _manifest(archive)["migrations"]
    new = tmp_path / "new"
    output = _ok(_tending(new, "restore", str(archive)))
    assert "Migrated forward" in output
    _ok(_tending(new, "migrate", "--check"))
    _ok(_tending(new, "worker", "--once"))


def test_keep_leaves_only_the_newest_archives(tmp_path: Path) -> None:
    names = [f"tending-backup-2026120{day}-030000.tar.gz" for day in range(1, 6)]
    for name in names:
        (tmp_path / name).write_bytes(b"")
    (tmp_path / "my-own-copy.tar.gz").write_bytes(b"")
    removed = backup.prune(tmp_path, 2)
    assert [p.name for p in removed] == names[:3]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["my-own-copy.tar.gz", *names[3:]]


def test_backup_with_keep_writes_into_a_folder_and_prunes(
    sqlite_source: Source, tmp_path: Path
) -> None:
    old = tmp_path / "tending-backup-20200101-000000.tar.gz"
    old.write_bytes(b"")
    output = _ok(_tending(sqlite_source.data_dir, "backup", str(tmp_path), "--keep", "1"))
    (kept,) = tmp_path.iterdir()
    assert kept != old and f"Removed {old}" in output
    refused = _tending(sqlite_source.data_dir, "backup", str(kept))
    assert refused.returncode == 1 and "already exists" in refused.stderr


# PostgreSQL


def _pg_url(name: str) -> str:
    db = settings.DATABASES["default"]
    auth = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        auth += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


@pytest.fixture
def pg_databases(django_db_setup: Any) -> Iterator[tuple[str, str]]:  # noqa: ARG001
    """Two empty databases named after the test database, dropped afterwards."""
    import psycopg

    db = settings.DATABASES["default"]
    names = (f"{db['NAME']}_bsource", f"{db['NAME']}_brestore")
    params = {
        "host": db["HOST"] or "127.0.0.1",
        "port": db["PORT"] or 5432,
        "user": db["USER"],
        "password": db["PASSWORD"] or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    with psycopg.connect(**params) as admin:
        for name in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield names
        finally:
            for name in names:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.postgres
@pytest.mark.skipif(
    not ON_POSTGRES, reason="PostgreSQL's round trip: the PostgreSQL pass of `make test`"
)
def test_a_restored_backup_gives_everyone_the_same_data_on_postgres(
    pg_databases: tuple[str, str], sqlite_source: Source, tmp_path: Path
) -> None:
    source_url, restore_url = (_pg_url(name) for name in pg_databases)
    source, target = tmp_path / "source", tmp_path / "target"
    _ok(_tending(source, "migrate", "--noinput", "-v", "0", database_url=source_url))
    voice_name = _python(source, "populate", source_url)
    before = json.loads(_python(source, "exports", source_url))
    archive = tmp_path / "pg.tar.gz"
    _ok(_tending(source, "backup", str(archive), database_url=source_url))
    assert _manifest(archive)["database"]["engine"] == "postgresql"
    # An archive of the other kind of database is refused before anything changes.
    other = _tending(target, "restore", str(sqlite_source.archive), database_url=restore_url)
    assert other.returncode == 1 and "holds a SQLite database" in other.stderr
    output = _ok(_tending(target, "restore", str(archive), database_url=restore_url))
    assert "Restored the PostgreSQL database" in output
    after = json.loads(_python(target, "exports", restore_url))
    assert after == before
    assert len(after["bob@example.org"]["entries"]) >= 8
    assert (target / "voice" / voice_name).read_bytes() == VOICE
    _ok(_tending(target, "migrate", "--check", database_url=restore_url))
    # A second restore is refused; forced, it replaces the database.
    again = _tending(target, "restore", str(archive), database_url=restore_url)
    assert again.returncode == 1 and "the database already has" in again.stderr
    _ok(_tending(target, "restore", "--force", str(archive), database_url=restore_url))
    assert json.loads(_python(target, "exports", restore_url)) == before
    shutil.rmtree(target)
