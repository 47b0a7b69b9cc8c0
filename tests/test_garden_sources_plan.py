"""The garden's activity query, built once per process (garden/sources.py, `_plan`),
counts exactly what the same query built afresh for each request counts: for each
member, outsiders, every kind of entry in tests.world, and private ones of the other."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db.models import Q
from django.utils import timezone

from tending.bonds.models import Membership
from tending.bonds.privacy import Visibility, keeps_archive
from tending.bonds.views import bond_with_members
from tending.feelings.models import FeelingCheckin
from tending.garden import sources


def _counted(bond, viewer, since: date) -> list[tuple[str, object]]:  # type: ignore[no-untyped-def]
    return sorted((s.label, m) for s, m in sources.moments(bond, viewer, since))


def _afresh(bond, viewer, since: date) -> list[tuple[str, object]]:  # type: ignore[no-untyped-def]
    return sorted((sources.SOURCES[i].label, m) for m, i in sources._union(bond, viewer, since))


@pytest.fixture(autouse=True)
def _new_plans():  # type: ignore[no-untyped-def]
    sources._PLANNED.forget()
    yield
    sources._PLANNED.forget()


def test_the_plan_counts_what_the_query_built_afresh_counts(world, db) -> None:  # type: ignore[no-untyped-def]
    FeelingCheckin.objects.create(
        bond=world.bond,
        author=world.bob,
        visibility=Visibility.PRIVATE,
        family="joy",
        word="glad",
        intensity=2,
    )
    since = timezone.localdate() - timedelta(days=60)
    for viewer in (world.alice, world.bob):
        bond = bond_with_members(world.bond.pk, viewer)
        assert keeps_archive(bond, viewer)
        planned = _counted(bond, viewer, since)
        assert planned and planned == _afresh(bond, viewer, since)
        assert sources._PLANNED.has_plan("member")  # the plan was used, not the fallback
    alice_sees = _counted(bond_with_members(world.bond.pk, world.alice), world.alice, since)
    bob_sees = _counted(bond_with_members(world.bond.pk, world.bob), world.bob, since)
    # Bob's private feeling counts in his garden only.
    feelings = "feelings.FeelingCheckin"
    assert len([m for label, m in bob_sees if label == feelings]) == (
        len([m for label, m in alice_sees if label == feelings]) + 1
    )
    later = _counted(bond_with_members(world.bond.pk, world.alice), world.alice, date.today())
    assert later == _afresh(
        bond_with_members(world.bond.pk, world.alice), world.alice, date.today()
    )


def test_outside_the_usual_case_the_query_is_built_afresh(world, db) -> None:  # type: ignore[no-untyped-def]
    since = timezone.localdate() - timedelta(days=60)
    bond = bond_with_members(world.bond.pk, world.alice)
    # Someone outside the bond (pages never get this far for them: member_bond is a 404).
    assert not keeps_archive(bond, world.charlie)
    assert _counted(bond, world.charlie, since) == _afresh(bond, world.charlie, since)
    # A member who deleted the archive of an ended bond sees nothing of the other's.
    Membership.objects.filter(bond=world.bond, user=world.bob).update(
        archive_deleted_at=timezone.now()
    )
    bond = bond_with_members(world.bond.pk, world.alice)
    bob = world.bob
    assert not keeps_archive(bond, bob)
    assert _counted(bond, bob, since) == _afresh(bond, bob, since)


def test_no_plan_is_kept_for_a_rule_that_reads_anything_else(world, db, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # A narrowing that read the time would differ between the two stand-in builds in
    # a parameter that is not a stand-in: the plan is refused and every request builds
    # the query itself, so nothing is frozen by mistake.
    queryset = type(FeelingCheckin.objects.all())
    monkeypatch.setattr(
        queryset, "narrowing", lambda self, user: Q(created_at__lte=timezone.now()), raising=False
    )
    since = timezone.localdate() - timedelta(days=60)
    bond = bond_with_members(world.bond.pk, world.alice)
    assert _counted(bond, world.alice, since) == _afresh(bond, world.alice, since)
    assert not sources._PLANNED.has_plan("member")
    assert _counted(bond, world.alice, since) == _afresh(bond, world.alice, since)


def test_the_daily_questions_counts_and_choice_match_the_query_built_afresh(world, db) -> None:  # type: ignore[no-untyped-def]
    # prompts.views builds these two reads once per process for a member who keeps the
    # archive; the bond as tests hold it (no memberships read with it) builds them afresh.
    from tending.bonds.models import Bond
    from tending.prompts import state
    from tending.prompts.views import _learned_and_waiting, _own_day

    plain = Bond.objects.get(pk=world.bond.pk)
    today = state.daily(plain)
    for viewer, other in ((world.alice, world.bob), (world.bob, world.alice)):
        read = bond_with_members(world.bond.pk, viewer)
        assert keeps_archive(read, viewer) and not keeps_archive(plain, viewer)
        for day in (today.day, today.day - timedelta(days=1)):
            planned = _learned_and_waiting(read, viewer, other, day)
            assert planned == _learned_and_waiting(plain, viewer, other, day)
            assert _learned_and_waiting(read, viewer, None, day) == _learned_and_waiting(
                plain, viewer, None, day
            )
        choice, saved = _own_day(read, viewer, today)
        assert saved == _own_day(plain, viewer, today)[1]
