"""Lighthouse scores (performance, accessibility, best practices) of the
landing page, a bond's home and the daily question, logged in, on a phone.

    cd bench/lighthouse && npm ci      # Lighthouse 12.2.3, pinned in package.json
    ../../.venv/bin/python bench/lighthouse/run.py [--runs 1]

Serves a fresh SQLite database with `tending serve --prod` (gunicorn,
compressed and hashed static files) on 127.0.0.1, logs alice in by a session
cookie put in the browser's cookie jar (measure.mjs), and runs Lighthouse's default mobile settings
(an emulated mid-range phone with simulated 4G throttling) against Debian's
Chromium. Lighthouse 13 needs Node 22; this machine has Node 20. Not part of
`make test` or `make bench`: it needs npm and takes a few minutes. A run that
fails with NO_NAVSTART (it happens) is tried again.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE.parent))

from machine import describe  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CATEGORIES = ("performance", "accessibility", "best-practices")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def seed() -> tuple[str, list[tuple[str, str, bool]]]:
    """alice and bob in a partner bond; returns alice's session cookie and the
    pages to measure (name, path, logged in)."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    from tending.accounts.models import User
    from tending.bonds.models import Bond, Kind, Membership

    call_command("migrate", verbosity=0)
    alice = User.objects.create_user(
        "alice@example.org", "a quiet walk by the river", display_name="Alice",
        time_zone="Europe/Berlin",
    )  # fmt: skip
    bob = User.objects.create_user(
        "bob@example.org", "a quiet walk by the river", display_name="Bob",
        time_zone="America/New_York",
    )  # fmt: skip
    bond = Bond.objects.create(kind=Kind.PARTNER, created_by=alice)
    Membership.objects.create(bond=bond, user=alice)
    Membership.objects.create(bond=bond, user=bob)
    client = Client()
    client.force_login(alice)
    cookie = client.cookies["sessionid"].value
    pages = [
        ("landing page", "/", False),
        ("bond home", reverse("bonds:detail", args=[bond.pk]), True),
        ("daily question", reverse("prompts:daily", args=[bond.pk]), True),
    ]
    return cookie, pages


def wait_until_up(url: str, seconds: int = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=5)  # noqa: S310
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"the server did not answer at {url}")


def lighthouse(url: str, cookie: str | None, out: Path) -> dict[str, float]:
    command = ["node", "measure.mjs", url, str(out), ",".join(CATEGORIES)]
    env = {**os.environ, "CHROME_PATH": CHROMIUM, "TENDING_SESSION": cookie or ""}
    for attempt in range(3):
        done = subprocess.run(command, cwd=HERE, env=env, capture_output=True, text=True)
        if done.returncode == 0 and out.exists():
            report = json.loads(out.read_text())
            if not report.get("runtimeError"):
                requests = report["audits"]["network-requests"]["details"]["items"]
                if cookie and any("/accounts/login/" in r["url"] for r in requests):
                    raise SystemExit(f"{url}: a request was sent to the log-in page")
                return {c: report["categories"][c]["score"] * 100 for c in CATEGORIES}
        print(f"  {url}: run {attempt + 1} failed, trying again", file=sys.stderr)
    raise SystemExit(f"Lighthouse failed on {url}:\n{done.stderr[-2000:]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1, help="runs per page (median shown)")
    parser.add_argument("--page", action="append", help="only this page (repeatable), e.g. home")
    args = parser.parse_args()
    if not (HERE / "node_modules" / "lighthouse").exists():
        raise SystemExit("Install Lighthouse first: cd bench/lighthouse && npm ci")

    work = Path(tempfile.mkdtemp(prefix="tending-lighthouse-"))
    port = free_port()
    site = f"http://127.0.0.1:{port}"
    os.environ.update(
        DJANGO_SETTINGS_MODULE="tending.settings",
        DATABASE_URL=f"sqlite:///{work / 'db.sqlite3'}",
        TENDING_DATA_DIR=str(work),
        SITE_URL=site,
        LOG_LEVEL="WARNING",
    )
    sys.path.insert(0, str(ROOT))
    cookie, pages = seed()
    server = subprocess.Popen(
        [sys.executable, "-m", "django", "serve", "--prod", "--port", str(port), "--workers", "2"],
        cwd=ROOT,
        env={**os.environ, "TENDING_PRODUCTION": "true"},
        stdout=subprocess.DEVNULL,
        stderr=open(work / "server.log", "wb"),  # noqa: SIM115
    )
    try:
        wait_until_up(site + "/")
        print(describe())
        print(f"Lighthouse 12.2.3, mobile (default settings), Chromium at {CHROMIUM}")
        print(f"{'page':<16} {'performance':>12} {'accessibility':>14} {'best practices':>15}")
        print(f"reports in {work}")
        for name, path, logged_in in pages:
            if args.page and not any(p in name for p in args.page):
                continue
            runs = [
                lighthouse(site + path, cookie if logged_in else None, work / f"{name}-{i}.json")
                for i in range(args.runs)
            ]
            median = {c: statistics.median(r[c] for r in runs) for c in CATEGORIES}
            print(
                f"{name:<16} {median['performance']:>12.0f} {median['accessibility']:>14.0f} "
                f"{median['best-practices']:>15.0f}"
            )
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
