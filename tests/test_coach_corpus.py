"""The coach's training corpus (tending/coach/data/corpus/): one file per primary label,
each line a labelled message; see the labelling guide in docs/coach.md."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from tending.coach.labels import LABELS

CORPUS = Path(__file__).resolve().parent.parent / "tending" / "coach" / "data" / "corpus"
ALL_LABELS = (*LABELS, "none")
BONDS = {"partners", "friends", "siblings", "parent_child", "solo_note", "any"}
KEYS = {"id", "text", "labels", "bond", "voice"}
MIN_PER_LABEL = 300
MIN_TOTAL = 4000
MAX_CHARS = 1000


def _rows() -> list[tuple[str, int, dict]]:
    rows = []
    for path in sorted(CORPUS.glob("*.jsonl")):
        for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
            rows.append((path.stem, number, json.loads(line)))
    return rows


ROWS = _rows()


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def test_there_is_one_file_per_label_and_no_other() -> None:
    assert sorted(p.stem for p in CORPUS.glob("*.jsonl")) == sorted(ALL_LABELS)


def test_every_line_is_a_well_formed_message() -> None:
    for label, number, row in ROWS:
        where = f"{label}.jsonl line {number}"
        assert set(row) == KEYS, where
        assert isinstance(row["text"], str) and row["text"].strip(), where
        assert len(row["text"]) < MAX_CHARS, where
        assert row["bond"] in BONDS, where
        assert re.fullmatch(r"[a-z][a-z0-9-]*", str(row["voice"])), where
        assert re.fullmatch(rf"{label}-\d{{4}}", row["id"]), where


def test_labels_are_valid_and_the_primary_one_names_the_file() -> None:
    for label, number, row in ROWS:
        where = f"{label}.jsonl line {number}"
        labels = row["labels"]
        assert labels and labels[0] == label, where
        assert all(name in ALL_LABELS for name in labels), where
        assert len(set(labels)) == len(labels), where
        # "none" means none of the ten, so it never shares a message with another label.
        assert "none" not in labels[1:] and (label != "none" or len(labels) == 1), where


def test_ids_are_unique() -> None:
    counts = Counter(row["id"] for _, _, row in ROWS)
    assert [i for i, n in counts.items() if n > 1] == []


def test_no_text_appears_twice_ignoring_case_and_spacing() -> None:
    counts = Counter(_fold(row["text"]) for _, _, row in ROWS)
    assert [t for t, n in counts.items() if n > 1] == []


@pytest.mark.parametrize("label", ALL_LABELS)
def test_every_label_has_enough_messages(label: str) -> None:
    assert sum(1 for name, _, _ in ROWS if name == label) >= MIN_PER_LABEL


def test_the_corpus_is_big_enough_and_many_voiced() -> None:
    assert len(ROWS) >= MIN_TOTAL
    assert len({row["voice"] for _, _, row in ROWS}) >= 20
    assert {row["bond"] for _, _, row in ROWS} == BONDS
