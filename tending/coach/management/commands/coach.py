"""`tending coach`: label chat messages read from standard input, one per line.

`tending coach train` rebuilds the coach's model (tending/coach/data/model.json) from
the labelled data files; it needs the `coach-train` extra (numpy, scikit-learn)."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from typing import IO, Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tending.coach.analysis import analyse, rephrase

# A longer line is read in pieces of this many bytes (or characters), each answered
# on its own line, so one endless line cannot exhaust memory.
MAX_LINE = 1 << 20


def read_lines(stream: IO[Any]) -> Iterator[str]:
    """Lines without their line ending; bytes that are not UTF-8 become U+FFFD."""
    source = getattr(stream, "buffer", stream)
    while True:
        chunk = source.readline(MAX_LINE)
        if not chunk:
            return
        if isinstance(chunk, bytes):
            text = chunk.decode("utf-8", "replace")
        else:
            # A text stream may still carry lone surrogates; JSON output must not.
            text = chunk.encode("utf-8", "replace").decode("utf-8")
        yield text.rstrip("\r\n")


def record(text: str) -> dict[str, Any]:
    analysis = analyse(text)
    return {
        "text": text,
        "labels": analysis.labels,
        "primary": analysis.primary,
        "spans": {label: [list(span) for span in spans] for label, spans in analysis.spans.items()},
        "suggestions": rephrase(text, analysis),
    }


class Command(BaseCommand):
    help = (
        "Read one message per line on standard input and write one JSON object per line: "
        "text, labels (label -> score), primary, spans (label -> [start, end] offsets) and "
        "suggestions (gentler wordings, empty when none is needed). Nothing leaves this "
        "computer. `tending coach train` rebuilds the coach's model from its data files."
    )
    stealth_options = ("stdin",)
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "action",
            nargs="?",
            choices=["train"],
            help="train: rebuild the model from the labelled data files (seeded, reproducible)",
        )
        parser.add_argument(
            "--report",
            action="store_true",
            help="with train: print the cross-validation figures (per label and macro-F1)",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="with train: write nothing; fail if the shipped model is not the one the "
            "data files give",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options.get("action") == "train":
            self.train(report=options["report"], check=options["check"])
            return
        if options.get("report") or options.get("check"):
            raise CommandError("--report and --check go with `tending coach train`")
        stdin = options.get("stdin") or sys.stdin
        encoding = (getattr(self.stdout, "encoding", None) or "utf-8").lower()
        ascii_only = not encoding.replace("-", "").startswith("utf")
        try:
            for line in read_lines(stdin):
                self.stdout.write(json.dumps(record(line), ensure_ascii=ascii_only))
            self.stdout.flush()
        except BrokenPipeError:
            # The reader went away (| head): stop quietly, and keep Python from
            # complaining when it flushes stdout at exit.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())

    def train(self, *, report: bool, check: bool) -> None:
        try:
            from tending.coach import train
        except ImportError as error:  # pragma: no cover - depends on the install
            raise CommandError(
                "training needs numpy and scikit-learn: pip install 'tending[coach-train]'"
            ) from error
        try:
            model = train.train()
        except ImportError as error:
            raise CommandError(
                "training needs numpy and scikit-learn: pip install 'tending[coach-train]'"
            ) from error
        if report:
            self.stdout.write(
                train.format_report(model["report"], "Cross-validation on the training data")
            )
        if check:
            shipped = train.MODEL_PATH.read_text(encoding="utf-8")
            if shipped != train.dumps(model):
                raise CommandError(
                    "the shipped model differs from the one the data files give: "
                    "run `tending coach train`"
                )
            self.stdout.write("The shipped model matches the data files.")
            return
        train.write(model)
        self.stdout.write(f"Wrote {train.MODEL_PATH} ({model['report']['messages']} messages).")
