"""Delivering notes when their moment comes, and tidying voice files.

Due notes are claimed in batches (tending.lib.claims); marking one delivered
and recording the recipient's notification happen atomically, so however many
workers run, a note is delivered and announced once. Notes of a worker that
dies stay claimed until their lease runs out; then another worker delivers them.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from tending.lib import claims
from tending.lib.files import Tidied, tidier
from tending.notes.models import Note
from tending.notes.storage import VOICE
from tending.notify.service import notify
from tending.ops.jobs import STOP, chore, job

log = logging.getLogger(__name__)

BATCH = 50
LEASE = timedelta(minutes=10)


def due_notes(now: datetime) -> QuerySet[Note]:
    return Note.objects.filter(delivered_at__isnull=True, deliver_at__lte=now).order_by(
        "deliver_at", "pk"
    )


@job
def deliver_notes() -> bool:
    return deliver_due() > 0


def deliver_due(limit: int = BATCH) -> int:
    """Deliver up to `limit` due notes; returns how many were claimed."""
    return claims.run(
        due_notes, handle_batch, limit=limit, lease=LEASE, related=("author", "recipient", "bond")
    )


def handle_batch(notes: list[Note], now: datetime) -> None:
    """Deliver claimed notes, all in one transaction, each in its own savepoint
    (tending.lib.claims.handle)."""
    if not notes:
        return
    lease = claims.Lease.of(notes[0], LEASE)
    open_members = _open_members({n.bond_id for n in notes})
    claims.handle(
        lease,
        notes,
        lambda note: _deliver(note, (note.bond_id, note.recipient_id) in open_members, now),
        failed="note %s delivery failed",
        stop=STOP.is_set,
        finish=lambda done: _record(lease, done, now),
    )


def _record(lease: claims.Lease[Note], notes: list[Note], now: datetime) -> None:
    lease.release(*[n for n in notes if n.delivered_at], delivered_at=now)
    lease.release(*[n for n in notes if not n.delivered_at], deliver_at=None)


def _open_members(bond_ids: set[int]) -> set[tuple[int, int]]:
    from tending.bonds.models import Membership

    return set(
        Membership.objects.filter(
            bond_id__in=bond_ids, left_at__isnull=True, bond__ended_at__isnull=True
        ).values_list("bond_id", "user_id")
    )


def note_title(note: Note) -> str:
    """Fixed wording and the sender's display name, never the note itself."""
    what = "a voice message" if note.has_voice else "a note"
    return f"{note.author.display_name} sent you {what}"


def deliver_now(note: Note) -> bool:
    """Deliver a note meant for right now, within the request that wrote it.
    If a worker has claimed it meanwhile, the worker delivers it instead."""
    now = timezone.now()
    with transaction.atomic():
        mine = Note.objects.filter(pk=note.pk, claim="", delivered_at__isnull=True)
        if mine.update(delivered_at=now) != 1:
            return False
        _announce(note)
    return True


def _deliver(note: Note, recipient_is_in: bool, now: datetime) -> None:
    """Announce the note and mark the (unsaved) row delivered; if the bond
    ended before it was due, it stays with its sender, undelivered."""
    if recipient_is_in:
        _announce(note)
        note.delivered_at = now
    else:
        note.deliver_at = None


def _announce(note: Note) -> None:
    notify(
        note.recipient,
        topic="notes",
        title=note_title(note),
        url=reverse("notes:detail", args=[note.bond_id, note.pk]),
        bond=note.bond,
    )


@tidier("voice")
def tidy_voice_files(dry_run: bool = False) -> Tidied:
    """Recordings no note refers to (a crash between storing the file and saving
    the note) are removed once an hour old. Notes whose recording is missing are
    only counted: the note's words still matter, the player answers "no
    recording", and a file that looks missing because the storage is
    misconfigured must not lose its note's reference for good."""
    known = set(Note.objects.exclude(voice_name="").values_list("voice_name", flat=True))
    report = VOICE.tidy_files(known, older_than_seconds=3600, dry_run=dry_run)
    for name in known - report.seen:
        if Note.objects.filter(voice_name=name).exists() and not VOICE.exists(name):
            report.missing += 1
    return report


@chore(every=timedelta(hours=1))
def sweep_voice_files() -> int:
    report = tidy_voice_files()
    if report.removed or report.missing:
        log.info("tidied private files: %s", report.line())
    return report.removed
