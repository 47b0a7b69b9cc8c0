"""The coach's frozen test set: well formed, big enough per label, free of
repeats, documented as it is, and shipped inside the package.

These tests read the set's shape, never the coach's answers on it: scores on
the frozen set are reported once per frozen model, not tuned against here."""

from __future__ import annotations

import json
import re
import tomllib
from collections import Counter
from fnmatch import fnmatch
from pathlib import Path

from setuptools import find_namespace_packages

ROOT = Path(__file__).resolve().parent.parent
# The frozen set in force. The first two (ids frz- and f2-) were each scored once and then
# spent; they are training data now (data/more/frozen1.jsonl and frozen2.jsonl).
FROZEN = ROOT / "tending" / "coach" / "data" / "frozen3"
TEST_SET = FROZEN / "test.jsonl"

LABELS = {
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
}
BONDS = {"partners", "friends", "siblings", "parent_child", "solo_note", "any"}
KEYS = {"id", "text", "labels", "bond", "voice"}
MIN_TOTAL = 1000
MIN_PER_LABEL = 90


def _rows() -> list[dict]:
    return [json.loads(line) for line in TEST_SET.read_text("utf-8").splitlines()]


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


def test_every_line_is_one_well_formed_message() -> None:
    lines = TEST_SET.read_text("utf-8").splitlines()
    assert lines, "the frozen set is empty"
    for number, line in enumerate(lines, start=1):
        assert line.strip(), f"line {number} is blank"
        row = json.loads(line)
        assert isinstance(row, dict), f"line {number} is not an object"
        assert set(row) == KEYS, f"line {number} has keys {sorted(row)}"
        assert re.fullmatch(r"f3-\d{4}", row["id"]), f"line {number}: id {row['id']!r}"
        assert isinstance(row["text"], str) and row["text"].strip(), f"{row['id']}: no text"
        assert row["text"] == row["text"].strip(), f"{row['id']}: text has outer spaces"
        assert row["bond"] in BONDS, f"{row['id']}: bond {row['bond']!r}"
        assert isinstance(row["voice"], str) and re.fullmatch(r"[a-z0-9-]+", row["voice"]), (
            f"{row['id']}: voice {row['voice']!r}"
        )


def test_ids_are_unique() -> None:
    ids = Counter(row["id"] for row in _rows())
    assert [i for i, n in ids.items() if n > 1] == []


def test_labels_are_the_eleven_with_the_primary_first() -> None:
    for row in _rows():
        labels = row["labels"]
        assert isinstance(labels, list) and labels, f"{row['id']}: no labels"
        assert set(labels) <= LABELS, f"{row['id']}: unknown {set(labels) - LABELS}"
        assert len(labels) == len(set(labels)), f"{row['id']}: a label twice"
        assert len(labels) <= 3, f"{row['id']}: more than a primary and two others"
        if "none" in labels:
            assert labels == ["none"], f"{row['id']}: none beside another label"


def test_enough_messages_in_all_and_for_each_label() -> None:
    rows = _rows()
    assert len(rows) >= MIN_TOTAL
    primary = Counter(row["labels"][0] for row in rows)
    short = {label: primary[label] for label in LABELS if primary[label] < MIN_PER_LABEL}
    assert short == {}, f"labels with fewer than {MIN_PER_LABEL} primary messages: {short}"


def test_no_message_is_repeated_once_case_and_spaces_are_fold() -> None:
    folded = Counter(_fold(row["text"]) for row in _rows())
    assert [text for text, n in folded.items() if n > 1] == []


def test_the_readme_counts_are_the_files_counts() -> None:
    readme = (FROZEN / "README.md").read_text("utf-8")
    rows = _rows()
    primary = Counter(row["labels"][0] for row in rows)
    for label in LABELS:
        match = re.search(rf"^\| {label} \| (\d+) \|", readme, re.MULTILINE)
        assert match, f"README has no count row for {label}"
        assert int(match.group(1)) == primary[label], label
    total = re.search(r"^\| \*\*total\*\* \| (?:\*\*)?([\d,]+)(?:\*\*)? \|", readme, re.MULTILINE)
    assert total and int(total.group(1).replace(",", "")) == len(rows)


def test_the_frozen_set_ships_in_the_package() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    setuptools = config["tool"]["setuptools"]
    assert setuptools["packages"]["find"].get("namespaces", True), "data folders need namespaces"
    packages = find_namespace_packages(
        where=str(ROOT), include=setuptools["packages"]["find"]["include"]
    )
    assert "tending.coach.data.frozen3" in packages
    patterns = setuptools["package-data"].get("*", []) + setuptools["package-data"].get(
        "tending.coach.data.frozen3", []
    )
    assert any(fnmatch("test.jsonl", pattern) for pattern in patterns)


def test_no_message_is_also_in_the_training_data() -> None:
    # A message the model has seen in training would flatter its score. The trainer
    # leaves out any training message whose folded text is in the frozen set (short,
    # common replies such as "k." are in both), so no frozen text reaches the model.
    from tending.coach import train

    assert train.FROZEN_PATH == TEST_SET
    training = {_fold(row.text) for row in train.load_rows()}
    assert len(training) > 6000
    repeats = [row["id"] for row in _rows() if _fold(row["text"]) in training]
    assert repeats == []
