"""Rituals in the URL walk: a shared ritual named with the bond's shared mark,
a "we did it" record and reminders for alice. Rituals are shared only, so
private marks are never given to them."""

from __future__ import annotations

from datetime import time
from typing import Any

from django.utils import timezone

from tending.accounts.models import User
from tending.bonds.privacy import Visibility
from tests.world import PARAM_VALUES, World, maker


@maker("rituals.Ritual")
def _ritual(world: World, author: User, visibility: str, text: str) -> Any:
    from tending.rituals.models import Completion, Ritual
    from tending.rituals.schedule import set_reminders

    if visibility != Visibility.SHARED:
        return None
    ritual = Ritual.objects.create(
        bond=world.bond,
        author=author,
        template="morning-coffee-talk",
        name=text,
        description=text,
        weekdays=0b1111111,
        at=time(7, 30),
        minutes=10,
    )
    Completion.objects.create(ritual=ritual, day=timezone.localdate(), recorded_by=author)
    set_reminders(ritual, world.alice, True)
    world.objects.setdefault("ritual", ritual)
    return ritual


PARAM_VALUES["ritual"] = lambda world: world.objects["ritual"].pk
