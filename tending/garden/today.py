"""Today: one small step, chosen from what matters most now.

Each candidate comes from a provider; providers run in priority order and each
costs at most a couple of bounded queries. The first candidate that the person
has not marked done or asked to replace today is the step. "Another idea"
records the current key and the next candidate shows.

Providers ask each practice through a named function of its own (a ritual due
today, where the daily question stands, a check-up's first step), never by
reading its columns, so a change there fails a test here instead of silently
dropping today's step.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any

from django.urls import reverse

from tending.checkup.recommend import first_step_from, latest_result
from tending.garden.activity import recent_for
from tending.garden.plants import (
    Plant,
    plants_for,
    ruptures_from,
    touch_enabled,
    unresolved_query,
)
from tending.notes.models import Note
from tending.prompts.status import daily_status
from tending.repair.models import answered_by
from tending.rituals.catalog import touch_ideas_for
from tending.rituals.models import Ritual, weekday_bit


@dataclass(frozen=True)
class Step:
    key: str  # stable for the day, e.g. "repair-answer:42"
    title: str
    text: str
    url: str | None
    action: str = "Open"


# What the providers read, each through its practice's own query set:
# name -> (user, bond, day, the day's weekday bit) -> a `values_list` query set. The bond's home runs
# them all in one statement with its own reads (garden/home.py, through
# tending.lib.plans.Bundle) and hands the rows over in `Context.reads`; without
# them, a provider runs its read alone.
READS: dict[str, Callable[[Any, Any, date, int], Any]] = {
    # Unresolved ruptures the viewer may see, oldest first (shared with the weeds).
    "ruptures": lambda user, bond, day, bit: unresolved_query(bond, user),
    # The oldest note delivered to the viewer and not opened yet.
    "note": lambda user, bond, day, bit: (
        Note.objects.unopened_for(user, bond).order_by("delivered_at", "pk").values_list("pk")[:1]
    ),
    # Rituals whose day is `day` on the viewer's clock, not yet done.
    "rituals": lambda user, bond, day, bit: (
        Ritual.objects.visible_in(user, bond)
        .due_on(day, bit)
        .order_by("at", "pk")
        .values_list("pk", "name", "at")
    ),
    # The viewer's own latest check-up.
    "checkup": lambda user, bond, day, bit: latest_result(bond, user),
}


@dataclass
class Context:
    bond: Any
    user: Any
    other: Any
    today: date
    safe_mode: bool
    # The rows of READS, read beforehand with other reads in one statement (name -> rows);
    # a read not in it runs alone when a provider asks for it.
    reads: dict[str, list[Any]] = field(default_factory=dict)
    # False while listing the next steps under today's one: the garden (the one costly read)
    # is read only when today's step itself needs it.
    may_read_garden: bool = True

    def read(self, name: str) -> list[Any]:
        if name not in self.reads:
            read = READS[name](self.user, self.bond, self.today, weekday_bit(self.today))
            self.reads[name] = list(read)
        return self.reads[name]

    @cached_property
    def ruptures(self) -> list[Any]:
        """Unresolved ones the viewer may see, oldest first (plants.py). Sorted here too:
        within a bundle (tending.lib.plans.Bundle) no SQL promises a read's own order."""
        return sorted(ruptures_from(self.read("ruptures")), key=lambda r: (r.created_at, r.pk))

    @cached_property
    def plants(self) -> list[Plant]:
        """The viewer's plants, read only when a provider asks for them: on most
        days an earlier step is found first, and the garden is not read at all."""
        recent = recent_for(self.bond, self.user, self.today)
        return plants_for(self.bond, recent, self.safe_mode, self.touch_on)

    @cached_property
    def touch_on(self) -> bool:
        """Whether touch is welcome in this bond, read once for the plants and the touch idea."""
        return touch_enabled(self.bond)


Provider = Callable[[Context], Iterator[Step]]


def repair_waiting(ctx: Context) -> Iterator[Step]:
    if ctx.other is None:
        return
    sent = [r for r in ctx.ruptures if r.sent_at is not None and r.author_id != ctx.user.pk]
    if not sent:
        return
    # Once answered, it waits on the other side, not on the viewer's.
    answered = answered_by(ctx.user, [r.pk for r in sent])
    sent = [r for r in sent if r.pk not in answered]
    if not sent:
        return
    waiting = min(sent, key=lambda r: (r.sent_at, r.pk))
    if ctx.safe_mode:
        yield Step(
            f"repair-support:{waiting.pk}",
            "Something is waiting for you",
            "Take your time. If anything feels unsafe, the support page lists people who can help.",
            reverse("safety:support"),
        )
        return
    yield Step(
        f"repair-answer:{waiting.pk}",
        f"{ctx.other.display_name} would like to repair something",
        "Read their message when you're ready, and answer in your own time.",
        reverse("repair:detail", args=[ctx.bond.pk, waiting.pk]),
    )


def note_waiting(ctx: Context) -> Iterator[Step]:
    """The oldest note delivered to the viewer and not opened yet."""
    if ctx.other is None:
        return
    found = ctx.read("note")
    note = found[0][0] if found else None
    if note is not None:
        yield Step(
            f"note:{note}",
            f"{ctx.other.display_name} left you a note",
            "It's here whenever you'd like to read it.",
            reverse("notes:detail", args=[ctx.bond.pk, note]),
            "Open it",
        )


def ritual_due_today(ctx: Context) -> Iterator[Step]:
    """A ritual whose day is today on the viewer's clock and not yet done."""
    # In time order (also sorted here: within a bundle no SQL promises a read's own order).
    for pk, name, at in sorted(ctx.read("rituals"), key=lambda r: (r[2], r[0])):
        yield Step(
            f"ritual:{pk}",
            f"Today: {name}",
            f"Around {at:%H:%M}, if the day allows. Note it when you've done it.",
            reverse("rituals:index", args=[ctx.bond.pk]),
        )


def daily_question(ctx: Context) -> Iterator[Step]:
    """Today's question: waiting for my answer, or both answers ready to read."""
    status = daily_status(ctx.bond, ctx.user, ctx.other, ctx.today)
    url = reverse("prompts:daily", args=[ctx.bond.pk])
    if not status.answered:
        if status.set_aside:
            return
        if ctx.bond.is_solo_kind:
            title, text = "Today's journal prompt", "A few lines, just for you."
        elif status.other_answered:
            title = f"{ctx.other.display_name} answered today's question"
            text = "Yours is waiting whenever you're ready; then you'll both see both answers."
        else:
            title, text = "Today's question", "Answer it when you have a quiet minute."
        yield Step(f"daily:{status.day}", title, text, url, "Answer")
    elif status.other_answered:
        yield Step(
            f"daily-read:{status.day}",
            "You both answered today's question",
            f"See what {ctx.other.display_name} said.",
            url,
            "Read",
        )


def checkup_first_step(ctx: Context) -> Iterator[Step]:
    """The first small step from the viewer's own latest check-up, if fairly recent."""
    other_name = ctx.other.display_name if ctx.other else None
    found = first_step_from(
        ctx.read("checkup"), ctx.bond, safe_mode=ctx.safe_mode, other_name=other_name
    )
    if found is not None:
        rec = found.recommendation
        yield Step(
            f"checkup:{found.result_pk}:{rec.step_id}",
            f"A small step for {rec.label.lower()}",
            rec.step,
            found.url,
        )


def untended_practice(ctx: Context) -> Iterator[Step]:
    """The practice that has rested longest, with its own small step."""
    if not ctx.may_read_garden:
        return
    resting = sorted(
        (p for p in ctx.plants if p.mood == "resting" and p.step_url),
        key=lambda p: (p.growth, p.practice),
    )
    for plant in resting:
        yield Step(
            f"tend:{plant.practice}",
            f"Tend the {plant.name.lower()}",
            plant.step,
            plant.step_url,
        )


def touch_idea(ctx: Context) -> Iterator[Step]:
    """One touch idea a day, where touch is welcome in this bond."""
    if ctx.safe_mode or ctx.bond.is_solo_kind:
        return
    ideas = touch_ideas_for(ctx.bond.kind) if ctx.touch_on else []
    if not ideas:
        return
    idea = ideas[(ctx.today.toordinal() + ctx.bond.seed) % len(ideas)]
    yield Step(
        f"touch:{idea.id}",
        "A small gesture",
        idea.text,
        reverse("rituals:touch", args=[ctx.bond.pk]),
        "More ideas",
    )


def name_a_feeling(ctx: Context) -> Iterator[Step]:
    yield Step(
        "feeling",
        "Name how you feel",
        "One minute: a broad feeling, then the word that fits. Share it if you like.",
        reverse("feelings:index", args=[ctx.bond.pk]),
    )


# What matters most comes first: something waiting on the other person's side,
# then what today holds, then gentle tending, then ideas.
PROVIDERS: tuple[Provider, ...] = (
    repair_waiting,
    note_waiting,
    ritual_due_today,
    daily_question,
    untended_practice,
    touch_idea,
    checkup_first_step,
    name_a_feeling,
)


def steps(ctx: Context, skipped: set[str]) -> Iterator[Step]:
    for func in PROVIDERS:
        for step in func(ctx):
            if step.key not in skipped:
                yield step
