"""The one place where Tending decides who may see an entry.

Every model that holds something a person wrote subclasses `Entry`, and every
view reads entries through `Model.objects.visible_to(user)` (or `visible_in`
for one bond), or checks one entry with `entry.is_visible_to(user)`, which asks
the same query set. The rule is written once, in `EntryQuerySet.rule`.

Rules:
- private: only the author.
- shared: the author and the bond's members (members who left keep seeing what
  was shared with them, as a read-only archive, until they delete it).
- sealed: like shared, but another member sees it only once they have written
  an entry of the same kind with the same `seal` in the same bond (each sees the
  other's answer only after giving their own).
- A model may narrow what the other member sees (a note only once delivered,
  insights only once agreed to) with `narrowing`; it can never widen it.
Nobody outside the bond ever sees anything of it.

Each model says which visibilities it allows with `visibility_check(...)` in its
Meta's constraints: the database enforces the list, and the code reads it back
as `Model.allowed_visibilities`.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from tending.bonds.models import Bond, Membership


class Visibility(models.TextChoices):
    PRIVATE = "private", "Only me"
    SHARED = "shared", "Shared with the bond"
    SEALED = "sealed", "Sealed until both have answered"


# Matches nothing: what anonymous visitors and outsiders may see.
NOTHING = Q(pk__in=[])
_CHECK_SUFFIX = "_visibility"


def visibility_check(*allowed: str) -> models.CheckConstraint:
    """The constraint that lets an entry model store only these visibilities."""
    return models.CheckConstraint(
        condition=Q(visibility__in=sorted(str(v) for v in allowed)),
        name=f"%(app_label)s_%(class)s{_CHECK_SUFFIX}",
    )


class _AllowedVisibilities:
    """`Model.allowed_visibilities`: read back from the model's visibility_check."""

    def __get__(self, instance: Any, owner: type[models.Model]) -> tuple[str, ...]:
        for constraint in owner._meta.constraints:
            if isinstance(constraint, models.CheckConstraint) and constraint.name.endswith(
                _CHECK_SUFFIX
            ):
                ((_lookup, values),) = constraint.condition.children
                return tuple(values)
        return tuple(Visibility)


class EntryQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> EntryQuerySet:
        return self.filter(self.rule(user))

    def visible_in(self, user: Any, bond: Bond) -> EntryQuerySet:
        """`visible_to(user)` limited to one bond, cheaper to build for pages that
        read many kinds of entry (the garden, today).

        The viewer's membership is read from `bond.memberships` (prefetched by
        member_bond), so the per-row membership subquery is left out."""
        return self.filter(self.rule(user, bond), bond=bond)

    def rule(self, user: Any, bond: Bond | None = None) -> Q:
        """The whole rule as one `Q`, for `user`; with `bond`, valid only for
        rows of that bond (the caller filters on it), and built without a
        membership subquery.

        For a bond read with its memberships (`member_bond`, once per request),
        the `Q` for each model and viewer is built once and kept on that bond,
        beside the memberships it was built from: a page that reads one kind of
        entry several ways builds the rule once."""
        if not getattr(user, "is_authenticated", False):
            return NOTHING
        if bond is None or "memberships" not in getattr(bond, "_prefetched_objects_cache", {}):
            return self._rule(user, bond)
        built = bond.__dict__.setdefault("_visibility_rules", {})
        key = (self.model, user.pk)
        if key not in built:
            built[key] = self._rule(user, bond)
        return built[key]

    def _rule(self, user: Any, bond: Bond | None) -> Q:
        return Q(author=user) | (self.others_rule(user, bond) & self.narrowing(user))

    def others_rule(self, user: Any, bond: Bond | None = None) -> Q:
        """What `user` may see of entries another member wrote, by visibility
        alone (before the model's `narrowing`)."""
        allowed = self.model.allowed_visibilities
        if bond is None:
            member = Exists(
                Membership.objects.filter(
                    bond=OuterRef("bond"), user=user, archive_deleted_at__isnull=True
                )
            )
        else:
            membership = bond.membership_of(user)
            if membership is None or membership.archive_deleted_at is not None:
                return NOTHING
            member = Q()
        rule = NOTHING
        if Visibility.SHARED in allowed:
            rule |= Q(visibility=Visibility.SHARED)
        if Visibility.SEALED in allowed:
            own_in_seal = self.model._default_manager.filter(
                bond=OuterRef("bond"), seal=OuterRef("seal"), author=user
            )
            rule |= Q(visibility=Visibility.SEALED) & Exists(own_in_seal)
        return member & rule

    def narrowing(self, user: Any) -> Q:
        """A model whose entries the other member sees only later or on a
        condition (a note once delivered, insights once agreed to) overrides
        this; it applies to what others wrote, never to the author's own."""
        return Q()

    def authored_by(self, user: Any) -> EntryQuerySet:
        return self.filter(author=user)


def keeps_archive(bond: Bond, user: Any) -> bool:
    """Whether `user` is signed in and, in `bond` as read for one request (with
    its memberships, bonds.views.bond_with_members), a member who keeps the
    archive: the usual case, where `rule(user, bond)` has the same form for
    every viewer and bond (tending.lib.plans builds its SQL once)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if "memberships" not in getattr(bond, "_prefetched_objects_cache", {}):
        return False
    membership = bond.membership_of(user)
    return membership is not None and membership.archive_deleted_at is None


def as_member(user_pk: int, bond_pk: int) -> tuple[Any, Bond]:
    """A person and a bond, from ids alone, as `rule` sees them when
    `keeps_archive` holds: for building a query's SQL with stand-in ids."""
    from django.contrib.auth import get_user_model

    user = get_user_model()(pk=user_pk)
    bond = Bond(pk=bond_pk)
    members = bond.memberships.all()
    members._result_cache = [Membership(bond=bond, user=user)]
    members._prefetch_done = True
    bond._prefetched_objects_cache = {"memberships": members}
    return user, bond


class Entry(models.Model):
    bond = models.ForeignKey(Bond, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    visibility = models.CharField(
        max_length=8, choices=Visibility.choices, default=Visibility.PRIVATE
    )
    # Entries of one kind with the same seal in the same bond open together.
    seal = models.CharField(max_length=64, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)

    allowed_visibilities = _AllowedVisibilities()

    objects = EntryQuerySet.as_manager()

    # Fields left out of the personal data export (besides ids and relations).
    export_exclude: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def is_visible_to(self, user: Any) -> bool:
        return type(self)._default_manager.visible_to(user).filter(pk=self.pk).exists()

    def export(self, user: Any) -> dict[str, Any]:
        """This entry as the person `user` may take it away in their data export."""
        data: dict[str, Any] = {
            "type": self._meta.label_lower,
            "id": self.pk,
            "bond": self.bond_id,
            "written_by": "me" if self.author_id == user.pk else "the other member",
            "visibility": self.visibility,
            "created_at": self.created_at.isoformat(),
        }
        for field in self._meta.concrete_fields:
            if field.is_relation or field.name in data or field.name in self.export_exclude:
                continue
            if field.name in ("seal",):
                continue
            value = getattr(self, field.attname)
            data[field.name] = value.isoformat() if hasattr(value, "isoformat") else value
        return data


def entry_models() -> list[type[Entry]]:
    """Every concrete model that holds something a person wrote."""
    return [m for m in apps.get_models() if issubclass(m, Entry)]
