"""`tending checkup_alpha [--json] [--min-results N]`: do the check-up's items hang together?

Cronbach's alpha per dimension over every check-up result on this server, one
table per questionnaire version (reverse keys applied; formula in
tending/checkup/data/SCORING.md). Only totals are printed, never anyone's answers.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tending.checkup import scoring
from tending.checkup.models import CheckupResult
from tending.checkup.reliability import alpha_by_dimension

# Below this many results alpha swings too much from one person to the next to mean much.
MIN_RESULTS = 30


def report(min_results: int = MIN_RESULTS) -> list[dict[str, Any]]:
    """One entry per questionnaire version that has results, oldest version first."""
    by_version: dict[int, list[dict[str, int | None]]] = defaultdict(list)
    for version, answers in CheckupResult.objects.values_list("version", "answers").iterator():
        by_version[version].append(answers)
    out = []
    for version in sorted(by_version):
        answers = by_version[version]
        questionnaire = scoring.load(version, scoring.DATA_DIR)
        enough = len(answers) >= min_results
        alphas = alpha_by_dimension(answers, version, scoring.DATA_DIR) if enough else {}
        rows = []
        for d in questionnaire.dimensions:
            items = questionnaire.items_of(d.id)
            complete = sum(all(answer.get(i.id) is not None for i in items) for answer in answers)
            rows.append(
                {
                    "dimension": d.id,
                    "label": d.label,
                    "group": d.group,
                    "items": len(items),
                    "complete": complete,
                    "alpha": alphas.get(d.id),
                }
            )
        out.append(
            {
                "version": version,
                "results": len(answers),
                "too_few": not enough,
                "min_results": min_results,
                "dimensions": rows,
            }
        )
    return out


def _why_none(row: dict[str, Any]) -> str:
    if row["items"] < 2:
        return "one item"
    if row["complete"] < 2:
        return "too few complete answers"
    return "answers do not vary"


def _table(versions: list[dict[str, Any]], min_results: int) -> str:
    if not versions:
        return (
            "No check-up results on this server yet. Cronbach's alpha needs at least "
            f"{min_results} results per questionnaire version.\n"
        )
    lines = []
    for v in versions:
        lines.append(f"Questionnaire version {v['version']}: {v['results']} results")
        if v["too_few"]:
            lines.append(
                f"  Too few results to say: alpha needs at least {v['min_results']} "
                f"(there are {v['results']}). Try again when more people have taken it."
            )
            lines.append("")
            continue
        width = max(len(r["label"]) for r in v["dimensions"])
        lines.append(f"  {'dimension':<{width}}  items  complete  alpha")
        for r in v["dimensions"]:
            alpha = f"{r['alpha']:.2f}" if r["alpha"] is not None else f"– ({_why_none(r)})"
            lines.append(f"  {r['label']:<{width}}  {r['items']:>5}  {r['complete']:>8}  {alpha}")
        lines.append("")
    lines.append(
        "Alpha near 0.7 or above suggests a dimension's items hang together; far below, "
        "they may be measuring different things."
    )
    return "\n".join(lines) + "\n"


class Command(BaseCommand):
    help = "Internal consistency (Cronbach's alpha) of each check-up dimension on this server."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="print the report as JSON")
        parser.add_argument(
            "--min-results",
            type=int,
            default=MIN_RESULTS,
            help=f"results needed per version before alpha is computed (default {MIN_RESULTS})",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        min_results = max(2, options["min_results"])
        versions = report(min_results)
        if options["json"]:
            self.stdout.write(json.dumps({"versions": versions}, indent=2))
        else:
            self.stdout.write(_table(versions, min_results), ending="")
