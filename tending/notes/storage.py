"""Voice recordings on disk: DATA_DIR/voice/<32 random hex digits>, readable by
the server's user only, reached only through the note's authorised view."""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import time
from pathlib import Path

from django.conf import settings

_NAME = re.compile(r"[0-9a-f]{32}")


def voice_dir() -> Path:
    return Path(settings.DATA_DIR) / "voice"


def voice_path(name: str) -> Path:
    if not _NAME.fullmatch(name):
        raise ValueError("not a voice file name")
    return voice_dir() / name


def save_voice(data: bytes) -> str:
    """Write a recording under a fresh random name; returns the name."""
    folder = voice_dir()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    name = secrets.token_hex(16)
    final = folder / name
    partial = folder / f".{name}.part"
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
    os.replace(partial, final)
    return name


def remove_voice(name: str) -> None:
    with contextlib.suppress(FileNotFoundError, ValueError):
        voice_path(name).unlink()


def sweep_orphans(known: set[str], older_than_seconds: float) -> int:
    """Remove files no note refers to (left by a crash between writing the file
    and saving the note); returns how many. Young files are left alone: their
    note may be being saved right now."""
    folder = voice_dir()
    if not folder.is_dir():
        return 0
    cutoff = time.time() - older_than_seconds
    removed = 0
    for path in folder.iterdir():
        name = path.name.lstrip(".").removesuffix(".part")
        if name in known or not _NAME.fullmatch(name):
            continue
        with contextlib.suppress(FileNotFoundError):
            if path.stat().st_mtime < cutoff:
                path.unlink()
                removed += 1
    return removed
