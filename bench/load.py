"""Many people using Tending at once, and proof that nothing is lost.

Seeds a scratch PostgreSQL database with bonds that have a history (see
seeding.py), starts `tending serve --prod` and a `tending worker`, and drives
them with Locust (headless, bounded in users and time) at each level of
concurrent users (10, 50 and 100 by default). At each level there are two
phases of the same length:

1. `/healthz` alone: the baseline, what the server does with the least work;
2. the mixed scenario: signed-in members open their bond's home and the garden
   in small it fetches, the garden, the daily question (and answer it when it
   is waiting for them), send a note, check in with a feeling and read their
   notifications.

It prints, per level and page, requests per second, median and p99 (Locust's
response times in ms, which include waiting for a free web process), the
median server time (the Server-Timing header: time spent in Django), and errors;
and per phase the CPU time the web processes and the database spent per request,
which hardly depends on what else the machine runs (response times do).
Then it checks consistency: every POST that the server answered with success
is in the database exactly once, and no entry was written that was not
answered with success (every entry table is counted before and after).

Each simulated person is a different member (no two share a session), and
people never wait between requests: it measures how much the server carries,
not how people pace themselves.

Run:  .venv/bin/python bench/load.py --quick          (a couple of minutes)
      .venv/bin/python bench/load.py                  (1,000 bonds, 10/50/100 users)
Options: --bonds N --years N --users 10,50,100 --duration 60 --workers N
         --threads N --db-name NAME --keep
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
SECRET = "bench-" + "l0ad" * 15 + "-not-for-production-0123456789"

# What a successful POST answers (a redirect to this page, with one of these
# messages on the page it leads to). Anything else counts as an error.
SUCCESS = {
    # The first of the two answers is sealed; the second opens both.
    "answer": ("Your answer is saved and sealed.", "Both answers are open now"),
    "note": None,  # a redirect to the notes page is success
    "feeling": None,  # a redirect to the feelings page is success
}

if os.environ.get("TENDING_LOAD_ROLE") == "locust":
    # Only the Locust process imports Locust (it patches the standard library
    # for gevent); the driver above it never does.
    import itertools

    from locust import FastHttpUser, constant, events, task

    SESSIONS = [
        line.split() for line in Path(os.environ["TENDING_LOAD_SESSIONS"]).read_text().splitlines()
    ]
    OFFSET = int(os.environ.get("TENDING_LOAD_OFFSET", "0"))
    RESULTS = Path(os.environ["TENDING_LOAD_RESULTS"])
    RUN = os.environ["TENDING_LOAD_RUN"]
    EMOTIONS = json.loads(
        (ROOT / "tending" / "feelings" / "data" / "emotions.json").read_text(encoding="utf-8")
    )
    WORDS = [(w["family"], w["id"]) for w in EMOTIONS["words"]]
    _next = itertools.count()
    _CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
    # The answer form (only there while today's question waits for this person).
    _PROMPT = re.compile(
        r'action="/bonds/\d+/daily/answer/".*?<input type="hidden" name="prompt" value="([^"]+)"',
        re.S,
    )

    SERVER_TIMES: dict[str, list[float]] = {}

    @events.request.add_listener
    def _server_time(name: str, response=None, **_kw) -> None:  # type: ignore[no-untyped-def]
        """Keep each response's Server-Timing: time in Django, apart from queueing."""
        timing = (response.headers.get("Server-Timing", "") or "") if response else ""
        if "dur=" in timing:
            SERVER_TIMES.setdefault(name, []).append(float(timing.split("dur=")[1]))

    @events.quitting.add_listener
    def _write_server_times(**_kw) -> None:  # type: ignore[no-untyped-def]
        Path(os.environ["TENDING_LOAD_SERVER_TIMES"]).write_text(json.dumps(SERVER_TIMES))

    def _record(kind: str, token: str, outcome: str) -> None:
        """What the server said to one POST: "saved" (success), "refused" (it
        answered without saving, say "already answered") or "failed" (an error
        or no answer). The consistency check compares these with the database."""
        with RESULTS.open("a", encoding="utf-8") as out:
            out.write(json.dumps({"kind": kind, "token": token, "outcome": outcome}) + "\n")

    class Baseline(FastHttpUser):
        """/healthz alone, as fast as it answers."""

        wait_time = constant(0)

        @task
        def healthz(self) -> None:
            self.client.get("/healthz", name="/healthz")

    class Member(FastHttpUser):
        """One member of one bond, signed in, going through the day's pages."""

        wait_time = constant(0)

        def on_start(self) -> None:
            user_pk, key = SESSIONS[(OFFSET + next(_next)) % len(SESSIONS)]
            self.bond = (int(user_pk) + 1) // 2
            self.client.cookiejar.set_cookie(
                _cookie("sessionid", key, self.host),
            )
            self.base = f"/bonds/{self.bond}"
            self.n = 0

        def _token(self, kind: str) -> str:
            self.n += 1
            return f"load-{RUN}-{kind}-{uuid.uuid4().hex}"

        def _post(self, kind: str, path: str, data: dict[str, str], follow: str) -> None:
            token = data.pop("_token")
            with self.client.post(
                path, data=data, name=f"{kind} (POST)", allow_redirects=False, catch_response=True
            ) as response:
                where = response.headers.get("Location", "")
                # A heavy feeling word leads to the same page with ?support=1 (feelings.views).
                if response.status_code != 302 or not where.split("?")[0].endswith(follow):
                    response.failure(f"{kind}: {response.status_code} to {where!r}")
                    _record(kind, token, "failed")
                    return
                response.success()
            if SUCCESS[kind] is None:
                _record(kind, token, "saved")
                self.client.get(where, name=f"after {kind}")
                return
            with self.client.get(where, name=f"after {kind}", catch_response=True) as page:
                if page.status_code != 200:
                    page.failure(f"{kind}: the page after it answered {page.status_code}")
                    _record(kind, token, "unknown")
                elif any(message in page.text for message in SUCCESS[kind]):
                    _record(kind, token, "saved")
                    page.success()
                else:
                    page.failure(f"{kind}: no success message")
                    _record(kind, token, "refused")

        @task(4)
        def home(self) -> None:
            self.client.get(f"{self.base}/", name="bond home")
            self.client.get(
                f"{self.base}/garden/preview/",
                name="garden in small",
                headers={"HX-Request": "true"},
            )

        @task(2)
        def garden(self) -> None:
            self.client.get(f"{self.base}/garden/", name="garden")

        @task(3)
        def daily(self) -> None:
            page = self.client.get(f"{self.base}/daily/", name="daily question")
            prompt = _PROMPT.search(page.text or "")
            csrf = _CSRF.search(page.text or "")
            if prompt is None or csrf is None:
                return  # answered already today: the page shows the answers
            token = self._token("answer")
            self._post(
                "answer",
                f"{self.base}/daily/answer/",
                {
                    "csrfmiddlewaretoken": csrf.group(1),
                    "prompt": prompt.group(1),
                    "text": f"An answer written under load. {token}",
                    "_token": token,
                },
                f"{self.base}/daily/",
            )

        @task(1)
        def note(self) -> None:
            page = self.client.get(f"{self.base}/notes/", name="notes page")
            csrf = _CSRF.search(page.text or "")
            if csrf is None:
                return
            token = self._token("note")
            self._post(
                "note",
                f"{self.base}/notes/new/",
                {
                    "csrfmiddlewaretoken": csrf.group(1),
                    "text": f"Thinking of you this afternoon. {token}",
                    "timing": "now",
                    "_token": token,
                },
                f"{self.base}/notes/",
            )

        @task(1)
        def feeling(self) -> None:
            page = self.client.get(f"{self.base}/feelings/", name="feelings page")
            csrf = _CSRF.search(page.text or "")
            if csrf is None:
                return
            family, word = WORDS[self.n % len(WORDS)]
            token = self._token("feeling")
            self._post(
                "feeling",
                f"{self.base}/feelings/new/",
                {
                    "csrfmiddlewaretoken": csrf.group(1),
                    "family": family,
                    "word": word,
                    "intensity": "3",
                    "note": token,
                    "share": "on",
                    "_token": token,
                },
                f"{self.base}/feelings/",
            )

        @task(1)
        def notifications(self) -> None:
            self.client.get("/notifications/", name="notifications")

    def _cookie(name: str, value: str, host: str):  # type: ignore[no-untyped-def]
        from http.cookiejar import Cookie
        from urllib.parse import urlsplit

        domain = urlsplit(host).hostname or "127.0.0.1"
        return Cookie(
            0, name, value, None, False, domain, False, False, "/", True, False, None, False,
            None, None, {},
        )  # fmt: skip


# --- the driver ----------------------------------------------------------------------------------


def _psql(sql: str) -> None:
    subprocess.run(["psql", ADMIN_URL, "-q", "-c", sql], check=True, capture_output=True)


def _env(db_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": db_url,
        "DJANGO_SETTINGS_MODULE": "tending.settings",
        "SECRET_KEY": SECRET,
        "DEBUG": "false",
        "LOG_LEVEL": "WARNING",
    }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _copy(cursor, table: str, columns: list[str], rows) -> int:  # type: ignore[no-untyped-def]
    count = 0
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def seed(bonds: int, years: int, sessions_file: Path) -> dict[str, int]:
    """Run in a child process: the bonds' history, then a session for every member."""
    import django

    django.setup()
    sys.path.insert(0, str(BENCH))
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import connection
    from seeding import seed_activity

    from tending.accounts.models import User

    counts = seed_activity(connection, bonds=bonds, years=years, copy=_copy)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    lines = []
    for user in User.objects.order_by("pk").only("pk", "password"):
        store = SessionStore()
        store["_auth_user_id"] = str(user.pk)
        store["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
        store["_auth_user_hash"] = user.get_session_auth_hash()
        store.create()
        lines.append(f"{user.pk} {store.session_key}")
    sessions_file.write_text("\n".join(lines))
    counts["sessions"] = len(lines)
    return counts


def entry_counts() -> dict[str, int]:
    """Run in a child process: the rows of every entry table."""
    import django

    django.setup()
    from tending.bonds.privacy import entry_models

    return {m._meta.label: m.objects.count() for m in entry_models()}


def written_tokens(run: str) -> dict[str, list[str]]:
    """Run in a child process: the tokens of this run found in the database."""
    import django

    django.setup()
    from tending.feelings.models import FeelingCheckin
    from tending.notes.models import Note
    from tending.prompts.models import DailyAnswer

    pattern = re.compile(rf"load-{run}-\w+-[0-9a-f]{{32}}")

    def tokens(texts) -> list[str]:  # type: ignore[no-untyped-def]
        return [m.group(0) for text in texts for m in [pattern.search(text)] if m]

    prefix = f"load-{run}-"
    return {
        "answer": tokens(
            DailyAnswer.objects.filter(text__contains=prefix).values_list("text", flat=True)
        ),
        "note": tokens(Note.objects.filter(text__contains=prefix).values_list("text", flat=True)),
        "feeling": tokens(
            FeelingCheckin.objects.filter(note__contains=prefix).values_list("note", flat=True)
        ),
    }


def _child(env: dict[str, str], *args: str) -> object:
    out = subprocess.run(
        [sys.executable, __file__, "--child", *args],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def _wait_healthy(base: str) -> None:
    for _ in range(240):
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError("the server did not become healthy (is the worker running?)")


def _locust(
    base: str, user_class: str, users: int, seconds: int, csv_prefix: Path, env: dict[str, str]
) -> tuple[list[dict[str, str]], dict[str, list[float]]]:
    """One phase; Locust's stats per page, and the server times it saw per page."""
    times = Path(f"{csv_prefix}_server_times.json")
    times.unlink(missing_ok=True)
    env = env | {"TENDING_LOAD_SERVER_TIMES": str(times)}
    subprocess.run(
        [
            sys.executable,
            "-m",
            "locust",
            "-f",
            __file__,
            "--headless",
            "--host",
            base,
            "-u",
            str(users),
            "-r",
            str(users),
            "-t",
            f"{seconds}s",
            # Let every request in flight finish: none is cut off unanswered.
            "--stop-timeout",
            "60",
            "--csv",
            str(csv_prefix),
            "--only-summary",
            "--loglevel",
            "ERROR",
            "--exit-code-on-error",
            "0",
            user_class,
        ],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    with open(f"{csv_prefix}_stats.csv", newline="") as f:
        stats = list(csv.DictReader(f))
    return stats, json.loads(times.read_text()) if times.exists() else {}


def _cpu_by_pid(pids: set[int] | None = None, session: int | None = None) -> dict[int, float]:
    """CPU seconds (user + system) used so far by these processes, or by every
    process of a session (gunicorn and its web processes)."""
    ticks = os.sysconf("SC_CLK_TCK")
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid = int(stat.parent.name)
        if (pids is not None and pid in pids) or (
            session is not None and int(fields[3]) == session
        ):
            found[pid] = (int(fields[11]) + int(fields[12])) / ticks
    return found


def _backends(db_name: str) -> set[int]:
    """The PostgreSQL server processes serving the benchmark's database."""
    out = subprocess.run(
        [
            "psql",
            ADMIN_URL,
            "-At",
            "-c",
            f"SELECT pid FROM pg_stat_activity WHERE datname = '{db_name}'",  # noqa: S608 (checked name)
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return {int(line) for line in out.split()}


class CpuMeter:
    """CPU used by the web processes and by the database's processes for this
    database during a phase: unlike response times, it hardly depends on what
    else the machine is doing, so it gives the capacity of a machine of one's own."""

    def __init__(self, web_session: int, db_name: str) -> None:
        self.web_session, self.db_name = web_session, db_name

    def __enter__(self) -> CpuMeter:
        self.web0 = _cpu_by_pid(session=self.web_session)
        self.db0 = _cpu_by_pid(pids=_backends(self.db_name))
        return self

    def __exit__(self, *exc: object) -> None:
        web1 = _cpu_by_pid(session=self.web_session)
        db1 = _cpu_by_pid(pids=_backends(self.db_name) | set(self.db0))
        self.web = sum(cpu - self.web0.get(pid, 0.0) for pid, cpu in web1.items())
        self.db = sum(cpu - self.db0.get(pid, 0.0) for pid, cpu in db1.items())


def _row(name: str, stats: dict[str, str], server: list[float] | None = None) -> str:
    errors = int(stats["Failure Count"])
    server_ms = f"{statistics.median(server):>9.1f}" if server else f"{'':>9}"
    return (
        f"  {name:<22}{float(stats['Requests/s']):>9.1f}{stats['50%']:>9}{stats['99%']:>9}"
        f"{server_ms}{int(stats['Request Count']):>9}{errors:>8}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="100 bonds, 10 users, 20 s phases")
    parser.add_argument("--bonds", type=int)
    parser.add_argument("--years", type=int, default=1)
    parser.add_argument("--users", help="levels of concurrent users, e.g. 10,50,100")
    parser.add_argument("--duration", type=int, help="seconds per phase")
    parser.add_argument(
        "--workers",
        type=int,
        default=2 * (os.cpu_count() or 1) + 1,
        help="web processes (default, as `tending serve --prod`: 2 x cores + 1)",
    )
    parser.add_argument("--threads", type=int, default=1, help="threads per web process")
    parser.add_argument("--db-name", default="tending_bench_load")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", args.db_name):
        parser.error("--db-name: lower-case letters, digits and _ only")
    bonds = args.bonds or (100 if args.quick else 1000)
    levels = [int(u) for u in (args.users or ("10" if args.quick else "10,50,100")).split(",")]
    seconds = args.duration or (20 if args.quick else 60)
    if sum(levels) > 2 * bonds:
        parser.error("more simulated people than members: raise --bonds")

    sys.path.insert(0, str(BENCH))
    from machine import describe

    print(describe())
    print(
        f"{bonds} bonds with {args.years} year(s) of history; gunicorn {args.workers} "
        f"process(es) x {args.threads} thread(s); {seconds} s per phase; levels {levels}"
    )
    db_url = f"postgres://postgres@127.0.0.1:5432/{args.db_name}"
    env = _env(db_url)
    work = ROOT / "var" / "bench" / "load"
    work.mkdir(parents=True, exist_ok=True)
    sessions_file = work / "sessions.txt"
    results = work / "posts.jsonl"
    results.unlink(missing_ok=True)
    run = uuid.uuid4().hex[:8]

    _psql(f"DROP DATABASE IF EXISTS {args.db_name}")
    _psql(f"CREATE DATABASE {args.db_name}")
    server = worker = None
    try:
        started = time.monotonic()
        subprocess.run(
            [sys.executable, "-m", "tending.cli", "migrate", "-v", "0"], env=env, check=True
        )
        counts = _child(env, "seed", str(bonds), str(args.years), str(sessions_file))
        print(f"seeded in {time.monotonic() - started:.0f} s: {counts}")
        before = _child(env, "counts")

        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        serve_env = env | {"SITE_URL": base, "ALLOWED_HOSTS": "127.0.0.1"}
        server = subprocess.Popen(
            [sys.executable, "-m", "tending.cli", "serve", "--prod", "--port", str(port)]
            + ["--workers", str(args.workers), "--threads", str(args.threads)],
            env=serve_env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        worker = subprocess.Popen(
            [sys.executable, "-m", "tending.cli", "worker"],
            env=serve_env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        _wait_healthy(base)

        summary = []
        offset = 0
        for users in levels:
            locust_env = serve_env | {
                "TENDING_LOAD_ROLE": "locust",
                "TENDING_LOAD_SESSIONS": str(sessions_file),
                "TENDING_LOAD_RESULTS": str(results),
                "TENDING_LOAD_RUN": run,
                "TENDING_LOAD_OFFSET": str(offset),
            }
            offset += users  # each level's people are members not used before
            print(f"\n{users} concurrent users")
            print(
                f"  {'page':<22}{'req/s':>9}{'median':>9}{'p99':>9}{'server':>9}"
                f"{'requests':>9}{'errors':>8}"
            )
            with CpuMeter(server.pid, args.db_name) as alone_cpu:
                alone, alone_times = _locust(
                    base, "Baseline", users, seconds, work / f"healthz-{users}", locust_env
                )
            healthz = next(r for r in alone if r["Name"] == "Aggregated")
            print(_row("/healthz (alone)", healthz, alone_times.get("/healthz")))
            with CpuMeter(server.pid, args.db_name) as mixed_cpu:
                mixed, mixed_times = _locust(
                    base, "Member", users, seconds, work / f"mixed-{users}", locust_env
                )
            for stats in mixed:
                if stats["Name"] != "Aggregated":
                    print(_row(stats["Name"], stats, mixed_times.get(stats["Name"])))
            total = next(r for r in mixed if r["Name"] == "Aggregated")
            print(_row("mixed, all pages", total))
            share = float(total["Requests/s"]) / max(float(healthz["Requests/s"]), 0.001)
            worst = max(
                (int(float(r["99%"])) for r in mixed if r["Name"] != "Aggregated"), default=0
            )
            errors = int(total["Failure Count"]) + int(healthz["Failure Count"])
            print(
                f"  mixed throughput = {share:.0%} of /healthz's; worst page p99 {worst} ms; "
                f"{errors} errors"
            )
            for label, meter, stats in (
                ("/healthz", alone_cpu, healthz),
                ("mixed", mixed_cpu, total),
            ):
                done = max(int(stats["Request Count"]), 1)
                web_ms, db_ms = meter.web * 1000 / done, meter.db * 1000 / done
                print(
                    f"  CPU per request, {label}: web {web_ms:.1f} ms + database {db_ms:.1f} ms"
                    f" = {web_ms + db_ms:.1f} ms (so {1000 * (os.cpu_count() or 1) / max(web_ms + db_ms, 0.01):.0f} req/s"
                    f" on these {os.cpu_count()} cores if nothing else ran)"
                )
            summary.append((users, share, worst, errors))
        time.sleep(2)
    finally:
        for proc in (server, worker):
            if proc is not None:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(timeout=60)

    # Consistency: each POST answered with success is in the database exactly
    # once, and no entry was written that was not.
    after = _child(env, "counts")
    found = _child(env, "tokens", run)
    outcomes: dict[str, dict[str, str]] = {kind: {} for kind in SUCCESS}
    if results.exists():
        for line in results.read_text().splitlines():
            item = json.loads(line)
            outcomes[item["kind"]][item["token"]] = item["outcome"]
    sent = {kind: [t for t, o in told.items() if o == "saved"] for kind, told in outcomes.items()}
    problems = []
    for kind, told in outcomes.items():
        stored = found[kind]  # type: ignore[index]
        saved = set(sent[kind])
        missing = saved - set(stored)
        doubled = {t for t in stored if stored.count(t) > 1}
        unasked = {t for t in stored if t not in saved and told.get(t) != "unknown"}
        if missing or doubled or unasked:
            problems.append(
                f"{kind}: {len(missing)} missing, {len(doubled)} doubled, "
                f"{len(unasked)} written without a success"
            )
        tally = {o: list(told.values()).count(o) for o in ("saved", "refused", "failed", "unknown")}
        print(f"\n{kind}: POSTs {tally}; {len(stored)} found in the database")
    expected = {
        "prompts.DailyAnswer": len(found["answer"]),  # type: ignore[index]
        "notes.Note": len(found["note"]),  # type: ignore[index]
        "feelings.FeelingCheckin": len(found["feeling"]),  # type: ignore[index]
    }
    for label, count in after.items():  # type: ignore[union-attr]
        grew = count - before[label]  # type: ignore[index]
        if grew != expected.get(label, 0):
            problems.append(f"{label}: {grew} new rows, expected {expected.get(label, 0)}")
    if problems:
        print("\nconsistency: PROBLEMS\n  " + "\n  ".join(problems))
    else:
        print("\nconsistency: every successful POST stored exactly once, nothing else written")
    if not args.keep:
        _psql(f"DROP DATABASE IF EXISTS {args.db_name}")

    print("\nsummary (target at 50 users: mixed >= 40% of /healthz, every p99 < 500 ms, 0 errors)")
    for users, share, worst, errors in summary:
        print(f"  {users:>4} users: {share:.0%} of /healthz, worst p99 {worst} ms, {errors} errors")
    if problems:
        sys.exit(1)


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        job, rest = sys.argv[2], sys.argv[3:]
        if job == "seed":
            print(json.dumps(seed(int(rest[0]), int(rest[1]), Path(rest[2]))))
        elif job == "counts":
            print(json.dumps(entry_counts()))
        elif job == "tokens":
            print(json.dumps(written_tokens(rest[0])))
    else:
        main()
