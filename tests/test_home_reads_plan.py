"""The bond's home reads what it needs before choosing today's step in one statement,
built once per process (garden/home.py, tending.lib.plans.Bundle). Each read in it gives
exactly the rows the same query set gives alone, for each member of a bond with every
kind of entry (tests.world) and for a new bond."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db.models import Value
from django.utils import timezone

from tending.bonds.models import Bond
from tending.bonds.privacy import Visibility
from tending.bonds.views import bond_with_members
from tending.garden import home
from tending.garden.today import READS
from tending.lib.plans import Bundle
from tending.lib.timeutil import local_today
from tending.repair.models import Rupture
from tending.rituals.models import Ritual, weekday_bit


@pytest.fixture(autouse=True)
def _new_plans():  # type: ignore[no-untyped-def]
    home._HOME_READS.forget()
    yield
    home._HOME_READS.forget()


def _alone(bond, user, today) -> dict[str, list[tuple]]:  # type: ignore[no-untyped-def]
    """Each read run on its own, built with the real bond and viewer."""
    query = home._home_reads_query((bond.is_solo_kind, False), user.pk, bond.pk, today, 0)
    out = {name: [tuple(r) for r in qs] if qs is not None else [] for name, qs in query.items()}
    for name, read in READS.items():
        out[name] = [tuple(r) for r in read(user, bond, today, weekday_bit(today))]
    return out


def _bundled(bond, user, today) -> dict[str, list[tuple]]:  # type: ignore[no-untyped-def]
    rows = home._home_reads(bond, user, today)
    return {name: [tuple(r) for r in found] for name, found in rows.items()}


def _check(bond_pk: int, user) -> dict[str, list[tuple]]:  # type: ignore[no-untyped-def]
    bond = bond_with_members(bond_pk, user)
    today = local_today(user.tz)
    bundled = _bundled(bond, user, today)
    assert home._HOME_READS.has_plan((bond.is_solo_kind, True))  # planned, not built afresh
    assert bundled == _alone(bond_with_members(bond_pk, user), user, today)
    return bundled


# The tests with a new bond come first: tests.world, built once for the module, has
# its own alice.
def test_a_new_bond_reads_nothing_but_its_slot_and_state(bond, alice) -> None:  # type: ignore[no-untyped-def]
    rows = _check(bond.pk, alice)
    assert all(not found for found in rows.values())


def test_a_bundle_leaves_out_reads_that_match_nothing(bond, alice) -> None:  # type: ignore[no-untyped-def]
    since = timezone.now() - timedelta(days=1)

    def build(shape: str, bond_pk: int, moment) -> dict:  # type: ignore[no-untyped-def]
        return {
            "bond": Bond.objects.filter(pk=bond_pk, created_at__gt=moment).values_list(
                "pk", "kind", Value(7)
            ),
            "none": Bond.objects.filter(pk__in=[]).values_list("pk"),
            "left out": None,
        }

    bundle = Bundle(build)
    assert bundle.rows("", bond.pk, since) == {
        "bond": [[bond.pk, bond.kind, 7]],
        "none": [],
        "left out": [],
    }
    assert bundle.has_plan("")
    assert bundle.rows("", bond.pk, timezone.now() + timedelta(days=1))["bond"] == []


def test_each_read_gives_what_it_gives_alone(world, db) -> None:  # type: ignore[no-untyped-def]
    # A ritual due today, so that read has rows, and a repair bob keeps private, which
    # only his own read may find (the privacy rule inside the bundle).
    # Due every day: alice (Berlin) and bob (New York) are on different dates for six
    # hours of each day, and each reads the rituals due on their own date.
    Ritual.objects.create(
        bond=world.bond, author=world.alice, name="Tea", weekdays=0b1111111, at="08:30"
    )
    private = Rupture.objects.create(
        bond=world.bond, author=world.bob, visibility=Visibility.PRIVATE, message="not yet"
    )
    alice = _check(world.bond.pk, world.alice)
    bob = _check(world.bond.pk, world.bob)
    assert "Tea" in [r[1] for r in alice["rituals"]]
    assert "Tea" in [r[1] for r in bob["rituals"]]
    assert private.pk in [r[0] for r in bob["ruptures"]]
    assert private.pk not in [r[0] for r in alice["ruptures"]]
    assert alice["state"] == bob["state"]


def test_the_gardens_unresolved_ruptures_are_what_the_query_built_afresh_gives(world, db) -> None:  # type: ignore[no-untyped-def]
    from tending.garden import plants

    plants._UNRESOLVED.forget()
    Rupture.objects.create(
        bond=world.bond, author=world.bob, visibility=Visibility.PRIVATE, message="not yet"
    )
    for person in (world.alice, world.bob):
        bond = bond_with_members(world.bond.pk, person)
        planned = [
            (r.pk, r.author_id, r.created_at, r.sent_at)
            for r in plants.unresolved_ruptures(bond, person)
        ]
        assert plants._UNRESOLVED.has_plan("member")
        assert planned == [tuple(row) for row in plants.unresolved_query(bond, person)]
    plants._UNRESOLVED.forget()
