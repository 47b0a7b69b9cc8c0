"""Facebook Messenger and Instagram exports ("Download your information", JSON):
one `message_1.json`, or a conversation folder (or a zip) holding several
`message_N.json` files, merged in time order. Also the newer end-to-end
encrypted Messenger download (`threadName`, `senderName`, `timestamp`, `text`).

Loaded whole (see jsonfiles): the files are newest first, so sorting needs them all.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime, tzinfo
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tending.insights.chats import jsonfiles, sources
from tending.insights.chats.stream import ChatFormatError, Message, ParseReport, clean_text

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


def _thread_files(
    source: sources.Input, chat: str | None
) -> tuple[list[tuple[str, bytes]], list[dict]]:
    """The JSON files of one conversation, and the conversations there were to choose from."""
    if isinstance(source, bytes) and not sources.is_zip(source):
        return [("message_1.json", source)], []
    if not isinstance(source, bytes) and Path(source).is_dir():
        root = Path(source)
        paths = sorted(p for p in root.rglob("*.json") if MESSAGE_FILE.search(p.as_posix()))
        groups = _group(
            [str(p.relative_to(root).as_posix()) for p in paths],
            lambda n: (root / n).stat().st_size,
        )
        folder, choices = _choose(groups, chat)
        return [(n, sources.read_bytes(root / n)) for n in groups[folder]], choices
    if sources.is_zip(source):
        with sources.open_zip(source) as archive:
            names = [n for n in sources.member_names(archive) if MESSAGE_FILE.search(n)]
            groups = _group(names, lambda n: archive.getinfo(n).file_size)
            folder, choices = _choose(groups, chat)
            return [(n, sources.read_member(archive, n)) for n in groups[folder]], choices
    return [(sources.name_of(source), sources.read_bytes(source))], []


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
    files, choices = _thread_files(source, chat)
    report.skipped_unit = "message"
    report.chats = choices
    items: list[tuple[int, Message]] = []
    number = 0
    for name, raw in files:
        data = jsonfiles.load(raw, "Messenger")
        if not isinstance(data, dict) or not isinstance(data.get("messages"), list):
            raise ChatFormatError(
                f"{name.rpartition('/')[2]} is not a Messenger or Instagram export."
            )
        title = data.get("title") or data.get("threadName")
        if isinstance(title, str) and report.chat_name is None:
            report.chat_name = fix_mojibake(title) if "title" in data else clean_text(title)
        for item in data["messages"]:
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
    # Newest first in each file and across files: sort by the instant, keeping
    # the file's order (reversed) for messages sent in the same millisecond.
    items.sort(key=lambda pair: (pair[1].time_utc, -pair[0]))
    return _messages([message for _, message in items], report)


def _messages(messages: list[Message], report: ParseReport) -> Iterator[Message]:
    for message in messages:
        report.count(message)
        yield message
    report.finished = True
