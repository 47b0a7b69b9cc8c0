"""Private files under the data directory: DATA_DIR/<folder>/<32 random hex digits>,
readable by the server's user only, never reachable by a URL of their own.

Used for voice messages and for chat exports waiting to be read."""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import time
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings

_NAME = re.compile(r"[0-9a-f]{32}")


class PrivateFolder:
    def __init__(self, folder: str) -> None:
        self.folder = folder

    @property
    def root(self) -> Path:
        return Path(settings.DATA_DIR) / self.folder

    def path(self, name: str) -> Path:
        """The file's path; a name that is not ours (say "../x") raises ValueError."""
        if not _NAME.fullmatch(name):
            raise ValueError(f"not a file name of {self.folder}")
        return self.root / name

    def write(self, chunks: Iterable[bytes]) -> str:
        """Write a new file under a fresh random name and return the name. The file
        appears whole or not at all: a partial copy never stays behind."""
        self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
        name = secrets.token_hex(16)
        partial = self.root / f".{name}.part"
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "wb") as out:
                for chunk in chunks:
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            os.replace(partial, self.root / name)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                partial.unlink()
            raise
        return name

    def remove(self, name: str) -> None:
        if not name:
            return
        with contextlib.suppress(FileNotFoundError, ValueError):
            self.path(name).unlink()

    def sweep_orphans(self, known: set[str], older_than_seconds: float) -> int:
        """Remove files no row refers to (left by a crash between writing the file
        and saving its row); returns how many. Young files are left alone: their
        row may be being saved right now."""
        if not self.root.is_dir():
            return 0
        cutoff = time.time() - older_than_seconds
        removed = 0
        for path in self.root.iterdir():
            name = path.name.lstrip(".").removesuffix(".part")
            if name in known or not _NAME.fullmatch(name):
                continue
            with contextlib.suppress(FileNotFoundError):
                if path.stat().st_mtime < cutoff:
                    path.unlink()
                    removed += 1
        return removed
