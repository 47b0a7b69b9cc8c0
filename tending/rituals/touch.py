"""Whether a bond sees touch ideas: what its members chose, else the default
for its kind (on for partners, off for friends, siblings, parent and child;
never for "just me"). Read by the touch page and the garden."""

from __future__ import annotations

from typing import Any

from tending.rituals import catalog
from tending.rituals.models import TouchSetting


def touch_enabled(bond: Any) -> bool:
    if not catalog.touch_possible(bond.kind):
        return False
    chosen = TouchSetting.objects.filter(bond=bond).values_list("enabled", flat=True).first()
    return catalog.TOUCH_DEFAULT[bond.kind] if chosen is None else chosen
