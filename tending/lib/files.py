"""Private files: voice messages and chat exports waiting to be read.

Each kind of file has a named storage in settings.STORAGES ("voice", "imports").
By default that is `PrivateFileStorage`, a folder under the data directory
(DATA_DIR/<folder>/<32 random hex digits>, readable by the server's user only);
with FILE_STORAGE=s3 it is `tending.lib.s3.PrivateS3Storage`, private objects in
an S3-compatible bucket. Either way:

- names are 32 random hex digits, chosen here, never the uploader's file name;
- a file appears whole or not at all (a temporary name renamed into place; an
  S3 object becomes visible only when its upload completes);
- no file has a URL of its own: `url()` refuses, and the app's views read the
  file after their own authorisation check.

`PrivateFiles` is what the apps use; it hides which storage is behind it."""

from __future__ import annotations

import contextlib
import logging
import os
import re
import secrets
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, Storage, storages

log = logging.getLogger(__name__)

_NAME = re.compile(r"[0-9a-f]{32}")
# The aliases in settings.STORAGES that hold private files (and, in a folder
# storage, the folders under the data directory that hold them).
KINDS = ("voice", "imports")


class NoPublicURL(NotImplementedError):
    """Private files are served by the app after its authorisation check, never by URL."""


class FileUnavailable(OSError):
    """The storage could not be reached or refused the request (not a missing file)."""


class PrivateFileStorage(FileSystemStorage):
    """DATA_DIR/<folder>: 0700 folders, 0600 files, written to a temporary name
    and renamed into place. The folder follows settings.DATA_DIR at each use, so
    a test (or a restore) that points DATA_DIR elsewhere moves it too."""

    def __init__(self, folder: str, **kwargs: Any) -> None:
        self.folder = folder
        super().__init__(file_permissions_mode=0o600, directory_permissions_mode=0o700, **kwargs)

    @property  # type: ignore[override]
    def base_location(self) -> str:
        return str(Path(settings.DATA_DIR) / self.folder)

    @property  # type: ignore[override]
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        raise NoPublicURL("private files have no URL")

    def get_available_name(self, name: str, max_length: int | None = None) -> str:
        return name  # names are random, chosen by PrivateFiles

    def _save(self, name: str, content: File) -> str:
        root = Path(self.location)
        root.mkdir(mode=0o700, parents=True, exist_ok=True)
        partial = root / f".{name}.part"
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "wb") as out:
                for chunk in content.chunks():
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            os.replace(partial, root / name)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                partial.unlink()
            raise
        return name

    def entries(self) -> Iterator[tuple[str, float]]:
        """(name, modified timestamp) of everything in the folder, partial writes included."""
        try:
            found = list(os.scandir(self.location))
        except FileNotFoundError:
            return
        for entry in found:
            with contextlib.suppress(FileNotFoundError):
                if entry.is_file(follow_symlinks=False):
                    yield entry.name, entry.stat().st_mtime


@dataclass
class Tidied:
    """What one tidy of a kind of private file found and did; counts only, never names."""

    kind: str
    stored: int = 0
    removed: int = 0  # files no row refers to, old enough to be safe to remove
    young: int = 0  # files no row refers to yet, left alone (their row may be being saved)
    missing: int = 0  # rows whose file is gone
    settled: int = 0  # of those, rows changed so nobody waits for the file
    notes: list[str] = field(default_factory=list)
    seen: set[str] = field(default_factory=set, repr=False)  # names found in the storage

    def line(self) -> str:
        text = (
            f"{self.kind}: {self.stored} stored, {self.removed} without a row removed, "
            f"{self.young} recent left alone, {self.missing} row(s) whose file is missing"
        )
        if self.settled:
            text += f" ({self.settled} settled)"
        return text + "".join(f"; {note}" for note in self.notes)


# Each app that keeps private files registers how to tidy them (its jobs module
# does, when tending.ops.jobs.discover() imports it): `tending tidy_files` and
# the apps' own chores run them.
TIDIERS: dict[str, Callable[[bool], Tidied]] = {}


def tidier(kind: str) -> Callable[[Callable[[bool], Tidied]], Callable[[bool], Tidied]]:
    def register(func: Callable[[bool], Tidied]) -> Callable[[bool], Tidied]:
        TIDIERS[kind] = func
        return func

    return register


class PrivateFiles:
    """One kind of private file, kept in the storage named `alias`."""

    def __init__(self, alias: str) -> None:
        self.alias = alias

    @property
    def storage(self) -> Storage:
        return storages[self.alias]

    @property
    def is_local(self) -> bool:
        return isinstance(self.storage, FileSystemStorage)

    def check_name(self, name: str) -> str:
        """The name, if it is one of ours; anything else (say "../x") raises ValueError."""
        if not _NAME.fullmatch(name or ""):
            raise ValueError(f"not a file name of {self.alias}")
        return name

    def path(self, name: str) -> Path:
        """The file's path, for a folder storage only."""
        return Path(self.storage.path(self.check_name(name)))

    def save(self, content: bytes | File) -> str:
        """Store a new file under a fresh random name and return the name. The file
        appears whole or not at all: a partial copy never stays behind."""
        if isinstance(content, bytes):
            content = ContentFile(content)
        name = secrets.token_hex(16)
        stored = self.storage.save(name, content)
        if stored != name:  # a storage that renamed it: give it back and refuse
            self.remove(stored)
            raise FileUnavailable(f"the {self.alias} storage changed a file's name")
        return name

    def put(self, name: str, content: File) -> None:
        """Store `content` under a name of ours chosen elsewhere (a restore)."""
        self.storage.save(self.check_name(name), content)

    def open(self, name: str) -> File:
        """The file, open for reading (with `.size`). FileNotFoundError when it is
        gone, ValueError for a name that is not ours, FileUnavailable when the
        storage cannot answer."""
        self.check_name(name)
        try:
            return self.storage.open(name, "rb")
        except OSError:
            raise
        except Exception as error:  # noqa: BLE001 - a storage's own errors (boto3's)
            raise FileUnavailable(
                f"the {self.alias} storage failed ({type(error).__name__})"
            ) from None

    def exists(self, name: str) -> bool:
        return bool(_NAME.fullmatch(name or "")) and self.storage.exists(name)

    def remove(self, name: str) -> None:
        """Delete the file if it is there. A storage that cannot be reached right
        now is logged (the kind and the error's type only), not raised: the row is
        already gone, and the tidy removes the file later as one no row refers to."""
        if not name or not _NAME.fullmatch(name):
            return
        try:
            self.storage.delete(name)
        except FileNotFoundError:
            pass
        except Exception as error:  # noqa: BLE001 - any storage's errors
            log.warning(
                "a %s file could not be deleted now (%s); the tidy will remove it",
                self.alias,
                type(error).__name__,
            )

    @contextlib.contextmanager
    def local_copy(self, name: str) -> Iterator[Path]:
        """A path to read the file from: the file itself in a folder storage, or a
        private temporary copy (0600, under DATA_DIR/tmp) that is removed afterwards."""
        if self.is_local:
            yield self.path(name)
            return
        self.check_name(name)
        folder = Path(settings.FILE_UPLOAD_TEMP_DIR)
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=folder) as scratch:
            copy = Path(scratch) / "file"
            fd = os.open(copy, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as out:
                download = getattr(self.storage, "download", None)
                try:
                    if download is not None:
                        download(name, out)
                    else:
                        with self.storage.open(name, "rb") as source:
                            shutil.copyfileobj(source, out, 1024 * 1024)
                except OSError:
                    raise
                except Exception as error:  # noqa: BLE001 - a storage's own errors
                    raise FileUnavailable(
                        f"the {self.alias} storage failed ({type(error).__name__})"
                    ) from None
            yield copy

    def entries(self) -> Iterator[tuple[str, float]]:
        """(name, modified timestamp) of every stored file, partial writes included."""
        storage = self.storage
        listing = getattr(storage, "entries", None)
        if listing is not None:
            yield from listing()
            return
        for name in storage.listdir("")[1]:
            yield name, storage.get_modified_time(name).timestamp()

    def names(self) -> set[str]:
        return {name for name, _ in self.entries() if _NAME.fullmatch(name)}

    def sweep_orphans(self, known: set[str], older_than_seconds: float) -> int:
        return self.tidy_files(known, older_than_seconds).removed

    def tidy_files(
        self, known: set[str], older_than_seconds: float, dry_run: bool = False
    ) -> Tidied:
        """Remove files no row refers to (left by a crash between writing the file
        and saving its row); young files are left alone: their row may be being
        saved right now. Returns the counts and the names seen; the caller, who
        knows the rows, fills in `missing` and `settled`."""
        report = Tidied(self.alias)
        cutoff = time.time() - older_than_seconds
        for entry, modified in self.entries():
            name = entry.lstrip(".").removesuffix(".part")
            if not _NAME.fullmatch(name):
                continue
            if entry == name:
                report.stored += 1
                report.seen.add(name)
            if name in known and entry == name:
                continue
            if modified >= cutoff:
                report.young += 1
                continue
            if not dry_run:
                with contextlib.suppress(FileNotFoundError):
                    self.storage.delete(entry)
            report.removed += 1
        return report
