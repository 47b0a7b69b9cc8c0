"""Whether a bond sees touch ideas: what its members chose, else the default
for its kind (on for partners, off for friends, siblings, parent and child;
never for "just me"). Read by the touch page and the garden."""

from __future__ import annotations

from typing import Any

from django.db.models import Subquery

from tending.rituals import catalog
from tending.rituals.models import TouchSetting

_UNREAD = object()


def touch_choice_of(bond_id: Any) -> Subquery:
    """The bond's own touch setting as a scalar subquery (NULL when never
    chosen: then the kind's default holds), for reading it with the bond."""
    return Subquery(TouchSetting.objects.filter(bond=bond_id).order_by("pk").values("enabled")[:1])


def touch_enabled(bond: Any) -> bool:
    if not catalog.touch_possible(bond.kind):
        return False
    # Read with the bond by bond_with_members (touch_choice_of), or here.
    chosen = bond.__dict__.get("_facts", {}).get("touch_choice", _UNREAD)
    if chosen is _UNREAD:
        chosen = TouchSetting.objects.filter(bond=bond).values_list("enabled", flat=True).first()
    return catalog.TOUCH_DEFAULT[bond.kind] if chosen is None else bool(chosen)
