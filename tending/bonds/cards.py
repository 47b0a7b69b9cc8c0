"""The cards on a bond's home, each leading to a page of an app. Each app that
offers some declares them on its AppConfig as `cards = (Card(...), ...)`, so the
bond's home needs no edit."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.urls import reverse

if TYPE_CHECKING:  # apps.py files import this module before models load
    from tending.bonds.models import Bond


@dataclass(frozen=True)
class Card:
    url_name: str  # reversed with the bond's pk
    title: str
    summary: str
    order: int = 50
    # Kinds this card is offered to; empty means every kind.
    kinds: tuple[str, ...] = ()
    # Optional function(bond, user) -> bool: show the card only when it is true
    # (the solo path, only while one person tends alone).
    shown_when: Callable[[Bond, Any], bool] | None = None
    # Where the practices page lists it: one of the practices (bonds.practices.Practice),
    # or "checkup", "insights", "garden".
    group: str = ""


@dataclass(frozen=True)
class Link:
    url: str
    title: str
    summary: str
    group: str = ""


def _declared() -> list[Card]:
    return [card for config in apps.get_app_configs() for card in getattr(config, "cards", ())]


def cards_for(bond: Bond, user: Any = None) -> list[Link]:
    found = [
        card
        for card in _declared()
        if (not card.kinds or bond.kind in card.kinds)
        and (card.shown_when is None or (user is not None and card.shown_when(bond, user)))
    ]
    found.sort(key=lambda card: (card.order, card.title))
    return [Link(reverse(c.url_name, args=[bond.pk]), c.title, c.summary, c.group) for c in found]
