"""`tending prompts --stats [--json]` and `tending prompts --check`: the prompt library, its
decks and the evening sequence at a glance."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tending.prompts import library


class Command(BaseCommand):
    help = "Show how many prompts the library holds, or check the prompt data files."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--stats",
            action="store_true",
            help="print counts by theme, depth and bond kind (the default)",
        )
        parser.add_argument("--json", action="store_true", help="print the statistics as JSON")
        parser.add_argument(
            "--check",
            action="store_true",
            help="validate the data files, the coverage minimums, the openers and "
            "near-duplicates; exit with status 1 on any problem",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["check"]:
            self._check()
            if not options["stats"]:
                return
        stats = library.stats()
        if options["json"]:
            self.stdout.write(json.dumps(stats, indent=2))
        else:
            self.stdout.write(_table(stats))

    def _check(self) -> None:
        problems = library.validate_files()
        if not problems:
            stats = library.stats()
            problems += [
                f"{theme}/{depth}/{bond}: {count} prompts, fewer than {library.MIN_PER_CELL}"
                for theme, depths in stats["cells"].items()
                for depth, bonds in depths.items()
                for bond, count in bonds.items()
                if count < library.MIN_PER_CELL
            ]
            problems += library.opener_problems()
            problems += [
                f"{first} and {second} are near-duplicates (jaccard {jac}, ratio {ratio})"
                for first, second, jac, ratio in library.near_duplicates(library.every_prompt())
            ]
        if problems:
            raise CommandError("\n".join(problems))
        self.stdout.write("The prompt library is valid.")


def _table(stats: dict[str, Any]) -> str:
    lines = [
        f"Prompts: {stats['total']} active, {stats['retired']} retired. "
        f"Smallest cell: {stats['min_cell']} (at least {stats['required_per_cell']} required).",
        "",
    ]
    for title, key in (
        ("Theme", "by_theme"),
        ("Depth", "by_depth"),
        ("Bond kind", "by_bond"),
    ):
        lines.append(f"{title:<14}{'prompts':>8}")
        lines += [f"{name:<14}{count:>8}" for name, count in stats[key].items()]
        lines.append("")
    bonds = library.BONDS
    lines.append(f"{'Theme':<14}{'depth':<8}" + "".join(f"{bond:>14}" for bond in bonds))
    for theme, depths in stats["cells"].items():
        for depth, counts in depths.items():
            row = "".join(f"{counts[bond]:>14}" for bond in bonds)
            lines.append(f"{theme:<14}{depth:<8}{row}")
    if stats["decks"]:
        lines += ["", f"{'Deck':<14}{'prompts':>8}{'smallest cell':>15}  opt-in  bonds"]
        for name, deck in stats["decks"].items():
            lines.append(
                f"{name:<14}{deck['total']:>8}{deck['min_cell']:>15}  {deck['opt_in']:<6}  "
                + ", ".join(deck["bonds"])
            )
    for name, sequence in stats["sequences"].items():
        rounds = " + ".join(str(part["questions"]) for part in sequence["rounds"])
        lines += ["", f"Sequence {name}: {sequence['total']} questions in rounds of {rounds}."]
    openers = stats["openers"]
    lines += [
        "",
        f"Openers: the most used takes {openers['max_share']:.0%} of a pool "
        f"({openers['max_opener']!r} in {openers['max_pool']}; at most {openers['limit']:.0%}). "
        f"{openers['what_share']:.0%} of all prompts open with What.",
    ]
    return "\n".join(lines)
