from django.apps import AppConfig

from tending.bonds.cards import Card


class GardenConfig(AppConfig):
    name = "tending.garden"
    cards = (
        Card(
            "garden:index",
            "Garden",
            "Your practice made visible: plants that grow when tended.",
            order=90,
            group="garden",
        ),
        Card(
            "garden:progress",
            "Progress",
            "Charts over time: check-ups, conversations, feelings, rituals.",
            order=95,
            group="garden",
        ),
    )
