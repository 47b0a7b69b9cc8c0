"""Training the coach's model: `tending coach train` (needs the `coach-train` extra).

Reads the labelled messages in data/corpus/*.jsonl, data/more/*.jsonl (later batches,
including the first frozen test set once it was spent), data/extra_gentle.jsonl and the
older sets (data/labelled.jsonl, data/fresh*.jsonl), and writes data/model.json: weights, the
Platt calibration and thresholds, the hash of the data it was trained on, and the
cross-validation report. Everything is seeded, so the same files give the same model
byte for byte on the same versions of numpy and scikit-learn.

Steps:
1. Features per message: `tending.coach.model.features` (the run-time code itself).
2. Stratified 5-fold cross-validation on the primary label (seed SEED). In each fold
   the vocabulary (the MAX_WORDS word grams and MAX_CHARS char grams found in most
   messages, each in at least MIN_DF) and the eleven one-vs-rest linear support vector
   machines are fitted on four fifths and score the fifth, so every message gets an
   out-of-fold raw score.
3. Calibration: per label, a one-dimensional logistic regression of "has the label"
   on the out-of-fold raw score (Platt scaling) gives a and b in p = sigmoid(a*s + b).
4. Thresholds: 0.5 for the soft labels and "none"; for the harsh labels, chosen on the
   out-of-fold probabilities so that the harsh labels shown are right (among the
   message's labels) at least HARSH_PRECISION of the time, with the best macro-F1 (see
   `_thresholds`).
5. The report: per-label precision, recall and F1 of the primary label on the
   out-of-fold predictions with the run-time decision (an unsure answer counts as a
   miss), macro-F1 over the eleven labels, harsh precision, the share left unsure.
6. The final model: vocabulary and classifiers fitted on all messages.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
from array import array
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from tending.coach.analysis import cue_view
from tending.coach.labels import NEGATIVE
from tending.coach.lexicon import DATA_DIR
from tending.coach.model import (
    _SCALE_BITS,
    FEATURES_VERSION,
    MODEL_LABELS,
    MODEL_PATH,
    UNSURE,
    WEIGHT_BITS,
    _norm,
    decide,
    features,
)

SEED = 18
FOLDS = 5
# Regularisation of the per-label linear SVMs (scikit-learn's C).
C = 1.0
MIN_DF = 2
MAX_WORDS = 20_000
MAX_CHARS = 60_000
HARSH_PRECISION = 0.95
CORPUS_DIR = DATA_DIR / "corpus"
# The frozen test set in force (never trained or tuned on): a training message with the
# same text is left out of training, so the set's short, common replies ("k.") can stay in
# it without the model having seen them.
FROZEN_PATH = DATA_DIR / "frozen3" / "test.jsonl"
# Later batches of training messages, in the corpus's line format, any labels per file.
MORE_DIR = DATA_DIR / "more"
# Gentle hard negatives in the voice of our own prompts and help texts (kept beside the
# corpus, whose folder holds exactly one file per label), then the older sets.
EXTRA_SETS = ("extra_gentle.jsonl", "labelled.jsonl", "fresh.jsonl", "fresh2.jsonl")
SETTINGS = {
    "seed": SEED,
    "folds": FOLDS,
    "C": C,
    "min_df": MIN_DF,
    "max_words": MAX_WORDS,
    "max_chars": MAX_CHARS,
    "harsh_precision": HARSH_PRECISION,
    "features": FEATURES_VERSION,
}


@dataclass(frozen=True)
class Row:
    id: str
    text: str
    labels: tuple[str, ...]  # primary first

    @property
    def primary(self) -> str:
        return self.labels[0]


def training_files() -> list[Path]:
    corpus = sorted(CORPUS_DIR.glob("*.jsonl")) if CORPUS_DIR.is_dir() else []
    corpus += sorted(MORE_DIR.glob("*.jsonl")) if MORE_DIR.is_dir() else []
    return corpus + [DATA_DIR / name for name in EXTRA_SETS if (DATA_DIR / name).exists()]


def read_rows(path: Path) -> list[Row]:
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        raw = json.loads(line)
        labels = tuple(raw["labels"]) if "labels" in raw else (raw["label"],)
        unknown = set(labels) - set(MODEL_LABELS)
        if unknown or not labels:
            raise ValueError(f"{path.name}:{number}: unknown labels {sorted(unknown)}")
        rows.append(Row(str(raw.get("id", f"{path.stem}-{number}")), raw["text"], labels))
    return rows


def text_key(text: str) -> str:
    """Texts equal once case and spaces are folded count as the same message."""
    return " ".join(text.casefold().split())


def frozen_keys() -> set[str]:
    if not FROZEN_PATH.exists():
        return set()
    return {text_key(row.text) for row in read_rows(FROZEN_PATH)}


def load_rows(files: Iterable[Path] | None = None) -> list[Row]:
    rows = [row for path in (files or training_files()) for row in read_rows(path)]
    seen: set[str] = frozen_keys()
    unique = []
    for row in rows:  # the same text twice would leak across folds
        key = text_key(row.text)
        if key not in seen:
            seen.add(key)
            unique.append(row)
    return unique


def data_hash(files: Iterable[Path] | None = None) -> str:
    """What the shipped model must have been trained on: the data files, the lexicon
    (its cues are features) and the training settings."""
    digest = hashlib.sha256(json.dumps(SETTINGS, sort_keys=True).encode())
    for path in [*(files or training_files()), DATA_DIR / "lexicon.json"]:
        digest.update(path.name.encode() + b"\0")
        digest.update(path.read_bytes().replace(b"\r\n", b"\n"))
    return digest.hexdigest()


def view(text: str) -> tuple[list[str], list[str], list[str]]:
    folded, found, many, _doubtful, _reaction = cue_view(text)
    return features(folded, found, many)


def _vocabulary(docs: Sequence[list[str]], cap: int) -> dict[str, int]:
    df: Counter[str] = Counter()
    for doc in docs:
        df.update(set(doc))
    kept = sorted((gram for gram, n in df.items() if n >= MIN_DF), key=lambda g: (-df[g], g))
    return {gram: i for i, gram in enumerate(kept[:cap])}


@dataclass
class _Vocab:
    words: dict[str, int]
    chars: dict[str, int]
    cues: dict[str, int]

    @classmethod
    def fit(cls, views: Sequence[tuple[list[str], list[str], list[str]]]) -> _Vocab:
        cues = sorted({f for v in views for f in v[2]})
        return cls(
            _vocabulary([v[0] for v in views], MAX_WORDS),
            _vocabulary([v[1] for v in views], MAX_CHARS),
            {f: i for i, f in enumerate(cues)},
        )

    def matrix(self, views: Sequence[tuple[list[str], list[str], list[str]]]):
        from scipy.sparse import csr_matrix

        nw, nc = len(self.words), len(self.chars)
        data: list[float] = []
        cols: list[int] = []
        indptr = [0]
        for words, chars, cue in views:
            row: dict[int, float] = {}
            for grams, index, offset in ((words, self.words, 0), (chars, self.chars, nw)):
                if grams:
                    # The same scaling as run time: the rounded integer norm, in 2**-20 units.
                    scale = _norm(len(grams)) / (1 << _SCALE_BITS)
                    for gram in grams:
                        i = index.get(gram)
                        if i is not None:
                            row[offset + i] = scale
            for f in cue:
                i = self.cues.get(f)
                if i is not None:
                    row[nw + nc + i] = 1.0
            for i in sorted(row):
                cols.append(i)
                data.append(row[i])
            indptr.append(len(cols))
        return csr_matrix((data, cols, indptr), shape=(len(views), nw + nc + len(self.cues)))


def _targets(rows: Sequence[Row]):
    import numpy as np

    return np.array([[label in row.labels for label in MODEL_LABELS] for row in rows], dtype=int)


def _fit(x, y):
    """Eleven linear SVMs, one per label against the rest: (weights k x features,
    intercepts k)."""
    import numpy as np
    from sklearn.svm import LinearSVC

    weights, bias = [], []
    for j in range(y.shape[1]):
        if y[:, j].min() == y[:, j].max():  # a label absent from a small subset
            weights.append(np.zeros(x.shape[1]))
            bias.append(-10.0 if y[0, j] == 0 else 10.0)
            continue
        model = LinearSVC(C=C, dual=True, tol=1e-4, max_iter=5000, random_state=SEED)
        model.fit(x, y[:, j])
        weights.append(model.coef_[0])
        bias.append(float(model.intercept_[0]))
    return np.vstack(weights), np.array(bias)


def _quantised(weights):
    import numpy as np

    return np.rint(weights * (1 << WEIGHT_BITS)).astype(np.int64)


def _scores(x, weights, bias):
    """Raw decision values with the quantised weights, as the run-time scorer has them."""
    return x @ (_quantised(weights).T / float(1 << WEIGHT_BITS)) + bias


def _platt(scores, y) -> list[tuple[float, float]]:
    from sklearn.linear_model import LogisticRegression

    out = []
    for j in range(y.shape[1]):
        if y[:, j].min() == y[:, j].max():
            out.append((1.0, 0.0))
            continue
        model = LogisticRegression(C=1e6, solver="lbfgs", max_iter=1000)
        model.fit(scores[:, j : j + 1], y[:, j])
        a, b = float(model.coef_[0][0]), float(model.intercept_[0])
        out.append((a, b) if a > 0 else (1.0, 0.0))
    return out


def _probabilities(scores, calibration):
    import numpy as np

    a = np.array([c[0] for c in calibration])
    b = np.array([c[1] for c in calibration])
    return 1.0 / (1.0 + np.exp(-(scores * a + b)))


def _per_label_thresholds(probs, y) -> list[float]:
    """For each harsh label the smallest threshold on a 0.01 grid from 0.5 at which its
    out-of-fold precision (probability at or above it, and among the message's labels)
    is at least HARSH_PRECISION; 0.5 for the others."""
    import numpy as np

    out = []
    for j, label in enumerate(MODEL_LABELS):
        if label not in NEGATIVE:
            out.append(0.5)
            continue
        chosen = 0.99
        for t in np.round(np.arange(0.5, 0.995, 0.01), 2):
            shown = probs[:, j] >= t
            if not shown.any():
                break
            if y[shown, j].mean() >= HARSH_PRECISION:
                chosen = float(t)
                break
        out.append(chosen)
    return out


def _decisions(probs, y, primaries, thresholds):
    """(macro-F1 of the primary label, precision of every harsh label shown) of the
    run-time decision (`tending.coach.model.decide`) on out-of-fold probabilities."""
    import numpy as np

    t = np.array(thresholds)
    harsh = np.array([label in NEGATIVE for label in MODEL_LABELS])
    none = len(MODEL_LABELS) - 1
    best = probs.argmax(axis=1)
    rows = np.arange(len(best))
    unsure = harsh[best] & (probs[rows, best] < t[best])
    predicted = np.where(unsure, -1, best)
    f1 = []
    for j in range(len(MODEL_LABELS)):
        tp = np.sum((predicted == j) & (primaries == j))
        fp = np.sum((predicted == j) & (primaries != j))
        fn = np.sum((predicted != j) & (primaries == j))
        f1.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    speaks = (predicted >= 0) & (predicted != none)
    shown = harsh[None, :] & (probs >= t[None, :]) & speaks[:, None]
    shown[rows[speaks], predicted[speaks]] |= harsh[predicted[speaks]]
    precision = y[shown].mean() if shown.any() else 1.0
    return float(np.mean(f1)), float(precision)


def _thresholds(probs, y, primaries) -> list[float]:
    """The harsh labels' thresholds: start from `_per_label_thresholds`, then move one
    label's threshold at a time along the 0.01 grid (three passes over the four) to the
    value giving the best out-of-fold macro-F1 while the precision of all harsh labels
    shown together stays at least HARSH_PRECISION. So a label whose high-probability
    messages are nearly always right may be shown a little lower, one that is often
    confused a little higher, and the coach as a whole still keeps its precision."""
    import numpy as np

    thresholds = _per_label_thresholds(probs, y)
    best, precision = _decisions(probs, y, primaries, thresholds)
    if precision < HARSH_PRECISION:
        return thresholds
    grid = [float(t) for t in np.round(np.arange(0.5, 0.995, 0.01), 2)]
    harsh = [j for j, label in enumerate(MODEL_LABELS) if label in NEGATIVE]
    for _ in range(3):
        for j in harsh:
            for t in grid:
                trial = [*thresholds[:j], t, *thresholds[j + 1 :]]
                macro, precision = _decisions(probs, y, primaries, trial)
                if precision >= HARSH_PRECISION and macro > best + 1e-9:
                    best, thresholds = macro, trial
    return thresholds


def _evaluate(rows: Sequence[Row], scores, calibration, thresholds: list[float]) -> dict:
    """Per-label P/R/F1 of the primary label, macro-F1 over the eleven, harsh precision,
    with the run-time decision (`tending.coach.model.decide`)."""
    limits = tuple(math.log(t / (1 - t)) for t in thresholds)
    rough = tuple(label in NEGATIVE for label in MODEL_LABELS)
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    support: Counter[str] = Counter()
    harsh_shown = harsh_right = 0
    for row, s in zip(rows, scores, strict=True):
        z = [a * float(v) + b for v, (a, b) in zip(s, calibration, strict=True)]
        shown, primary = decide(MODEL_LABELS, z, limits, rough)
        gold = row.primary
        support[gold] += 1
        if primary == gold:
            tp[gold] += 1
        else:
            fp[primary] += 1
            fn[gold] += 1
        for label in NEGATIVE.intersection(shown):
            harsh_shown += 1
            harsh_right += label in row.labels
    return report_from_counts(tp, fp, fn, support, harsh_shown, harsh_right)


def score(rows: Sequence[Row]) -> dict:
    """The shipped coach (`analyse`) on labelled rows: the same figures as the
    cross-validation report. Needs no numpy."""
    from tending.coach.analysis import analyse

    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    support: Counter[str] = Counter()
    harsh_shown = harsh_right = 0
    for row in rows:
        analysis = analyse(row.text)
        gold, primary = row.primary, analysis.primary
        support[gold] += 1
        if primary == gold:
            tp[gold] += 1
        else:
            fp[primary] += 1
            fn[gold] += 1
        for label in NEGATIVE.intersection(analysis.labels):
            harsh_shown += 1
            harsh_right += label in row.labels
    return report_from_counts(tp, fp, fn, support, harsh_shown, harsh_right)


def report_from_counts(tp, fp, fn, support, harsh_shown: int, harsh_right: int) -> dict:
    per_label = {}
    for label in MODEL_LABELS:
        p = tp[label] / (tp[label] + fp[label]) if tp[label] + fp[label] else 0.0
        r = tp[label] / (tp[label] + fn[label]) if tp[label] + fn[label] else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        per_label[label] = {
            "precision": round(p, 4),
            "recall": round(r, 4),
            "f1": round(f, 4),
            "support": support[label],
        }
    macro = sum(v["f1"] for v in per_label.values()) / len(per_label)
    return {
        "per_label": per_label,
        "macro_f1": round(macro, 4),
        "harsh_precision": round(harsh_right / harsh_shown, 4) if harsh_shown else None,
        "harsh_shown": harsh_shown,
        # Messages whose likeliest reading was a harsh label below its threshold: the
        # coach showed nothing; each counts as a miss for its own label above.
        "unsure": fp[UNSURE],
        "messages": sum(support.values()),
    }


def cross_validate(rows: Sequence[Row], views) -> tuple[list, list[float], dict]:
    import numpy as np
    from sklearn.model_selection import StratifiedKFold

    y = _targets(rows)
    primaries = [row.primary for row in rows]
    scores = np.zeros(y.shape, dtype=float)
    folds = StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=SEED)
    for train, test in folds.split(np.zeros(len(rows)), primaries):
        vocab = _Vocab.fit([views[i] for i in train])
        weights, bias = _fit(vocab.matrix([views[i] for i in train]), y[train])
        scores[test] = _scores(vocab.matrix([views[i] for i in test]), weights, bias)
    calibration = _platt(scores, y)
    primary_index = np.array([MODEL_LABELS.index(label) for label in primaries])
    thresholds = _thresholds(_probabilities(scores, calibration), y, primary_index)
    return calibration, thresholds, _evaluate(rows, scores, calibration, thresholds)


def _blob(values) -> str:
    import numpy as np

    flat = np.asarray(values, dtype=np.int64).ravel()
    if flat.size and (flat.max() >= 2**15 or flat.min() < -(2**15)):
        raise ValueError("a weight is too large for the model file")
    return base64.b64encode(array("h", flat.tolist()).tobytes()).decode("ascii")


def train(rows: Sequence[Row] | None = None, files: Sequence[Path] | None = None) -> dict:
    """The model as the dict written to model.json."""
    files = list(files) if files is not None else training_files()
    rows = list(rows) if rows is not None else load_rows(files)
    views = [view(row.text) for row in rows]
    calibration, thresholds, report = cross_validate(rows, views)
    vocab = _Vocab.fit(views)
    weights, bias = _fit(vocab.matrix(views), _targets(rows))
    q = _quantised(weights)
    nw, nc = len(vocab.words), len(vocab.chars)

    def block(keys: dict[str, int], start: int) -> dict[str, str]:
        ordered = sorted(keys, key=keys.__getitem__)
        columns = q[:, start : start + len(ordered)].T  # features x labels
        return {"keys": "\n".join(ordered), "weights": _blob(columns)}

    report["counts"] = dict(sorted(Counter(row.primary for row in rows).items()))
    return {
        "about": (
            "The gentle-words coach's model, written by `tending coach train` from the files "
            "named in `files`; see tending/coach/model.py for how it is read."
        ),
        "labels": list(MODEL_LABELS),
        "settings": SETTINGS,
        "files": [path.name for path in files],
        "data_hash": data_hash(files),
        "weight_bits": WEIGHT_BITS,
        "bias": [round(float(b), 6) for b in bias],
        "calibration": [[round(a, 6), round(b, 6)] for a, b in calibration],
        "thresholds": thresholds,
        "words": block(vocab.words, 0),
        "chars": block(vocab.chars, nw),
        "cues": block(vocab.cues, nw + nc),
        "report": report,
    }


def dumps(model: dict) -> str:
    return json.dumps(model, ensure_ascii=False, indent=1) + "\n"


def write(model: dict, path: Path = MODEL_PATH) -> None:
    path.write_text(dumps(model), encoding="utf-8")


def format_report(report: dict, title: str) -> str:
    lines = [f"{title} ({report['messages']} messages)"]
    lines.append(f"  {'label':<14} {'P':>5} {'R':>5} {'F1':>5} {'n':>5}")
    for label, v in report["per_label"].items():
        lines.append(
            f"  {label:<14} {v['precision']:5.2f} {v['recall']:5.2f} {v['f1']:5.2f} "
            f"{v['support']:5d}"
        )
    lines.append(f"  macro-F1 over the eleven labels: {report['macro_f1']:.3f}")
    unsure = report.get("unsure", 0)
    lines.append(f"  unsure (nothing shown): {unsure} ({unsure / max(report['messages'], 1):.1%})")
    harsh = report["harsh_precision"]
    lines.append(
        f"  harsh-label precision: {harsh:.3f} over {report['harsh_shown']} harsh labels shown"
        if harsh is not None
        else "  harsh-label precision: no harsh label shown"
    )
    return "\n".join(lines)
