from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tending.lib.files import TIDIERS, FileUnavailable
from tending.ops.jobs import discover


class Command(BaseCommand):
    help = (
        "Match the private files (voice messages, chat exports waiting to be read) "
        "against the database, in both directions, and report counts: files no row "
        "refers to are removed once an hour old; rows whose file is missing are "
        "counted, and chat imports still waiting for theirs are marked failed. "
        "The worker does the same on its own every hour."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Only count; change nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        discover()
        for kind in sorted(TIDIERS):
            try:
                report = TIDIERS[kind](options["dry_run"])
            except (FileUnavailable, OSError) as error:
                raise CommandError(f"The {kind} storage could not be read: {error}") from error
            except Exception as error:  # noqa: BLE001 - boto3's own errors, stated plainly
                raise CommandError(
                    f"The {kind} storage could not be read ({type(error).__name__}); "
                    "check FILE_STORAGE and the S3_* settings."
                ) from error
            self.stdout.write(report.line())
        if options["dry_run"]:
            self.stdout.write("Dry run: nothing was changed.")
