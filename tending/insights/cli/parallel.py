"""Reading a large WhatsApp export on every core, with the same result as one pass.

The file is cut at message headers into one span per process (see
`whatsapp.Chat.seams`). This process reads the first span; forked workers read
the others, each still one streaming pass over its own bytes, and send back
their monthly figures. Most figures are sums over messages and simply add up.
Three things carry from one message to the next (`Insights.last`,
`last_sender` and `open_conflict`), so a worker cannot know them where its
span begins. The seam fix-up: a worker also sends its first HEAD_MESSAGES
messages. Here, once the state at the seam is known, the head is folded twice,
from that state and from the empty state the worker started with; the
difference of their order-dependent figures (conversation starts, replies,
long silences, conflict episodes and their repairs) replaces what the worker
counted for the head. When both folds end the head in the same state, every
later message was counted exactly as one pass counts it. When they do not (a
conflict still open, or clocks that went back, for the whole head), the span is
read again here from the right state: slower, never different.

Small files, zip files, other formats, systems without `fork` and processes
running other threads take the single pass.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice
from typing import Any, cast

from tending.insights.analysis.indicators import Classifier, Insights
from tending.insights.analysis.tallies import Month
from tending.insights.chats import sources, whatsapp
from tending.insights.chats.detect import detect_format, parse
from tending.insights.chats.stream import Message, ParseReport

try:
    import resource
except ImportError:  # Windows: usage is not measured (and there is no fork either)
    resource = None  # type: ignore[assignment]

Progress = Callable[[int, int], None]

# Each process gets at least this much of the file, so a small file (under twice
# this) is read in one process and pays no start-up cost.
MIN_PART_BYTES = 2 * 1024 * 1024
MAX_PROCESSES = 8
# How many messages at the start of a worker's span are folded again at the seam.
HEAD_MESSAGES = 2000

# (last, last_sender, open conflict as (when it opened, month key)) — see `Insights`.
State = tuple[datetime | None, str | None, tuple[datetime, tuple[int, int]] | None]


@dataclass(slots=True)
class Usage:
    """One process's own peak resident memory and CPU time."""

    peak_mb: float
    cpu_seconds: float

    @classmethod
    def now(cls) -> Usage:
        if resource is None:
            return cls(0.0, 0.0)
        usage = resource.getrusage(resource.RUSAGE_SELF)
        # ru_maxrss is in kilobytes on Linux and in bytes on macOS.
        scale = 1024 * 1024 if sys.platform == "darwin" else 1024
        return cls(usage.ru_maxrss / scale, usage.ru_utime + usage.ru_stime)


@dataclass
class Reading:
    """The folded figures and the parse report of one file, and how it was read."""

    insights: Insights
    report: ParseReport
    processes: int = 1
    reread: int = 0  # spans read again here (no seam agreement, or a worker failed)
    workers: list[Usage] = field(default_factory=list)

    def result(self) -> dict[str, Any]:
        return self.insights.result(self.report)


@dataclass
class _Part:
    """What a worker sends back: its span's figures, report and head."""

    months: dict[tuple[int, int], Month]
    first: datetime | None
    latest: datetime | None
    senders: set[str]
    end: State
    head: list[Message]
    head_only: bool  # the span holds no message after the head
    report: ParseReport
    lines: int
    usage: Usage | None = None


def read_insights(
    source: sources.Input,
    format: str = "auto",
    *,
    classify: Classifier | None = None,
    progress: Progress | None = None,
    processes: int | None = None,
    **options: object,
) -> Reading:
    """Parse and fold a chat export, as `fold(parse(...))` does, on up to
    `processes` cores (default: those this process may use). Raises what
    `parse` raises; the options are `parse`'s."""
    if format == "auto":
        format = detect_format(source)
    insights = Insights(classify)
    if format != "whatsapp":
        if progress is not None:
            options["progress"] = progress
        stream, report = parse(source, format, **options)
        _fold(insights, stream)
        return Reading(insights, report)
    report = ParseReport(format="whatsapp")
    chat = whatsapp.prepare(source, report, cast("str | None", options.get("date_order")))
    cuts = chat.seams(plan_processes(chat.size, processes)) if chat.seekable else []
    if not cuts:
        _fold(insights, chat.messages(report, progress))
        return Reading(insights, report)
    return read_in_parts(chat, report, cuts, insights, progress)


def plan_processes(size: int, wanted: int | None = None) -> int:
    """How many processes a file of `size` bytes is worth: 1 without `fork`, and 1
    in a process running other threads, which a forked child could find holding locks."""
    if "fork" not in multiprocessing.get_all_start_methods() or threading.active_count() > 1:
        return 1
    cores = wanted or _cores()
    return max(1, min(cores, MAX_PROCESSES, size // MIN_PART_BYTES))


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def read_in_parts(
    chat: whatsapp.Chat,
    report: ParseReport,
    cuts: list[int],
    insights: Insights,
    progress: Progress | None = None,
    fork: bool = True,
) -> Reading:
    """Read `chat` in the spans between `cuts` (offsets from `chat.seams`), the
    first here and each other one in a forked worker (or here, one after the
    other, when `fork` is false), and merge them into `insights` and `report`."""
    starts, stops = [0, *cuts], [*cuts, None]
    spans = [whatsapp.Span(start, stop) for start, stop in zip(starts, stops, strict=True)]
    classify = insights.classify
    reading = Reading(insights, report, processes=len(spans) if fork else 1)
    workers = _start(chat, spans[1:], classify) if fork else []
    try:
        here = ParseReport(format="whatsapp", date_order=chat.order)
        _fold(insights, chat.messages(here, _scaled(progress, chat.size), spans[0]))
        _merge_report(report, here, 0)
        lines = spans[0].lines
        for index, span in enumerate(spans[1:]):
            part = _receive(workers[index]) if fork else _read_part(chat, span, classify)
            if part is not None and part.usage is not None:
                reading.workers.append(part.usage)
            if part is None or not _join(insights, part):
                reading.reread += 1
                part = _reread(insights, chat, span)
            _merge_report(report, part.report, lines)
            lines += part.lines
    finally:
        for process, _ in workers:
            if process.is_alive():
                process.terminate()
            process.join()
    report.finished = True
    return reading


def _fold(insights: Insights, messages: Iterable[Message]) -> None:
    add = insights.add
    for message in messages:
        add(message)


def _scaled(progress: Progress | None, size: int) -> Progress | None:
    """Progress of the whole file, estimated from the first span's."""
    if progress is None:
        return None

    def show(done: int, total: int) -> None:
        progress(min(size, done * size // max(total, 1)), size)

    return show


# --- in the worker ---------------------------------------------------------------------


def _start(
    chat: whatsapp.Chat, spans: list[whatsapp.Span], classify: Classifier
) -> list[tuple[Any, Any]]:
    context = multiprocessing.get_context("fork")
    # Whatever waits in our buffers would be written again by each child.
    sys.stdout.flush()
    sys.stderr.flush()
    workers = []
    for span in spans:
        receiver, sender = context.Pipe(duplex=False)
        process = context.Process(target=_work, args=(chat, span, classify, sender), daemon=True)
        process.start()
        sender.close()
        workers.append((process, receiver))
    return workers


def _work(chat: whatsapp.Chat, span: whatsapp.Span, classify: Classifier, pipe: Any) -> None:
    try:
        part = _read_part(chat, span, classify)
        part.usage = Usage.now()
        pipe.send(part)
    except BaseException:  # noqa: BLE001 - the parent reads the span itself instead
        pipe.send(None)
    finally:
        pipe.close()


def _read_part(chat: whatsapp.Chat, span: whatsapp.Span, classify: Classifier) -> _Part:
    report = ParseReport(format="whatsapp", date_order=chat.order)
    messages = chat.messages(report, None, span)
    head = list(islice(messages, HEAD_MESSAGES))
    insights = Insights(classify)
    _fold(insights, head)
    add = insights.add
    head_only = True
    for message in messages:
        add(message)
        head_only = False
    return _Part(
        months=_settled(insights.months),
        first=insights.first,
        latest=insights.latest,
        senders=insights.senders,
        end=_state(insights),
        head=head,
        head_only=head_only,
        report=report,
        lines=span.lines,
    )


def _settled(months: dict[tuple[int, int], Month]) -> dict[tuple[int, int], Month]:
    for month in months.values():
        for tally in month.by_sender.values():
            tally.settle()
    return months


def _receive(worker: tuple[Any, Any]) -> _Part | None:
    process, receiver = worker
    try:
        part = receiver.recv()
    except (EOFError, OSError):  # the worker died (killed, out of memory)
        part = None
    finally:
        receiver.close()
    process.join()
    return part if isinstance(part, _Part) else None


# --- at the seam -----------------------------------------------------------------------


def _state(insights: Insights) -> State:
    conflict = insights.open_conflict
    opened = None if conflict is None else (conflict[0], (conflict[1].year, conflict[1].month))
    return insights.last, insights.last_sender, opened


def _set_state(insights: Insights, state: State) -> None:
    insights.last, insights.last_sender, opened = state
    insights.open_conflict = None if opened is None else (opened[0], _month(insights, opened[1]))


def _month(insights: Insights, key: tuple[int, int]) -> Month:
    month = insights.months.get(key)
    if month is None:
        month = insights.months[key] = Month(*key)
    return month


def _join(total: Insights, part: _Part) -> bool:
    """Merge a worker's span into `total`, which holds everything before it, fixing
    the figures of its head. False (and `total` untouched) when the head is too
    short to reach the state one pass would have."""
    seam = _state(total)
    right = Insights(total.classify)
    _set_state(right, seam)
    _fold(right, part.head)
    as_counted = Insights(total.classify)
    _fold(as_counted, part.head)
    if not part.head_only and _state(right) != _state(as_counted):
        return False
    _absorb(total, part.months, part.first, part.latest, part.senders)
    _add_order_figures(total, right, 1)
    _add_order_figures(total, as_counted, -1)
    _set_state(total, _state(right) if part.head_only else part.end)
    return True


def _reread(total: Insights, chat: whatsapp.Chat, span: whatsapp.Span) -> _Part:
    """Read a span here, from the state where the one before it ended."""
    report = ParseReport(format="whatsapp", date_order=chat.order)
    here = Insights(total.classify)
    _set_state(here, _state(total))
    _fold(here, chat.messages(report, None, span))
    _absorb(total, here.months, here.first, here.latest, here.senders)
    _set_state(total, _state(here))
    return _Part({}, None, None, set(), _state(here), [], True, report, span.lines)


def _absorb(
    total: Insights,
    months: dict[tuple[int, int], Month],
    first: datetime | None,
    latest: datetime | None,
    senders: set[str],
) -> None:
    for key, month in months.items():
        known = total.months.get(key)
        if known is None:
            total.months[key] = month
        else:
            known.merge(month)
    if first is not None and (total.first is None or first < total.first):
        total.first = first
    if latest is not None and (total.latest is None or latest > total.latest):
        total.latest = latest
    total.senders |= senders


def _add_order_figures(total: Insights, source: Insights, sign: int) -> None:
    """Add (sign 1) or take away (sign -1) the figures that depend on the messages
    before: conversation starts, replies, silences and conflict episodes."""
    for key, month in source.months.items():
        target = _month(total, key)
        target.silent_days += sign * month.silent_days
        target.silences += sign * month.silences
        target.conflict_episodes += sign * month.conflict_episodes
        target.repaired_episodes += sign * month.repaired_episodes
        target.repair_delays.merge(month.repair_delays, sign)
        for sender, tally in month.by_sender.items():
            if tally.starts or tally.replies.total:
                mine = target.tally(sender)
                mine.starts += sign * tally.starts
                mine.replies.merge(tally.replies, sign)


def _merge_report(total: ParseReport, part: ParseReport, lines_before: int) -> None:
    """Add a span's report; its line numbers count from the span's first line."""
    total.add_skipped(part, lines_before)
    total.messages += part.messages
    total.kinds.update(part.kinds)
    total.participants.update(part.participants)
    total.first_time = total.first_time or part.first_time
    total.last_time = part.last_time or total.last_time
    total.repaired_text += part.repaired_text


__all__ = ["Reading", "Usage", "plan_processes", "read_in_parts", "read_insights"]
