from django.apps import AppConfig

from tending.bonds.cards import Card


class PromptsConfig(AppConfig):
    name = "tending.prompts"
    cards = (
        Card(
            "prompts:daily",
            "Today's question",
            "One question a day. You each answer privately, then see both answers together.",
            order=20,
            kinds=("partner", "friend", "sibling", "parent_child"),
            group="curiosity",
        ),
        Card(
            "prompts:daily",
            "Today's journal prompt",
            "A question a day to write about, only for you.",
            order=20,
            kinds=("just_me",),
            group="curiosity",
        ),
        Card(
            "prompts:conversation",
            "Weekly conversation",
            "A set time each week, a few prompts, and room to listen rather than fix.",
            order=25,
            group="conversation",
        ),
    )
