"""Uploaded chat exports: the private storage named "imports" (DATA_DIR/imports/
<32 random hex digits> by default, or private objects in S3), kept only until
the worker has read them.

`LimitedUpload` is an upload handler that stops keeping a file once it passes
the size limit, so an oversized upload is never written out in full."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.files.uploadhandler import FileUploadHandler, SkipFile

from tending.lib.files import PrivateFiles

MAX_BYTES = 60 * 1024 * 1024
# Room for the form's other fields and the multipart boundaries.
BODY_ALLOWANCE = 64 * 1024
SUFFIXES = (".txt", ".zip", ".json", ".md")

IMPORTS = PrivateFiles("imports")


def save_upload(upload: Any) -> str:
    """Store an uploaded file (in memory or in Django's temporary file) under a
    fresh random name; returns the name. A partial copy never stays behind."""
    return IMPORTS.save(upload)


def local_copy(name: str) -> Any:
    """A context manager giving a local path to read the stored file from."""
    return IMPORTS.local_copy(name)


def import_path(name: str) -> Path:
    """The file's path when the files are kept in a folder (benchmarks, tests)."""
    return IMPORTS.path(name)


def remove_import(name: str) -> None:
    IMPORTS.remove(name)


def sweep_orphans(known: set[str], older_than_seconds: float) -> int:
    """Remove files no import refers to (a crash between writing the file and
    saving its row, or an account deleted mid-way); returns how many."""
    return IMPORTS.sweep_orphans(known, older_than_seconds)


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
