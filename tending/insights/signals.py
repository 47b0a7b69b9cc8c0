"""An import's uploaded file leaves the disk with the import, however the
import goes (deleted by its uploader, with an account, with a bond)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from tending.insights.models import ChatImport
from tending.insights.storage import remove_import


@receiver(post_delete, sender=ChatImport, dispatch_uid="insights.remove_file")
def _remove_file(sender: Any, instance: ChatImport, **kwargs: Any) -> None:
    if instance.file_name:
        name = instance.file_name
        transaction.on_commit(lambda: remove_import(name))
