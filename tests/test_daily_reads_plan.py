"""The daily question's page reads today's and earlier answers with SQL built once per
process (prompts/views.py, `_recent_answers`), and the bond's prompt state likewise
(prompts/state.py). Each gives what the same query built afresh gives: for each member
of a bond with every kind of entry (tests.world), sealed answers included."""

from __future__ import annotations

import pytest

from tending.bonds.views import bond_with_members
from tending.lib.timeutil import local_today
from tending.prompts import state, views
from tending.prompts.models import DailyAnswer, PromptState


@pytest.fixture(autouse=True)
def _new_plans():  # type: ignore[no-untyped-def]
    views._RECENT.forget()
    yield
    views._RECENT.forget()


def _ids(answers) -> list[int]:  # type: ignore[no-untyped-def]
    return [a.pk for a in answers]


# The new bond's test comes first: tests.world, built once for the module, has its own alice.
def test_the_prompt_state_read_gives_the_row(bond, alice) -> None:  # type: ignore[no-untyped-def]
    assert state.existing_state(bond) is None
    made = state.prompt_state(bond)
    again = state.existing_state(bond)
    assert again is not None
    assert (again.pk, again.state, again.zone, again.day_zero, again.version) == (
        made.pk,
        made.state,
        made.zone,
        made.day_zero,
        made.version,
    )
    assert PromptState.objects.get(pk=again.pk).state == again.state


def test_recent_answers_are_what_the_query_built_afresh_gives(world, db) -> None:  # type: ignore[no-untyped-def]
    assert DailyAnswer.objects.filter(bond=world.bond).exists()
    seen = {}
    for person in (world.alice, world.bob):
        bond = bond_with_members(world.bond.pk, person)
        day = local_today(person.tz)
        planned = views._recent_answers(bond, person, day)
        assert views._RECENT.has_plan("member")
        afresh = [row[0] for row in views._recent_query(person, bond, day)]  # id comes first
        assert _ids(planned) == afresh
        for answer in planned:
            assert answer.is_visible_to(person)
            assert answer.text == DailyAnswer.objects.get(pk=answer.pk).text
        seen[person.pk] = set(_ids(planned))
    # Whatever one member may not see (private, or sealed before they answered), the
    # other's reading did not let through.
    for person in (world.alice, world.bob):
        hidden = DailyAnswer.objects.filter(bond=world.bond).exclude(
            pk__in=DailyAnswer.objects.visible_to(person).values("pk")
        )
        assert not seen[person.pk] & set(hidden.values_list("pk", flat=True))
