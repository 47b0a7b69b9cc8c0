from django.apps import AppConfig

from tending.bonds.practices import Practice


class SoloConfig(AppConfig):
    name = "tending.solo"
    practice = Practice(
        "solo:index",
        "When only one of you is ready",
        "Tend the bond from your side: gently, honestly, without pressure.",
        order=90,
        kinds=("partner", "friend", "sibling", "parent_child"),
        shown_when="tending.solo.path.solo_applies",
    )
