from django.apps import AppConfig

from tending.bonds.cards import Card


class CheckupConfig(AppConfig):
    name = "tending.checkup"
    cards = (
        Card(
            "checkup:index",
            "Check-up",
            "A private look at how close you feel right now, in a few minutes.",
            order=10,
            group="checkup",
        ),
    )
