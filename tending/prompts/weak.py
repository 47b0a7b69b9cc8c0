"""From a bond's check-up results to the prompt themes its choices lean toward.

The mapping, written for Tending (docs/prompts.md explains it in words):

| Check-up dimension | Prompt theme |
|---|---|
| quality: open and honest talk | conversation |
| quality: empathy and support | appreciation |
| quality: sharing vulnerabilities without fear | inner_world |
| quality: knowing each other's inner world | curiosity |
| quality: staying connected through disagreement | repair |
| quality: empathy and support given (v2) | curiosity |
| quality: trust and acceptance (v2) | inner_world |
| sign: talk has become transactional | curiosity |
| sign: deep or vulnerable topics are avoided | inner_world |
| sign: affection has become routine (v1), fading or routine affection (v2) | appreciation |
| sign: more silence than laughter | memories |
| sign: lonelier together than apart | rituals |
| sign: frequent conflict (v2) | repair |

Results of both check-up versions are read: a dimension that only one version asks about
simply does not appear in the other's scores. The check-up's reasons (life's demands, stress,
screens...) lead to practices through the check-up's own recommendations, not to prompt themes.

A quality is weak when it is among the WEAKEST lowest qualities and scores at most WEAK_UP_TO
(0-100, higher is stronger); a sign counts when its presence is above SIGN_ABOVE. The cut-offs
are the check-up's own "tending" bands (tending/checkup/data/recommendations.json). With two
results the scores are averaged per dimension.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Q

from tending.bonds.models import Bond
from tending.bonds.privacy import Visibility
from tending.prompts.library import THEMES

QUALITY_THEMES: dict[str, str] = {
    "open_talk": "conversation",
    "empathy": "appreciation",
    "vulnerability": "inner_world",
    "inner_world": "curiosity",
    "connected_in_conflict": "repair",
    "support_given": "curiosity",
    "trust": "inner_world",
}
SIGN_THEMES: dict[str, str] = {
    "transactional": "curiosity",
    "avoidance": "inner_world",
    "routine_affection": "appreciation",
    "fading_affection": "appreciation",
    "silence": "memories",
    "lonely_together": "rituals",
    "constant_conflict": "repair",
}
WEAKEST = 2
WEAK_UP_TO = 62.5
SIGN_ABOVE = 62.5
# choosing.py triples a weak theme's weight: more than three would flatten the lean.
MAX_WEAK = 3
_RECENT_RESULTS = 20


def weak_themes(bond: Bond, user: Any = None) -> list[str]:
    """The bond's weakest areas as prompt themes, weakest first (at most MAX_WEAK).

    Without `user`, only results shared in the bond count, the latest of each member: the
    answer is the same whoever asks, as the shared daily and weekly choices need. With `user`,
    that person's own latest result counts too, even if private (for their personal choices).
    [] when there are no results, or while the check-up has no result model."""
    try:
        from tending.checkup.models import CheckupResult
    except ImportError:
        return []
    visible = Q(visibility=Visibility.SHARED)
    if user is not None and getattr(user, "is_authenticated", False):
        visible |= Q(author=user)
    rows = (
        CheckupResult.objects.filter(bond=bond)
        .filter(visible)
        .order_by("-created_at", "-pk")
        .values_list("author_id", "scores")[:_RECENT_RESULTS]
    )
    latest: dict[int, Mapping[str, Any]] = {}
    for author_id, scores in rows:
        if author_id not in latest and isinstance(scores, Mapping):
            latest[author_id] = scores
    return themes_from_scores(list(latest.values()))


def themes_from_scores(results: list[Mapping[str, Any]]) -> list[str]:
    """The themes for these scored results (each `scoring.Result.to_dict()`), weakest first."""
    qualities = _mean_scores(results, "qualities")
    signs = _mean_scores(results, "signs")
    weak = sorted((score, name) for name, score in qualities.items() if name in QUALITY_THEMES)[
        :WEAKEST
    ]
    found = [QUALITY_THEMES[name] for score, name in weak if score <= WEAK_UP_TO]
    present = sorted(
        ((-score, name) for name, score in signs.items() if name in SIGN_THEMES),
    )
    found += [SIGN_THEMES[name] for score, name in present if -score > SIGN_ABOVE]
    ordered: list[str] = []
    for theme in found:
        if theme in THEMES and theme not in ordered:
            ordered.append(theme)
    return ordered[:MAX_WEAK]


def _mean_scores(results: list[Mapping[str, Any]], group: str) -> dict[str, float]:
    totals: dict[str, list[float]] = {}
    for result in results:
        scores = result.get(group)
        if not isinstance(scores, Mapping):
            continue
        for name, value in scores.items():
            if isinstance(value, int | float) and not isinstance(value, bool):
                totals.setdefault(name, []).append(float(value))
    return {name: sum(values) / len(values) for name, values in totals.items()}
