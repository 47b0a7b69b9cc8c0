"""Telegram Desktop's machine-readable export (`result.json`): one chat, or a
full export whose chats sit under `chats.list` (and `left_chats.list`).

Read as a stream (see jsonfiles): a first look finds the chats (for a single
chat it stops at its `messages`; a full export is walked once to count each
chat's messages), then the chosen chat's messages are read one at a time."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, BinaryIO

from tending.insights.chats import jsonfiles, sources
from tending.insights.chats.stream import (
    ChatFormatError,
    Message,
    ParseReport,
    TruncatedFileError,
    clean_text,
)

MEDIA_KEYS = (
    "photo",
    "file",
    "media_type",
    "sticker_emoji",
    "location_information",
    "contact_information",
    "poll",
    "place_name",
    "game_title",
    "invoice_information",
)
CALL_ACTIONS = ("phone_call", "group_call", "conference_call")


@contextmanager
def _open(source: sources.Input) -> Iterator[BinaryIO]:
    if sources.is_zip(source):
        with sources.open_zip(source) as archive:
            names = [n for n in sources.member_names(archive) if n.endswith("result.json")]
            if not names:
                raise ChatFormatError("The zip file holds no Telegram result.json.")
            try:
                with archive.open(min(names, key=len)) as handle:
                    yield handle  # type: ignore[misc]
            except sources.ZIP_ERRORS as error:
                raise TruncatedFileError(sources.DAMAGED_ZIP) from error
        return
    with sources.open_binary(source) as handle:
        yield handle


@dataclass
class _Chat:
    """A chat found by the first look: where its messages are and how many."""

    section: str  # "" for a single-chat export, else "chats.list" or "left_chats.list"
    index: int  # its place in that list
    fields: dict[str, Any] = field(default_factory=dict)  # id, name, type
    messages: int | None = None  # counted, or None until the stream has been read
    has_messages: bool = False


_SECTIONS = ("chats.list", "left_chats.list")


def _survey(source: sources.Input) -> list[_Chat]:
    """The chats of the export, with their messages counted (a single chat's are
    counted while it is read)."""
    single = _Chat("", 0)
    found: list[_Chat] = []
    current: _Chat | None = None
    counters = {f"{section}.item.messages.item": section for section in _SECTIONS}
    top = True
    with _open(source) as handle:
        for prefix, event, value in jsonfiles.events(handle, "Telegram"):
            if top:
                top = False
                if event != "start_map":
                    raise ChatFormatError("This JSON is not a Telegram export: it holds no chat.")
                continue
            if prefix in counters:
                if event in _VALUE_STARTS and current is not None:
                    current.messages = (current.messages or 0) + 1
                continue
            if not prefix:
                continue
            if prefix in _FIELDS:
                if event in _SCALARS:
                    single.fields[_FIELDS[prefix]] = value
            elif prefix == "messages" and event == "start_array":
                single.has_messages = True
                if {"name", "type", "id"} <= set(single.fields):
                    break  # nothing else is needed before its messages are read
            elif prefix in _SECTIONS and event == "start_array":
                current = None
            else:
                head, _, rest = prefix.partition(".item")
                if head not in _SECTIONS:
                    continue
                if rest == "" and event == "start_map":
                    current = _Chat(head, sum(1 for c in found if c.section == head))
                    found.append(current)
                elif rest == "" and event in _VALUE_STARTS[1:]:
                    found.append(_Chat(head, sum(1 for c in found if c.section == head)))
                    current = None
                elif current is not None and rest == ".messages" and event == "start_array":
                    current.has_messages = True
                    current.messages = 0
                elif current is not None and rest in _CHAT_FIELDS and event in _SCALARS:
                    current.fields.setdefault(rest[1:], value)
    if single.has_messages:
        return [single]
    chats = [c for c in found if c.has_messages]
    if not chats:
        raise ChatFormatError("This JSON is not a Telegram export: it holds no chat with messages.")
    return chats


_FIELDS = {"name": "name", "type": "type", "id": "id"}
_CHAT_FIELDS = (".name", ".type", ".id")
_SCALARS = ("string", "number", "boolean", "null")
# The events that begin a value (one item of a list).
_VALUE_STARTS = ("start_map", "start_array", *_SCALARS)


def _pick(chats: list[_Chat], chat: str | int | None) -> _Chat:
    if chat is not None:
        wanted = str(chat).casefold()
        for candidate in chats:
            name = candidate.fields.get("name")
            if str(candidate.fields.get("id")) == str(chat) or (
                str(name if name is not None else "").casefold() == wanted
            ):
                return candidate
        raise ChatFormatError("No chat with that name or id in this export.")
    personal = [c for c in chats if c.fields.get("type") == "personal_chat"]
    return max(personal or chats, key=lambda c: c.messages or 0)


def _items(source: sources.Input, chosen: _Chat) -> Iterator[Any]:
    """The chosen chat's messages, parsed one at a time."""
    with _open(source) as handle:
        if not chosen.section:
            yield from jsonfiles.items(handle, "messages.item", "Telegram")
            return
        yield from jsonfiles.items_of(
            _events_of(jsonfiles.events(handle, "Telegram"), chosen),
            f"{chosen.section}.item.messages.item",
            "Telegram",
        )


def _events_of(events: Iterator[tuple[str, str, Any]], chosen: _Chat) -> Iterator[Any]:
    """Only the events of the chosen chat's messages array (its opening and closing
    included): the other chats are walked past without building anything."""
    listed = f"{chosen.section}.item"
    wanted = f"{listed}.messages"
    index = -1
    inside = False
    for event in events:
        prefix, kind, _ = event
        if not inside:
            if prefix == listed and kind in _VALUE_STARTS:
                index += 1
            elif index == chosen.index and prefix == wanted and kind == "start_array":
                inside = True
                yield event
            continue
        yield event
        if prefix == wanted and kind == "end_array":
            return


def text_of(value: Any) -> str:
    """Telegram's `text`: a string, or a list of strings and {type, text} parts
    joined with nothing between them."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        parts = []
        for part in value:
            if isinstance(part, str):
                parts.append(part)
            elif isinstance(part, dict) and isinstance(part.get("text"), str):
                parts.append(part["text"])
        return "".join(parts)
    return ""


def _times(item: dict[str, Any]) -> tuple[datetime, datetime | None] | None:
    utc = None
    stamp = item.get("date_unixtime")
    if isinstance(stamp, str | int) and not isinstance(stamp, bool):
        try:
            utc = datetime.fromtimestamp(int(stamp), UTC)
        except (ValueError, OverflowError, OSError):
            utc = None
    local = None
    date = item.get("date")
    if isinstance(date, str):
        try:
            local = datetime.fromisoformat(date)
        except ValueError:
            local = None
        if local is not None and local.tzinfo is not None:
            local = local.replace(tzinfo=None)
    if local is None:
        if utc is None:
            return None
        local = utc.replace(tzinfo=None)  # no wall clock given: UTC is the best we have
    return local, utc


def _reactions(value: Any) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    if not isinstance(value, list):
        return found
    for reaction in value:
        if not isinstance(reaction, dict):
            continue
        emoji = reaction.get("emoji") or reaction.get("document_id") or ""
        if not isinstance(emoji, str):
            continue
        recent = reaction.get("recent")
        if isinstance(recent, list) and recent:
            for who in recent:
                name = who.get("from") if isinstance(who, dict) else None
                found.append((clean_text(name) if isinstance(name, str) else "", emoji))
        else:
            count = reaction.get("count")
            count = count if isinstance(count, int) and 0 < count < 100 else 1
            found.extend(("", emoji) for _ in range(count))
    return found


def _message(item: Any) -> tuple[Message | None, str]:
    if not isinstance(item, dict):
        return None, "not a message object"
    times = _times(item)
    if times is None:
        return None, "no readable date"
    local, utc = times
    text = clean_text(text_of(item.get("text")))
    reply = item.get("reply_to_message_id")
    reply_to = str(reply) if isinstance(reply, int | str) and not isinstance(reply, bool) else None
    edited = "edited" in item or "edited_unixtime" in item
    reactions = _reactions(item.get("reactions"))
    if item.get("type") == "service":
        action = item.get("action")
        if action in CALL_ACTIONS:
            actor = item.get("actor") or item.get("actor_id")
            sender = clean_text(actor) if isinstance(actor, str) else None
            return Message(local, utc, sender, text, "call", edited, reply_to, reactions), ""
        label = action if isinstance(action, str) else "service"
        return Message(local, utc, None, text or label, "system", edited, reply_to, reactions), ""
    author = item.get("from") or item.get("from_id") or "Deleted account"
    sender = clean_text(author) if isinstance(author, str) else "Deleted account"
    kind = "media" if any(key in item for key in MEDIA_KEYS) else "text"
    return Message(local, utc, sender, text, kind, edited, reply_to, reactions), ""


def open_telegram(
    source: sources.Input,
    report: ParseReport,
    chat: str | int | None = None,
    **_: object,
) -> Iterator[Message]:
    if not sources.is_zip(source) and not jsonfiles.ends_whole(sources.tail(source)):
        raise TruncatedFileError(
            "The Telegram file stops early: the JSON is incomplete "
            "(was the export or the download interrupted?)."
        )
    chats = _survey(source)
    report.skipped_unit = "message"
    report.chats = [
        {
            "id": c.fields.get("id"),
            "name": c.fields.get("name"),
            "type": c.fields.get("type"),
            "messages": c.messages,
        }
        for c in chats
    ]
    chosen = _pick(chats, chat)
    name = chosen.fields.get("name")
    report.chat_name = clean_text(name) if isinstance(name, str) else None
    if len(chats) > 1:
        report.notes.append(
            f"This export holds {len(chats)} chats; read the one named in chat_name."
        )
    return _messages(_items(source, chosen), report)


def _messages(items: Iterator[Any], report: ParseReport) -> Iterator[Message]:
    number = 0
    for number, item in enumerate(items, start=1):
        message, reason = _message(item)
        if message is None:
            report.skip(number, reason)
            continue
        report.count(message)
        yield message
    if len(report.chats) == 1 and report.chats[0]["messages"] is None:
        report.chats[0]["messages"] = number
    report.finished = True
