"""Signal chats exported by signal-export: `chat.md` (Markdown) or `data.json`
(one JSON object per line). Both stream line by line. The exporting person is
written as "Me"."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

from tending.insights.chats import sources
from tending.insights.chats.stream import (
    ChatFormatError,
    Message,
    ParseReport,
    TruncatedFileError,
    clean_text,
)

HEADER = re.compile(r"\[(\d{4})-(\d{2})-(\d{2}),? (\d{2}):(\d{2})(?::(\d{2}))?\] (.*)")
REACTIONS = re.compile(r"\(- (.*?) -\)")
STICKER = re.compile(r"^\(\( (.*) \)\)\s*$")
# Neither part may run past the next "[": on a line of many "[" and no "]" (a damaged or
# hostile export) a scan to the end of the line from each one would take hours.
ATTACHMENT = re.compile(
    r"!?\[[^\[\]\n]*\]\((?:\./media/|\.\./exported_stickers/|media/)[^\[)\n]*\)[ ]*"
)
CALL = re.compile(r"(?:Incoming|Outgoing|Missed) (?:voice |video )?call(?: \([^)]*\))?")
DELETED = "(This message was deleted)"


def _file_in(names: list[str]) -> str:
    for wanted in ("data.json", "chat.md"):
        found = [n for n in names if n.rsplit("/", 1)[-1] == wanted]
        if found:
            return min(found, key=len)
    raise ChatFormatError("No Signal chat.md or data.json found here.")


class _Located:
    """Where the Signal file is: a path, bytes, a file inside a folder or a zip."""

    def __init__(self, source: sources.Input) -> None:
        self.source = source
        self.member: str | None = None
        self.kind = "md"
        if not isinstance(source, bytes) and Path(source).is_dir():
            folder = Path(source)
            names = [p.name for p in folder.iterdir() if p.is_file()]
            self.source = folder / _file_in(names)
        elif sources.is_zip(source):
            with sources.open_zip(source) as archive:
                self.member = _file_in(sources.member_names(archive))
        name = self.member or sources.name_of(self.source)
        if (
            name.endswith(".json")
            or name.endswith(".jsonl")
            or isinstance(self.source, bytes)
            and sources.head(self.source, 64).lstrip().startswith(b"{")
        ):
            self.kind = "json"

    @contextmanager
    def open(self) -> Iterator[BinaryIO]:
        if self.member is None:
            with sources.open_binary(self.source) as handle:
                yield handle
            return
        with sources.open_zip(self.source) as archive:
            try:
                with archive.open(self.member) as raw:
                    yield io.BufferedReader(raw)  # type: ignore[arg-type]
            except sources.ZIP_ERRORS as error:
                raise TruncatedFileError(sources.DAMAGED_ZIP) from error


def _lines(handle: BinaryIO, report: ParseReport) -> Iterator[tuple[int, str]]:
    try:
        for number, raw in enumerate(handle, start=1):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError:
                report.repaired_text += 1
                line = raw.decode("utf-8", "replace")
            yield number, line.rstrip("\r\n")
    except sources.ZIP_ERRORS as error:
        raise TruncatedFileError(sources.DAMAGED_ZIP) from error


def open_signal(source: sources.Input, report: ParseReport, **_: object) -> Iterator[Message]:
    located = _Located(source)
    with located.open() as handle:
        handle.read(1)  # fail now, not mid-stream, if the file cannot be read
    if located.kind == "json":
        return _json_messages(located, report)
    return _md_messages(located, report)


# chat.md ---------------------------------------------------------------------


def _quote(lines: list[str]) -> tuple[str | None, list[str]]:
    """signal-export writes a quote as a blank line, `> ` lines, a blank line."""
    if len(lines) < 3 or lines[0].strip() or lines[1].strip() or not lines[2].startswith(">"):
        return None, lines
    quoted = []
    index = 2
    while index < len(lines) and lines[index].startswith(">"):
        quoted.append(lines[index][1:].lstrip(" "))
        index += 1
    while index < len(lines) and not lines[index].strip():
        index += 1
    return clean_text("\n".join(quoted)), lines[index:]


def _md_message(when: datetime, rest: str, more: list[str]) -> Message:
    sender, _, first = rest.partition(": ")
    sender = clean_text(sender.strip()) or "No-Sender"
    lines = [first, *more]
    while lines and not lines[-1].strip():
        lines.pop()
    reply_to, lines = _quote(lines)
    reactions: list[tuple[str, str]] = []
    kind = "text"
    body: list[str] = []
    for line in lines:
        found = REACTIONS.match(line)
        if found:
            for pair in found[1].split(", "):
                name, _, emoji = pair.rpartition(": ")
                if name and emoji:
                    reactions.append((clean_text(name.strip()), emoji.strip()))
            line = line[found.end() :]
        if STICKER.match(line):
            kind = "media"
            continue
        stripped = ATTACHMENT.sub("", line)
        if stripped != line:
            kind = "media"
            line = stripped
        body.append(line)
    text = clean_text("\n".join(body).rstrip())
    if text == DELETED:
        return Message(when, None, sender, "", "deleted", False, reply_to, reactions)
    if kind == "text" and CALL.fullmatch(text):
        kind = "call"
    return Message(when, None, sender, text, kind, False, reply_to, reactions)


def _md_messages(located: _Located, report: ParseReport) -> Iterator[Message]:
    current: tuple[datetime, str] | None = None
    more: list[str] = []
    skipping = False
    with located.open() as handle:
        for number, line in _lines(handle, report):
            found = HEADER.fullmatch(line)
            if found is None:
                if current is not None:
                    more.append(line)
                elif skipping:
                    report.skip(number, "continuation of a skipped message")
                elif line.strip():
                    report.skip(number, "text before the first message header")
                continue
            if current is not None:
                message = _md_message(current[0], current[1], more)
                report.count(message)
                yield message
                more = []
            try:
                y, mo, d, h, mi = (int(found[i]) for i in range(1, 6))
                when = datetime(y, mo, d, h, mi, int(found[6] or 0))
            except ValueError:
                current, skipping = None, True
                report.skip(number, "message header with an impossible date or time")
                continue
            current, skipping = (when, found[7]), False
    if current is not None:
        message = _md_message(current[0], current[1], more)
        report.count(message)
        yield message
    report.finished = True


# data.json -------------------------------------------------------------------


def _json_reactions(value: Any) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    if not isinstance(value, list):
        return found
    for reaction in value:
        if isinstance(reaction, list | tuple) and len(reaction) == 2:
            name, emoji = reaction
        elif isinstance(reaction, dict):
            name, emoji = reaction.get("name"), reaction.get("emoji")
        else:
            continue
        if isinstance(name, str) and isinstance(emoji, str):
            found.append((clean_text(name), emoji))
    return found


def _quote_text(value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    lines = [
        line[1:].lstrip(" ") if line.startswith(">") else line for line in value.strip().split("\n")
    ]
    return clean_text("\n".join(lines).strip()) or None


def _json_message(item: Any) -> tuple[Message | None, str]:
    if not isinstance(item, dict):
        return None, "not a message object"
    date = item.get("date")
    if not isinstance(date, str):
        return None, "no date"
    try:
        when = datetime.fromisoformat(date)
    except ValueError:
        return None, "date not readable"
    if when.tzinfo is not None:
        when = when.replace(tzinfo=None)
    sender = item.get("sender")
    sender = clean_text(sender) if isinstance(sender, str) and sender else "No-Sender"
    body = item.get("body")
    text = clean_text(body.rstrip()) if isinstance(body, str) else ""
    reactions = _json_reactions(item.get("reactions"))
    reply_to = _quote_text(item.get("quote"))
    if item.get("deleted") is True:
        kind, text = "deleted", ""
    elif item.get("call") is True or item.get("missed") is True:
        kind = "call"
    elif item.get("attachments") or item.get("sticker"):
        kind = "media"
    else:
        kind = "text"
    return Message(when, None, sender, text, kind, False, reply_to, reactions), ""


def _json_messages(located: _Located, report: ParseReport) -> Iterator[Message]:
    with located.open() as handle:
        for number, line in _lines(handle, report):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except (json.JSONDecodeError, RecursionError):
                report.skip(number, "not a JSON object")
                continue
            message, reason = _json_message(item)
            if message is None:
                report.skip(number, reason)
                continue
            report.count(message)
            yield message
    report.finished = True
