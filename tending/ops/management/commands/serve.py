from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import InterfaceError, OperationalError

from tending.ops import schema


class Command(BaseCommand):
    help = (
        "Serve Tending. Without --prod: Django's development server with auto-reload. "
        "With --prod: gunicorn with several workers, static files via whitenoise."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--prod", action="store_true", help="Run the production server.")
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--workers",
            type=int,
            default=max(2, (os.cpu_count() or 1) * 2 + 1),
            help="Web processes in production (default: 2 × cores + 1).",
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=1,
            help=(
                "Threads per web process in production (default 1: gunicorn's sync "
                "workers; more than 1 runs gthread workers, see docs/deployment.md)."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        address = f"{options['host']}:{options['port']}"
        if not options["prod"]:
            self._refuse_unapplied()
            self.stdout.write(f"Tending is at http://{address}/ (press Ctrl+C to stop)")
            call_command("runserver", address, use_reloader=settings.DEBUG)
            return
        env = {**os.environ, "TENDING_PRODUCTION": "true"}
        base = [sys.executable, "-m", "django"]
        env.setdefault("DJANGO_SETTINGS_MODULE", "tending.settings")
        # Refuse to start on configuration that is unsafe in production.
        check = subprocess.run([*base, "check", "--deploy", "--fail-level", "ERROR"], env=env)
        if check.returncode != 0:
            raise CommandError("Configuration problems above must be fixed before serving.")
        self._refuse_unapplied()
        subprocess.run([*base, "collectstatic", "--noinput", "-v", "0"], env=env, check=True)
        self.stdout.write(f"Tending (production) is at http://{address}/")
        os.execve(
            sys.executable,
            [
                sys.executable,
                "-m",
                "gunicorn",
                "tending.wsgi:application",
                "--bind",
                address,
                "--workers",
                str(options["workers"]),
                *(["--threads", str(options["threads"])] if options["threads"] > 1 else []),
                # Uploads (voice messages, chat exports) can be slow on phones.
                "--timeout",
                "120",
                "--forwarded-allow-ips",
                os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
            ],
            env,
        )

    def _refuse_unapplied(self) -> None:
        try:
            schema.refuse_unapplied()
        except (OperationalError, InterfaceError):
            # Pages answer a calm 503 until the database is back; start anyway.
            self.stderr.write("The database cannot be reached, so its migrations were not checked.")
