"""Where each plant's growth comes from: the practices' own records.

Each source names a model, the practice it tends, the moment that counts, and
whose records count for the viewer. Entries count when they are shared or
written by the viewer, so the garden never reveals that someone wrote something
private. Sources whose app is not installed are skipped. Each is read with one
query limited to the garden's window (an index on bond and time keeps it cheap),
and the queries go to the database together as one UNION ALL.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any

from django.apps import apps
from django.db.models import IntegerField, Value

from tending.bonds.privacy import Entry


@dataclass(frozen=True)
class Source:
    label: str  # "app_label.ModelName"
    practice: str
    time_field: str = "created_at"
    filters: dict[str, Any] = field(default_factory=dict)

    def model(self) -> Any:
        try:
            return apps.get_model(self.label)
        except LookupError:
            return None

    def query(self, bond: Any, viewer: Any, since: date, tag: int) -> Any:
        """(moment, tag) for each of this source's records since `since`."""
        model = self.model()
        start = datetime.combine(since, time(), tzinfo=UTC)
        # The privacy model decides for entries: own ones, shared ones, and
        # sealed ones only once the viewer has given their own.
        if issubclass(model, Entry):
            base = model.objects.visible_in(viewer, bond)  # already limited to the bond
        else:
            base = model.objects.filter(bond=bond)
        qs = base.filter(**{f"{self.time_field}__gte": start}, **self.filters)
        return qs.order_by().values_list(self.time_field, Value(tag, IntegerField()))


SOURCES: tuple[Source, ...] = (
    Source("feelings.FeelingCheckin", "inner_world"),
    Source("checkup.CheckupResult", "inner_world"),
    Source("repair.Rupture", "repair", "sent_at", {"sent_at__isnull": False}),
    Source("repair.Rupture", "repair", "resolved_at", {"resolved_at__isnull": False}),
    Source("repair.RepairAnswer", "repair"),
    Source("prompts.Conversation", "conversation", "held_at", {"held_at__isnull": False}),
    Source("prompts.DailyAnswer", "curiosity"),
    Source("rituals.Completion", "rituals", "recorded_at"),
    Source("notes.Note", "rituals", "delivered_at", {"delivered_at__isnull": False}),
    # A touch idea marked done on the bond's home page.
    Source(
        "garden.TodayChoice", "touch", "created_at", {"done": True, "key__startswith": "touch:"}
    ),
)


def active_sources() -> list[Source]:
    return [s for s in SOURCES if s.model() is not None]


def moments(bond: Any, viewer: Any, since: date) -> Iterator[tuple[Source, datetime]]:
    """Every moment the viewer may count since `since`, with its source: the
    sources' queries joined with UNION ALL, so the database is asked once."""
    sources = active_sources()
    if not sources:
        return
    queries = [source.query(bond, viewer, since, i) for i, source in enumerate(sources)]
    for moment, i in queries[0].union(*queries[1:], all=True):
        yield sources[i], moment
