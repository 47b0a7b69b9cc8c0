"""Small database helpers shared by the apps."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connections, transaction


@contextmanager
def unhurried_commit(using: str = "default", *, one_statement: bool = False) -> Iterator[None]:
    """A transaction whose loss in a crash would harm nobody (when someone last
    looked at a page), committed without waiting for the disk.

    On PostgreSQL the commit returns before the write-ahead log is flushed
    (`synchronous_commit = off` for this transaction only): a slow disk no
    longer holds up the page, and a crash can lose the last fraction of a second
    of such writes, whole, never half-done. Inside an outer transaction it is a
    plain savepoint, so it never relaxes writes that do matter.

    With `one_statement` (the block runs a single statement that cannot fail
    halfway, such as one UPDATE), no savepoint is taken inside an outer
    transaction and no transaction is opened on SQLite: the statement is atomic
    on its own, and only PostgreSQL's relaxed commit needs a transaction."""
    connection = connections[using]
    outermost = not connection.in_atomic_block
    if one_statement and not (outermost and connection.vendor == "postgresql"):
        yield
        return
    with transaction.atomic(using=using):
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        yield
