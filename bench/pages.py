"""Server time of the bond's pages for a new bond, in process.

Builds a new partner bond in a scratch database (SQLite by default, or
PostgreSQL with --postgres), then requests the bond's home, the garden in small
that the home fetches, the daily question and the garden through Django's test
client with DEBUG off, N times each, interleaved. The figure is the
`Server-Timing` header Tending adds (time spent in Django, middleware
included), so neither the network nor the client counts. Target (issue 15):
median at most 7 ms for each page.

With --mixed it also measures the other requests of bench/load.py's mixed
scenario on the same bond: the notes and feelings pages, the notifications page,
and the POSTs that send a note, check in with a feeling and answer the daily
question (each one undone after its timing, so every request meets the same new
bond), and prints the queries each request asks.

With --profile PAGE it also runs that page under cProfile (CPU time) and prints
where the time goes. With --postgres --pool it uses psycopg's connection pool instead of
one persistent connection (needs `pip install psycopg-pool`, which Tending
itself does not use: docs/deployment.md, "Database connections").

Run: .venv/bin/python bench/pages.py  [--requests 1000] [--mixed] [--postgres [--pool]] [--profile daily]
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


# A request: (path, HX-Request header, POST data or None, what undoes it afterwards or None).
Request = tuple[str, bool, "dict[str, str] | None", "object"]


def _timed(client, request: Request) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """Server time (the Server-Timing header) and this process's CPU time for one request."""
    path, htmx, data, undo = request
    headers = {"HX-Request": "true"} if htmx else {}
    form = data() if callable(data) else data  # (the answer's form reads the daily page first)
    cpu = time.thread_time()
    if form is None:
        response = client.get(path, headers=headers)
    else:
        response = client.post(path, form, headers=headers)
    cpu = (time.thread_time() - cpu) * 1000
    assert response.status_code == (200 if data is None else 302), (path, response.status_code)
    if undo is not None:
        undo()  # type: ignore[operator]
    return float(response["Server-Timing"].split("dur=")[1]), cpu


def _mixed(client, bond, person) -> dict[str, Request]:  # type: ignore[no-untyped-def]
    """The rest of bench/load.py's mixed scenario, each POST undone after it is timed."""
    import json
    import re

    from tending.feelings.models import FeelingCheckin
    from tending.notes.models import Note
    from tending.notify.models import Notification
    from tending.prompts.models import DailyAnswer, DailyChoice

    base = f"/bonds/{bond.pk}"
    words = json.loads((ROOT / "tending" / "feelings" / "data" / "emotions.json").read_text())
    word = words["words"][0]
    prompt = re.compile(r'action="/bonds/\d+/daily/answer/".*?name="prompt" value="([^"]+)"', re.S)

    def answer() -> dict[str, str]:
        page = client.get(f"{base}/daily/").content.decode()
        return {"prompt": prompt.search(page).group(1), "text": "An answer for the bench."}  # type: ignore[union-attr]

    def undo_answer() -> None:
        DailyAnswer.objects.filter(bond=bond, author=person).delete()
        DailyChoice.objects.filter(bond=bond).update(waiting_sent=False, ready_sent=False)
        Notification.objects.all().delete()

    def undo(model):  # type: ignore[no-untyped-def]
        def run() -> None:
            model.objects.filter(bond=bond).delete()
            Notification.objects.all().delete()

        return run

    return {
        "notes page": (f"{base}/notes/", False, None, None),
        "note (POST)": (
            f"{base}/notes/new/",
            False,
            {"text": "Thinking of you.", "timing": "now"},
            undo(Note),
        ),
        "feelings page": (f"{base}/feelings/", False, None, None),
        "feeling (POST)": (
            f"{base}/feelings/new/",
            False,
            {"family": word["family"], "word": word["id"], "intensity": "3", "share": "on"},
            undo(FeelingCheckin),
        ),
        "answer (POST)": (f"{base}/daily/answer/", False, answer, undo_answer),  # type: ignore[dict-item]
        "notifications": ("/notifications/", False, None, None),
    }


def measure(
    requests: int, profile: str | None, mixed: bool = False
) -> tuple[dict[str, list[tuple[float, float]]], dict[str, int]]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    bond, person = _new_bond()
    client = Client()
    client.force_login(person)
    pages: dict[str, Request] = {
        "bond home": (f"/bonds/{bond.pk}/", False, None, None),
        "garden preview": (f"/bonds/{bond.pk}/garden/preview/", True, None, None),
        "daily question": (f"/bonds/{bond.pk}/daily/", False, None, None),
        "garden": (f"/bonds/{bond.pk}/garden/", False, None, None),
    }
    if mixed:
        pages.update(_mixed(client, bond, person))
    for request in pages.values():  # the day's first visits, and warm caches
        for _ in range(20):
            _timed(client, request)
    queries = {}
    for name, (path, htmx, data, undo) in pages.items():
        filled = data() if callable(data) else data
        with CaptureQueriesContext(connection) as asked:
            _timed(client, (path, htmx, filled, None))
        queries[name] = len(asked)
        if undo is not None:
            undo()  # type: ignore[operator]
    results: dict[str, list[tuple[float, float]]] = {name: [] for name in pages}
    for _ in range(requests):
        for name, request in pages.items():
            results[name].append(_timed(client, request))
    if profile:
        request = next(v for k, v in pages.items() if profile in k)
        profiler = cProfile.Profile(time.thread_time)
        profiler.enable()
        for _ in range(200):
            _timed(client, request)
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(35)
        print(out.getvalue())
    return results, queries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--postgres", action="store_true", help="a scratch PostgreSQL database")
    parser.add_argument(
        "--pool", action="store_true", help="with --postgres: psycopg's connection pool"
    )
    parser.add_argument(
        "--mixed", action="store_true", help="also the mixed scenario's other requests"
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
        results, queries = measure(args.requests, args.profile, args.mixed)
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
    print(f"{'page':<18}{'median':>9}{'p99':>9}{'CPU median':>12}{'queries':>9}")
    for name, pairs in results.items():
        server = [s for s, _ in pairs]
        cpu = [c for _, c in pairs]
        print(
            f"{name:<18}{statistics.median(server):>9.2f}{_p(server, 0.99):>9.2f}"
            f"{statistics.median(cpu):>12.2f}{queries[name]:>9}"
        )
    targeted = ("bond home", "garden preview", "daily question", "garden")
    worst = max(statistics.median([s for s, _ in results[name]]) for name in targeted)
    verdict = "met" if worst <= TARGET_MS else f"NOT met, by {worst - TARGET_MS:.1f} ms"
    print(f"\ntarget median <= {TARGET_MS:.0f} ms: {verdict} (worst median {worst:.2f} ms)")


if __name__ == "__main__":
    main()
