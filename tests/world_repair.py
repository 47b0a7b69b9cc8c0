"""Repair entries for the URL walk: each of alice and bob has an unsent (private)
rupture whose draft and notes carry their private mark; alice has sent one to
bob (the shared mark is its message), with private notes bob must never see,
and bob has answered it."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from tending.accounts.models import User
from tending.bonds.privacy import Visibility
from tests.world import PARAM_VALUES, World, maker

WHO = {"alice@example.org": "alice", "bob@example.org": "bob"}


@maker("repair.Rupture")
def _rupture(world: World, author: User, visibility: str, text: str) -> Any:
    from tending.repair.models import Rupture

    shared = visibility == Visibility.SHARED
    rupture = Rupture.objects.create(
        bond=world.bond,
        author=author,
        visibility=visibility,
        message=text,
        sent_at=timezone.now() if shared else None,
    )
    world.objects.setdefault("ruptures", []).append(rupture)
    if shared:
        world.objects["rupture"] = rupture
    return rupture


@maker("repair.RuptureNote")
def _note(world: World, author: User, visibility: str, text: str) -> Any:
    from tending.repair.models import Rupture, RuptureNote

    # Notes are only ever private; the one asked for as "shared" is alice's note
    # on the rupture she sent, and still carries her private mark.
    rupture = world.objects.get("rupture") if visibility == Visibility.SHARED else None
    if rupture is None or rupture.author_id != author.pk:
        rupture = Rupture.objects.create(bond=world.bond, author=author, message="")
    mark = world.private_mark(WHO[author.email])
    return RuptureNote.objects.create(
        bond=world.bond,
        author=author,
        rupture=rupture,
        topic="own",
        own_topic=mark,
        what_happened=mark,
        what_i_felt=mark,
        my_part={"do-differently": mark},
    )


@maker("repair.RepairAnswer")
def _answer(world: World, author: User, visibility: str, text: str) -> Any:
    from tending.repair.models import AnswerKind, RepairAnswer

    if visibility != Visibility.SHARED or "rupture" not in world.objects:
        return None  # answers are always shared, and answer a sent rupture
    return RepairAnswer.objects.create(
        bond=world.bond,
        author=world.bob,
        rupture=world.objects["rupture"],
        kind=AnswerKind.NEED_TIME,
        note=text,
    )


PARAM_VALUES["rupture"] = lambda world: world.objects["rupture"].pk
