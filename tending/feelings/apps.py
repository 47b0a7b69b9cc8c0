from django.apps import AppConfig

from tending.bonds.practices import Practice


class FeelingsConfig(AppConfig):
    name = "tending.feelings"
    practice = Practice(
        "feelings:index",
        "Feelings",
        "Say more than “I'm fine”: name what you feel, and share it if you like.",
        order=30,
    )
