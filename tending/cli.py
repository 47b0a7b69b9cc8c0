"""The `tending` console script: a thin layer over Django's management commands,
so `tending serve`, `tending worker` and `tending coach` run the same code as the web."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["--version"]:
        # Django's own --version would print Django's version.
        from tending import __version__

        print(f"tending {__version__}")
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tending.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["tending", *args])


if __name__ == "__main__":
    main()
