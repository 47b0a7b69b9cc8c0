"""The privacy model's two doors agree: visible_in (one bond, for pages that
read many kinds of entry) gives exactly what visible_to gives for that bond."""

from __future__ import annotations

import pytest

from tending.bonds.models import Bond
from tending.bonds.privacy import entry_models


@pytest.mark.parametrize("model", entry_models(), ids=lambda m: m._meta.label)
def test_visible_in_matches_visible_to(db, world, model) -> None:  # type: ignore[no-untyped-def]
    bond = Bond.objects.prefetch_related("memberships").get(pk=world.bond.pk)
    for person in (world.alice, world.bob, world.charlie):
        expected = set(
            model.objects.visible_to(person).filter(bond=bond).values_list("pk", flat=True)
        )
        got = set(model.objects.visible_in(person, bond).values_list("pk", flat=True))
        assert got == expected, (model, person)
    assert not model.objects.visible_in(world.charlie, bond).exists()


def test_a_deleted_archive_sees_nothing_of_the_other(db, world) -> None:  # type: ignore[no-untyped-def]
    from django.utils import timezone

    ending = Bond.objects.get(pk=world.bond.pk)  # the shared world's bond object stays as built
    ending.end(world.bob)
    ending.memberships.filter(user=world.bob).update(archive_deleted_at=timezone.now())
    bond = Bond.objects.prefetch_related("memberships").get(pk=world.bond.pk)
    for model in entry_models():
        got = model.objects.visible_in(world.bob, bond)
        assert set(got) == set(model.objects.visible_to(world.bob).filter(bond=bond))
        assert not got.exclude(author=world.bob).exists()


def test_every_sealed_model_has_an_index_for_the_sealed_rule() -> None:
    """The sealed rule probes (bond, seal, author) once per entry read; without an
    index on exactly that, the probe reads all of a person's entries and the
    garden slows down with every year of history."""
    from tending.bonds.privacy import Visibility

    for model in entry_models():
        if Visibility.SEALED not in getattr(model, "allowed_visibilities", tuple(Visibility)):
            continue
        indexed = [tuple(index.fields[:3]) for index in model._meta.indexes]
        assert ("bond", "seal", "author") in indexed, model


@pytest.mark.parametrize("model", entry_models(), ids=lambda m: m._meta.label)
def test_the_database_refuses_a_visibility_the_model_does_not_allow(db, world, model) -> None:  # type: ignore[no-untyped-def]
    from django.db import IntegrityError, transaction

    from tending.bonds.privacy import Visibility

    entry = model.objects.filter(bond=world.bond).first()
    assert entry is not None
    refused = [v for v in Visibility if v not in model.allowed_visibilities]
    for visibility in refused:
        with pytest.raises(IntegrityError), transaction.atomic():
            model.objects.filter(pk=entry.pk).update(visibility=visibility)
    for visibility in model.allowed_visibilities:
        with transaction.atomic():
            model.objects.filter(pk=entry.pk).update(visibility=visibility)
