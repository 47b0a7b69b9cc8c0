"""The coach's learned model: shipped, current, reproducible, and read the same way on
the live path and the bulk path."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tending.coach import train
from tending.coach.analysis import analyse, cue_view, fast_labels, model
from tending.coach.labels import LABELS, NEGATIVE
from tending.coach.model import MODEL_LABELS, MODEL_PATH, UNSURE, cue_features, decide, features

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tending" / "coach" / "data"
TEXTS = [row.text for row in train.load_rows()]


def test_the_shipped_model_is_small_and_in_the_package() -> None:
    assert MODEL_PATH.parent == DATA
    assert MODEL_PATH.stat().st_size < 5 * 1024 * 1024
    raw = json.loads(MODEL_PATH.read_text("utf-8"))
    assert raw["labels"] == list(MODEL_LABELS) == [*LABELS, "none"]


def test_the_shipped_model_was_trained_on_the_data_files_as_they_are() -> None:
    """A changed data file, lexicon or training setting without `tending coach train`
    fails here."""
    raw = json.loads(MODEL_PATH.read_text("utf-8"))
    assert raw["files"] == [path.name for path in train.training_files()]
    assert raw["data_hash"] == train.data_hash(), "run `tending coach train`"


def test_training_twice_gives_the_same_model() -> None:
    rows = train.load_rows()
    subset = [row for i, row in enumerate(rows) if i % 12 == 0]
    assert len({row.primary for row in subset}) == len(MODEL_LABELS)
    first = train.dumps(train.train(subset))
    second = train.dumps(train.train(subset))
    assert first == second
    assert json.loads(first)["report"]["messages"] == len(subset)


def test_harsh_thresholds_are_at_least_one_half() -> None:
    current = model()
    for label, threshold in zip(current.labels, current.thresholds, strict=True):
        assert 0.5 <= threshold < 1, label


def test_the_cached_scorer_agrees_with_the_written_out_features() -> None:
    current = model()
    texts = [*TEXTS[::7], "", "   ", "x" * 3000, "sooooo 12:30 ok ok ok", "İ you NEVER 😂😂"]
    for text in texts:
        folded, found, many, _doubtful, _reaction = cue_view(text)
        words, chars, cues = features(folded, found, many)
        assert current.fields(folded, cue_features(found, many)) == current.fields_of(
            words, chars, cues
        )


def test_fast_labels_agree_with_analyse() -> None:
    for text in TEXTS:
        analysis = analyse(text)
        assert fast_labels(text) == frozenset(analysis.labels), text


def test_labels_are_probabilities_and_spans_only_for_given_labels() -> None:
    for text in TEXTS[::5]:
        analysis = analyse(text)
        assert set(analysis.labels) <= set(LABELS)
        assert all(0 < p <= 1 for p in analysis.labels.values())
        assert set(analysis.spans) <= set(analysis.labels)
        if analysis.labels:
            assert analysis.labels[analysis.primary] == max(analysis.labels.values())
        else:
            # Nothing shown: no relational content, or a harsh reading too unsure to show.
            assert analysis.primary in ("none", UNSURE)


def test_harsh_labels_only_above_their_threshold() -> None:
    current = model()
    limits = dict(zip(current.labels, current.thresholds, strict=True))
    for text in TEXTS[::3]:
        for label, p in analyse(text).labels.items():
            if label in NEGATIVE:
                assert p >= limits[label] - 0.001, (text, label, p)


@pytest.mark.parametrize("size", [100_000, 1_000_000])
def test_long_text_does_not_overflow_a_field(size: int) -> None:
    text = ("you never listen 😂 haha " * (size // 24))[:size]
    analysis = analyse(text)
    assert fast_labels(text) == frozenset(analysis.labels)
    assert all(0 < p <= 1 for p in analysis.labels.values())


def test_report_and_check_need_train() -> None:
    with pytest.raises(CommandError, match="tending coach train"):
        call_command("coach", "--check", stdin=StringIO("hi\n"), stdout=StringIO())


def test_a_harsh_reading_too_unsure_to_show_shows_nothing() -> None:
    """The likeliest label decides. A harsh one below its threshold (or in a language the
    coach cannot read) gives "unsure" and shows nothing, never the next likeliest label:
    a sarcastic message must not get a warm nod."""
    labels = MODEL_LABELS
    harsh = tuple(label in NEGATIVE for label in labels)
    limits = tuple(2.0 if rough else 0.0 for rough in harsh)
    contempt, appreciation = labels.index("contempt"), labels.index("appreciation")

    def z(**values: float) -> list[float]:
        out = [-5.0] * len(labels)
        for label, value in values.items():
            out[labels.index(label)] = value
        return out

    assert decide(labels, z(contempt=1.5, appreciation=1.0), limits, harsh) == ([], UNSURE)
    assert decide(labels, z(contempt=2.5, appreciation=1.0), limits, harsh) == (
        ["appreciation", "contempt"],
        "contempt",
    )
    assert decide(labels, z(contempt=2.5), limits, harsh, harsh=False) == ([], UNSURE)
    assert decide(labels, z(appreciation=1.0, contempt=0.5), limits, harsh) == (
        ["appreciation"],
        "appreciation",
    )
    assert decide(labels, z(none=1.0, appreciation=0.5), limits, harsh) == ([], "none")
    assert labels[contempt] == "contempt" and labels[appreciation] == "appreciation"
