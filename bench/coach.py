"""Accuracy and speed of the gentle-words coach (no Django needed).

Run: .venv/bin/python bench/coach.py [--messages N]

Accuracy:
- cross-validation on the training data (stratified 5-fold, seed 18), as written into
  tending/coach/data/model.json by `tending coach train` (which recomputes it with
  `--report`): per-label precision, recall and F1 of the primary label, macro-F1 over
  the eleven labels, and harsh-label precision (a harsh label shown is among the
  message's labels);
- the frozen test set in force, tending/coach/data/frozen3/test.jsonl (`train.FROZEN_PATH`):
  written apart from the training data, never tuned on; its figures are reported once per
  frozen model.

Speed, single-threaded, CPU time of this process (other load on the machine does not
count against it), best of three runs:
- live: `analyse` (the composer's path) in ms per message;
- bulk: `fast_labels` in messages/s, warm (N messages cycled from the training texts,
  so every token is in the normalised-token cache) and cold (each distinct text once,
  with that cache emptied first);
- the cue lexicon alone, for comparison;
- the composer with its rewrites: `analyse` plus `rephrase` (which runs the coach again on
  every candidate line) over every harsh message of the rewrite dev sets and samples
  (tending/coach/data/rewrite_*.jsonl): median, p99 and worst, CPU time per message;
- the lines built from the composer's three questions, over the answers the writers of
  samples 15-19 typed (rewrite_sample*_answers.jsonl), with the coach's check of each line.
"""

from __future__ import annotations

import argparse
import itertools
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

started = time.perf_counter()
from tending.coach.analysis import (  # noqa: E402
    analyse,
    fast_labels,
    from_answers,
    lexicon_labels,
    model,
    rephrase,
)
from tending.coach.rewrite import Answers  # noqa: E402
from tending.coach.train import (  # noqa: E402
    FROZEN_PATH,
    format_report,
    load_rows,
    read_rows,
    score,
)

model()
IMPORT_SECONDS = time.perf_counter() - started
FROZEN = FROZEN_PATH


def throughput(func, messages: list[str], before=None) -> float:
    best = float("inf")
    for _ in range(3):
        if before is not None:
            before()
        start = time.process_time()
        for message in messages:
            func(message)
        best = min(best, time.process_time() - start)
    return len(messages) / best


def timed(what: str, items: list, call) -> None:
    """Print the median, p99 and worst CPU time of `call` over `items`, in ms."""
    times = []
    for item in items:
        start = time.process_time()
        call(item)
        times.append((time.process_time() - start) * 1e3)
    times.sort()
    p99 = times[min(len(times) - 1, round(0.99 * len(times)))]
    print(
        f"  {what}: median {statistics.median(times):.2f} ms, p99 {p99:.2f} ms, "
        f"worst {times[-1]:.2f} ms"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=200_000)
    args = parser.parse_args()
    shipped = model()
    print(format_report(shipped.report, "cross-validation on the training data"))
    if FROZEN.exists():
        print()
        print(format_report(score(read_rows(FROZEN)), f"frozen test set {FROZEN.name}"))

    texts = [row.text for row in load_rows()]
    messages = list(itertools.islice(itertools.cycle(texts), args.messages))
    average = sum(map(len, messages)) / len(messages)
    print(f"\nspeed, one core, {len(messages):,} messages of {average:.0f} characters on average")
    print(f"  import + lexicon compile + model load: {IMPORT_SECONDS:.2f} s")
    live = throughput(analyse, texts)
    print(f"  live  analyse        {1e3 / live:8.3f} ms per message ({live:,.0f} msg/s)")
    warm = throughput(fast_labels, messages)
    print(f"  bulk  fast_labels    {warm:10,.0f} msg/s warm (token cache filled)")
    cold = throughput(fast_labels, texts, before=shipped._normal.clear)
    print(f"  bulk  fast_labels    {cold:10,.0f} msg/s cold ({len(texts):,} distinct texts)")
    lexicon = throughput(lexicon_labels, messages)
    print(f"  cue lexicon alone    {lexicon:10,.0f} msg/s")
    long_text = " ".join(texts)[:10_000]
    rate = throughput(analyse, [long_text] * 50)
    print(f"  analyse on 10,000 characters: {1e3 / rate:.2f} ms per message")
    data = ROOT / "tending" / "coach" / "data"
    samples = [p for p in sorted(data.glob("rewrite_*.jsonl")) if not p.stem.endswith("_answers")]
    harsh = [
        row["text"]
        for path in samples
        for row in map(json.loads, path.read_text("utf-8").splitlines())
    ]
    timed(
        f"composer with rewrites, {len(harsh):,} harsh messages",
        harsh,
        lambda t: rephrase(t, analyse(t)),
    )
    # The composer's three questions: lines built from the writers' own answers
    # (data/rewrite_sample*_answers.jsonl), each with the coach's check of every line.
    texts_by_id = {
        row["id"]: row
        for path in samples
        for row in map(json.loads, path.read_text("utf-8").splitlines())
        if "id" in row
    }
    answered = [
        (Answers.of(row["what"], row["feel"], row["ask"]), texts_by_id[row["id"]])
        for path in sorted(data.glob("rewrite_*_answers.jsonl"))
        for row in map(json.loads, path.read_text("utf-8").splitlines())
    ]
    timed(
        f"lines from the three questions, {len(answered):,} answered messages",
        answered,
        lambda pair: from_answers(pair[0], pair[1]["label"], pair[1]["text"]),
    )
    print(
        f"\nsummary: CV macro-F1 {shipped.report['macro_f1']:.3f}, "
        f"live {1e3 / live:.3f} ms/message, bulk {warm:,.0f} msg/s warm, {cold:,.0f} cold"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
