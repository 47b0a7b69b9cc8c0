"""Chat imports in the URL walk. Each private import carries its author's mark
as a chat participant's name (shown only to the uploader, on the who-is-who
form); the shared one is alice's, offered to bob, who agreed to see it."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from tending.accounts.models import User
from tending.bonds.privacy import Visibility
from tending.insights.analysis.indicators import fold
from tending.insights.chats.stream import Message
from tests.world import PARAM_VALUES, World, maker

LINES = (
    "can you get milk on the way home?",
    "haha that's so you 😂",
    "I feel a bit low today, honestly",
    "thank you for last night, it meant a lot",
    "how was your day? what are you thinking about?",
)


def chat_messages(first: str, second: str, months: int = 3, per_day: int = 2) -> list[Message]:
    """A small made-up chat between two people: a few messages a day."""
    start = datetime(2024, 1, 1, 8, 0)
    out = []
    for day in range(months * 30):
        for n in range(per_day):
            when = start + timedelta(days=day, hours=3 * n)
            sender = first if (day + n) % 2 == 0 else second
            out.append(Message(when, None, sender, LINES[(day + n) % len(LINES)]))
    return out


def ready_import(world: World, author: User, visibility: str, names: tuple[str, str]) -> Any:
    from tending.insights.models import ChatImport, Role, Status

    report = fold(chat_messages(*names))
    now = timezone.now()
    return ChatImport.objects.create(
        bond=world.bond,
        author=author,
        visibility=visibility,
        status=Status.READY,
        format="whatsapp",
        report=report,
        mapping={names[0]: Role.AUTHOR.value, names[1]: Role.OTHER.value},
        processed_at=now,
        confirmed_at=now,
        offered_at=now if visibility == Visibility.SHARED else None,
    )


@maker("insights.ChatImport")
def _chat_import(world: World, author: User, visibility: str, text: str) -> Any:
    from tending.insights.models import InsightConsent

    other = world.bob if author == world.alice else world.alice
    item = ready_import(world, author, visibility, (text, other.display_name))
    if visibility == Visibility.SHARED:
        InsightConsent.objects.create(chat_import=item, user=other, agreed_at=timezone.now())
        world.objects["chat_import"] = item
    return item


PARAM_VALUES["chat_import"] = lambda world: world.objects["chat_import"].pk
