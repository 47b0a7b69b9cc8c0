"""Where each plant's growth comes from: the practices' own records.

Each source names a model, the practice it tends and the moment that counts
(a row without that moment, such as a rupture not yet sent, does not count).
Entries count when they are shared or written by the viewer, so the garden
never reveals that someone wrote something private. Each is read with one
query limited to the garden's window (an index on bond and moment keeps it
cheap), and the queries go to the database together as one UNION ALL.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.models import IntegerField, Value

from tending.bonds.privacy import Entry
from tending.checkup.models import CheckupResult
from tending.feelings.models import FeelingCheckin
from tending.garden.models import TodayChoice
from tending.notes.models import Note
from tending.prompts.models import Conversation, DailyAnswer
from tending.repair.models import RepairAnswer, Rupture
from tending.rituals.models import Completion


@dataclass(frozen=True)
class Source:
    model: type[models.Model]
    practice: str
    time_field: str = "created_at"
    filters: dict[str, Any] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return self.model._meta.label

    def query(self, bond: Any, viewer: Any, since: date, tag: int) -> Any:
        """(moment, tag) for each of this source's records since `since`."""
        start = datetime.combine(since, time(), tzinfo=UTC)
        # The privacy model decides for entries: own ones, shared ones, and
        # sealed ones only once the viewer has given their own.
        if issubclass(self.model, Entry):
            base = self.model.objects.visible_in(viewer, bond)  # already limited to the bond
        else:
            base = self.model._default_manager.filter(bond=bond)
        qs = base.filter(**{f"{self.time_field}__gte": start}, **self.filters)
        return qs.order_by().values_list(self.time_field, Value(tag, IntegerField()))


SOURCES: tuple[Source, ...] = (
    Source(FeelingCheckin, "inner_world"),
    Source(CheckupResult, "inner_world"),
    Source(Rupture, "repair", "sent_at"),
    Source(Rupture, "repair", "resolved_at"),
    Source(RepairAnswer, "repair"),
    Source(Conversation, "conversation", "held_at"),
    Source(DailyAnswer, "curiosity"),
    Source(Completion, "rituals", "recorded_at"),
    Source(Note, "rituals", "delivered_at"),
    # A touch idea marked done on the bond's home page.
    Source(TodayChoice, "touch", "created_at", {"done": True, "key__startswith": "touch:"}),
)


def _union(bond: Any, viewer: Any, since: date) -> Any:
    queries = [source.query(bond, viewer, since, i) for i, source in enumerate(SOURCES)]
    return queries[0].union(*queries[1:], all=True)


def moments(bond: Any, viewer: Any, since: date) -> Iterator[tuple[Source, datetime]]:
    """Every moment the viewer may count since `since`, with its source: the
    sources' queries joined with UNION ALL, so the database is asked once.

    Building that query (ten query sets, each with the privacy rule) took about
    half of the garden's server time, so for the usual case, a member who keeps
    the bond's archive, its SQL is built once per process (`_plan`) and run
    with this request's viewer, bond and date. Any other case is built afresh."""
    plan = _plan() if _usual_case(bond, viewer) else None
    if plan is None:
        rows = _union(bond, viewer, since)
    else:
        rows = plan.run((viewer.pk, bond.pk, _start(since)))
    for moment, i in rows:
        yield SOURCES[i], moment


def _start(since: date) -> datetime:
    return datetime.combine(since, time(), tzinfo=UTC)


def _usual_case(bond: Any, viewer: Any) -> bool:
    """The case the plan was built for: a signed-in viewer whose membership of a
    bond read for this request (bonds.views.bond_with_members) keeps its archive.
    The privacy rule then has the same form for every viewer and bond."""
    if not getattr(viewer, "is_authenticated", False):
        return False
    if "memberships" not in getattr(bond, "_prefetched_objects_cache", {}):
        return False
    membership = bond.membership_of(viewer)
    return membership is not None and membership.archive_deleted_at is None


@dataclass(frozen=True)
class _Plan:
    """The UNION's SQL with a slot for each value that changes between requests.

    `slots` holds, for each parameter, either the index of the value that goes
    there (the viewer's id, the bond's id, the start of the window) or a
    constant. The compiler that built the SQL converts its rows (on SQLite,
    text to datetimes); its converters keep no state of the connection."""

    sql: str
    slots: tuple[tuple[int | None, Any], ...]
    compiler: Any
    converters: Any

    def run(self, values: tuple[int, int, datetime]) -> Iterator[list[Any]]:
        connection = connections[DEFAULT_DB_ALIAS]
        adapted = _adapted(values, connection)
        params = [adapted[i] if i is not None else constant for i, constant in self.slots]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        return self.compiler.apply_converters(rows, self.converters)


def _adapted(values: tuple[int, int, datetime], connection: Any) -> tuple[Any, ...]:
    viewer, bond, start = values
    return viewer, bond, connection.ops.adapt_datetimefield_value(start)


_PLANS: dict[str, _Plan | None] = {}


def _plan() -> _Plan | None:
    """The plan for this database, built on first use. It is built twice, with
    two sets of stand-in values that no real row has, and each parameter that
    differs between the two must be one of the stand-ins (else no plan is kept,
    and every request builds the query itself): a rule that ever read anything
    else, such as the time, could not be frozen into a plan by mistake."""
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor not in _PLANS:
        _PLANS[connection.vendor] = _build_plan(connection)
    return _PLANS[connection.vendor]


def _stand_ins(n: int) -> tuple[Any, Any, date]:
    from django.contrib.auth import get_user_model

    from tending.bonds.models import Bond, Membership

    viewer = get_user_model()(pk=-1_000_003 * n)
    bond = Bond(pk=-1_000_033 * n)
    members = bond.memberships.all()
    members._result_cache = [Membership(pk=-1_000_037 * n, bond=bond, user=viewer)]
    members._prefetch_done = True
    bond._prefetched_objects_cache = {"memberships": members}
    return viewer, bond, date(1900 + n, n, n)


def _build_plan(connection: Any) -> _Plan | None:
    built = []
    for n in (1, 2):
        viewer, bond, since = _stand_ins(n)
        compiler = _union(bond, viewer, since).query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        values = _adapted((viewer.pk, bond.pk, _start(since)), connection)
        built.append((compiler, sql, list(params), values))
    (compiler, sql, params, values), (_, sql_2, params_2, values_2) = built
    if sql != sql_2 or len(params) != len(params_2):
        return None
    slots: list[tuple[int | None, Any]] = []
    for first, second in zip(params, params_2, strict=True):
        if first == second and first not in values:
            slots.append((None, first))
            continue
        index = next(
            (i for i in range(len(values)) if first == values[i] and second == values_2[i]), None
        )
        if index is None:
            return None
        slots.append((index, None))
    fields = [column[0] for column in compiler.select[: compiler.col_count]]
    return _Plan(sql, tuple(slots), compiler, compiler.get_converters(fields))
