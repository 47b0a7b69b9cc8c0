"""The garden's wording and the plants' state for one viewer."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta
from functools import cache
from pathlib import Path
from typing import Any

from django.db import DEFAULT_DB_ALIAS
from django.urls import reverse
from django.utils import timezone

from tending.bonds.privacy import as_member, keeps_archive
from tending.garden.activity import Recent
from tending.lib.plans import Planned
from tending.repair.models import Rupture
from tending.rituals.touch import touch_enabled as rituals_touch_enabled

DATA = Path(__file__).parent / "data" / "plants.json"
WEED_AFTER = timedelta(days=7)


@cache
def content() -> dict[str, Any]:
    return json.loads(DATA.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Plant:
    practice: str
    label: str
    name: str
    growth: float
    mood: str  # resting, growing, blooming
    what: str
    how: str
    step: str
    step_url: str | None
    days_since: int | None


def plants_for(bond: Any, recent: Recent, safe_mode: bool, touch_on: bool) -> list[Plant]:
    data = content()
    out = []
    for practice in data["order"]:
        if practice == "touch" and not touch_on:
            continue
        if practice == "repair" and bond.is_solo_kind:
            continue  # repair needs two people; a just-me bond has no one to repair with
        p = data["plants"][practice]
        growth = recent.growth(practice)
        mood = recent.mood(practice)
        step = p["step_safe"] if safe_mode else p["step"]
        url = reverse(p["url"], args=[bond.pk])
        if safe_mode and practice == "repair":
            url = reverse("safety:support")
        out.append(
            Plant(
                practice,
                p["label"],
                p["name"],
                growth,
                mood,
                p["what"],
                p[mood],
                step,
                url,
                recent.days_since(practice),
            )
        )
    return out


# What the weeds and today's "a repair is waiting" read of each unresolved rupture.
RUPTURE_COLUMNS = ("id", "author_id", "created_at", "sent_at")


def unresolved_ruptures(bond: Any, viewer: Any) -> list[Any]:
    """The unresolved ruptures the viewer may see, oldest first: one query shared
    by the weeds and today's "a repair is waiting". For a member who keeps the
    archive, its SQL is built once per process (tending.lib.plans)."""
    if keeps_archive(bond, viewer):
        return ruptures_from(list(_UNRESOLVED.rows("member", viewer.pk, bond.pk)))
    return ruptures_from(list(unresolved_query(bond, viewer)))


def unresolved_query(bond: Any, viewer: Any) -> Any:
    """The rows `ruptures_from` reads (today's step runs it with its other reads)."""
    return Rupture.objects.visible_in(viewer, bond).unresolved(bond).values_list(*RUPTURE_COLUMNS)


def _member_unresolved(shape: str, viewer_pk: int, bond_pk: int) -> Any:
    viewer, bond = as_member(viewer_pk, bond_pk)
    return unresolved_query(bond, viewer)


_UNRESOLVED = Planned(_member_unresolved)


def ruptures_from(rows: list[Any]) -> list[Any]:
    return [Rupture.from_db(DEFAULT_DB_ALIAS, RUPTURE_COLUMNS, row) for row in rows]


def weeds_for(ruptures: list[Any]) -> int:
    """How many of these unresolved ruptures were left for more than a week."""
    cutoff = timezone.now() - WEED_AFTER
    return sum(1 for r in ruptures if r.created_at < cutoff)


def weeds_text(count: int, safe_mode: bool) -> str:
    data = content()["weeds"]
    if not count:
        return ""
    if safe_mode:
        return data["safe"]
    return data["one"] if count == 1 else data["many"].format(count=count)


def touch_enabled(bond: Any) -> bool:
    """Touch shows in the garden only where the bond has touch turned on."""
    return not bond.is_solo_kind and bool(rituals_touch_enabled(bond))
