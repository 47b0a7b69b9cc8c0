from django.apps import AppConfig

from tending.bonds.practices import Practice


class PromptsConfig(AppConfig):
    name = "tending.prompts"
    practice = Practice(
        "prompts:daily",
        "Today's question",
        "One question a day. You each answer privately, then see both answers together.",
        order=20,
    )
    # More cards on the bond page (tending.bonds.practices reads this too).
    practices = (
        Practice(
            "prompts:conversation",
            "Weekly conversation",
            "A set time each week, a few prompts, and room to listen rather than fix.",
            order=25,
        ),
    )
