from django.apps import AppConfig

from tending.bonds.cards import Card


class FeelingsConfig(AppConfig):
    name = "tending.feelings"
    cards = (
        Card(
            "feelings:index",
            "Feelings",
            "Say more than “I'm fine”: name what you feel, and share it if you like.",
            order=30,
            group="inner_world",
        ),
    )
