"""Today: one small step, chosen from what matters most now.

Each candidate comes from a provider; providers run in priority order and each
costs at most a couple of bounded queries. The first candidate that the person
has not marked done or asked to replace today is the step. "Another idea"
records the current key and the next candidate shows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Any

from django.apps import apps
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from tending.garden.activity import recent_for
from tending.garden.plants import Plant


@dataclass(frozen=True)
class Step:
    key: str  # stable for the day, e.g. "repair-answer:42"
    title: str
    text: str
    url: str | None
    action: str = "Open"


@dataclass
class Context:
    bond: Any
    user: Any
    other: Any
    today: date
    safe_mode: bool
    ruptures: list[Any]  # unresolved ones the viewer may see, oldest first (plants.py)

    @cached_property
    def plants(self) -> list[Plant]:
        """The viewer's plants, read only when a provider asks for them: on most
        days an earlier step is found first, and the garden is not read at all."""
        from tending.garden.plants import plants_for

        recent = recent_for(self.bond, self.user, self.today)
        return plants_for(self.bond, recent, self.safe_mode, self.touch_on)

    @cached_property
    def touch_on(self) -> bool:
        """Whether touch is welcome in this bond, read once for the plants and the touch idea."""
        from tending.garden.plants import touch_enabled

        return touch_enabled(self.bond)


Provider = Callable[[Context], Iterator[Step]]
PROVIDERS: list[Provider] = []


def provider(func: Provider) -> Provider:
    PROVIDERS.append(func)
    return func


def _url(name: str, *args: Any) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _model(label: str) -> Any:
    try:
        return apps.get_model(label)
    except LookupError:
        return None


@provider
def repair_waiting(ctx: Context) -> Iterator[Step]:
    if ctx.other is None:
        return
    sent = [r for r in ctx.ruptures if r.sent_at is not None and r.author_id != ctx.user.pk]
    if not sent:
        return
    waiting = min(sent, key=lambda r: (r.sent_at, r.pk))
    if ctx.safe_mode:
        yield Step(
            f"repair-support:{waiting.pk}",
            "Something is waiting for you",
            "Take your time. If anything feels unsafe, the support page lists people who can help.",
            _url("checkup:support"),
        )
        return
    yield Step(
        f"repair-answer:{waiting.pk}",
        f"{ctx.other.display_name} would like to repair something",
        "Read their message when you're ready, and answer in your own time.",
        _url("repair:detail", ctx.bond.pk, waiting.pk),
    )


@provider
def ritual_due_today(ctx: Context) -> Iterator[Step]:
    """A ritual whose day is today on the viewer's clock and not yet done."""
    ritual_model, done_model = _model("rituals.Ritual"), _model("rituals.Completion")
    if ritual_model is None or done_model is None:
        return
    bit = 1 << ctx.today.weekday()
    rituals = [
        ritual
        for ritual in ritual_model.objects.visible_in(ctx.user, ctx.bond)
        .order_by("at", "pk")
        .only("pk", "name", "weekdays", "at")
        if ritual.weekdays & bit
    ]
    if not rituals:
        return
    done = set(
        done_model.objects.filter(
            bond=ctx.bond, day=ctx.today, ritual__in=[r.pk for r in rituals]
        ).values_list("ritual_id", flat=True)
    )
    for ritual in rituals:
        if ritual.pk not in done:
            yield Step(
                f"ritual:{ritual.pk}",
                f"Today: {ritual.name}",
                f"Around {ritual.at:%H:%M}, if the day allows. Note it when you've done it.",
                _url("rituals:index", ctx.bond.pk),
            )


@provider
def daily_question(ctx: Context) -> Iterator[Step]:
    """Today's question: waiting for my answer, or both answers ready to read."""
    answer_model, state_model = _model("prompts.DailyAnswer"), _model("prompts.PromptState")
    choice_model = _model("prompts.DailyChoice")
    if answer_model is None or state_model is None:
        return
    state = state_model.objects.filter(bond=ctx.bond).only("zone", "day_zero").first()
    day = state.today() if state else ctx.today
    authors = set(
        answer_model.objects.filter(bond=ctx.bond, day=day, kind="answer").values_list(
            "author_id", flat=True
        )
    )
    url = _url("prompts:daily", ctx.bond.pk)
    if ctx.user.pk not in authors:
        skipped = (
            choice_model is not None
            and choice_model.objects.filter(
                bond=ctx.bond, user=ctx.user, day=day, skipped=True
            ).exists()
        )
        if skipped:
            return
        if ctx.bond.is_solo_kind:
            title, text = "Today's journal prompt", "A few lines, just for you."
        elif ctx.other is not None and ctx.other.pk in authors:
            title = f"{ctx.other.display_name} answered today's question"
            text = "Yours is waiting whenever you're ready; then you'll both see both answers."
        else:
            title, text = "Today's question", "Answer it when you have a quiet minute."
        yield Step(f"daily:{day}", title, text, url, "Answer")
    elif ctx.other is not None and ctx.other.pk in authors:
        yield Step(
            f"daily-read:{day}",
            "You both answered today's question",
            f"See what {ctx.other.display_name} said.",
            url,
            "Read",
        )


@provider
def checkup_first_step(ctx: Context) -> Iterator[Step]:
    """The first small step from the viewer's own latest check-up, if fairly recent."""
    result_model = _model("checkup.CheckupResult")
    if result_model is None:
        return
    latest = (
        result_model.objects.filter(bond=ctx.bond, author=ctx.user)
        .order_by("-created_at")
        .only("pk", "scores", "created_at")
        .first()
    )
    if latest is None or (timezone.now() - latest.created_at).days > 42:
        return
    from tending.checkup.links import practice_url
    from tending.checkup.recommend import recommend
    from tending.checkup.scoring import Result

    other_name = ctx.other.display_name if ctx.other else None
    try:
        result = Result.from_dict(latest.scores)
        recs = recommend(result, ctx.bond.kind, ctx.safe_mode, other_name=other_name, limit=1)
    except (KeyError, ValueError, TypeError):
        return
    for rec in recs:
        yield Step(
            f"checkup:{latest.pk}:{rec.step_id}",
            f"A small step for {rec.label.lower()}",
            rec.step,
            practice_url(rec.practice, ctx.bond),
        )


@provider
def untended_practice(ctx: Context) -> Iterator[Step]:
    """The practice that has rested longest, with its own small step."""
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


@provider
def touch_idea(ctx: Context) -> Iterator[Step]:
    """One touch idea a day, where touch is welcome in this bond."""
    if ctx.safe_mode or ctx.bond.is_solo_kind:
        return
    from tending.rituals.catalog import touch_ideas_for

    ideas = touch_ideas_for(ctx.bond.kind) if ctx.touch_on else []
    if not ideas:
        return
    idea = ideas[(ctx.today.toordinal() + ctx.bond.seed) % len(ideas)]
    yield Step(
        f"touch:{idea.id}",
        "A small gesture",
        idea.text,
        _url("rituals:touch", ctx.bond.pk),
        "More ideas",
    )


@provider
def name_a_feeling(ctx: Context) -> Iterator[Step]:
    yield Step(
        "feeling",
        "Name how you feel",
        "One minute: a broad feeling, then the word that fits. Share it if you like.",
        _url("feelings:index", ctx.bond.pk),
    )


def steps(ctx: Context, skipped: set[str]) -> Iterator[Step]:
    for func in PROVIDERS:
        for step in func(ctx):
            if step.key not in skipped:
                yield step


# What matters most comes first: something waiting on the other person's side,
# then what today holds, then gentle tending, then ideas.
PROVIDERS[:] = [
    repair_waiting,
    ritual_due_today,
    daily_question,
    untended_practice,
    touch_idea,
    checkup_first_step,
    name_a_feeling,
]
