"""How fast are the bond's home (today) and the garden after five years of use?

Seeds five years of daily activity for 1,000 bonds in a scratch PostgreSQL
database, serves Tending with `tending serve --prod` (gunicorn) beside a
`tending worker` (as deployed; /healthz needs its heartbeat), and requests
the today page (the bond's home), the garden in small that the home fetches
once shown, the garden page and a trivial view (/healthz) the same way, in the
same run. Server time is read from the Server-Timing header that Tending adds,
so the figures leave out the network and the client. Target: 99th percentile
under 50 ms.

Run: .venv/bin/python bench/garden.py  [--bonds 1000] [--years 5] [--requests 1000]
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from machine import describe  # noqa: E402

ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
DB_NAME = "tending_bench_garden"
DB_URL = f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"


def _psql(sql: str) -> None:
    subprocess.run(["psql", ADMIN_URL, "-q", "-c", sql], check=True, capture_output=True)


def _env() -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": DB_URL,
        "DJANGO_SETTINGS_MODULE": "tending.settings",
        "SECRET_KEY": "bench-" + "k3y" * 20 + "-not-for-production-but-long-and-varied-0123456789",
        "DEBUG": "false",
        "LOG_LEVEL": "WARNING",
    }


def _copy(cursor, table: str, columns: list[str], rows) -> int:  # type: ignore[no-untyped-def]
    """COPY rows into a table; far faster than INSERTs for millions of rows."""
    count = 0
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def seed(bonds: int, years: int) -> dict[str, int]:
    import django

    os.environ.update(_env())
    django.setup()
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import connection
    from seeding import seed_activity

    counts = seed_activity(connection, bonds=bonds, years=years, copy=_copy)
    # A database in use has been vacuumed and has planner statistics (autovacuum
    # sees to both). Right after COPY it has neither: the planner would guess
    # badly, and autovacuum would start on millions of new rows in the middle of
    # the measurement, competing for the same two cores.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    # One session per sampled member, so the bench needs no password hashing.
    users = list(range(1, bonds * 2 + 1, 2))
    sessions = {}
    from tending.accounts.models import User

    for user in User.objects.filter(pk__in=users).only("pk", "password"):
        store = SessionStore()
        store["_auth_user_id"] = str(user.pk)
        store["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
        store["_auth_user_hash"] = user.get_session_auth_hash()
        store.create()
        sessions[user.pk] = store.session_key
    counts["sessions"] = len(sessions)
    Path(ROOT / "var" / "bench").mkdir(parents=True, exist_ok=True)
    (ROOT / "var" / "bench" / "garden-sessions.txt").write_text(
        "\n".join(f"{pk} {key}" for pk, key in sessions.items())
    )
    return counts


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, session: str | None, htmx: bool = False) -> tuple[int, float]:
    request = urllib.request.Request(url)
    if session:
        request.add_header("Cookie", f"sessionid={session}")
    if htmx:
        request.add_header("HX-Request", "true")
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (loopback only)
        response.read()
        timing = response.headers.get("Server-Timing", "")
    dur = float(timing.split("dur=")[1]) if "dur=" in timing else float("nan")
    return response.status, dur


def measure(requests: int, bonds: int) -> dict[str, list[float]]:
    port = _free_port()
    env = _env() | {
        "SITE_URL": f"http://127.0.0.1:{port}",
        "ALLOWED_HOSTS": "127.0.0.1",
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tending.cli",
            "serve",
            "--prod",
            "--port",
            str(port),
            "--workers",
            "2",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    # /healthz answers 200 only while a worker beats (docs/deployment.md), and a
    # real deployment runs one beside the web processes.
    worker = subprocess.Popen(
        [sys.executable, "-m", "tending.cli", "worker"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                _get(base + "/healthz", None)
                break
            except OSError:
                time.sleep(0.5)
        sessions = [
            line.split()
            for line in (ROOT / "var" / "bench" / "garden-sessions.txt").read_text().splitlines()
        ]
        rng = random.Random(7)
        results: dict[str, list[float]] = {
            "trivial (/healthz)": [],
            "today (bond home)": [],
            "garden preview": [],
            "garden": [],
        }
        # Warm up each process's connections and template caches.
        for user_pk, key in sessions[:10]:
            bond = (int(user_pk) + 1) // 2
            _get(f"{base}/bonds/{bond}/", key)
            _get(f"{base}/bonds/{bond}/garden/", key)
        for _ in range(requests):
            user_pk, key = rng.choice(sessions)
            bond = (int(user_pk) + 1) // 2
            # The home, then the garden in small that it fetches once shown
            # (htmx), then the garden page.
            for name, path, cookie, htmx in (
                ("trivial (/healthz)", "/healthz", None, False),
                ("today (bond home)", f"/bonds/{bond}/", key, False),
                ("garden preview", f"/bonds/{bond}/garden/preview/", key, True),
                ("garden", f"/bonds/{bond}/garden/", key, False),
            ):
                status, dur = _get(base + path, cookie, htmx)
                assert status == 200, (path, status)
                results[name].append(dur)
        return results
    finally:
        for process in (server, worker):
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bonds", type=int, default=1000)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--requests", type=int, default=1000)
    args = parser.parse_args()

    print(describe())
    _psql(f"DROP DATABASE IF EXISTS {DB_NAME}")
    _psql(f"CREATE DATABASE {DB_NAME}")
    try:
        started = time.monotonic()
        subprocess.run(
            [sys.executable, "-m", "tending.cli", "migrate", "-v", "0"], env=_env(), check=True
        )
        counts = subprocess.run(
            [sys.executable, __file__, "--seed-only", str(args.bonds), str(args.years)],
            env=_env(),
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        print(f"seeded in {time.monotonic() - started:.0f} s: {counts.strip()}")
        results = measure(args.requests, args.bonds)
    finally:
        _psql(f"DROP DATABASE IF EXISTS {DB_NAME}")
    print(f"\nserver time per request, {args.requests} requests each (ms)")
    print(f"{'page':<22}{'median':>10}{'p99':>10}")
    for name, values in results.items():
        print(f"{name:<22}{statistics.median(values):>10.2f}{_p(values, 0.99):>10.2f}")
    worst = max(_p(v, 0.99) for k, v in results.items() if k != "trivial (/healthz)")
    print(f"\ntarget p99 < 50 ms: {'met' if worst < 50 else 'NOT met'} (worst p99 {worst:.1f} ms)")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--seed-only":
        print(seed(int(sys.argv[2]), int(sys.argv[3])))
    else:
        main()
