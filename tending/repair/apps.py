from django.apps import AppConfig

from tending.bonds.practices import Practice


class RepairConfig(AppConfig):
    name = "tending.repair"
    practice = Practice(
        "repair:index",
        "Repair",
        "After a hard moment: cool down, own your part, and find your way back to each other.",
        order=40,
        kinds=("partner", "friend", "sibling", "parent_child"),
    )
