"""Benchmark for the worker's chat import (the web path of `tending insights`).

    .venv/bin/python bench/insights_job.py [--mb 60]

Writes an invented WhatsApp export and an invented Telegram `result.json` of
about the upload limit (60 MB) under var/bench/, then, each in its own child
process with a fresh SQLite database and data directory, queues one import and
runs the worker's job `read_next_import` on it, progress saving included.
Prints wall time and the child's peak RSS for each.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "var" / "bench"
TEXTS = (
    "can you pick up milk on the way home?",
    "haha that is so you",
    "I feel a bit low today, honestly",
    "thank you for last night, it meant a lot",
    "how was your day? what are you thinking about?",
    "ok",
    "running late, ten minutes",
    "love you",
)

CHILD = """
import json, os, resource, shutil, sys, tempfile, time
from pathlib import Path
work = Path(tempfile.mkdtemp(prefix="tending-bench-"))
os.environ["TENDING_DATA_DIR"] = str(work)
os.environ["DATABASE_URL"] = f"sqlite:///{work / 'db.sqlite3'}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tending.settings")
import django
django.setup()
from django.core.files import File
from django.core.management import call_command
call_command("migrate", verbosity=0)
from tending.accounts.models import User
from tending.bonds.models import Bond, Membership
from tending.insights import jobs, storage
from tending.insights.models import ChatImport
source = Path(sys.argv[1])
alice = User.objects.create_user("a@example.org", "x" * 12, display_name="Alice")
bob = User.objects.create_user("b@example.org", "x" * 12, display_name="Bob")
bond = Bond.objects.create(kind="partner", created_by=alice)
Membership.objects.create(bond=bond, user=alice)
Membership.objects.create(bond=bond, user=bob)
with source.open("rb") as opened:
    name = storage.IMPORTS.save(File(opened))
item = ChatImport.objects.create(bond=bond, author=alice, file_name=name, file_size=source.stat().st_size)
start = time.perf_counter()
jobs.read_next_import()
wall = time.perf_counter() - start
item.refresh_from_db()
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"wall": wall, "rss_mb": peak, "status": item.status,
                  "messages": item.progress_messages, "error": item.error}))
shutil.rmtree(work)
"""


def _whatsapp(path: Path, size: int) -> None:
    rng = random.Random(7)
    when = datetime(2018, 1, 1, 8, 0)
    with path.open("w", encoding="utf-8") as out:
        while out.tell() < size:
            when += timedelta(minutes=rng.randint(1, 240))
            who = "Alice" if rng.random() < 0.5 else "Bob"
            out.write(f"{when:%d/%m/%Y, %H:%M} - {who}: {rng.choice(TEXTS)}\n")


def _telegram(path: Path, size: int) -> None:
    rng = random.Random(7)
    when = datetime(2018, 1, 1, 8, 0)
    with path.open("w", encoding="utf-8") as out:
        out.write('{"name": "Bob", "type": "personal_chat", "id": 1, "messages": [\n')
        n = 0
        while out.tell() < size:
            when += timedelta(minutes=rng.randint(1, 240))
            who = "Alice" if rng.random() < 0.5 else "Bob"
            item = {
                "id": n,
                "type": "message",
                "date": when.isoformat(),
                "date_unixtime": str(int(when.timestamp())),
                "from": who,
                "from_id": f"user{1 if who == 'Alice' else 2}",
                "text": rng.choice(TEXTS),
            }
            out.write(("," if n else "") + json.dumps(item) + "\n")
            n += 1
        out.write("]}\n")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=int, default=60)
    args = parser.parse_args()
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    size = args.mb * 1024 * 1024 - 4096
    files = {
        "whatsapp": OUT_DIR / f"job_whatsapp_{args.mb}mb.txt",
        "telegram": OUT_DIR / f"job_telegram_{args.mb}mb.json",
    }
    for fmt, path in files.items():
        if not path.exists():
            (_whatsapp if fmt == "whatsapp" else _telegram)(path, size)
        done = subprocess.run(
            [sys.executable, "-c", CHILD, str(path)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode:
            print(f"{fmt}: failed\n{done.stderr[-1500:]}")
            continue
        result = json.loads(done.stdout.strip().splitlines()[-1])
        print(
            f"{fmt:9} {path.stat().st_size / 2**20:5.1f} MB  {result['messages']:>9,} messages  "
            f"{result['wall']:6.2f} s  peak RSS {result['rss_mb']:6.0f} MB  -> {result['status']}"
        )


if __name__ == "__main__":
    main()
