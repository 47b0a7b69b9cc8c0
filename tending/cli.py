"""The `tending` console script: a thin layer over Django's management commands,
so `tending serve`, `tending worker` and `tending coach` run the same code as the web."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tending.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv[1:] if argv is None else argv)
    execute_from_command_line(["tending", *args])


if __name__ == "__main__":
    main()
