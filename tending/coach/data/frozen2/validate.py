"""Check the second frozen coach test set: it parses, its labels, bonds and ids are
valid and unique, no text repeats, and every label is the primary of enough messages.

Run from the repository root: python tending/coach/data/frozen2/validate.py
"""

import collections
import json
import pathlib
import re
import sys

# The ten labels of tending/coach/labels.py plus "none", kept here so the check needs no import.
LABELS = (
    "logistics",
    "feeling",
    "appreciation",
    "curiosity",
    "criticism",
    "contempt",
    "defensiveness",
    "stonewalling",
    "repair",
    "humor",
    "none",
)
BONDS = {"partners", "friends", "siblings", "parent_child", "solo_note", "any"}
MIN_PRIMARY = 90


def main() -> int:
    path = pathlib.Path(__file__).with_name("test.jsonl")
    problems = []
    ids, texts = set(), {}
    primary, anywhere, bonds, voices = (collections.Counter() for _ in range(4))
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        row = json.loads(line)
        if set(row) != {"id", "text", "labels", "bond", "voice"}:
            problems.append(f"line {n}: keys {sorted(row)}")
        labels = row["labels"]
        if not labels or len(labels) > 3 or len(set(labels)) != len(labels):
            problems.append(f"line {n}: labels {labels}")
        if any(lab not in LABELS for lab in labels):
            problems.append(f"line {n}: unknown label in {labels}")
        if "none" in labels and labels != ["none"]:
            problems.append(f"line {n}: none must stand alone")
        if row["bond"] not in BONDS:
            problems.append(f"line {n}: bond {row['bond']}")
        if not re.fullmatch(r"f2-\d{4}", row["id"]) or row["id"] in ids:
            problems.append(f"line {n}: id {row['id']}")
        ids.add(row["id"])
        key = " ".join(row["text"].lower().split())
        if not key:
            problems.append(f"line {n}: empty text")
        if key in texts:
            problems.append(f"line {n}: same text as line {texts[key]}")
        texts[key] = n
        primary[labels[0]] += 1
        anywhere.update(labels)
        bonds[row["bond"]] += 1
        voices[row["voice"]] += 1
    print(f"{len(ids)} messages")
    print("label          primary  any")
    for lab in LABELS:
        print(f"{lab:14} {primary[lab]:7} {anywhere[lab]:4}")
        if primary[lab] < MIN_PRIMARY:
            problems.append(f"{lab}: only {primary[lab]} primary (< {MIN_PRIMARY})")
    print("bonds:", dict(bonds.most_common()))
    print("voices:", dict(voices.most_common()))
    for p in problems:
        print("PROBLEM:", p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
