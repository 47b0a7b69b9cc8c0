"""The one place where Tending decides who may see an entry.

Every model that holds something a person wrote subclasses `Entry`, and every
view reads entries through `Model.objects.visible_to(user)` or checks one entry
with `entry.is_visible_to(user)`. Nothing else decides visibility.

Rules:
- private: only the author.
- shared: the author and the bond's members (members who left keep seeing what
  was shared with them, as a read-only archive, until they delete it).
- sealed: like shared, but another member sees it only once they have written
  an entry of the same kind with the same `seal` in the same bond (each sees the
  other's answer only after giving their own).
Nobody outside the bond ever sees anything of it.
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


class EntryQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> EntryQuerySet:
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.bond_rule(user).narrowed_for(user)

    def bond_rule(self, user: Any) -> EntryQuerySet:
        """The rules above, before a model's own narrowing (`narrowed_for`)."""
        member_of = Membership.objects.filter(
            bond=OuterRef("bond"), user=user, archive_deleted_at__isnull=True
        )
        own_in_seal = self.model._default_manager.filter(
            bond=OuterRef("bond"), seal=OuterRef("seal"), author=user
        )
        return self.filter(
            Q(author=user)
            | (Exists(member_of) & Q(visibility=Visibility.SHARED))
            | (Exists(member_of) & Q(visibility=Visibility.SEALED) & Exists(own_in_seal))
        )

    def narrowed_for(self, user: Any) -> EntryQuerySet:
        """A model whose entries others see only later or on a condition (a note
        once delivered, insights once consented to) narrows what the rules above
        allow by overriding this. Both `visible_to` and `visible_in` apply it."""
        return self

    def visible_in(self, user: Any, bond: Bond) -> EntryQuerySet:
        """`visible_to(user)` limited to one bond, cheaper to build for pages that
        read many kinds of entry (the garden, today).

        The viewer's membership is read from `bond.memberships` (prefetched by
        member_bond), so the per-row membership subquery is left out."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        member = bond.membership_of(user)
        rule = Q(author=user)
        if member is not None and member.archive_deleted_at is None:
            allowed = getattr(self.model, "allowed_visibilities", tuple(Visibility))
            if Visibility.SHARED in allowed:
                rule |= Q(visibility=Visibility.SHARED)
            if Visibility.SEALED in allowed:
                own_in_seal = self.model._default_manager.filter(
                    bond=OuterRef("bond"), seal=OuterRef("seal"), author=user
                )
                rule |= Q(visibility=Visibility.SEALED) & Exists(own_in_seal)
        return self.filter(rule, bond=bond).narrowed_for(user)

    def authored_by(self, user: Any) -> EntryQuerySet:
        return self.filter(author=user)


class Entry(models.Model):
    bond = models.ForeignKey(Bond, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    visibility = models.CharField(
        max_length=8, choices=Visibility.choices, default=Visibility.PRIVATE
    )
    # Entries of one kind with the same seal in the same bond open together.
    seal = models.CharField(max_length=64, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)

    objects = EntryQuerySet.as_manager()

    # Fields left out of the personal data export (besides ids and relations).
    export_exclude: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def is_visible_to(self, user: Any) -> bool:
        if not getattr(user, "is_authenticated", False):
            return False
        if self.author_id == user.pk:
            return True
        if self.visibility == Visibility.PRIVATE:
            return False
        member = Membership.objects.filter(
            bond_id=self.bond_id, user=user, archive_deleted_at__isnull=True
        ).exists()
        if not member:
            return False
        if self.visibility == Visibility.SHARED:
            return True
        return (
            type(self)
            ._default_manager.filter(bond_id=self.bond_id, seal=self.seal, author=user)
            .exists()
        )

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
