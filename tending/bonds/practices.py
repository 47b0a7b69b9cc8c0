"""The practices a bond page lists. Each app that offers one declares it on
its AppConfig as `practice = Practice(...)`, so the bond page needs no edit; an
app that offers more than one lists the others in `practices = (Practice(...), ...)`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.urls import reverse
from django.utils.module_loading import import_string

if TYPE_CHECKING:  # apps.py files import this module before models load
    from tending.bonds.models import Bond


@dataclass(frozen=True)
class Practice:
    url_name: str  # reversed with the bond's pk
    title: str
    summary: str
    order: int = 50
    # Kinds this practice is offered to; empty means every kind.
    kinds: tuple[str, ...] = ()
    # Optional dotted path to a function(bond, user) -> bool: show the card only
    # when it is true (the solo path, only while one person tends alone).
    shown_when: str = ""


@dataclass(frozen=True)
class Link:
    url: str
    title: str
    summary: str


def _declared() -> list[Practice]:
    found: list[Practice] = []
    for config in apps.get_app_configs():
        main = getattr(config, "practice", None)
        if main is not None:
            found.append(main)
        found.extend(getattr(config, "practices", ()))
    return found


def practices_for(bond: Bond, user: Any = None) -> list[Link]:
    found = [
        p
        for p in _declared()
        if (not p.kinds or bond.kind in p.kinds)
        and (not p.shown_when or (user is not None and import_string(p.shown_when)(bond, user)))
    ]
    found.sort(key=lambda p: (p.order, p.title))
    return [Link(reverse(p.url_name, args=[bond.pk]), p.title, p.summary) for p in found]
