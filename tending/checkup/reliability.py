"""Internal consistency of the check-up's dimensions (Cronbach's alpha).

    α = k / (k − 1) · (1 − Σ σ²ᵢ / σ²ₜ)

k items, σ²ᵢ the sample variance (n − 1 in the denominator) of item i across
respondents, σ²ₜ the sample variance of each respondent's total over the k items.
Reverse-keyed items must already be flipped. α is undefined (None) with fewer
than two items or two respondents, or when the totals do not vary at all.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from statistics import variance

from tending.checkup.scoring import DATA_DIR, clean_answers, keyed, load


def cronbach_alpha(matrix: Sequence[Sequence[float]]) -> float | None:
    """α for rows = respondents and columns = items of one dimension."""
    n = len(matrix)
    k = len(matrix[0]) if n else 0
    if any(len(row) != k for row in matrix):
        raise ValueError("every respondent needs a value for every item")
    if n < 2 or k < 2:
        return None
    total_variance = variance([sum(row) for row in matrix])
    if total_variance == 0:
        return None
    item_variances = sum(variance([row[j] for row in matrix]) for j in range(k))
    return k / (k - 1) * (1 - item_variances / total_variance)


def alpha_by_dimension(
    results_answers: Iterable[Mapping[str, int | None]],
    version: int,
    data_dir: Path = DATA_DIR,
) -> dict[str, float | None]:
    """α per dimension over many people's answers to one questionnaire version.

    Reverse keys are applied; for each dimension only respondents who answered
    all of its items are used (listwise deletion). Single-item dimensions give None.
    """
    questionnaire = load(version, data_dir)
    rows = [clean_answers(questionnaire, answers) for answers in results_answers]
    out: dict[str, float | None] = {}
    for dimension in questionnaire.dimensions:
        items = questionnaire.items_of(dimension.id)
        matrix = [
            [float(keyed(item, answers[item.id])) for item in items]
            for answers in rows
            if all(item.id in answers for item in items)
        ]
        out[dimension.id] = cronbach_alpha(matrix) if matrix else None
    return out
