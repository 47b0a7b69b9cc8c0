from typing import Any

from django.apps import AppConfig

from tending.bonds.cards import Card


def _tending_alone(bond: Any, user: Any) -> bool:
    from tending.solo.path import solo_applies  # models are not loaded with the app configs

    return solo_applies(bond, user)


class SoloConfig(AppConfig):
    name = "tending.solo"
    cards = (
        Card(
            "solo:index",
            "When only one of you is ready",
            "Tend the bond from your side: gently, honestly, without pressure.",
            order=90,
            kinds=("partner", "friend", "sibling", "parent_child"),
            shown_when=_tending_alone,
            group="repair",
        ),
    )
