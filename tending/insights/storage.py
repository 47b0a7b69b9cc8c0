"""Uploaded chat exports on disk: DATA_DIR/imports/<32 random hex digits>,
readable by the server's user only, kept only until the worker has read them.

`LimitedUpload` is an upload handler that stops keeping a file once it passes
the size limit, so an oversized upload is never written out in full."""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile

MAX_BYTES = 60 * 1024 * 1024
# Room for the form's other fields and the multipart boundaries.
BODY_ALLOWANCE = 64 * 1024
SUFFIXES = (".txt", ".zip", ".json", ".md")

_NAME = re.compile(r"[0-9a-f]{32}")


def imports_dir() -> Path:
    return Path(settings.DATA_DIR) / "imports"


def import_path(name: str) -> Path:
    if not _NAME.fullmatch(name):
        raise ValueError("not an import file name")
    return imports_dir() / name


def save_upload(upload: Any) -> str:
    """Copy an uploaded file (in memory or in Django's temporary file) under a
    fresh random name; returns the name. A partial copy never stays behind."""
    folder = imports_dir()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    name = secrets.token_hex(16)
    final = folder / name
    partial = folder / f".{name}.part"
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        os.replace(partial, final)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            partial.unlink()
        raise
    return name


def remove_import(name: str) -> None:
    if not name:
        return
    with contextlib.suppress(FileNotFoundError, ValueError):
        import_path(name).unlink()


def sweep_orphans(known: set[str], older_than_seconds: float) -> int:
    """Remove files no import refers to (left by a crash between writing the
    file and saving its row, or by an account deleted mid-way); returns how
    many. Young files are left alone: their row may be being saved right now."""
    folder = imports_dir()
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


class LimitedUpload(FileUploadHandler):
    """Put first in `request.upload_handlers`: counts each file's bytes as they
    arrive and drops the file (the rest of it is read and discarded) once it
    passes `limit`. `too_big` tells the view afterwards."""

    def __init__(self, request: Any = None, limit: int = MAX_BYTES) -> None:
        super().__init__(request)
        self.limit = limit
        self.received = 0
        self.too_big = False

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.limit:
            self.too_big = True
            raise SkipFile()
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None
