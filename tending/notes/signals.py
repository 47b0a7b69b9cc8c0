"""A note's recording leaves the disk with the note, however the note goes
(deleted by a person, with an account, with a bond's archive)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from tending.notes.models import Note
from tending.notes.storage import remove_voice


@receiver(post_delete, sender=Note, dispatch_uid="notes.remove_voice")
def _remove_voice(sender: Any, instance: Note, **kwargs: Any) -> None:
    if instance.voice_name:
        name = instance.voice_name
        transaction.on_commit(lambda: remove_voice(name))
