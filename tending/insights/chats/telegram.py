"""Telegram Desktop's machine-readable export (`result.json`): one chat, or a
full export whose chats sit under `chats.list`. Loaded whole (see jsonfiles)."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from tending.insights.chats import jsonfiles, sources
from tending.insights.chats.stream import ChatFormatError, Message, ParseReport, clean_text

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


def _read(source: sources.Input) -> bytes:
    if sources.is_zip(source):
        with sources.open_zip(source) as archive:
            names = [n for n in sources.member_names(archive) if n.endswith("result.json")]
            if not names:
                raise ChatFormatError("The zip file holds no Telegram result.json.")
            return sources.read_member(archive, min(names, key=len))
    return sources.read_bytes(source)


def _chats(data: Any) -> list[dict[str, Any]]:
    if not isinstance(data, dict):
        raise ChatFormatError("This JSON is not a Telegram export: it holds no chat.")
    if isinstance(data.get("messages"), list):
        return [data]
    found: list[dict[str, Any]] = []
    for key in ("chats", "left_chats"):
        section = data.get(key)
        listed = section.get("list") if isinstance(section, dict) else None
        if isinstance(listed, list):
            found.extend(
                c for c in listed if isinstance(c, dict) and isinstance(c.get("messages"), list)
            )
    if not found:
        raise ChatFormatError("This JSON is not a Telegram export: it holds no chat with messages.")
    return found


def _pick(chats: list[dict[str, Any]], chat: str | int | None) -> dict[str, Any]:
    if chat is not None:
        wanted = str(chat).casefold()
        for candidate in chats:
            if (
                str(candidate.get("id")) == str(chat)
                or str(candidate.get("name") or "").casefold() == wanted
            ):
                return candidate
        raise ChatFormatError("No chat with that name or id in this export.")
    personal = [c for c in chats if c.get("type") == "personal_chat"]
    return max(personal or chats, key=lambda c: len(c["messages"]))


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
    try:
        data = jsonfiles.load(jsonfiles.repair_hex_escapes(_read(source)), "Telegram")
    except zipfile.BadZipFile as error:  # pragma: no cover - open_zip converts it
        raise ChatFormatError(sources.DAMAGED_ZIP) from error
    chats = _chats(data)
    report.skipped_unit = "message"
    report.chats = [
        {
            "id": c.get("id"),
            "name": c.get("name"),
            "type": c.get("type"),
            "messages": len(c["messages"]),
        }
        for c in chats
    ]
    chosen = _pick(chats, chat)
    name = chosen.get("name")
    report.chat_name = clean_text(name) if isinstance(name, str) else None
    if len(chats) > 1:
        report.notes.append(
            f"This export holds {len(chats)} chats; read the one named in chat_name."
        )
    return _messages(chosen["messages"], report)


def _messages(items: list[Any], report: ParseReport) -> Iterator[Message]:
    for number, item in enumerate(items, start=1):
        message, reason = _message(item)
        if message is None:
            report.skip(number, reason)
            continue
        report.count(message)
        yield message
    report.finished = True
