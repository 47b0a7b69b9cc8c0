"""A populated world for tests that walk every URL: alice and bob share a bond
holding entries of every kind, each marked with a text that must not leak;
charlie has a bond of his own. When you add an Entry model, add a maker here
(test_url_access fails until you do)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.utils import timezone

from tending.accounts.models import User
from tending.bonds.models import Bond, Invitation, Kind, Membership
from tending.bonds.privacy import Visibility, entry_models
from tending.ops.models import WorkerBeat

PASSWORD = "a quiet walk by the river"
PRIVATE_MARK = "PRIVATE-{who}-7f3a"
SHARED_MARK = "SHARED-bond-51c2"

# label -> function(world, author, visibility, text) creating one entry.
ENTRY_MAKERS: dict[str, Callable[[World, User, str, str], Any]] = {}
# URL parameter name -> function(world) giving a value for the walk.
PARAM_VALUES: dict[str, Callable[[World], Any]] = {}


def maker(label: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def register(func: Callable[..., Any]) -> Callable[..., Any]:
        ENTRY_MAKERS[label] = func
        return func

    return register


@dataclass
class World:
    alice: User
    bob: User
    charlie: User
    bond: Bond
    charlie_bond: Bond
    pending_bond: Bond
    invitation: Invitation
    objects: dict[str, Any] = field(default_factory=dict)
    bond_params: tuple[str, ...] = ("pk", "bond")
    public_routes: frozenset[str] = frozenset(
        {
            "landing",
            "accounts:signup",
            "accounts:login",
            "accounts:password_reset",
            "accounts:password_reset_done",
            "accounts:password_reset_complete",
            "accounts:password_reset_confirm",
            "bonds:invitation",
            "safety:support",
            "healthz",
            "calendar:feed",
            "notify:unsubscribe",
            # The installable app's shell: the same for everyone.
            "webapp:manifest",
            "webapp:sw",
            "webapp:offline",
        }
    )

    def private_mark(self, who: str) -> str:
        return PRIVATE_MARK.format(who=who)

    def shared_mark(self) -> str:
        return SHARED_MARK

    def url_values(self) -> dict[str, Any]:
        values: dict[str, Any] = {
            "pk": self.bond.pk,
            "bond": self.bond.pk,
            "token": self.invitation.token,
            "uidb64": "MQ",
        }
        for name, func in PARAM_VALUES.items():
            values[name] = func(self)
        return values

    def fingerprint(self) -> tuple[Any, ...]:
        """Everything an outsider's request could change, to compare before and after."""
        rows: list[Any] = [
            tuple(
                Membership.objects.order_by("pk").values_list("pk", "left_at", "archive_deleted_at")
            ),
            tuple(Bond.objects.order_by("pk").values_list("pk", "ended_at")),
            tuple(
                Invitation.objects.order_by("pk").values_list(
                    "pk", "revoked_at", "accepted_at", "email"
                )
            ),
        ]
        for model in entry_models():
            rows.append(tuple(model.objects.order_by("pk").values()))
        return tuple(rows)


def _person(email: str, name: str, tz: str) -> User:
    return User.objects.create_user(email, PASSWORD, display_name=name, time_zone=tz)


def _load_app_makers() -> None:
    """Each app's makers live in tests/world_<app>.py and register themselves."""
    import importlib
    from pathlib import Path

    for path in sorted(Path(__file__).parent.glob("world_*.py")):
        importlib.import_module(f"tests.{path.stem}")


def make_world() -> World:
    alice = _person("alice@example.org", "Alice", "Europe/Berlin")
    bob = _person("bob@example.org", "Bob", "America/New_York")
    charlie = _person("charlie@example.org", "Charlie", "Australia/Sydney")
    bond = Bond.objects.create(kind=Kind.PARTNER, created_by=alice)
    Membership.objects.create(bond=bond, user=alice)
    Membership.objects.create(bond=bond, user=bob)
    charlie_bond = Bond.objects.create(kind=Kind.JUST_ME, created_by=charlie)
    Membership.objects.create(bond=charlie_bond, user=charlie)
    pending = Bond.objects.create(kind=Kind.FRIEND, created_by=alice)
    Membership.objects.create(bond=pending, user=alice)
    invitation = Invitation.objects.create(bond=pending, created_by=alice)
    world = World(alice, bob, charlie, bond, charlie_bond, pending, invitation)
    # A worker that keeps beating while a module walks the world, so /healthz is well.
    WorkerBeat.objects.create(worker="world", beat_at=timezone.now() + timedelta(days=1))
    for model in entry_models():
        make = ENTRY_MAKERS.get(model._meta.label)
        if make is None:
            continue
        for author, who in ((alice, "alice"), (bob, "bob")):
            make(world, author, Visibility.PRIVATE, world.private_mark(who))
        make(world, alice, Visibility.SHARED, SHARED_MARK)
    return world


@maker("feelings.FeelingCheckin")
def _feeling(world: World, author: User, visibility: str, text: str) -> Any:
    from tending.feelings.models import FeelingCheckin

    checkin = FeelingCheckin.objects.create(
        bond=world.bond,
        author=author,
        visibility=visibility,
        family="low",
        word="lonely",
        intensity=3,
        note=text,
    )
    world.objects.setdefault("checkin", checkin)
    return checkin


PARAM_VALUES["checkin"] = lambda world: world.objects["checkin"].pk


_load_app_makers()
