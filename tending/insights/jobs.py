"""Reading uploaded chat exports in the worker, one import at a time.

`read_next_import` claims the oldest waiting import (tending.lib.claims: status
queued -> processing, with a fresh claim token and a lease), so however many
workers run, an import is read by one of them. The file is parsed and folded
into monthly figures in one streaming pass; progress is written to the row
every PROGRESS_SECONDS, renewing the lease. Only the final figures are saved,
in one UPDATE that also moves the status on and lets go of the claim: nothing
is ever half-saved, and a worker whose claim was taken away saves nothing.

Stopping (SIGTERM sets tending.ops.jobs.STOP): no new import is claimed, and an
import being read is *released back*: the partial figures are dropped, the row
returns to queued with its file kept, and the next worker run reads it from
the start. STOP is checked every CHECK_EVERY messages.

The uploaded file is deleted as soon as the reading ends, whether it succeeded
or failed; it is kept only while the import waits (queued, released, or
waiting for the person to choose the date order)."""

from __future__ import annotations

import logging
import time
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from tending.insights import storage
from tending.insights.analysis.indicators import Insights
from tending.insights.chats.detect import parse
from tending.insights.chats.sources import unpack_limit
from tending.insights.chats.stream import AmbiguousDateOrder, ChatFormatError, TooLargeError
from tending.insights.mapping import MAX_ASKED, propose
from tending.insights.models import ChatImport, Status
from tending.lib import claims
from tending.lib.files import FileUnavailable, Tidied, tidier
from tending.notify.service import notify
from tending.ops.jobs import HEAVY, STOP, chore, job

log = logging.getLogger(__name__)

CHECK_EVERY = 2000  # messages between looks at STOP and the clock
PROGRESS_SECONDS = 1.0
# The reading worker renews its lease as it makes progress (every second or so);
# if it dies, another takes the import over once this has passed.
LEASE = timedelta(minutes=1)
MAX_ATTEMPTS = 3
# A file waiting for the person's answer about dates is dropped after this long.
WAIT_FOR_ANSWER = timedelta(days=7)
ORPHAN_AGE = timedelta(hours=1)
UNEXPECTED = (
    "Reading this file failed unexpectedly. Nothing of it was kept. "
    "You could try exporting the chat again."
)
EXPIRED = "This file waited a week for an answer about its dates and was removed."
LOST = (
    "The uploaded file was lost before it could be read. Nothing of it was kept. "
    "You could upload it again."
)
GAVE_UP = "Reading this file was interrupted too many times. Nothing of it was kept."


class Released(Exception):
    """The worker is stopping: the import goes back to the queue."""


def _claim() -> ChatImport | None:
    _lease, taken = claims.claim(
        ChatImport.objects.filter(status=Status.QUEUED).order_by("created_at", "pk"),
        limit=1,
        lease=LEASE,
        related=("author", "bond"),
        updates={
            "status": Status.PROCESSING,
            "attempts": F("attempts") + 1,
            "progress_done": 0,
            "progress_total": 0,
            "progress_messages": 0,
        },
    )
    return taken[0] if taken else None


@job(lane=HEAVY)
def read_next_import() -> bool:
    """Read one waiting import; True if one was claimed."""
    if STOP.is_set():
        return False
    chat_import = _claim()
    if chat_import is None:
        return False
    read_import(chat_import)
    return True


def _lease(chat_import: ChatImport) -> claims.Lease[ChatImport]:
    return claims.Lease.of(chat_import, LEASE)


class _Progress:
    def __init__(self, chat_import: ChatImport) -> None:
        self.chat_import = chat_import
        self.done = 0
        self.total = 0
        self.saved_at = time.monotonic()

    def bytes_read(self, done: int, total: int) -> None:
        self.done, self.total = done, total

    def check(self, messages: int) -> None:
        if STOP.is_set():
            raise Released
        now = time.monotonic()
        if now - self.saved_at >= PROGRESS_SECONDS:
            self.saved_at = now
            save_progress(self.chat_import, self.done, self.total, messages)


def save_progress(chat_import: ChatImport, done: int, total: int, messages: int) -> None:
    _lease(chat_import).renew(
        chat_import, progress_done=done, progress_total=total, progress_messages=messages
    )


def _fold(chat_import: ChatImport, path: Any) -> tuple[dict[str, Any], str]:
    progress = _Progress(chat_import)
    options: dict[str, Any] = {"progress": progress.bytes_read}
    if chat_import.date_order:
        options["date_order"] = chat_import.date_order
    most = settings.INSIGHTS_MAX_MESSAGES
    with unpack_limit(settings.INSIGHTS_MAX_UNPACKED_MB * 1_000_000):
        stream, report = parse(path, chat_import.format_requested, **options)
        insights = Insights()
        add = insights.add
        check = progress.check
        for count, message in enumerate(stream, start=1):
            if count > most:
                raise TooLargeError(
                    f"This export holds more than {most:,} messages, more than Tending "
                    "reads. Exporting one chat, or a shorter stretch of it, keeps it smaller."
                )
            add(message)
            if count % CHECK_EVERY == 0:
                check(count)
    return keep_only_figures(insights.result(report)), report.format


def keep_only_figures(result: dict[str, Any]) -> dict[str, Any]:
    """The report as stored: monthly figures only. A full export's list of
    other chats (their names) is dropped."""
    source = result.get("source")
    if isinstance(source, dict):
        source.pop("chats", None)
    return result


def read_import(chat_import: ChatImport) -> None:
    """Read a claimed import to its end: figures saved, or a failure recorded,
    or (when the worker stops) released back to the queue."""
    name = chat_import.file_name
    try:
        with storage.local_copy(name) as path:
            result, fmt = _fold(chat_import, path)
    except Released:
        _lease(chat_import).release(
            chat_import,
            status=Status.QUEUED,
            attempts=F("attempts") - 1,
            progress_done=0,
            progress_messages=0,
        )
        log.info("insights import %s released back to the queue", chat_import.pk)
        return
    except FileUnavailable as error:
        # The storage did not answer (the file itself may be fine): try again later,
        # up to MAX_ATTEMPTS reads in all.
        log.warning("insights import %s: storage unavailable (%s)", chat_import.pk, error)
        if chat_import.attempts >= MAX_ATTEMPTS:
            _fail(chat_import, UNEXPECTED)
        else:
            _lease(chat_import).release(chat_import, status=Status.QUEUED, progress_done=0)
        return
    except AmbiguousDateOrder as error:
        _lease(chat_import).release(
            chat_import,
            status=Status.NEEDS_DATE_ORDER,
            date_samples=list(error.samples[:6]),
            date_suggested=error.suggested or "",
            format="whatsapp",
        )
        return
    except ChatFormatError as error:
        # The message is written for the person and never quotes the chat.
        _fail(chat_import, str(error)[:500])
        return
    except Exception as error:  # noqa: BLE001 - any failure must end the import cleanly
        # The exception's text could quote the chat: log its type and the id only.
        log.warning(
            "insights import %s failed unexpectedly (%s)", chat_import.pk, type(error).__name__
        )
        _fail(chat_import, UNEXPECTED)
        return
    asked = result["participants"][:MAX_ASKED]
    other = chat_import.bond.other_member(chat_import.author)
    mapping = propose(asked, chat_import.author.display_name, other.display_name if other else None)
    saved = _lease(chat_import).release(
        chat_import,
        status=Status.NEEDS_MAPPING,
        report=result,
        mapping=mapping,
        format=fmt,
        file_name="",
        processed_at=timezone.now(),
        error="",
        progress_messages=result["source"]["messages"] if result.get("source") else 0,
    )
    if saved:
        storage.remove_import(name)
        _tell_author(chat_import, "Your chat has been read: one last check before the insights")


def _fail(chat_import: ChatImport, message: str) -> None:
    name = chat_import.file_name
    saved = _lease(chat_import).release(
        chat_import, status=Status.FAILED, error=message, file_name="", report=None
    )
    if saved:
        storage.remove_import(name)
        _tell_author(chat_import, "Your chat file could not be read")


def _tell_author(chat_import: ChatImport, title: str) -> None:
    notify(
        chat_import.author,
        topic="insights",
        title=title,
        url=chat_import.get_absolute_url(),
        bond=chat_import.bond,
    )


@chore(every=timedelta(seconds=20))
def requeue_interrupted_imports() -> None:
    """Give back imports whose worker died (their lease ran out), or give up on
    them after MAX_ATTEMPTS: with the one-minute lease, a crashed import is
    read again within about a minute and a half."""
    stuck = ChatImport.objects.filter(status=Status.PROCESSING, claimed_until__lt=timezone.now())
    stuck.filter(attempts__lt=MAX_ATTEMPTS).update(status=Status.QUEUED, **claims.RELEASED)
    for item in stuck.filter(attempts__gte=MAX_ATTEMPTS):
        _give_up(item, GAVE_UP)


@chore(every=timedelta(minutes=5))
def tidy_imports() -> None:
    """Give back imports whose worker died, drop files that waited too long for
    an answer, and remove files no import refers to."""
    now = timezone.now()
    requeue_interrupted_imports()
    for item in ChatImport.objects.filter(
        status=Status.NEEDS_DATE_ORDER, created_at__lt=now - WAIT_FOR_ANSWER
    ):
        _give_up(item, EXPIRED)
    report = tidy_import_files()
    if report.removed or report.missing:
        log.info("tidied private files: %s", report.line())


@tidier("imports")
def tidy_import_files(dry_run: bool = False) -> Tidied:
    """Files no import refers to are removed once ORPHAN_AGE old. An import still
    waiting (queued, or for its date order) whose file is gone can never be
    read: it is marked failed with a plain message, so its author can upload
    again instead of waiting. One being read is left to its worker. When the
    storage holds none of the files that several imports refer to, nothing is
    changed: that looks like a storage setting gone wrong, not lost files."""
    known = set(ChatImport.objects.exclude(file_name="").values_list("file_name", flat=True))
    report = storage.IMPORTS.tidy_files(known, ORPHAN_AGE.total_seconds(), dry_run=dry_run)
    lost = [
        item
        for item in ChatImport.objects.filter(file_name__in=known - report.seen)
        if not storage.IMPORTS.exists(item.file_name)
    ]
    report.missing = len(lost)
    if len(lost) > 1 and not report.seen:
        report.notes.append("the storage holds none of them: check its settings; nothing changed")
        return report
    for item in lost:
        if dry_run or item.status not in (Status.QUEUED, Status.NEEDS_DATE_ORDER):
            continue
        settled = ChatImport.objects.filter(
            pk=item.pk, status=item.status, file_name=item.file_name
        ).update(status=Status.FAILED, error=LOST, file_name="", **claims.RELEASED)
        if settled:
            report.settled += 1
            _tell_author(item, "Your chat file could not be read")
    return report


def _give_up(item: ChatImport, message: str) -> None:
    if (
        ChatImport.objects.filter(pk=item.pk, status=item.status, claim=item.claim).update(
            status=Status.FAILED, error=message, file_name="", **claims.RELEASED
        )
        == 1
    ):
        storage.remove_import(item.file_name)
