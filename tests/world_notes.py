"""Notes in the URL walk. A "private" note here is one not yet delivered: it is
its sender's alone until it arrives, so alice's undelivered note to bob (and
bob's to alice) must never show to the other. The shared one is delivered."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from tending.accounts.models import User
from tending.bonds.privacy import Visibility
from tests.world import PARAM_VALUES, World, maker


@maker("notes.Note")
def _note(world: World, author: User, visibility: str, text: str) -> Any:
    from tending.notes.models import Note, Timing

    recipient = world.bob if author == world.alice else world.alice
    now = timezone.now()
    delivered = visibility == Visibility.SHARED
    note = Note.objects.create(
        bond=world.bond,
        author=author,
        recipient=recipient,
        text=text,
        timing=Timing.NOW if delivered else Timing.SURPRISE,
        deliver_at=now if delivered else now + timedelta(days=1),
        window_start=None if delivered else now + timedelta(hours=20),
        window_end=None if delivered else now + timedelta(hours=28),
        delivered_at=now if delivered else None,
        # No file behind it: the walk must not write into the data directory.
        voice_name="0" * 32,
        voice_mime="audio/ogg",
        voice_seconds=3.0,
    )
    if delivered:
        world.objects["note"] = note
    return note


PARAM_VALUES["note"] = lambda world: world.objects["note"].pk
