"""Queries whose SQL is built once per process and run with each request's values.

Django spends most of a bond page's server time building SQL (`add_q`,
`build_filter`), for queries whose form is the same on every request and whose
values alone change: the viewer, the bond, a day. A `Planned` query is built
once per process and database with stand-in values, and each request runs the
kept SQL with its own values put in their places.

It is built twice, with two sets of stand-ins that no real row has (negative
ids, days around 1900). Every parameter that differs between the two builds
must be one of the stand-ins, else no plan is kept and each request builds the
query itself: a query that read anything else, such as the time, is never
frozen into a plan. The rows come back through the same converters Django
would use (on SQLite, text to datetimes); they keep no state of a connection.

Use it only for `values_list` queries, and only for a form that holds for the
values given: the caller says what else the form depends on (`shape`).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connections


def _stand_in(value: Any, n: int, i: int) -> Any:
    if isinstance(value, datetime):
        return datetime(1900 + n, n, n + i, n, i, tzinfo=UTC)
    if isinstance(value, date):
        return date(1900 + n, n, n + i)
    if isinstance(value, int) and not isinstance(value, bool):
        return -1_000_003 * n - i
    if isinstance(value, str):
        return f"\x1fstand-in {n} {i}\x1f"
    raise TypeError(f"no stand-in for {type(value).__name__}")


def _adapted(values: Iterable[Any], connection: Any) -> tuple[Any, ...]:
    out = []
    for value in values:
        if isinstance(value, datetime):
            value = connection.ops.adapt_datetimefield_value(value)
        elif isinstance(value, date):
            value = connection.ops.adapt_datefield_value(value)
        out.append(value)
    return tuple(out)


@dataclass(frozen=True)
class _Plan:
    sql: str
    # For each parameter: (index of the value that goes there, None) or (None, constant).
    slots: tuple[tuple[int | None, Any], ...]
    decoder: Any  # what turns the rows back into values (Planned._decode)


class Planned:
    """`build(shape, *values)` -> a `values_list` query set; `rows(shape, *values)`
    runs it, built once per process, database and shape. Values are ids, days,
    moments and short strings (such as a prompt's id); `shape` is whatever else decides the query's form."""

    def __init__(self, build: Callable[..., Any]) -> None:
        self.build = build
        self._plans: dict[tuple[str, Hashable], _Plan | None] = {}

    def rows(self, shape: Hashable, *values: Any) -> Any:
        connection = connections[DEFAULT_DB_ALIAS]
        key = (connection.vendor, shape)
        if key not in self._plans:
            self._plans[key] = self._make(connection, shape, values)
        plan = self._plans[key]
        if plan is None:
            return self._afresh(connection, shape, values)
        adapted = _adapted(values, connection)
        params = [adapted[i] if i is not None else constant for i, constant in plan.slots]
        found: list[Any] = []
        if plan.sql:  # a bundle whose every read was left out asks nothing
            with connection.cursor() as cursor:
                cursor.execute(plan.sql, params)
                found = cursor.fetchall()
        return self._decode(plan.decoder, found)

    # What differs between a single query (here) and a bundle of them (Bundle).

    def _afresh(self, connection: Any, shape: Hashable, values: tuple[Any, ...]) -> Any:
        return self.build(shape, *values)

    def _compile(self, connection: Any, built: Any) -> tuple[str, list[Any], Any]:
        compiler = built.query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        fields = [column[0] for column in compiler.select[: compiler.col_count]]
        return sql, list(params), (compiler, compiler.get_converters(fields))

    def _decode(self, decoder: Any, found: list[Any]) -> Any:
        compiler, converters = decoder
        return compiler.apply_converters(found, converters)

    def has_plan(self, shape: Hashable) -> bool:
        return self._plans.get((connections[DEFAULT_DB_ALIAS].vendor, shape)) is not None

    def forget(self) -> None:
        self._plans.clear()

    def _make(self, connection: Any, shape: Hashable, values: tuple[Any, ...]) -> _Plan | None:
        built = []
        for n in (1, 2):
            stand_ins = [_stand_in(v, n, i) for i, v in enumerate(values)]
            sql, params, decoder = self._compile(connection, self.build(shape, *stand_ins))
            built.append((decoder, sql, params, _adapted(stand_ins, connection)))
        (decoder, sql, params, first_values), (_, sql_2, params_2, second_values) = built
        if sql != sql_2 or len(params) != len(params_2):
            return None
        slots: list[tuple[int | None, Any]] = []
        for first, second in zip(params, params_2, strict=True):
            if first == second and first not in first_values:
                slots.append((None, first))
                continue
            index = next(
                (
                    i
                    for i in range(len(values))
                    if first == first_values[i] and second == second_values[i]
                ),
                None,
            )
            if index is None:
                return None
            slots.append((index, None))
        return _Plan(sql, tuple(slots), decoder)


class Bundle(Planned):
    """Several reads run as one statement, planned like `Planned`.

    `build(shape, *values)` gives a dict of named `values_list` query sets (or None for
    a read this shape leaves out), each with columns, order and limit of its own.
    `rows(shape, *values)` gives a dict of the same names, each with its rows, as each
    query set alone would give them. The statement is a UNION ALL in which every read
    has its own columns and NULL in the others', and a first column says whose row it is.
    A read that can match nothing (Django's EmptyResultSet) gives no rows.

    A read's ORDER BY decides which rows its LIMIT keeps, and SQLite and PostgreSQL
    give each read's rows in that order (one read after the other); but no SQL
    promises the order inside a UNION ALL, so a caller for whom the order of several
    rows matters sorts them again."""

    def _compile(self, connection: Any, built: Any) -> tuple[str, list[Any], Any]:
        parts = []
        for name, query_set in built.items():
            if query_set is None:
                parts.append((name, None))
                continue
            compiler = query_set.query.get_compiler(connection=connection)
            try:
                sql, params = compiler.as_sql(with_col_aliases=True)
            except EmptyResultSet:
                parts.append((name, None))
                continue
            fields = [column[0] for column in compiler.select[: compiler.col_count]]
            parts.append((name, (compiler, sql, list(params), fields)))
        nulls = []
        for _, part in parts:
            for field in part[3] if part else ():
                db_type = field.output_field.cast_db_type(connection)
                nulls.append(f"CAST(NULL AS {db_type})" if db_type else "NULL")
        selects, params, decoder, start = [], [], {}, 0
        for kind, (name, part) in enumerate(parts):
            if part is None:
                decoder[kind] = (name, None, 0, 0)
                continue
            compiler, sql, part_params, fields = part
            end = start + len(fields)
            columns = [str(kind), *nulls[:start], f"p{kind}.*", *nulls[end:]]
            # Django's own SQL for each read; every value stays a parameter.
            selects.append(f"SELECT {', '.join(columns)} FROM ({sql}) p{kind}")  # noqa: S608
            params.extend(part_params)
            decoder[kind] = (name, (compiler, compiler.get_converters(fields)), start, end)
            start = end
        return " UNION ALL ".join(selects), params, decoder

    def _afresh(self, connection: Any, shape: Hashable, values: tuple[Any, ...]) -> Any:
        sql, params, decoder = self._compile(connection, self.build(shape, *values))
        found: list[Any] = []
        if sql:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                found = cursor.fetchall()
        return self._decode(decoder, found)

    def _decode(self, decoder: Any, found: list[Any]) -> dict[str, list[Any]]:
        mine: dict[int, list[Any]] = {kind: [] for kind in decoder}
        for row in found:
            mine[row[0]].append(row)
        out = {}
        for kind, (name, converting, start, end) in decoder.items():
            rows = [row[1 + start : 1 + end] for row in mine[kind]]
            if converting is not None and rows:
                compiler, converters = converting
                rows = list(compiler.apply_converters(rows, converters))
            out[name] = rows
        return out
