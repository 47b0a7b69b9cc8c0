"""Opening what a person hands us: a file path, a folder, a zip, or bytes held in
memory (an upload). Damaged zips become `TruncatedFileError`, missing or
unreadable files `ChatFormatError`, so parsers see only the errors they document."""

from __future__ import annotations

import io
import os
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any, BinaryIO

from tending.insights.chats.stream import ChatFormatError, TooLargeError, TruncatedFileError

Input = str | os.PathLike[str] | bytes

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
# Errors that reading a damaged zip member can raise, at open or mid-stream.
# zipfile raises NotImplementedError for a compression method it cannot read
# (a zip made by an unusual tool): for the person, that is an unreadable file too.
ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, ValueError)
DAMAGED_ZIP = "The zip file is damaged or incomplete (was the download or copy interrupted?)."


def head(source: Input, size: int = 65536) -> bytes:
    if isinstance(source, bytes):
        return source[:size]
    path = Path(source)
    if path.is_dir():
        return b""
    try:
        with path.open("rb") as handle:
            return handle.read(size)
    except OSError as error:
        raise ChatFormatError(f"Cannot read {path.name}: {error.strerror or error}.") from None


def tail(source: Input, size: int = 64) -> bytes:
    """The last bytes of a file (or of bytes held in memory)."""
    if isinstance(source, bytes):
        return source[-size:]
    path = Path(source)
    if path.is_dir():
        return b""
    try:
        with path.open("rb") as handle:
            handle.seek(max(0, path.stat().st_size - size))
            return handle.read(size)
    except OSError as error:
        raise ChatFormatError(f"Cannot read {path.name}: {error.strerror or error}.") from None


def is_zip(source: Input) -> bool:
    return head(source, 4).startswith(ZIP_MAGIC)


def size_of(source: Input) -> int:
    if isinstance(source, bytes):
        return len(source)
    try:
        return Path(source).stat().st_size
    except OSError:
        return 0


def name_of(source: Input) -> str:
    return "upload" if isinstance(source, bytes) else Path(source).name


@contextmanager
def open_binary(source: Input) -> Iterator[BinaryIO]:
    if isinstance(source, bytes):
        yield io.BytesIO(source)
        return
    try:
        handle = Path(source).open("rb")  # noqa: SIM115 - closed by the with below
    except OSError as error:
        raise ChatFormatError(
            f"Cannot read {Path(source).name}: {error.strerror or error}."
        ) from None
    with handle:
        yield handle


# How many bytes a zip may unpack to, all members together; None: no limit (the
# command line, on a person's own computer). The web job sets it (`unpack_limit`).
_UNPACK_LIMIT: ContextVar[int | None] = ContextVar("unpack_limit", default=None)


@contextmanager
def unpack_limit(limit: int | None) -> Iterator[None]:
    token = _UNPACK_LIMIT.set(limit)
    try:
        yield
    finally:
        _UNPACK_LIMIT.reset(token)


def _too_large(limit: int) -> TooLargeError:
    return TooLargeError(
        f"This zip unpacks to more than {limit // 1_000_000:,} MB, more than Tending reads. "
        "Export the chat without media, or only the one chat you need."
    )


class _CappedZip(zipfile.ZipFile):
    """A zip whose members, read by anyone, stop at the unpack limit: the
    limit is checked against the sizes the zip declares before anything is
    read, and against the bytes actually unpacked as they come."""

    limit: int
    unpacked: int = 0

    def open(self, name: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        member = super().open(name, mode, *args, **kwargs)
        if mode != "r":
            return member
        archive = self
        read = member.read

        def counted(size: int = -1) -> bytes:
            data = read(size)
            archive.unpacked += len(data)
            if archive.unpacked > archive.limit:
                raise _too_large(archive.limit)
            return data

        member.read = counted  # type: ignore[method-assign]
        member.read1 = counted  # type: ignore[method-assign]
        return member


@contextmanager
def open_zip(source: Input) -> Iterator[zipfile.ZipFile]:
    limit = _UNPACK_LIMIT.get()
    try:
        with open_binary(source) as handle:
            if limit is None:
                with zipfile.ZipFile(handle) as archive:
                    yield archive
                return
            with _CappedZip(handle) as capped:
                capped.limit = limit
                if sum(info.file_size for info in capped.infolist()) > limit:
                    raise _too_large(limit)
                yield capped
    except ZIP_ERRORS as error:
        raise TruncatedFileError(DAMAGED_ZIP) from error


def read_member(archive: zipfile.ZipFile, name: str) -> bytes:
    try:
        return archive.read(name)
    except ZIP_ERRORS as error:
        raise TruncatedFileError(DAMAGED_ZIP) from error


def member_names(archive: zipfile.ZipFile) -> list[str]:
    return [info.filename for info in archive.infolist() if not info.is_dir()]


def read_bytes(source: Input) -> bytes:
    if isinstance(source, bytes):
        return source
    try:
        return Path(source).read_bytes()
    except OSError as error:
        raise ChatFormatError(
            f"Cannot read {Path(source).name}: {error.strerror or error}."
        ) from None
