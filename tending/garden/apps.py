from django.apps import AppConfig

from tending.bonds.practices import Practice


class GardenConfig(AppConfig):
    name = "tending.garden"
    practice = Practice(
        "garden:index",
        "Garden",
        "Your practice made visible: plants that grow when tended.",
        order=90,
    )
    practices = (
        Practice(
            "garden:progress",
            "Progress",
            "Charts over time: check-ups, conversations, feelings, rituals.",
            order=95,
        ),
    )
