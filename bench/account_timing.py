"""Does the time of a sign-up or password-reset answer tell whether an address
has an account?

    .venv/bin/python bench/account_timing.py [--requests 200]

On a fresh SQLite database with one registered person, posts the password-reset
form and the sign-up form `--requests` times each for the registered address and
for unknown ones, interleaved, through Django's test client with the real
password hasher (Argon2), and prints the median and 90th percentile of each and
the difference of the medians (target: within 5 ms).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from machine import describe

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="tending-timing-"))
    os.environ.update(
        DJANGO_SETTINGS_MODULE="tending.settings",
        DATABASE_URL=f"sqlite:///{work / 'db.sqlite3'}",
        TENDING_DATA_DIR=str(work),
        LOG_LEVEL="WARNING",
        ALLOWED_HOSTS="testserver",
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    from tending.accounts.models import AccountEmail, User

    setup_test_environment()  # the test client's host and an in-memory outbox
    call_command("migrate", verbosity=0)
    User.objects.create_user("known@example.org", "a long and quiet walk", display_name="Kim")

    def post(url: str, data: dict[str, str]) -> float:
        start = time.perf_counter()
        response = Client().post(url, data)
        elapsed = (time.perf_counter() - start) * 1000
        assert response.status_code in (200, 302), response.status_code
        return elapsed

    def signup(email: str) -> dict[str, str]:
        return {
            "display_name": "Dana",
            "email": email,
            "password": "a long and quiet river walk",
            "time_zone": "Europe/Berlin",
        }

    figures: dict[str, list[float]] = {}
    for form, url, data in (
        ("password reset", "/accounts/password/reset/", lambda e: {"email": e}),
        ("sign-up", "/accounts/signup/", signup),
    ):
        known, unknown = [], []
        for i in range(args.requests):
            # Interleaved, so drifts in the machine's speed touch both alike.
            known.append(post(url, data("known@example.org")))
            unknown.append(post(url, data(f"nobody{i}@example.org")))
            if i % 50 == 0:
                AccountEmail.objects.all().delete()
        figures[f"{form}, registered"] = known
        figures[f"{form}, unknown"] = unknown
    shutil.rmtree(work, ignore_errors=True)

    print(describe())
    print(f"{args.requests} requests of each kind, test client, SQLite, Argon2")
    for name, times in figures.items():
        p90 = statistics.quantiles(times, n=10)[-1]
        print(f"{name:>28}: median {statistics.median(times):6.2f} ms, p90 {p90:6.2f} ms")
    for form in ("password reset", "sign-up"):
        gap = statistics.median(figures[f"{form}, registered"]) - statistics.median(
            figures[f"{form}, unknown"]
        )
        print(f"{form}: medians differ by {gap:+.2f} ms (target within ±5 ms)")


if __name__ == "__main__":
    main()
