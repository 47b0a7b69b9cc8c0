from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import InterfaceError, OperationalError

from tending.ops import backup


class Command(BaseCommand):
    help = (
        "Restore an archive written by `tending backup` into an empty database and data "
        "directory: checks every checksum first, then migrates forward."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help="The archive to restore.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Restore even into a database and data directory that hold data: "
            "what is there is replaced and lost.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            done = backup.restore(
                Path(options["file"]), force=options["force"], say=self.stdout.write
            )
        except backup.BackupError as e:
            raise CommandError(str(e)) from e
        except (OperationalError, InterfaceError) as e:
            raise CommandError(f"The database cannot be reached: {e}".strip()) from e
        manifest = done.manifest
        engine = backup.ENGINES[manifest["database"]["engine"]]
        self.stdout.write(
            f"Restored the {engine} database and {done.files} file(s) into {settings.DATA_DIR}, "
            f"from Tending {manifest['tending_version']}, backed up at {manifest['created_at']}."
        )
        if done.migrated:
            self.stdout.write(f"Migrated forward: applied {len(done.migrated)} newer migration(s).")
