from __future__ import annotations

from django.utils import timezone

from tending.bonds.models import Invitation
from tending.lib import emails
from tending.ops.jobs import job


@job
def expire_invitation() -> bool:
    """Tell the inviter, once, that an unused invitation expired."""
    now = timezone.now()
    inv = (
        Invitation.objects.filter(
            expires_at__lte=now,
            expiry_handled_at__isnull=True,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            declined_at__isnull=True,
        )
        .order_by("expires_at")
        .first()
    )
    if inv is None:
        return False
    claimed = Invitation.objects.filter(pk=inv.pk, expiry_handled_at__isnull=True).update(
        expiry_handled_at=now
    )
    if claimed != 1:
        return True  # another worker took it; look again
    inviter = inv.created_by
    if inv.bond.is_active and not inv.bond.memberships.exclude(user=inviter).exists():
        emails.send(
            "invitation-expired",
            inviter.email,
            {"name": inviter.display_name, "bond_url": inv.bond.get_absolute_url()},
        )
    return True
