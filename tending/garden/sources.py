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


def moments(bond: Any, viewer: Any, since: date) -> Iterator[tuple[Source, datetime]]:
    """Every moment the viewer may count since `since`, with its source: the
    sources' queries joined with UNION ALL, so the database is asked once."""
    queries = [source.query(bond, viewer, since, i) for i, source in enumerate(SOURCES)]
    for moment, i in queries[0].union(*queries[1:], all=True):
        yield SOURCES[i], moment
