"""Support services by country, read from data/helplines.json."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"
HELPS_WITH = frozenset({"domestic_abuse", "crisis", "emergency", "directory", "children", "lgbtq"})
CHECKED_HOW = ("own_site", "own_site_and_other_pages", "government", "other_pages")
# People type or send "UK"; ISO 3166 says "GB".
ALIASES = {"UK": "GB"}
# An entry not checked again within this many days fails the data test.
RECHECK_WITHIN_DAYS = 365


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
    checked_how: str | None = None
    checked_against: tuple[str, ...] = field(default_factory=tuple)
    check_note: str | None = None

    @property
    def checked_how_text(self) -> str:
        """How the entry was checked, in words for the page ("on the service's own website…")."""
        return _data()["checked_how"].get(self.checked_how or "", "")


@dataclass(frozen=True)
class Group:
    """A country's services for one region (None: the whole country), in data order."""

    region: str | None
    helplines: tuple[Helpline, ...]


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
        checked_how=raw.get("checked_how"),
        checked_against=tuple(raw.get("checked_against", ())),
        check_note=raw.get("check_note"),
    )


@cache
def _data(data_dir: Path = DATA_DIR) -> dict[str, Any]:
    return json.loads((data_dir / "helplines.json").read_text(encoding="utf-8"))


def countries() -> dict[str, str]:
    return {code: c["name"] for code, c in _data()["countries"].items()}


def international() -> list[Helpline]:
    return [_entry(raw, None) for raw in _data()["international"]]


def when_none_listed() -> dict[str, Any]:
    """What to do where no service is listed: the emergency number, the directories."""
    return _data()["when_none_listed"]


def helplines_for(country_code: str | None) -> list[Helpline]:
    """The country's services (emergency number first, as in the data) plus the
    international directories; an unknown or missing country gets the directories only."""
    code = (country_code or "").strip().upper()
    code = ALIASES.get(code, code)
    country = _data()["countries"].get(code)
    local = [_entry(raw, code) for raw in country["services"]] if country else []
    return local + international()


def grouped(helplines: list[Helpline]) -> list[Group]:
    """The country's services for the whole country first, then each region in the
    order the country lists them (the UK's four nations), then any other region;
    the international directories last."""
    local = [h for h in helplines if h.country is not None]
    country = _data()["countries"].get(local[0].country, {}) if local else {}
    regions: list[str | None] = [None, *country.get("regions", [])]
    for h in local:
        if h.region not in regions:
            regions.append(h.region)
    groups = [Group(r, tuple(h for h in local if h.region == r)) for r in regions]
    groups.append(Group(None, tuple(h for h in helplines if h.country is None)))
    return [g for g in groups if g.helplines]


@cache
def _zones(data_dir: Path = DATA_DIR) -> dict[str, str]:
    return json.loads((data_dir / "zones.json").read_text(encoding="utf-8"))["zones"]


def country_for_zone(zone: str | None) -> str | None:
    """The country whose services to show first for someone in `zone`, when
    helplines.json covers it; None means: ask."""
    code = _zones().get(zone or "")
    return code if code in _data()["countries"] else None
