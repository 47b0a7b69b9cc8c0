"""Support services by country, read from data/helplines.json."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"
HELPS_WITH = frozenset({"domestic_abuse", "crisis", "emergency", "directory"})
# People type or send "UK"; ISO 3166 says "GB".
ALIASES = {"UK": "GB"}


@dataclass(frozen=True)
class Helpline:
    name: str
    helps_with: tuple[str, ...]
    phone: str | None
    text: str | None
    website: str | None
    hours: str | None
    last_verified: date | None
    source: str | None
    note: str | None = None
    for_whom: str | None = None
    region: str | None = None
    country: str | None = None


def _entry(raw: dict[str, Any], country: str | None) -> Helpline:
    verified = raw["last_verified"]
    return Helpline(
        name=raw["name"],
        helps_with=tuple(raw["helps_with"]),
        phone=raw["phone"],
        text=raw["text"],
        website=raw["website"],
        hours=raw["hours"],
        last_verified=date.fromisoformat(verified) if verified else None,
        source=raw["source"],
        note=raw.get("note"),
        for_whom=raw.get("for_whom"),
        region=raw.get("region"),
        country=country,
    )


@cache
def _data(data_dir: Path = DATA_DIR) -> dict[str, Any]:
    return json.loads((data_dir / "helplines.json").read_text(encoding="utf-8"))


def countries() -> dict[str, str]:
    return {code: c["name"] for code, c in _data()["countries"].items()}


def international() -> list[Helpline]:
    return [_entry(raw, None) for raw in _data()["international"]]


def helplines_for(country_code: str | None) -> list[Helpline]:
    """The country's services (emergency number first, as in the data) plus the
    international directories; an unknown or missing country gets the directories only."""
    code = (country_code or "").strip().upper()
    code = ALIASES.get(code, code)
    country = _data()["countries"].get(code)
    local = [_entry(raw, code) for raw in country["services"]] if country else []
    return local + international()


@cache
def _zones(data_dir: Path = DATA_DIR) -> dict[str, str]:
    return json.loads((data_dir / "zones.json").read_text(encoding="utf-8"))["zones"]


def country_for_zone(zone: str | None) -> str | None:
    """The country whose services to show first for someone in `zone`, when
    helplines.json covers it; None means: ask."""
    code = _zones().get(zone or "")
    return code if code in _data()["countries"] else None
