"""Claiming due rows so that any number of workers can run side by side.

`claim_batch` marks up to `limit` rows of a query set as taken by one worker
and returns exactly those rows. On PostgreSQL the rows are locked with
SELECT … FOR UPDATE SKIP LOCKED, so workers never wait on each other; on SQLite
a conditional UPDATE writes a fresh claim token into rows that are still
unclaimed, and only rows carrying our token come back. Either way a row is
handed to one worker only, and a worker that dies after claiming loses those
rows rather than letting them be handled twice.
"""

from __future__ import annotations

import uuid
from typing import Any, TypeVar

from django.db import connection, models, transaction

M = TypeVar("M", bound=models.Model)


def claim_batch(
    queryset: models.QuerySet[M], *, limit: int, claim_field: str, updates: dict[str, Any]
) -> list[M]:
    """Claim up to `limit` rows of `queryset` (which must select only unclaimed rows).

    `claim_field` is a CharField that receives a unique token; `updates` are
    written at the same time (for example a state change)."""
    token = uuid.uuid4().hex
    model = queryset.model
    values = {claim_field: token, **updates}
    if connection.vendor == "postgresql":
        with transaction.atomic():
            ids = list(
                queryset.select_for_update(skip_locked=True, of=("self",)).values_list(
                    "pk", flat=True
                )[:limit]
            )
            if not ids:
                return []
            model._default_manager.filter(pk__in=ids).update(**values)
    else:
        ids = list(queryset.values_list("pk", flat=True)[:limit])
        if not ids:
            return []
        # Only rows still matching the query (not taken meanwhile) get our token.
        queryset.filter(pk__in=ids).update(**values)
    return list(model._default_manager.filter(**{claim_field: token}).order_by("pk"))
