"""Recording and reading practice activity, and turning it into growth.

Growth of a plant (0–1) from its recent activity:

    score  = Σ count_d · 0.5 ** (age_d / half_life)      over the last 84 days
    growth = 1 − exp(−score / k)

`k` is chosen per practice so that a steady healthy rhythm (HEALTHY_PER_WEEK
times a week, spread evenly) gives a growth of 0.8, a plant in bloom. Without
activity the score halves every half-life, so a plant wilts gently over a few
weeks and recovers as soon as it is tended again. Activity older than 84 days
weighs less than 2**-6 for every half-life here, so it is left out: the cost of
a garden does not grow with the length of the history. docs/garden.md
explains the same in words.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from tending.bonds.practices import Practice
from tending.garden.sources import moments

WINDOW_DAYS = 84
HALF_LIFE_DAYS: dict[str, float] = {
    Practice.CONVERSATION: 10.0,
    Practice.RITUALS: 5.0,
    Practice.INNER_WORLD: 7.0,
    Practice.REPAIR: 14.0,
    Practice.TOUCH: 5.0,
    Practice.CURIOSITY: 7.0,
}
HEALTHY_PER_WEEK: dict[str, float] = {
    Practice.CONVERSATION: 1.0,
    Practice.RITUALS: 4.0,
    Practice.INNER_WORLD: 3.0,
    Practice.REPAIR: 0.5,
    Practice.TOUCH: 4.0,
    Practice.CURIOSITY: 4.0,
}
HEALTHY_GROWTH = 0.8
# Below WILT a plant droops and is "resting"; from BLOOM it flowers.
WILT = 0.3
BLOOM = 0.6
# ...and flowers only once tended on this many different days: a busy first
# day is a good start, not a habit "part of your days".
BLOOM_DAYS = 3


def _steady_score(practice: str) -> float:
    """The score a healthy rhythm settles at: daily amounts with daily decay."""
    per_day = HEALTHY_PER_WEEK[practice] / 7
    decay = 0.5 ** (1 / HALF_LIFE_DAYS[practice])
    return per_day / (1 - decay)


def scale(practice: str) -> float:
    return _steady_score(practice) / -math.log(1 - HEALTHY_GROWTH)


@dataclass(frozen=True)
class Recent:
    """A viewer's recent activity in a bond: per practice, per day."""

    today: date
    by_day: dict[str, dict[date, int]]
    last_day: dict[str, date | None]

    def growth(self, practice: str) -> float:
        score = 0.0
        half = HALF_LIFE_DAYS[practice]
        for day, count in self.by_day.get(practice, {}).items():
            age = max(0, (self.today - day).days)
            score += count * 0.5 ** (age / half)
        return 1 - math.exp(-score / scale(practice))

    def days_tended(self, practice: str) -> int:
        """On how many different days of the window this practice was tended."""
        return len(self.by_day.get(practice, {}))

    def mood(self, practice: str) -> str:
        """resting, growing or blooming (see WILT, BLOOM and BLOOM_DAYS)."""
        growth = self.growth(practice)
        if growth < WILT:
            return "resting"
        if growth >= BLOOM and self.days_tended(practice) >= BLOOM_DAYS:
            return "blooming"
        return "growing"

    def days_since(self, practice: str) -> int | None:
        last = self.last_day.get(practice)
        return None if last is None else (self.today - last).days

    def week_totals(self, weeks: int = 12) -> list[tuple[date, int]]:
        """(Monday, count) for the last `weeks` weeks, oldest first."""
        monday = self.today - timedelta(days=self.today.weekday())
        starts = [monday - timedelta(weeks=w) for w in range(weeks - 1, -1, -1)]
        totals = dict.fromkeys(starts, 0)
        for days in self.by_day.values():
            for day, count in days.items():
                start = day - timedelta(days=day.weekday())
                if start in totals:
                    totals[start] += count
        return list(totals.items())


def recent_for(bond: Any, viewer: Any, today: date) -> Recent:
    """What the viewer may count of the bond's last WINDOW_DAYS days: one
    query over every source (see sources.py), whatever the history's length."""
    since = today - timedelta(days=WINDOW_DAYS + 1)
    by_day: dict[str, dict[date, int]] = defaultdict(lambda: defaultdict(int))
    last: dict[str, date | None] = {}
    tz = viewer.tz
    for source, moment in moments(bond, viewer, since):
        day = moment.astimezone(tz).date()
        if day > today:
            continue
        by_day[source.practice][day] += 1
        if last.get(source.practice) is None or day > last[source.practice]:  # type: ignore[operator]
            last[source.practice] = day
    return Recent(today, {p: dict(d) for p, d in by_day.items()}, last)
