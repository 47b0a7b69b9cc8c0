"""Facebook Messenger and Instagram exports ("Download your information", JSON):
one `message_1.json`, or a conversation folder (or a zip) holding several
`message_N.json` files, merged in time order. Also the newer end-to-end
encrypted Messenger download (`threadName`, `senderName`, `timestamp`, `text`).

Read as a stream (see jsonfiles). The files are newest first (message_1.json
holds the latest), and so is each file: a first look notes the span of each
file's timestamps, then the files are read oldest first, each one's messages
sorted in memory (Meta caps a file at some thousands of messages). Files whose
spans overlap, which Meta does not write, are read together and sorted whole.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from functools import cache, partial
from pathlib import Path
from typing import Any, BinaryIO
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tending.insights.chats import jsonfiles, sources
from tending.insights.chats.stream import (
    ChatFormatError,
    Message,
    ParseReport,
    TruncatedFileError,
    clean_text,
)

MESSAGE_FILE = re.compile(r"(?:^|/)message_\d+\.json$")
MEDIA_KEYS = ("photos", "videos", "audio_files", "files", "gifs", "sticker")
SYSTEM_TYPES = ("Subscribe", "Unsubscribe")


@cache
def _system_pattern() -> re.Pattern[str]:
    path = Path(__file__).parent.parent / "data" / "messenger_markers.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    patterns = [p for lang in data["languages"].values() for p in lang.get("system", [])]
    return re.compile("|".join(f"(?:{p})" for p in patterns))


def fix_mojibake(value: str) -> str:
    """Meta writes UTF-8 bytes as if each were a Latin-1 character; undo that per
    string, keeping the original when it was not mojibake after all."""
    if value.isascii():
        return value
    with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
        value = value.encode("latin-1").decode("utf-8")
    return clean_text(value)


Opener = Callable[[], AbstractContextManager[BinaryIO]]


def _thread_files(
    source: sources.Input, chat: str | None
) -> tuple[list[tuple[str, Opener]], list[dict]]:
    """The JSON files of one conversation (name, a way to open it), and the
    conversations there were to choose from."""
    if isinstance(source, bytes) and not sources.is_zip(source):
        return [("message_1.json", lambda: sources.open_binary(source))], []
    if not isinstance(source, bytes) and Path(source).is_dir():
        root = Path(source)
        paths = sorted(p for p in root.rglob("*.json") if MESSAGE_FILE.search(p.as_posix()))
        groups = _group(
            [str(p.relative_to(root).as_posix()) for p in paths],
            lambda n: (root / n).stat().st_size,
        )
        folder, choices = _choose(groups, chat)
        return [(n, partial(sources.open_binary, root / n)) for n in groups[folder]], choices
    if sources.is_zip(source):
        with sources.open_zip(source) as archive:
            names = [n for n in sources.member_names(archive) if MESSAGE_FILE.search(n)]
            groups = _group(names, lambda n: archive.getinfo(n).file_size)
            folder, choices = _choose(groups, chat)
        return [(n, partial(_open_member, source, n)) for n in groups[folder]], choices
    return [(sources.name_of(source), partial(sources.open_binary, source))], []


@contextmanager
def _open_member(source: sources.Input, name: str) -> Iterator[BinaryIO]:
    with sources.open_zip(source) as archive:
        try:
            with archive.open(name) as handle:
                yield handle  # type: ignore[misc]
        except sources.ZIP_ERRORS as error:
            raise TruncatedFileError(sources.DAMAGED_ZIP) from error


def _group(names: list[str], size: Any) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    for name in names:
        groups.setdefault(name.rpartition("/")[0], []).append(name)
    if not groups:
        raise ChatFormatError("No Messenger or Instagram message_1.json found here.")
    sizes = {folder: sum(size(n) for n in members) for folder, members in groups.items()}
    return dict(sorted(groups.items(), key=lambda item: -sizes[item[0]]))


def _choose(groups: dict[str, list[str]], chat: str | None) -> tuple[str, list[dict]]:
    choices = [
        {"id": folder, "name": folder.rpartition("/")[2], "files": len(m)}
        for folder, m in groups.items()
    ]
    if chat is None:
        return next(iter(groups)), choices if len(groups) > 1 else []
    wanted = str(chat).casefold()
    for folder in groups:
        if folder.casefold() == wanted or folder.rpartition("/")[2].casefold() == wanted:
            return folder, choices
    raise ChatFormatError("No conversation with that folder name in this export.")


def _zone(tz: str | tzinfo | None) -> tzinfo | None:
    if tz is None or isinstance(tz, tzinfo):
        return tz
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ChatFormatError(f"Unknown time zone {tz!r}.") from error


def _when(stamp: Any, zone: tzinfo | None) -> tuple[datetime, datetime] | None:
    if not isinstance(stamp, int | float) or isinstance(stamp, bool):
        return None
    try:
        utc = datetime.fromtimestamp(stamp / 1000, UTC)
        local = utc.astimezone(zone) if zone is not None else utc.astimezone()
    except (ValueError, OverflowError, OSError):
        return None
    return local.replace(tzinfo=None), utc


def _reactions(value: Any, fix: Any) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    if not isinstance(value, list):
        return found
    for reaction in value:
        if not isinstance(reaction, dict):
            continue
        emoji = reaction.get("reaction")
        actor = reaction.get("actor") or reaction.get("reactor") or reaction.get("senderName")
        if isinstance(emoji, str) and isinstance(actor, str):
            found.append((fix(actor), fix(emoji)))
    return found


def _classic(item: dict[str, Any], zone: tzinfo | None) -> tuple[Message | None, str]:
    times = _when(item.get("timestamp_ms"), zone)
    if times is None:
        return None, "no readable timestamp"
    local, utc = times
    author = item.get("sender_name")
    sender = fix_mojibake(author) if isinstance(author, str) and author else "Unknown"
    content = item.get("content")
    text = fix_mojibake(content) if isinstance(content, str) else ""
    reactions = _reactions(item.get("reactions"), fix_mojibake)
    if item.get("is_unsent") is True:
        kind = "deleted"
    elif "call_duration" in item or item.get("type") == "Call":
        kind = "call"
    elif item.get("type") in SYSTEM_TYPES or (text and _system_pattern().match(text)):
        return Message(local, utc, None, text, "system", False, None, reactions), ""
    elif any(item.get(key) for key in MEDIA_KEYS) or (item.get("share") and not text):
        kind = "media"
    else:
        kind = "text"
    return Message(local, utc, sender, text, kind, False, None, reactions), ""


def _encrypted(item: dict[str, Any], zone: tzinfo | None) -> tuple[Message | None, str]:
    times = _when(item.get("timestamp"), zone)
    if times is None:
        return None, "no readable timestamp"
    local, utc = times
    author = item.get("senderName")
    sender = clean_text(author) if isinstance(author, str) and author else "Unknown"
    body = item.get("text")
    text = clean_text(body) if isinstance(body, str) else ""
    reactions = _reactions(item.get("reactions"), clean_text)
    if item.get("isUnsent") is True:
        kind = "deleted"
    elif item.get("media"):
        kind = "media"
    elif text and _system_pattern().match(text):
        return Message(local, utc, None, text, "system", False, None, reactions), ""
    else:
        kind = "text"
    return Message(local, utc, sender, text, kind, False, None, reactions), ""


@dataclass
class _File:
    """One message_N.json: how many items its messages list holds, the span of
    their timestamps, and where its numbering starts."""

    name: str
    opener: Opener
    count: int = 0
    first: float | None = None
    last: float | None = None
    offset: int = 0


_SCALARS = ("string", "number", "boolean", "null")
_VALUE_STARTS = ("start_map", "start_array", *_SCALARS)
_STAMPS = ("messages.item.timestamp_ms", "messages.item.timestamp")


def _look(name: str, opener: Opener) -> _File:
    found = _File(name, opener)
    listed = False
    with opener() as handle:
        events = jsonfiles.events(handle, "Messenger")
        first = next(events, None)
        if first is None or first[1] != "start_map":
            raise ChatFormatError(
                f"{name.rpartition('/')[2]} is not a Messenger or Instagram export."
            )
        for prefix, event, value in events:
            if prefix == "messages.item":
                if event in _VALUE_STARTS:
                    found.count += 1
            elif prefix in _STAMPS:
                if event == "number":
                    stamp = float(value)
                    found.first = stamp if found.first is None else min(found.first, stamp)
                    found.last = stamp if found.last is None else max(found.last, stamp)
            elif prefix == "messages" and event == "start_array":
                listed = True
    if not listed:
        raise ChatFormatError(f"{name.rpartition('/')[2]} is not a Messenger or Instagram export.")
    return found


def open_messenger(
    source: sources.Input,
    report: ParseReport,
    chat: str | None = None,
    tz: str | tzinfo | None = None,
    **_: object,
) -> Iterator[Message]:
    """`tz` is the zone for local times (Meta stores instants only); by default
    the zone of the machine running the import."""
    zone = _zone(tz)
    named, choices = _thread_files(source, chat)
    report.skipped_unit = "message"
    report.chats = choices
    files: list[_File] = []
    offset = 0
    for name, opener in named:
        found = _look(name, opener)
        found.offset = offset
        offset += found.count
        files.append(found)
    return _messages(files, zone, report)


def _batches(files: list[_File]) -> list[list[_File]]:
    """Groups of files to sort together, oldest first: one file each, unless
    their spans of time overlap."""
    dated = sorted((f for f in files if f.first is not None), key=lambda f: f.first or 0)
    batches: list[list[_File]] = []
    for found in dated:
        if (
            batches
            and found.first is not None
            and found.first <= max(f.last or 0 for f in batches[-1])
        ):
            batches[-1].append(found)
        else:
            batches.append([found])
    undated = [f for f in files if f.first is None]
    if undated:
        batches.append(undated)
    return batches


def _messages(files: list[_File], zone: tzinfo | None, report: ParseReport) -> Iterator[Message]:
    titles: dict[str, str] = {}
    for batch in _batches(files):
        items: list[tuple[int, Message]] = []
        for found in batch:
            items.extend(_read(found, zone, report, titles))
        # Newest first in each file: sort by the instant, keeping the file's order
        # (reversed) for messages sent in the same millisecond.
        items.sort(key=lambda pair: (pair[1].time_utc, -pair[0]))
        for _, message in items:
            report.count(message)
            yield message
    for found in files:  # the title of the first file that has one, as listed
        if found.name in titles:
            report.chat_name = titles[found.name]
            break
    report.finished = True


def _read(
    found: _File, zone: tzinfo | None, report: ParseReport, titles: dict[str, str]
) -> list[tuple[int, Message]]:
    items: list[tuple[int, Message]] = []
    number = found.offset
    top: dict[str, Any] = {}
    with found.opener() as handle:
        events = _noting_title(jsonfiles.events(handle, "Messenger"), top)
        for item in jsonfiles.items_of(events, "messages.item", "Messenger"):
            number += 1
            if not isinstance(item, dict):
                report.skip(number, "not a message object")
                continue
            message, reason = (
                _encrypted(item, zone) if "senderName" in item else _classic(item, zone)
            )
            if message is None:
                report.skip(number, reason)
                continue
            items.append((number, message))
    title = top.get("title", top.get("threadName"))
    if isinstance(title, str):
        titles[found.name] = fix_mojibake(title) if "title" in top else clean_text(title)
    return items


def _noting_title(events: Iterator[tuple[str, str, Any]], top: dict[str, Any]) -> Iterator[Any]:
    for event in events:
        prefix, kind, value = event
        if prefix in ("title", "threadName") and kind in _SCALARS:
            top.setdefault(prefix, value)
        yield event
