"""Push devices in the URL walk: alice's phone, named with her private mark,
so the walk checks that nobody else ever sees it (a device is its person's
alone, in no bond)."""

from __future__ import annotations

from typing import Any

from tests.world import PARAM_VALUES, World


def _alice_device(world: World) -> Any:
    from tending.notify.models import Device

    device, _ = Device.objects.get_or_create(
        endpoint="https://push.example.org/send/alice-walk",
        defaults={
            "user": world.alice,
            "name": world.private_mark("alice"),
            "p256dh": "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM",
            "auth": "tBHItJI5svbpez7KI4CCXg",
        },
    )
    return device.pk


PARAM_VALUES["device"] = _alice_device
