"""Check-up results for the URL walk: alice's and bob's private results carry
their private marks in the note, alice's shared one the bond's shared mark."""

from __future__ import annotations

from typing import Any

from tending.accounts.models import User
from tending.bonds.privacy import Visibility
from tending.checkup import scoring
from tending.checkup.models import record_result
from tests.world import PARAM_VALUES, World, maker


@maker("checkup.CheckupResult")
def _checkup_result(world: World, author: User, visibility: str, text: str) -> Any:
    version = scoring.current_version()
    answers = {item.id: 1 + (i % 5) for i, item in enumerate(scoring.load(version).items)}
    entry = record_result(
        bond=world.bond,
        author=author,
        answers=answers,
        result=scoring.score(answers, version),
        note=text,
    )
    if visibility != Visibility.PRIVATE:
        entry.visibility = visibility
        entry.save(update_fields=["visibility"])
    world.objects.setdefault("checkup_result", entry)
    return entry


PARAM_VALUES["result"] = lambda world: world.objects["checkup_result"].pk
