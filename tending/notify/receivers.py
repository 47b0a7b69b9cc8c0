"""Telling people what happened to their bonds (see tending.bonds.events)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_out
from django.db.models.signals import pre_delete
from django.dispatch import receiver

from tending.bonds.events import bond_ended, member_joined
from tending.notify.service import forget_name, notify


@receiver(member_joined)
def _tell_the_inviter(sender: Any, *, bond: Any, member: Any, inviter: Any, **kwargs: Any) -> None:
    notify(
        inviter,
        topic="bond",
        title=f"{member.display_name} joined your {bond.get_kind_display().lower()} bond.",
        url=bond.get_absolute_url(),
        bond=bond,
    )


@receiver(bond_ended)
def _tell_the_other(sender: Any, *, bond: Any, leaver: Any, other: Any, **kwargs: Any) -> None:
    if other is None:
        return
    notify(
        other,
        topic="bond",
        title=f"Your {bond.get_kind_display().lower()} bond with {leaver.display_name} has ended.",
        url=bond.get_absolute_url(),
        bond=bond,
    )


@receiver(pre_delete, sender=settings.AUTH_USER_MODEL)
def _forget_the_name_of_who_left(sender: Any, instance: Any, **kwargs: Any) -> None:
    forget_name(instance)


@receiver(user_logged_out)
def _stop_pushes_to_this_browser(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """Logging out on a shared phone stops its push notifications: the device
    this browser added is removed (Clear-Site-Data drops its subscription too)."""
    from tending.notify.devices import SESSION_KEY
    from tending.notify.models import Device

    device = request.session.get(SESSION_KEY) if request is not None else None
    if user is not None and isinstance(device, int):
        Device.objects.filter(pk=device, user=user).delete()
