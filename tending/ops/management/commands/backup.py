from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import InterfaceError, OperationalError

from tending.ops import backup


class Command(BaseCommand):
    help = (
        "Write one archive with a consistent copy of the database, the files under the "
        "data directory (and, with FILE_STORAGE=s3, the objects in the bucket) and a "
        "manifest with checksums. It holds everything people wrote: "
        "keep it where only you can read it."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "file",
            nargs="?",
            default=".",
            help="The archive to write, or a folder to write tending-backup-<UTC time>.tar.gz "
            "into (default: the current folder).",
        )
        parser.add_argument(
            "--keep",
            type=int,
            metavar="N",
            help="Afterwards, delete all but the N newest tending-backup-*.tar.gz in that folder.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        keep = options["keep"]
        if keep is not None and keep < 1:
            raise CommandError("--keep must be 1 or more.")
        target = Path(options["file"])
        if target.is_dir():
            target = target / backup.archive_name()
        try:
            written = backup.write(target)
        except backup.BackupError as e:
            raise CommandError(str(e)) from e
        except (OperationalError, InterfaceError) as e:
            raise CommandError(f"The database cannot be reached: {e}".strip()) from e
        self.stdout.write(
            f"Wrote {written.path} ({_size(written.size)}): the "
            f"{backup.ENGINES[written.engine]} database and {written.files} file(s). "
            "It holds everything people wrote: keep it where only you can read it."
        )
        if keep is not None:
            for old in backup.prune(written.path.parent, keep):
                self.stdout.write(f"Removed {old}")


def _size(size: int) -> str:
    return f"{size / 1e6:.1f} MB" if size >= 100_000 else f"{size / 1e3:.0f} kB"
