from __future__ import annotations

from django.apps import AppConfig

from tending.bonds.cards import Card


class NotesConfig(AppConfig):
    name = "tending.notes"
    cards = (
        Card(
            "notes:index",
            "Notes and voice messages",
            "Leave a few words or your voice for the other person, now or as a surprise.",
            order=45,
            kinds=("partner", "friend", "sibling", "parent_child"),
            group="rituals",
        ),
    )

    def ready(self) -> None:
        from tending.notes import signals  # noqa: F401
