"""Claiming due rows so that any number of workers can run side by side.

The convention: a model whose rows workers take has a `claim` field
(CharField(max_length=32), empty when nobody holds the row) and a
`claimed_until` field (when the holder's lease ends; None when nobody holds
it). A worker holds a row while the row carries its token and the lease has
not run out. A batch job is `run(due, handle_batch, ...)`: `claim`, then its
`handle_batch` builds what the batch needs and calls `handle`.

The contract, on SQLite and PostgreSQL alike:

- One worker at a time holds a row. `claim` picks due rows nobody holds and
  stamps them with a fresh token and a lease end; only rows carrying that
  token come back. On PostgreSQL the rows are selected FOR UPDATE SKIP LOCKED
  and stamped in one transaction, so workers pass each other by instead of
  waiting. On SQLite one conditional UPDATE stamps the rows that are still
  free when it runs; SQLite has a single writer at a time, so the condition
  and the write are one step (and a worker that finds every row it picked
  taken looks again).
- Every write to a held row goes through `Lease`, whose query sets carry the
  token, so a worker whose row was taken from it (its lease ran out and
  another worker claimed it, or a person's own change cleared the claim)
  writes nothing.
- `handle` with atomic=True runs a batch in one transaction: it locks the
  rows still held, hands each to the handler in its own savepoint, and
  records the finished ones before the commit. A handler's writes and its
  row's new state commit together or not at all, so an item is handled once;
  a row whose handler failed stays held and is tried again when its lease
  ends. The rows are locked (PostgreSQL) or the database is (SQLite) until
  the commit, so a lease running out mid-batch lets nobody in.
- `handle` with atomic=False opens no transaction: each handler's writes
  commit as it makes them, and the lease of the rows still to do is renewed
  before each one. It is for work that cannot be rolled back, such as sending
  an email: the handler first moves its row on with a conditional write, so
  a crash leaves at most the item in flight unfinished (what happens to it is
  the job's choice: email sends it again).
- A worker that dies keeps its rows until their lease ends; then `claim`
  hands them to another worker. A worker asked to stop gives back the rows it
  has not started at once. A long job keeps its rows with `Lease.renew`.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Generic, TypeVar

from django.db import connection, models, transaction
from django.db.models import Q
from django.utils import timezone

log = logging.getLogger(__name__)

M = TypeVar("M", bound=models.Model)

# Written, with the outcome, when a worker lets go of a row.
RELEASED: dict[str, Any] = {"claim": "", "claimed_until": None}
# SQLite: how often to look again when other workers took every row we picked.
_ROUNDS = 5


def free(now: datetime) -> Q:
    """Rows nobody holds: never claimed, let go, or with a lease that has run out."""
    return Q(claimed_until__isnull=True) | Q(claimed_until__lte=now)


@dataclass(frozen=True)
class Lease(Generic[M]):
    """The rows of `model` carrying `token`: one worker's until their lease
    ends, `length` after it was taken or last renewed."""

    model: type[M]
    token: str
    length: timedelta

    @classmethod
    def of(cls, row: M, length: timedelta) -> Lease[M]:
        token = getattr(row, "claim", "")
        if not token:
            raise ValueError(f"{type(row).__name__} {row.pk} is not claimed")
        return cls(type(row), token, length)

    def held(self, *rows: M) -> models.QuerySet[M]:
        """Those of `rows` that still carry our token."""
        return self.model._default_manager.filter(pk__in=[row.pk for row in rows], claim=self.token)

    def renew(self, *rows: M, **updates: Any) -> int:
        """Move the lease's end to `length` from now for those of `rows` still
        ours, writing `updates` in the same UPDATE; returns how many were."""
        return self.held(*rows).update(**updates, claimed_until=timezone.now() + self.length)

    def release(self, *rows: M, **updates: Any) -> int:
        """Let go of those of `rows` still ours, writing `updates` in the same
        UPDATE (a finished row's outcome, or what giving it back resets);
        returns how many were ours."""
        return self.held(*rows).update(**updates, **RELEASED)


def claim(
    due: models.QuerySet[M],
    *,
    limit: int,
    lease: timedelta,
    related: Sequence[str] = (),
    updates: dict[str, Any] | None = None,
) -> tuple[Lease[M], list[M]]:
    """Claim up to `limit` rows of `due` that nobody holds, for `lease`.

    `due` selects the rows that are due, in the order to take them; held rows
    are left out here, and rows whose lease has run out count as free.
    `updates` are written with the claim. Returns the lease and the rows it
    holds, in `due`'s order, with `related` loaded."""
    now = timezone.now()
    taken = Lease(due.model, uuid.uuid4().hex, lease)
    values = {"claim": taken.token, "claimed_until": now + lease, **(updates or {})}
    ids = _stamp(due.filter(free(now)), limit, values)
    rows = due.model._default_manager.filter(pk__in=ids, claim=taken.token)
    if related:
        rows = rows.select_related(*related)
    place = {pk: index for index, pk in enumerate(ids)}
    return taken, sorted(rows, key=lambda row: place[row.pk])


def handle(
    lease: Lease[M],
    rows: Sequence[M],
    handler: Callable[[M], object],
    *,
    failed: str,
    stop: Callable[[], bool],
    finish: Callable[[list[M]], object] | None = None,
    atomic: bool = True,
) -> list[M]:
    """Hand each of `rows` (held under `lease`) to `handler`; returns those it
    finished, after passing them to `finish` to record.

    atomic=True: one transaction; rows no longer ours are skipped, each handler
    runs in a savepoint, and `finish` runs before the commit. atomic=False: no
    transaction (see the module's docstring); the handler checks its row is
    still ours with a conditional write through `lease`.

    A handler that raises is logged as `failed % row.pk` (ids only: rows may
    hold intimate text); its row stays held and is tried again when the lease
    ends. Once `stop()` is true, the rows not yet started are given back."""
    done: list[M] = []
    if not rows:
        return done
    with transaction.atomic() if atomic else nullcontext():
        if atomic:
            ours = set(lease.held(*rows).select_for_update().values_list("pk", flat=True))
            rows = [row for row in rows if row.pk in ours]
        for index, row in enumerate(rows):
            if stop():
                lease.release(*rows[index:])
                break
            if not atomic and index:
                # Each item commits on its own: keep the rest of the batch ours
                # for another lease, so a short lease covers a long batch and a
                # crash leaves the rest waiting one short lease at most.
                lease.renew(*rows[index:])
            try:
                with transaction.atomic() if atomic else nullcontext():
                    handler(row)
            except Exception:
                log.exception(failed, row.pk)
            else:
                done.append(row)
        if finish is not None:
            finish(done)
    return done


def run(
    due: Callable[[datetime], models.QuerySet[M]],
    handle_batch: Callable[[list[M], datetime], object],
    *,
    limit: int,
    lease: timedelta,
    related: Sequence[str] = (),
) -> int:
    """One round of a batch job: claim up to `limit` of the rows `due(now)`
    selects and pass them, with `now`, to `handle_batch` (which hands them to
    `handle`). Returns how many were claimed."""
    now = timezone.now()
    _taken, rows = claim(due(now), limit=limit, lease=lease, related=related)
    if rows:
        handle_batch(rows, now)
    return len(rows)


def claim_batch(
    queryset: models.QuerySet[M], *, limit: int, claim_field: str, updates: dict[str, Any]
) -> list[M]:
    """Claim up to `limit` rows of `queryset` (which must select only rows
    nobody holds): a fresh token goes into `claim_field`, with `updates`.
    Returns the rows claimed, by primary key. `claim` is this with the
    convention's fields and a lease."""
    token = uuid.uuid4().hex
    ids = _stamp(queryset, limit, {claim_field: token, **updates})
    return list(
        queryset.model._default_manager.filter(pk__in=ids, **{claim_field: token}).order_by("pk")
    )


def _stamp(queryset: models.QuerySet[M], limit: int, values: dict[str, Any]) -> list[Any]:
    """Write `values` (which include a fresh token) into up to `limit` rows of
    `queryset`; returns the ids of the rows tried, in the query set's order.
    Which of them we got is told by the token."""
    if connection.vendor == "postgresql":
        with transaction.atomic():
            ids = list(
                queryset.select_for_update(skip_locked=True, of=("self",)).values_list(
                    "pk", flat=True
                )[:limit]
            )
            if ids:
                queryset.model._default_manager.filter(pk__in=ids).update(**values)
            return ids
    for _ in range(_ROUNDS):
        ids = list(queryset.values_list("pk", flat=True)[:limit])
        # Only rows still matching the query (not taken meanwhile) get our token;
        # if others took them all, the next look finds the ones after them.
        if not ids or queryset.filter(pk__in=ids).update(**values):
            return ids
    return []
