"""Benchmark for `tending insights` on a large WhatsApp export.

    .venv/bin/python bench/insights.py [--messages N] [--regenerate] [--skip-whatstk]

Generates an invented Android export of N messages (default 1,000,000) under
var/bench/, then measures, each in its own child process (wall time, CPU time
and peak RSS from resource.getrusage(RUSAGE_CHILDREN) inside a small wrapper
process):

1. `tending insights FILE --json` with the gentle-words coach's classifier;
2. the same pipeline with a trivial classifier (where the time goes);
3. parsing alone;
4. whatstk's parser on the same file (installed into the venv on demand).

Targets for (1) on the project's 2-core machine: at most 5 s and 200 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "var" / "bench"
TARGET_SECONDS = 5.0
TARGET_MB = 200.0

# Runs a command as its own child and reports that child's wall time and peak RSS.
MEASURE = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
wall = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
peak = usage.ru_maxrss / 1024
print(json.dumps({"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss_mb": peak, "rc": done.returncode,
                  "stderr": done.stderr.decode("utf-8", "replace")[-600:]}))
"""

PIPELINE = """
import json, os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tending.settings")
import django
django.setup()
from tending.insights.detect import parse
from tending.insights.indicators import Insights
mode = sys.argv[2]
stream, report = parse(sys.argv[1], "whatsapp")
if mode == "parse":
    for _ in stream:
        pass
else:
    insights = Insights(classify=lambda text: frozenset())
    add = insights.add
    for message in stream:
        add(message)
    sys.stdout.write(json.dumps(insights.result(report), ensure_ascii=False))
"""

WHATSTK = """
import sys
from whatstk import df_from_whatsapp
limit = None if sys.argv[3] == "none" else int(sys.argv[3])
kwargs = {} if limit == 0 else {"max_size": limit}
df = df_from_whatsapp(sys.argv[1], hformat=sys.argv[2], **kwargs)
print(len(df), "rows", file=sys.stderr)
"""

NAMES = ("Ana", "Bruno")
SHORT = (
    "ok", "okay", "haha", "hahaha", "lol", "yes", "no", "love you", "miss you", "thanks!",
    "on my way", "home soon", "good night", "morning", "\U0001F602", "\u2764\ufe0f", "sure",
    "sounds good", "see you soon", "hmm", "wow", "really?", "same", "of course", "\U0001F44D",
)  # fmt: skip
OPENERS = (
    "I think", "Honestly", "Do you remember", "Can you", "Could we", "I feel", "Today", "Tomorrow",
    "This morning", "Tonight", "I'm sorry", "Thank you for", "Why did you", "What if we", "I loved",
    "You always", "We should", "Let's", "I wonder if", "Did you see", "I was thinking about",
)  # fmt: skip
MIDDLES = (
    "the groceries", "dinner at eight", "your mum's birthday", "the train", "the rent", "the kids' school",
    "that film", "our trip", "the dentist", "the garden", "a walk after work", "your new job",
    "the weekend", "the bathroom tap", "the concert", "what you said yesterday", "the bills",
    "the cat", "my sister", "a quiet evening", "the long drive", "breakfast in bed",
)  # fmt: skip
ENDINGS = (
    ".", "!", "?", " \U0001F60A", " haha", " tonight?", " please.", " again.", " for a while.",
    ", it made my day.", ", I'm so tired.", " \u2764\ufe0f", " later?", " lol", "...",
)  # fmt: skip
LOGISTICS = (
    "Can you pick up milk on the way home?", "Running 10 min late", "Did you pay the electricity bill?",
    "Train is delayed again", "Don't forget the dentist at 3", "Parcel arrived", "Need anything from the shop?",
    "I'll take the car tomorrow", "Kids picked up", "Booked the table for 8",
)  # fmt: skip
SYSTEM = (
    "Bruno changed their phone number to a new number. Tap to message or add the new number.",
    "Your security code with Ana changed. Tap to learn more.",
)


def _sentence(rng: random.Random, logistics_bias: float) -> str:
    roll = rng.random()
    if roll < 0.28:
        return rng.choice(SHORT)
    if roll < 0.28 + logistics_bias:
        return rng.choice(LOGISTICS)
    words = f"{rng.choice(OPENERS)} {rng.choice(MIDDLES)}{rng.choice(ENDINGS)}"
    if rng.random() < 0.35:
        words += f" {rng.choice(OPENERS).lower()} {rng.choice(MIDDLES)}{rng.choice(ENDINGS)}"
    return words


def generate(path: Path, count: int, seed: int = 7) -> None:
    """An invented two-person Android export (about eight years of a chatty pair): 24-hour clock, day-first dates,
    bursts of conversation, multi-line messages, media, deletions, edits and
    a few system lines; talk drifts slowly toward logistics over the years."""
    rng = random.Random(seed)
    when = datetime(2017, 3, 14, 8, 0)
    path.parent.mkdir(parents=True, exist_ok=True)
    sender = 0
    with path.open("w", encoding="utf-8", newline="\n") as out:
        out.write(
            when.strftime("%d/%m/%Y, %H:%M")
            + " - Messages and calls are end-to-end encrypted. No one outside of this chat, "
            "not even WhatsApp, can read or listen to them. Tap to learn more.\n"
        )
        for index in range(count - 1):
            roll = rng.random()
            if roll < 0.0001:
                when += timedelta(days=rng.randint(3, 6))
            elif roll < 0.0031:
                when += timedelta(hours=rng.randint(6, 14), minutes=rng.randint(0, 59))
            elif roll < 0.15:
                when += timedelta(minutes=rng.randint(1, 20))
            else:
                when += timedelta(seconds=rng.randint(0, 50))
            if rng.random() < 0.45:
                sender = 1 - sender
            stamp = when.strftime("%d/%m/%Y, %H:%M")
            kind = rng.random()
            if kind < 0.0004:
                out.write(f"{stamp} - {rng.choice(SYSTEM)}\n")
                continue
            if kind < 0.045:
                body = "<Media omitted>"
            elif kind < 0.055:
                body = "This message was deleted"
            else:
                body = _sentence(rng, 0.08 + 0.25 * index / count)
                if kind < 0.065:
                    body += " <This message was edited>"
                elif kind < 0.11:
                    body += "".join(f"\n{_sentence(rng, 0.1)}" for _ in range(rng.randint(1, 3)))
            out.write(f"{stamp} - {NAMES[sender]}: {body}\n")


def measure(command: list[str]) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, *command],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    try:
        return json.loads(done.stdout.strip().splitlines()[-1])
    except (IndexError, json.JSONDecodeError):
        return {
            "wall": float("nan"),
            "rss_mb": float("nan"),
            "rc": -1,
            "stderr": done.stderr[-600:],
        }


def _last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:200] if lines else "no message"


def _rows_note(result: dict) -> str:
    return _last_line(result.get("stderr", "")) + " (system lines are not rows)"


def ensure_whatstk() -> str | None:
    """None when whatstk is importable (installing it if need be), else why not."""
    check = [sys.executable, "-c", "import whatstk"]
    if subprocess.run(check, capture_output=True, check=False).returncode == 0:
        return None
    install = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "whatstk"],
        capture_output=True,
        text=True,
        check=False,
    )
    if install.returncode != 0:
        return "pip install whatstk failed: " + install.stderr.strip()[-300:]
    if subprocess.run(check, capture_output=True, check=False).returncode != 0:
        return "whatstk installed but cannot be imported"
    return None


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--skip-whatstk", action="store_true")
    args = parser.parse_args()

    path = OUT_DIR / f"whatsapp_android_{args.messages}.txt"
    if args.regenerate or not path.exists():
        print(
            f"Generating {args.messages:,} messages into {path.relative_to(ROOT)} ...", flush=True
        )
        generate(path, args.messages)
    size_mb = path.stat().st_size / 1e6
    lines = sum(1 for _ in path.open("rb"))
    print(f"File: {size_mb:.0f} MB, {lines:,} lines, {args.messages:,} messages\n", flush=True)

    load_before = os.getloadavg()[0]
    rows: list[tuple[str, dict, str]] = []
    cli = [sys.executable, "-m", "tending.cli", "insights", str(path), "--json"]
    rows.append(("tending insights --json (coach labels)", measure(cli), "target ≤ 5 s, ≤ 200 MB"))
    print("measured 1/4", flush=True)
    pipeline = [sys.executable, "-c", PIPELINE, str(path)]
    rows.append(("same pipeline, trivial classifier", measure([*pipeline, "fold"]), ""))
    print("measured 2/4", flush=True)
    rows.append(("parsing only (no indicators)", measure([*pipeline, "parse"]), ""))
    print("measured 3/4", flush=True)
    if args.skip_whatstk:
        rows.append(("whatstk df_from_whatsapp", {}, "skipped (--skip-whatstk)"))
    else:
        problem = ensure_whatstk()
        if problem:
            rows.append(("whatstk df_from_whatsapp", {}, problem))
        else:
            hformat = "%d/%m/%Y, %H:%M - %name:"
            # whatstk refuses files over its max_size (50 MB by default): try as
            # shipped first, then with the limit lifted.
            default = measure([sys.executable, "-c", WHATSTK, str(path), hformat, "0"])
            if default.get("rc") == 0:
                rows.append(("whatstk df_from_whatsapp", default, _rows_note(default)))
            else:
                why = _last_line(default.get("stderr", ""))
                rows.append(("whatstk, as shipped", {}, f"cannot parse it: {why}"))
                lifted = measure([sys.executable, "-c", WHATSTK, str(path), hformat, "none"])
                note = (
                    _rows_note(lifted)
                    if lifted.get("rc") == 0
                    else "failed: " + _last_line(lifted.get("stderr", ""))
                )
                rows.append(("whatstk, max_size=None", lifted, note))
    print("measured 4/4\n", flush=True)

    print(f"{'what':42} {'wall s':>8} {'CPU s':>8} {'peak MB':>8}  note")
    for name, result, note in rows:
        wall = f"{result['wall']:.2f}" if result else "-"
        cpu = f"{result['cpu']:.2f}" if result else "-"
        rss = f"{result['rss_mb']:.0f}" if result else "-"
        if result and result.get("rc") not in (0, None) and not note:
            note = "failed: " + result.get("stderr", "")[-200:]
        print(f"{name:42} {wall:>8} {cpu:>8} {rss:>8}  {note}")
    print(
        f"\nLoad average (1 min) before: {load_before:.2f}, after: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores;"
    )
    print("wall time on a busy machine overstates; CPU s is the process's own user + system time.")
    first = rows[0][1]
    if first and first.get("rc") == 0:
        ok = first["wall"] <= TARGET_SECONDS and first["rss_mb"] <= TARGET_MB
        print(f"\nTargets met: {'yes' if ok else 'no'}")


if __name__ == "__main__":
    main()
