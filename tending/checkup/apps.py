from django.apps import AppConfig

from tending.bonds.practices import Practice


class CheckupConfig(AppConfig):
    name = "tending.checkup"
    practice = Practice(
        "checkup:index",
        "Check-up",
        "A private look at how close you feel right now, in a few minutes.",
        order=10,
    )
