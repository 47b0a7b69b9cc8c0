from django.apps import AppConfig

from tending.bonds.cards import Card


class RepairConfig(AppConfig):
    name = "tending.repair"
    cards = (
        Card(
            "repair:index",
            "Repair",
            "After a hard moment: cool down, own your part, and find your way back to each other.",
            order=40,
            kinds=("partner", "friend", "sibling", "parent_child"),
            group="repair",
        ),
    )
