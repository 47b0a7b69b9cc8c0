"""Benchmark for reading a large Telegram export as a stream.

    .venv/bin/python bench/telegram_stream.py [--mb 1024] [--runs 1] [--keep]

Writes an invented Telegram Desktop `result.json` of about the given size (by
default 1 GB: some 3 million messages laid out as Telegram Desktop writes them,
with formatted text, replies, edits, media, calls and a few `\\xHH` escapes) into a temporary folder, then measures,
each in its own child process:

1. parsing alone (`chats.detect.parse`, every message read and dropped);
2. `tending insights FILE --json`, the whole command with the coach's labels.

Figures per row: wall time, CPU time and peak resident memory of the child
(read from getrusage(RUSAGE_CHILDREN) by a small wrapper). Target: peak memory
at most 200 MB for the 1 GB file, which the parsers reach by never holding the
file. `--mb 100` makes a quick run; `--keep` keeps the file for the next run.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from insights import measure  # the same child-process meter as the WhatsApp bench

ROOT = Path(__file__).resolve().parent.parent
TARGET_MB = 200.0

PARSE = """
import sys
from tending.insights.chats.detect import parse
stream, report = parse(sys.argv[1], "telegram")
for _ in stream:
    pass
print(report.messages, "messages", file=sys.stderr)
"""

WORDS = (
    "ok", "love you", "haha", "on my way", "can you pick up milk on the way home?",
    "I feel a bit low today, honestly", "thank you for last night, it meant a lot",
    "how was your day? what are you thinking about?", "running late, ten minutes",
    "did you see this recipe", "good night", "we should go to the sea this summer",
)  # fmt: skip


def _entities(parts: list[tuple[str, str]]) -> str:
    shown = ",\n".join(
        f'    {{\n     "type": "{kind}",\n     "text": {json.dumps(text, ensure_ascii=False)}\n    }}'
        for kind, text in parts
    )
    return f"[\n{shown}\n   ]"


def generate(path: Path, size: int, seed: int = 11) -> int:
    """An invented two-person chat of about `size` bytes, laid out as Telegram
    Desktop writes it (one key a line, text_entities beside text); returns how
    many messages it holds."""
    rng = random.Random(seed)
    when = datetime(2016, 5, 2, 7, 30)
    # Message bodies are drawn from a pool made once: writing stays fast.
    pool = []
    for words in WORDS:
        plain = json.dumps(words, ensure_ascii=False)
        pool.append(f'   "text": {plain},\n   "text_entities": {_entities([("plain", words)])}')
        bold = rng.choice(WORDS)
        pool.append(
            f'   "text": [\n    {json.dumps(words + " ", ensure_ascii=False)},\n    {{\n'
            f'     "type": "bold",\n     "text": {json.dumps(bold, ensure_ascii=False)}\n    }}\n   ],\n'
            f'   "text_entities": {_entities([("plain", words + " "), ("bold", bold)])}'
        )
    photo = (
        '   "photo": "(File not included. Change data exporting settings to download.)",\n'
        '   "width": 1280,\n   "height": 960,\n   "text": "",\n   "text_entities": []'
    )
    people = (("Noor", "user4242"), ("Eli", "user1717"))
    count = 0
    with path.open("w", encoding="utf-8") as out:
        out.write('{\n "name": "Noor",\n "type": "personal_chat",\n "id": 4242,\n "messages": [\n')
        while out.tell() < size:
            lines = []
            for _ in range(1000):
                when += timedelta(seconds=rng.choice((20, 45, 90, 600, 3600, 20000)))
                name, uid = people[rng.random() < 0.5]
                stamp = int(when.timestamp())
                roll = rng.random()
                head = (
                    f'  {{\n   "id": {count},\n   "type": "{"service" if roll < 0.002 else "message"}",\n'
                    f'   "date": "{when.isoformat()}",\n   "date_unixtime": "{stamp}",\n'
                )
                if roll < 0.002:
                    body = (
                        f'   "actor": "{name}",\n   "actor_id": "{uid}",\n   "action": "phone_call",\n'
                        f'   "duration_seconds": {rng.randint(5, 900)},\n   "text": "",\n   "text_entities": []'
                    )
                else:
                    body = f'   "from": "{name}",\n   "from_id": "{uid}",\n'
                    if roll > 0.9:
                        body += f'   "reply_to_message_id": {max(0, count - rng.randint(1, 20))},\n'
                    if roll > 0.97:
                        body += f'   "edited": "{when.isoformat()}",\n   "edited_unixtime": "{stamp + 60}",\n'
                    body += photo if roll < 0.05 else rng.choice(pool)
                    if roll > 0.999:  # Telegram's own escape, which JSON does not allow
                        body = body.replace('"text": "', '"text": "\\x09', 1)
                lines.append((",\n" if count else "") + head + body + "\n  }")
                count += 1
            out.write("".join(lines))
        out.write("\n ]\n}\n")
    return count


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--mb", type=int, default=1024, help="size of the export in MiB")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the file under var/bench/")
    args = parser.parse_args()

    if args.keep:
        folder = ROOT / "var" / "bench"
        folder.mkdir(parents=True, exist_ok=True)
    else:
        folder = Path(tempfile.mkdtemp(prefix="tending-telegram-"))
    path = folder / f"telegram_result_{args.mb}mb.json"
    try:
        if not path.exists():
            print(f"Generating about {args.mb} MiB into {path} ...", flush=True)
            start = time.perf_counter()
            count = generate(path, args.mb * 1024 * 1024)
            print(f"  {count:,} messages in {time.perf_counter() - start:.0f} s", flush=True)
        size_mb = path.stat().st_size / 2**20
        commands = [
            ("parsing only", [sys.executable, "-c", PARSE, str(path)]),
            (
                "tending insights --json",
                [sys.executable, "-m", "tending.cli", "insights", str(path), "--json"],
            ),  # fmt: skip
        ]
        print(f"File: {size_mb:,.0f} MiB\n")
        print(f"{'what':28} {'wall s':>8} {'CPU s':>8} {'peak MB':>8}")
        worst = 0.0
        for name, command in commands:
            for _ in range(args.runs):
                result = measure(command)
                if result["rc"] != 0:
                    print(f"{name:28} failed: {result['stderr'].strip()[-300:]}")
                    continue
                worst = max(worst, result["rss_mb"])
                print(
                    f"{name:28} {result['wall']:8.1f} {result['cpu']:8.1f} {result['rss_mb']:8.0f}",
                    flush=True,
                )
        print(
            f"\nLoad average (1 min): {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores. "
            f"Target peak ≤ {TARGET_MB:g} MB: {'met' if 0 < worst <= TARGET_MB else 'not met'}."
        )
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
