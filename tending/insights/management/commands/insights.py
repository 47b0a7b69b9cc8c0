"""`tending insights FILE`: monthly insights from a chat export, on this computer."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tending.insights.analysis.indicators import Insights
from tending.insights.chats.detect import parse
from tending.insights.chats.stream import (
    DATE_ORDERS,
    FORMATS,
    AmbiguousDateOrder,
    ChatFormatError,
    ParseReport,
    UnknownFormatError,
)
from tending.insights.cli.parallel import Reading, Usage, read_insights
from tending.insights.cli.render import html_report, summary_text

# Show at most this many skipped lines on stderr, then only how many more.
SKIPPED_SHOWN = 20
# Files smaller than this finish before a progress bar would help.
PROGRESS_MIN_BYTES = 8 * 1024 * 1024
BAD_INPUT = 2


class Command(BaseCommand):
    help = (
        "Read a chat export (WhatsApp, Telegram, Signal, Messenger or Instagram) and show "
        "monthly insights. Everything stays on this computer."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file", help="The export: a .txt, .zip, .json or .md file, or a folder."
        )
        parser.add_argument(
            "--format",
            default="auto",
            help=f"auto (the default), or one of: {', '.join(FORMATS)}.",
        )
        out = parser.add_mutually_exclusive_group()
        out.add_argument("--json", action="store_true", help="Write the report as JSON to stdout.")
        out.add_argument("--html", metavar="OUT", help="Write a self-contained HTML report to OUT.")
        parser.add_argument(
            "--messages",
            action="store_true",
            help="Write the normalised messages as JSON lines to stdout instead of the summary.",
        )
        parser.add_argument(
            "--date-order",
            choices=DATE_ORDERS,
            help="WhatsApp only: how the phone writes dates, when the file cannot tell.",
        )
        parser.add_argument("--chat", help="Which chat to read from an export that holds several.")

    def handle(self, *args: Any, **options: Any) -> None:
        fmt = options["format"]
        if fmt != "auto" and fmt not in FORMATS:
            raise CommandError(
                str(UnknownFormatError(f"Unknown format {fmt!r}.")), returncode=BAD_INPUT
            )
        if options["messages"] and options["json"]:
            raise CommandError(
                "--json and --messages both write to stdout: choose one.", returncode=BAD_INPUT
            )
        try:
            result, report, reading = self._read(options)
        except BrokenPipeError:
            sys.stderr.close()  # the reader went away (| head): nothing more to say
            return
        self._show_skipped(report)
        if options["html"]:
            Path(options["html"]).write_text(html_report(result), encoding="utf-8")
            if not options["messages"]:
                self.stdout.write(f"Report written to {options['html']}")
        elif options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
        elif not options["messages"]:
            self.stdout.write(summary_text(result), ending="")
        if reading is not None and options["verbosity"] >= 2:
            self._show_usage(reading)

    def _read(self, options: dict[str, Any]) -> tuple[dict[str, Any], ParseReport, Reading | None]:
        extra: dict[str, Any] = {}
        if options["date_order"]:
            extra["date_order"] = options["date_order"]
        if options["chat"]:
            extra["chat"] = options["chat"]
        path = Path(options["file"])
        progress = self._progress_bar(path)
        if progress is not None:
            extra["progress"] = progress
        write = self.stdout.write
        try:
            if options["messages"]:
                # One message after another, in file order: one process.
                stream, report = parse(path, options["format"], **extra)
                insights = Insights()
                add = insights.add
                for message in stream:
                    write(json.dumps(message.as_json(), ensure_ascii=False))
                    add(message)
                return insights.result(report), report, None
            reading = read_insights(path, options["format"], **extra)
            return reading.result(), reading.report, reading
        except AmbiguousDateOrder as error:
            again = " or ".join(f"--date-order {order}" for order in error.choices)
            raise CommandError(f"{error} Run again with {again}.", returncode=BAD_INPUT) from None
        except ChatFormatError as error:
            raise CommandError(str(error), returncode=BAD_INPUT) from None
        except (BrokenPipeError, KeyboardInterrupt):
            raise
        except Exception as error:
            # Never a traceback, and never a line of the chat: only the kind of failure.
            raise CommandError(
                f"Reading this file failed unexpectedly ({type(error).__name__}). "
                "Please report it with the format of the export, not its content."
            ) from None
        finally:
            if progress is not None:
                self.stderr.write("\r" + " " * 60 + "\r", ending="")

    def _progress_bar(self, path: Path) -> Any:
        if not self.stderr.isatty():
            return None
        try:
            if not path.is_file() or path.stat().st_size < PROGRESS_MIN_BYTES:
                return None
        except OSError:
            return None
        stderr = self.stderr

        def show(done: int, total: int) -> None:
            fraction = min(done / total, 1.0) if total else 1.0
            filled = int(fraction * 30)
            stderr.write(
                f"\rReading [{'#' * filled}{'.' * (30 - filled)}] {fraction:4.0%}", ending=""
            )
            stderr.flush()

        return show

    def _show_usage(self, reading: Reading) -> None:
        """How the file was read, for -v 2: processes, and each one's peak memory and CPU."""
        here = Usage.now()
        line = f"Read in {reading.processes} process(es)"
        if reading.reread:
            line += f", {reading.reread} span(s) read again at the seam"
        line += f"; this process: peak {here.peak_mb:.0f} MB, CPU {here.cpu_seconds:.2f} s"
        if reading.workers:
            largest = max(usage.peak_mb for usage in reading.workers)
            cpu = sum(usage.cpu_seconds for usage in reading.workers)
            line += f"; largest worker: peak {largest:.0f} MB; workers' CPU {cpu:.2f} s"
        self.stderr.write(line + ".")

    def _show_skipped(self, report: ParseReport) -> None:
        if not report.skipped_count:
            return
        unit = report.skipped_unit
        for number, reason in report.skipped[:SKIPPED_SHOWN]:
            self.stderr.write(f"{unit} {number} skipped: {reason}")
        hidden = report.skipped_count - min(len(report.skipped), SKIPPED_SHOWN)
        if hidden > 0:
            self.stderr.write(f"... and {hidden} more skipped {unit}s")
        self.stderr.write(f"{report.skipped_count} {unit}(s) skipped in all.")
