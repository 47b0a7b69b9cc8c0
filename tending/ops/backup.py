"""Backups: one archive (a gzipped tar) holding a consistent copy of the
database, the files Tending keeps under its data directory and a manifest with
versions and a checksum per member; and putting one back.

    manifest.json                 format, versions, migrations, sha256 per member
    database/tending.sqlite3      SQLite's online backup of the database, or
    database/tending.pgdump       pg_dump's custom format on PostgreSQL
    files/<path>                  voice/…, imports/…, secret_key, … from the data directory

With FILE_STORAGE=s3, voice messages and waiting chat exports are objects in a
bucket, not files under the data directory: they are copied from the bucket
into the same members (files/voice/…, files/imports/…), and a restore puts them
back into the configured bucket. An archive is the same whichever storage wrote
it, so it can be restored into either.

The database is copied first, then the files. Files are written once and never
changed, so a file added while the backup runs is at worst an orphan (the
worker sweeps those); only a file deleted meanwhile can be missing."""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import stat
import subprocess
import tarfile
import tempfile
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import IO, Any
from urllib.parse import quote

from django.conf import settings
from django.core.files import File
from django.core.management import call_command
from django.db import connections, transaction
from django.db.migrations.loader import MigrationLoader

import tending
from tending.lib.files import KINDS, PrivateFiles
from tending.ops import schema

FORMAT = "tending-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
ARCHIVE_NAME = re.compile(r"tending-backup-\d{8}-\d{6}\.tar\.gz")
# Left out of a backup: what `serve --prod` collects again at every start, and
# uploads a request is reading at this moment.
SKIPPED = frozenset({"static", "tmp"})
ENGINES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
_CHUNK = 1 << 20


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


@dataclass
class Written:
    path: Path
    size: int
    engine: str
    files: int


@dataclass
class Restored:
    manifest: dict[str, Any]
    files: int
    migrated: list[str]


def archive_name(now: datetime | None = None) -> str:
    return f"tending-backup-{(now or datetime.now(UTC)):%Y%m%d-%H%M%S}.tar.gz"


def write(target: Path) -> Written:
    """Write the archive to `target` (which must not exist yet), readable by its
    owner only; a half-written archive never stays behind under that name."""
    data_dir = Path(settings.DATA_DIR)
    engine = _engine()
    if target.exists():
        raise BackupError(f"{target} already exists: choose another name or a folder.")
    if not target.parent.is_dir():
        raise BackupError(f"The folder {target.parent} does not exist.")
    partial = target.with_name(f".{target.name}.part")
    with _staging(data_dir, "backup") as staging:
        migrations = schema.applied()
        db_member, db_copy = _snapshot(engine, staging)
        files = data_files(data_dir, _database_files() | {target.resolve(), partial.resolve()})
        members: dict[str, dict[str, Any]] = {}
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "wb") as raw:
                with tarfile.open(fileobj=raw, mode="w:gz", compresslevel=6) as tar:
                    members[db_member] = _add(tar, db_member, db_copy)
                    for name, path in files:
                        with contextlib.suppress(FileNotFoundError):  # deleted meanwhile
                            members[f"files/{name}"] = _add(tar, f"files/{name}", path)
                    for kind, private in _object_stores():
                        for name, modified in sorted(private.entries()):
                            member = f"files/{kind}/{name}"
                            if member in members or not _OBJECT.fullmatch(name):
                                continue
                            with contextlib.suppress(FileNotFoundError):  # deleted meanwhile
                                members[member] = _add_object(tar, member, private, name, modified)
                    manifest = {
                        "format": FORMAT,
                        "format_version": FORMAT_VERSION,
                        "tending_version": tending.__version__,
                        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
                        "database": {"engine": engine, "member": db_member},
                        "migrations": migrations,
                        "members": members,
                    }
                    body = json.dumps(manifest, indent=2, sort_keys=True).encode()
                    info = tarfile.TarInfo(MANIFEST)
                    info.size, info.mode, info.mtime = len(body), 0o600, int(time.time())
                    tar.addfile(info, io.BytesIO(body))
                raw.flush()
                os.fsync(raw.fileno())
            os.replace(partial, target)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    return Written(target, target.stat().st_size, engine, len(members) - 1)


def prune(folder: Path, keep: int) -> list[Path]:
    """Delete all but the `keep` newest archives named tending-backup-<time>.tar.gz
    in `folder` (their names sort by time); returns the ones deleted."""
    ours = sorted(p for p in folder.iterdir() if ARCHIVE_NAME.fullmatch(p.name) and p.is_file())
    doomed = ours[: max(0, len(ours) - keep)]
    for path in doomed:
        path.unlink(missing_ok=True)
    return doomed


def restore(archive: Path, *, force: bool, say: Callable[[str], None]) -> Restored:
    """Check every checksum, then put the database and the files back and migrate
    forward. Refuses, changing nothing, a damaged archive, one for another kind
    of database or a newer Tending, and (without `force`) a database or data
    directory that already holds something."""
    data_dir = Path(settings.DATA_DIR)
    engine = _engine()
    with _staging(data_dir, "restore") as staging:
        manifest, mtimes = _unpack(archive, staging)
        say(f"Checked {len(manifest['members'])} members of {archive}: every checksum matches.")
        _check_fits(manifest, engine)
        _check_empty(data_dir, force)
        # Nothing has changed so far; from here on, it does.
        _restore_database(manifest, staging, engine, force)
        count = _restore_files(manifest, staging, mtimes, data_dir, force)
    connections["default"].close()
    missing = schema.unapplied()
    if missing:
        call_command("migrate", interactive=False, verbosity=0)
    return Restored(manifest, count, missing)


def data_files(data_dir: Path, leave_out: set[Path]) -> list[tuple[str, Path]]:
    """(name relative to the data directory, path) of every file a backup holds:
    regular files only, not the skipped folders, not partial writes, not archives."""
    found: list[tuple[str, Path]] = []
    for root, dirs, names in os.walk(data_dir):
        here = Path(root)
        if here == data_dir:
            dirs[:] = [d for d in dirs if d not in SKIPPED]
        dirs.sort()
        for name in sorted(names):
            path = here / name
            if name.endswith(".part") or ARCHIVE_NAME.fullmatch(name):
                continue
            if path.resolve() in leave_out:
                continue
            try:
                if not stat.S_ISREG(path.lstat().st_mode):
                    continue
            except FileNotFoundError:
                continue
            found.append((path.relative_to(data_dir).as_posix(), path))
    return found


# The database


def _engine() -> str:
    engine = connections["default"].vendor
    if engine not in ENGINES:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {engine}.")
    return engine


def _database_files() -> set[Path]:
    db = settings.DATABASES["default"]
    if connections["default"].vendor != "sqlite":
        return set()
    path = Path(db["NAME"]).resolve()
    return {path, *(Path(f"{path}{suffix}") for suffix in ("-wal", "-shm", "-journal"))}


def _snapshot(engine: str, staging: Path) -> tuple[str, Path]:
    db = settings.DATABASES["default"]
    if engine == "sqlite":
        out = staging / "tending.sqlite3"
        # mode=rw: a missing database is an error, not a new empty file.
        uri = f"file:{quote(str(Path(db['NAME']).resolve()))}?mode=rw"
        try:
            source = sqlite3.connect(uri, uri=True, timeout=20)
        except sqlite3.OperationalError as e:
            raise BackupError(f"Cannot open the database {db['NAME']}: {e}.") from e
        try:
            with contextlib.closing(sqlite3.connect(out)) as copy:
                # One step: a consistent copy, while other processes go on writing.
                source.backup(copy)
                copy.execute("PRAGMA journal_mode=DELETE")
        finally:
            source.close()
        return "database/tending.sqlite3", out
    out = staging / "tending.pgdump"
    _pg(["pg_dump", "--format=custom", f"--file={out}"], db)
    return "database/tending.pgdump", out


def _pg(args: list[str], db: dict[str, Any]) -> None:
    """Run a PostgreSQL client program with the connection settings in its
    environment (never on its command line, where `ps` would show a password)."""
    env = dict(os.environ)
    for key, var in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ):
        if db.get(key):
            env[var] = str(db[key])
    for option, var in (
        ("sslmode", "PGSSLMODE"),
        ("sslrootcert", "PGSSLROOTCERT"),
        ("sslcert", "PGSSLCERT"),
        ("sslkey", "PGSSLKEY"),
    ):
        if db.get("OPTIONS", {}).get(option):
            env[var] = str(db["OPTIONS"][option])
    try:
        result = subprocess.run(args, env=env, capture_output=True, text=True)
    except FileNotFoundError as e:
        raise BackupError(
            f"{args[0]} was not found. Install PostgreSQL's client programs "
            "(on Debian: postgresql-client), of the server's major version or newer."
        ) from e
    if result.returncode != 0:
        raise BackupError(f"{args[0]} failed: {result.stderr.strip()}")


def _restore_database(manifest: dict[str, Any], staging: Path, engine: str, force: bool) -> None:
    connection = connections["default"]
    db = settings.DATABASES["default"]
    staged = staging / manifest["database"]["member"]
    if engine == "sqlite":
        connection.close()
        target = Path(db["NAME"]).resolve()
        target.parent.mkdir(parents=True, exist_ok=True)
        # A side file left from the old database would be applied to the new one.
        for suffix in ("-wal", "-shm", "-journal"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        os.chmod(staged, 0o600)
        _move(staged, target)
        return
    if force:
        with transaction.atomic(), connection.cursor() as cursor:
            for table in connection.introspection.table_names(cursor):
                cursor.execute(f"DROP TABLE IF EXISTS {connection.ops.quote_name(table)} CASCADE")
    connection.close()
    _pg(
        [
            "pg_restore",
            "--no-owner",
            "--no-acl",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={db['NAME']}",
            str(staged),
        ],
        db,
    )


# The files


def _restore_files(
    manifest: dict[str, Any],
    staging: Path,
    mtimes: dict[str, int],
    data_dir: Path,
    force: bool,
) -> int:
    names = sorted(n for n in manifest["members"] if n.startswith("files/"))
    stores = dict(_object_stores())
    if force:
        # Replace what is there, but keep keys the archive does not bring.
        keep = {n.removeprefix("files/") for n in names} | GENERATED_KEYS
        for name, path in data_files(data_dir, _database_files()):
            if name not in keep:
                path.unlink(missing_ok=True)
        for kind, private in stores.items():
            for name, _ in private.entries():
                if f"{kind}/{name}" not in keep:
                    private.remove(name)
    for name in names:
        kind, _, object_name = name.removeprefix("files/").partition("/")
        if kind in stores and _OBJECT.fullmatch(object_name):
            with (staging / name).open("rb") as staged_object:
                stores[kind].put(object_name, File(staged_object))
            continue
        staged = staging / name
        target = data_dir / name.removeprefix("files/")
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(staged, 0o600)
        os.utime(staged, (mtimes[name], mtimes[name]))
        _move(staged, target)
    return len(names)


def _move(source: Path, target: Path) -> None:
    """Put `source` at `target` whole, even across file systems."""
    try:
        os.replace(source, target)
    except OSError:
        partial = target.with_name(f".{target.name}.part")
        shutil.copy2(source, partial)
        os.replace(partial, target)


# Reading and checking an archive


def _unpack(archive: Path, staging: Path) -> tuple[dict[str, Any], dict[str, int]]:
    """Unpack `archive` into `staging`, hashing each member; returns the manifest
    and each member's time, once every member matches its checksum."""
    found: dict[str, str] = {}
    mtimes: dict[str, int] = {}
    manifest: Any = None
    damaged = f"{archive} is damaged or is not a Tending backup"
    try:
        with tarfile.open(archive, mode="r|*") as tar:
            for member in tar:
                if member.isdir():
                    continue
                name = member.name
                if not member.isfile() or not _expected(name) or name in found:
                    raise BackupError(f"{damaged}: unexpected entry {name!r}. Nothing was changed.")
                source = tar.extractfile(member)
                assert source is not None  # a regular file always has one
                if name == MANIFEST:
                    manifest = json.loads(source.read().decode("utf-8"))
                    found[name] = ""
                    continue
                found[name] = _copy(source, staging / name)
                mtimes[name] = int(member.mtime)
    except FileNotFoundError as e:
        raise BackupError(f"{archive} does not exist.") from e
    except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile, ValueError) as e:
        raise BackupError(f"{damaged} ({e}). Nothing was changed.") from e
    except OSError as e:
        raise BackupError(f"Cannot unpack {archive}: {e}. Nothing was changed.") from e
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{damaged}: it has no Tending manifest. Nothing was changed.")
    listed = manifest.get("members")
    if not isinstance(listed, dict):
        raise BackupError(f"{damaged}: its manifest lists no members. Nothing was changed.")
    found.pop(MANIFEST)
    problems = [f"{n} is missing" for n in sorted(set(listed) - set(found))]
    problems += [f"{n} is not in the manifest" for n in sorted(set(found) - set(listed))]
    problems += [
        f"{n} does not match its checksum"
        for n in sorted(set(listed) & set(found))
        if not isinstance(listed[n], dict) or listed[n].get("sha256") != found[n]
    ]
    if problems:
        raise BackupError(f"{archive} is damaged: {'; '.join(problems)}. Nothing was changed.")
    return manifest, mtimes


def _expected(name: str) -> bool:
    path = PurePosixPath(name)
    if path.is_absolute() or any(part in ("", ".", "..") for part in path.parts):
        return False
    return name == MANIFEST or (len(path.parts) > 1 and path.parts[0] in ("database", "files"))


def _copy(source: IO[bytes], target: Path) -> str:
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    digest = hashlib.sha256()
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        while chunk := source.read(_CHUNK):
            digest.update(chunk)
            out.write(chunk)
    return digest.hexdigest()


def _check_fits(manifest: dict[str, Any], engine: str) -> None:
    made_by = manifest.get("tending_version", "an unknown version")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"This archive was written by Tending {made_by} in a newer format; "
            f"install Tending {made_by} or newer to restore it. Nothing was changed."
        )
    theirs = manifest.get("database", {}).get("engine")
    if theirs != engine:
        raise BackupError(
            f"This archive holds a {ENGINES.get(theirs, theirs)} database, but DATABASE_URL "
            f"points to {ENGINES[engine]}: restore it into the same kind of database. "
            "Nothing was changed."
        )
    unknown = _unknown_migrations(manifest.get("migrations", {}))
    if unknown:
        raise BackupError(
            f"This archive comes from a newer Tending ({made_by}): its database has "
            f"migrations that Tending {tending.__version__} does not know "
            f"({', '.join(unknown[:3])}). Install Tending {made_by} or newer, then restore. "
            "Nothing was changed."
        )


def _unknown_migrations(recorded: dict[str, list[str]]) -> list[str]:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.disk_migrations)
    for migration in loader.disk_migrations.values():
        known.update(migration.replaces)
    ours = {app for app, _ in known}
    return sorted(
        f"{app}.{name}"
        for app, names in recorded.items()
        if app in ours
        for name in names
        if (app, name) not in known
    )


# Written into the data directory by every start of Tending when the operator
# gives none (settings.py): the secret key and the push notifications' key. An
# archive's own copies replace them on restore.
GENERATED_KEYS = frozenset({"secret_key", "vapid_private_key"})


def _check_empty(data_dir: Path, force: bool) -> None:
    connection = connections["default"]
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    connection.close()
    # The keys are written by any start of Tending, this command's included.
    files = [n for n, _ in data_files(data_dir, _database_files()) if n not in GENERATED_KEYS]
    files += [f"{kind}/{name}" for kind, private in _object_stores() for name in private.names()]
    found = []
    if tables:
        found.append(f"the database already has {len(tables)} tables")
    if files:
        found.append(f"{data_dir} already holds {len(files)} file(s), such as {files[0]}")
    if found and not force:
        raise BackupError(
            f"Refusing to restore over existing data: {' and '.join(found)}. Restore into an "
            "empty database and data directory, or add --force to replace what is there. "
            "Nothing was changed."
        )


# Small pieces

_OBJECT = re.compile(r"[0-9a-f]{32}")


def _object_stores() -> list[tuple[str, PrivateFiles]]:
    """The kinds of private file kept outside the data directory (FILE_STORAGE=s3)."""
    return [(kind, files) for kind in KINDS if not (files := PrivateFiles(kind)).is_local]


def _add_object(
    tar: tarfile.TarFile, member: str, private: PrivateFiles, name: str, modified: float
) -> dict[str, Any]:
    with private.open(name) as source:
        size = source.size
        info = tarfile.TarInfo(member)
        info.size, info.mode, info.mtime = size, 0o600, int(modified)
        reader = _Reader(source)
        tar.addfile(info, reader)
    return {"sha256": reader.hash.hexdigest(), "size": size}


@contextlib.contextmanager
def _staging(data_dir: Path, purpose: str) -> Iterator[Path]:
    """A private folder on the data directory's file system (so files move into
    place with a rename), removed afterwards whatever happens."""
    parent = data_dir / "tmp"
    parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = Path(tempfile.mkdtemp(prefix=f"{purpose}-", dir=parent))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


class _Reader:
    """Hands a file to tarfile while hashing what tarfile reads."""

    def __init__(self, source: IO[bytes]) -> None:
        self.source = source
        self.hash = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.source.read(size)
        self.hash.update(data)
        return data


def _add(tar: tarfile.TarFile, name: str, path: Path) -> dict[str, Any]:
    with path.open("rb") as source:
        status = os.fstat(source.fileno())
        info = tarfile.TarInfo(name)
        info.size, info.mode, info.mtime = status.st_size, 0o600, int(status.st_mtime)
        reader = _Reader(source)
        tar.addfile(info, reader)
    return {"sha256": reader.hash.hexdigest(), "size": status.st_size}
