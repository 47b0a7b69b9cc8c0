from django.apps import AppConfig

from tending.bonds.cards import Card


class InsightsConfig(AppConfig):
    name = "tending.insights"
    cards = (
        Card(
            "insights:index",
            "Insights from your chats",
            "What your own chat history shows, month by month: read on this server, "
            "shown to the other person only if they agree.",
            order=80,
            group="insights",
        ),
    )

    def ready(self) -> None:
        from tending.insights import signals  # noqa: F401
