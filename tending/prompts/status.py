"""Where a person stands with today's daily question, for pages outside this app
(the bond's home asks it to choose today's step)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import BigIntegerField, BooleanField, CharField, Value

from tending.bonds.models import Bond
from tending.lib.plans import Planned
from tending.prompts.models import AnswerKind, DailyAnswer, DailyChoice
from tending.prompts.state import existing_state, keep_day_choice


@dataclass(frozen=True)
class DailyStatus:
    day: date  # the bond's day (see PromptState.today)
    answered: bool  # this person has answered today's question
    other_answered: bool
    set_aside: bool  # this person skipped today's question


def daily_status(bond: Bond, user: Any, other: Any, fallback_day: date) -> DailyStatus:
    """Today's question for `user`, in two small reads: the bond's day, then who
    answered that day and `user`'s own choice for it (set aside, or an alternative
    question), in one UNION ALL. Reading it never chooses the day's question: a bond
    whose question was never opened falls back to `fallback_day` (the person's own
    date). A bond read for one request keeps the choice for the page that shows the
    question next (`state.day_choice`)."""
    state = existing_state(bond)
    day = state.today() if state else fallback_day
    rows = _ANSWERS_AND_CHOICE.rows("", bond.pk, user.pk, day)
    authors, mine = set(), None
    for person, is_choice, skipped, alternative_id, pk in rows:
        if not is_choice:
            authors.add(person)
            continue
        mine = DailyChoice.from_db(
            "default",
            ["id", "bond_id", "user_id", "day", "skipped", "alternative_id"],
            [pk, bond.pk, user.pk, day, skipped, alternative_id],
        )
    keep_day_choice(bond, user, day, mine)
    answered = user.pk in authors
    return DailyStatus(
        day=day,
        answered=answered,
        other_answered=other is not None and other.pk in authors,
        set_aside=not answered and mine is not None and mine.skipped,
    )


def _answers_and_choice(shape: str, bond_pk: int, user_pk: int, day: date) -> Any:
    """Who answered `day`'s question, then `user`'s own choice for it, as one UNION ALL
    (built once per process: tending.lib.plans)."""
    answers = (
        DailyAnswer.objects.filter(bond=bond_pk, day=day, kind=AnswerKind.ANSWER)
        .order_by()
        .values_list(
            "author_id",
            Value(False, BooleanField()),
            Value(False, BooleanField()),
            Value("", CharField()),
            Value(None, BigIntegerField()),
        )
    )
    choice = (
        DailyChoice.objects.filter(bond=bond_pk, user=user_pk, day=day)
        .order_by()
        .values_list("user_id", Value(True, BooleanField()), "skipped", "alternative_id", "pk")
    )
    return answers.union(choice, all=True)


_ANSWERS_AND_CHOICE = Planned(_answers_and_choice)
