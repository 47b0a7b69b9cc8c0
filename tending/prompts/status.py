"""Where a person stands with today's daily question, for pages outside this app
(the bond's home asks it to choose today's step)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import BooleanField, Value

from tending.bonds.models import Bond
from tending.prompts.models import AnswerKind, DailyAnswer, DailyChoice
from tending.prompts.state import existing_state


@dataclass(frozen=True)
class DailyStatus:
    day: date  # the bond's day (see PromptState.today)
    answered: bool  # this person has answered today's question
    other_answered: bool
    set_aside: bool  # this person skipped today's question


def daily_status(bond: Bond, user: Any, other: Any, fallback_day: date) -> DailyStatus:
    """Today's question for `user`, in two small reads: the bond's day, then who
    answered that day and whether `user` set it aside, in one UNION ALL. Reading
    it never chooses the day's question: a bond whose question was never opened
    falls back to `fallback_day` (the person's own date)."""
    state = existing_state(bond)
    day = state.today() if state else fallback_day
    answers = (
        DailyAnswer.objects.filter(bond=bond, day=day, kind=AnswerKind.ANSWER)
        .order_by()
        .values_list("author_id", Value(False, BooleanField()))
    )
    skipped = (
        DailyChoice.objects.filter(bond=bond, user=user, day=day, skipped=True)
        .order_by()
        .values_list("user_id", Value(True, BooleanField()))
    )
    rows = list(answers.union(skipped, all=True))
    authors = {person for person, is_skip in rows if not is_skip}
    answered = user.pk in authors
    return DailyStatus(
        day=day,
        answered=answered,
        other_answered=other is not None and other.pk in authors,
        set_aside=not answered and any(is_skip for _, is_skip in rows),
    )
