"""Everything a person may take away: what they wrote and what was shared with them.

The schema is documented in docs/export.md; bump EXPORT_VERSION when it changes."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from tending.accounts.models import User
from tending.bonds.models import Bond
from tending.bonds.privacy import entry_models
from tending.safety.models import screens_for_export

EXPORT_VERSION = 1


def export_for(user: User) -> dict[str, Any]:
    bonds = Bond.objects.of(user).prefetch_related("memberships__user").order_by("pk")
    bond_list = []
    for bond in bonds:
        other = bond.other_member(user)
        mine = bond.membership_of(user)
        bond_list.append(
            {
                "id": bond.pk,
                "kind": bond.kind,
                "created_at": bond.created_at.isoformat(),
                "ended_at": bond.ended_at.isoformat() if bond.ended_at else None,
                "joined_at": mine.joined_at.isoformat() if mine else None,
                "other_member": other.display_name if other else None,
            }
        )
    entries: list[dict[str, Any]] = []
    for model in entry_models():
        for entry in model.objects.visible_to(user).order_by("created_at", "pk"):
            entries.append(entry.export(user))
    entries.sort(key=lambda e: (e["created_at"], e["type"], e["id"]))
    return {
        "format": "tending-export",
        "version": EXPORT_VERSION,
        "exported_at": timezone.now().isoformat(),
        "account": {
            "email": user.email,
            "display_name": user.display_name,
            "time_zone": user.time_zone,
            "joined_at": user.date_joined.isoformat(),
        },
        "bonds": bond_list,
        "entries": entries,
        # Only ever in the answering person's own export.
        "safety_screens": screens_for_export(user),
    }
