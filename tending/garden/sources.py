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

from django.db import models
from django.db.models import IntegerField, Value

from tending.bonds.privacy import Entry, as_member, keeps_archive
from tending.checkup.models import CheckupResult
from tending.feelings.models import FeelingCheckin
from tending.garden.models import TodayChoice
from tending.lib.plans import Planned
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
        return self.query_from(bond, viewer, datetime.combine(since, time(), tzinfo=UTC), tag)

    def query_from(self, bond: Any, viewer: Any, start: datetime, tag: int) -> Any:
        """(moment, tag) for each of this source's records from `start` on."""
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
    half of the garden's server time, so in the usual case, a member who keeps
    the bond's archive, its SQL is built once per process (tending.lib.plans)
    and run with this request's viewer, bond and day. Any other case is built
    afresh with the real bond and viewer."""
    if keeps_archive(bond, viewer):
        rows = _PLANNED.rows("member", viewer.pk, bond.pk, _start(since))
    else:
        rows = _union(bond, viewer, since)
    for moment, i in rows:
        yield SOURCES[i], moment


def _start(since: date) -> datetime:
    return datetime.combine(since, time(), tzinfo=UTC)


def _member_union(shape: str, viewer_pk: int, bond_pk: int, start: datetime) -> Any:
    """`_union` for a member who keeps the archive, from ids alone."""
    viewer, bond = as_member(viewer_pk, bond_pk)
    queries = [source.query_from(bond, viewer, start, i) for i, source in enumerate(SOURCES)]
    return queries[0].union(*queries[1:], all=True)


_PLANNED = Planned(_member_union)
