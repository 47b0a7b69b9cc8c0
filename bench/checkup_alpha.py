"""`tending checkup_alpha` on simulated answers, one set per questionnaire version.

Creates a scratch SQLite data directory, stores N simulated check-ups for every
questionnaire version, and runs `tending checkup_alpha` over them. Each simulated
person has one latent level per dimension (normal, mean 0, sd 1) and answers
each item with round(3 + 1.2 × level + noise), noise normal with sd 0.8, clipped
to 1..5 and flipped for reverse-keyed items: the model the tests use.

What this shows: that every item is keyed the right way round and every
dimension's items are scored together, and what alpha a dimension of its size
reaches when its items really do measure one thing. It says nothing about how
real people answer: only `tending checkup_alpha` on a server in use can.

Run: .venv/bin/python bench/checkup_alpha.py  [--people 300] [--seed 7] [--json]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def simulated_answers(questionnaire, people: int, rng: random.Random) -> list[dict[str, int]]:  # type: ignore[no-untyped-def]
    rows = []
    for _ in range(people):
        levels = {d.id: rng.gauss(0, 1) for d in questionnaire.dimensions}
        answers = {}
        for item in questionnaire.items:
            value = min(5, max(1, round(3 + 1.2 * levels[item.dimension] + rng.gauss(0, 0.8))))
            answers[item.id] = 6 - value if item.reverse else value
        rows.append(answers)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=300, help="simulated people per version")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", action="store_true", help="print the command's JSON")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="tending-alpha-") as data_dir:
        os.environ["TENDING_DATA_DIR"] = data_dir
        os.environ.pop("DATABASE_URL", None)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tending.settings")
        import django

        django.setup()
        from django.core.management import call_command

        from tending.accounts.models import User
        from tending.bonds.models import Bond, Kind, Membership
        from tending.checkup import scoring
        from tending.checkup.models import CheckupResult

        call_command("migrate", verbosity=0)
        person = User.objects.create(email="sim@example.org", display_name="Sim")
        bond = Bond.objects.create(kind=Kind.JUST_ME, created_by=person)
        Membership.objects.create(bond=bond, user=person)
        rng = random.Random(args.seed)
        for version in scoring.available_versions():
            questionnaire = scoring.load(version)
            CheckupResult.objects.bulk_create(
                CheckupResult(
                    bond=bond,
                    author=person,
                    version=version,
                    answers=answers,
                    scores=scoring.score_with(questionnaire, answers).to_dict(),
                )
                for answers in simulated_answers(questionnaire, args.people, rng)
            )
        call_command("checkup_alpha", *(["--json"] if args.json else []))


if __name__ == "__main__":
    main()
