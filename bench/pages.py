"""Server time of the bond's pages for a new bond, in process.

Builds a new partner bond in a scratch database (SQLite by default, or
PostgreSQL with --postgres), then requests the bond's home, the garden in small
that the home fetches, the daily question and the garden through Django's test
client with DEBUG off, N times each, interleaved. The figure is the
`Server-Timing` header Tending adds (time spent in Django, middleware
included), so neither the network nor the client counts. Target (issue 15):
median at most 7 ms for each page.

With --profile PAGE it also runs that page under cProfile and prints where the
time goes. With --postgres --pool it uses psycopg's connection pool instead of
one persistent connection (needs `pip install psycopg-pool`, which Tending
itself does not use: docs/deployment.md, "Database connections").

Run: .venv/bin/python bench/pages.py  [--requests 1000] [--postgres [--pool]] [--profile daily]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from machine import describe  # noqa: E402

ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
PG_NAME = "tending_bench_pages"
TARGET_MS = 7.0


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def _setup(database_url: str, pool: bool = False) -> None:
    os.environ.update(
        {
            "DATABASE_URL": database_url,
            "DJANGO_SETTINGS_MODULE": "tending.settings",
            "SECRET_KEY": "bench-" + "p4ges" * 12 + "-not-for-production-0123456789",
            "DEBUG": "false",
            "ALLOWED_HOSTS": "testserver",
            "LOG_LEVEL": "WARNING",
        }
    )
    import django

    django.setup()
    if pool:
        # psycopg's pool instead of one persistent connection (compared in
        # docs/deployment.md): Django hands the connection back to the pool at
        # the end of each request, and takes one from it at the next.
        from django.conf import settings

        settings.DATABASES["default"]["CONN_MAX_AGE"] = 0
        settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] = False
        settings.DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": 1,
            "max_size": 4,
        }
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _new_bond():  # type: ignore[no-untyped-def]
    from tending.accounts.models import User
    from tending.bonds.models import Bond, Kind, Membership

    people = []
    for email, name, tz in (
        ("ana@bench.example", "Ana", "Europe/Berlin"),
        ("ben@bench.example", "Ben", "America/New_York"),
    ):
        user = User.objects.create_user(email, None, display_name=name, time_zone=tz)
        people.append(user)
    bond = Bond.objects.create(kind=Kind.PARTNER, created_by=people[0])
    for person in people:
        Membership.objects.create(bond=bond, user=person)
    return bond, people[0]


def _timed(client, path: str, htmx: bool) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """Server time (the Server-Timing header) and this process's CPU time for one request."""
    headers = {"HX-Request": "true"} if htmx else {}
    cpu = time.thread_time()
    response = client.get(path, headers=headers)
    cpu = (time.thread_time() - cpu) * 1000
    assert response.status_code == 200, (path, response.status_code)
    return float(response["Server-Timing"].split("dur=")[1]), cpu


def measure(requests: int, profile: str | None) -> dict[str, list[tuple[float, float]]]:
    from django.test import Client

    bond, person = _new_bond()
    client = Client()
    client.force_login(person)
    pages = {
        "bond home": (f"/bonds/{bond.pk}/", False),
        "garden preview": (f"/bonds/{bond.pk}/garden/preview/", True),
        "daily question": (f"/bonds/{bond.pk}/daily/", False),
        "garden": (f"/bonds/{bond.pk}/garden/", False),
    }
    for path, htmx in pages.values():  # the day's first visits, and warm caches
        for _ in range(20):
            _timed(client, path, htmx)
    results: dict[str, list[tuple[float, float]]] = {name: [] for name in pages}
    for _ in range(requests):
        for name, (path, htmx) in pages.items():
            results[name].append(_timed(client, path, htmx))
    if profile:
        path, htmx = next(v for k, v in pages.items() if profile in k)
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(200):
            _timed(client, path, htmx)
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(35)
        print(out.getvalue())
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--postgres", action="store_true", help="a scratch PostgreSQL database")
    parser.add_argument(
        "--pool", action="store_true", help="with --postgres: psycopg's connection pool"
    )
    parser.add_argument("--profile", help="profile this page (e.g. daily, home, garden)")
    args = parser.parse_args()

    print(describe())
    scratch = tempfile.TemporaryDirectory()
    if args.postgres:
        for sql in (f"DROP DATABASE IF EXISTS {PG_NAME}", f"CREATE DATABASE {PG_NAME}"):
            subprocess.run(["psql", ADMIN_URL, "-q", "-c", sql], check=True, capture_output=True)
        url = f"postgres://postgres@127.0.0.1:5432/{PG_NAME}"
    else:
        url = f"sqlite:///{scratch.name}/bench.sqlite3"
    try:
        _setup(url, pool=args.postgres and args.pool)
        results = measure(args.requests, args.profile)
    finally:
        if args.postgres:
            from django.db import connections

            connections.close_all()
            if args.pool:
                connections["default"].close_pool()
            subprocess.run(
                ["psql", ADMIN_URL, "-q", "-c", f"DROP DATABASE IF EXISTS {PG_NAME}"],
                check=True,
                capture_output=True,
            )
        scratch.cleanup()
    engine = "PostgreSQL" if args.postgres else "SQLite"
    if args.postgres:
        engine += ", psycopg's pool" if args.pool else ", one persistent connection"
    print(f"\nserver time for a new bond, {engine}, {args.requests} requests each (ms)")
    print("(CPU: this process's CPU time per request, test client included; on a busy")
    print(" machine it moves far less than the server time, which includes waiting for a core)")
    print(f"{'page':<18}{'median':>9}{'p99':>9}{'CPU median':>12}")
    for name, pairs in results.items():
        server = [s for s, _ in pairs]
        cpu = [c for _, c in pairs]
        print(
            f"{name:<18}{statistics.median(server):>9.2f}{_p(server, 0.99):>9.2f}"
            f"{statistics.median(cpu):>12.2f}"
        )
    worst = max(statistics.median([s for s, _ in v]) for v in results.values())
    verdict = "met" if worst <= TARGET_MS else f"NOT met, by {worst - TARGET_MS:.1f} ms"
    print(f"\ntarget median <= {TARGET_MS:.0f} ms: {verdict} (worst median {worst:.2f} ms)")


if __name__ == "__main__":
    main()
