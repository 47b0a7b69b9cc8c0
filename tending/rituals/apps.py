from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.db.models import OuterRef
from django.db.models.signals import post_save

from tending.bonds.cards import Card


def _zone_may_have_changed(
    sender: Any, instance: Any, update_fields: Any = None, **kwargs: Any
) -> None:
    if update_fields is not None and "time_zone" not in update_fields:
        return  # a log-in stamp or similar: the zone did not change
    from tending.rituals.schedule import refresh_person

    refresh_person(instance)


class RitualsConfig(AppConfig):
    name = "tending.rituals"
    cards = (
        Card(
            "rituals:index",
            "Rituals",
            "Small habits of connection, with calm reminders if you'd like them.",
            order=40,
            group="rituals",
        ),
        # Other kinds reach touch ideas from the rituals page, where they start off.
        Card(
            "rituals:touch",
            "Touch without agenda",
            "Small, gentle, non-sexual ways to be close, when you both want them.",
            order=42,
            kinds=("partner",),
            group="touch",
        ),
    )

    def ready(self) -> None:
        from tending.bonds.views import register_bond_fact
        from tending.rituals.touch import touch_choice_of

        register_bond_fact("touch_choice", lambda user_pk: touch_choice_of(OuterRef("bond_id")))
        post_save.connect(
            _zone_may_have_changed,
            sender=settings.AUTH_USER_MODEL,
            dispatch_uid="rituals.zone_may_have_changed",
        )
