"""The coach's learned model at run time: features and a pure-Python linear scorer.

The model (data/model.json, written by `tending coach train`, see `tending.coach.train`)
is one linear classifier per label (one-vs-rest, eleven labels: the ten of `LABELS` plus
"none"), Platt-calibrated, over three blocks of features of the folded (lowercased) text:

- words: the text's tokens (runs of letters, digits and apostrophes, or one other
  non-space character such as an emoji or a full stop), each normalised (digits become
  0, a character repeated three or more times is cut to two: "sooooo" -> "soo"); the
  features are the distinct word 1-, 2- and 3-grams;
- chars: the distinct character 1- to 6-grams of the text, normalised the same
  way, with its spaces collapsed and one space added at each end, so they cross word
  boundaries ("k." at the end of a message is " k. ");
- cues: one 0/1 feature per label whose lexicon cues hit the text (data/lexicon.json),
  and a second when two or more of its cues hit.

Each n-gram block counts every present gram as 1 and is scaled to unit length (divided
by the square root of its number of distinct grams), so a long or repetitive text does
not score higher for its length.

Scoring needs no numpy. Each feature's eleven weights are stored as integers (the
weight times 2**WEIGHT_BITS) and packed into one Python integer, one signed 64-bit
field per label. Adding packed integers adds every field at once, so a message's
scores for all eleven labels come from a few C-level sums over dict lookups, two
integer multiplications for the scaling and one `int.to_bytes` + `struct.unpack`. A
field's absolute value stays far below 2**63 for any text (see `_FIELD_BITS`).

A label's raw score s is the classifier's decision value; its probability is
Platt-calibrated on cross-validation folds: p = 1 / (1 + exp(-(a*s + b))). How the
probabilities become what the coach shows is `decide`.
"""

from __future__ import annotations

import base64
import json
import math
import re
import struct
from array import array
from collections.abc import Iterable
from functools import cache
from itertools import repeat
from pathlib import Path

from tending.coach.labels import LABELS, NEGATIVE

MODEL_PATH = Path(__file__).resolve().parent / "data" / "model.json"
# The eleven labels the model scores, in field order.
MODEL_LABELS = (*LABELS, "none")
# What `decide` gives as the primary when the likeliest reading is a harsh label the
# coach is not sure enough of to show: it then shows nothing, neither a harsh label nor
# a warm one. Not one of the eleven labels.
UNSURE = "unsure"
# Bumped whenever features or training change, so the data hash of a stale model
# no longer matches (tests/test_coach_model.py).
FEATURES_VERSION = "3"
WEIGHT_BITS = 10
_SCALE_BITS = 20
_FIELD_BITS = 64
_HALF = 1 << (_FIELD_BITS - 1)
WORD_NGRAMS = 3
CHAR_NGRAMS = 6
CHAR_TEXT = 3_000

_TOKEN = re.compile(r"[\w']+|[^\w\s]")
_REPEATS = re.compile(r"(.)\1{2,}")
_DIGITS = str.maketrans("0123456789", "0000000000")
# Normalised tokens are cached up to this many.
_CACHE_LIMIT = 100_000


def normal_token(token: str) -> str:
    """Digits as 0, a run of three or more of one character cut to two."""
    token = token.translate(_DIGITS)
    return _REPEATS.sub(r"\1\1", token) if len(token) > 2 else token


def word_grams(normal: list[str]) -> set[str]:
    """The distinct word 1- to 3-grams of a list of normalised tokens."""
    grams = set(normal)
    if len(normal) > 1:
        grams.update(map(" ".join, zip(normal, normal[1:], strict=False)))
        if len(normal) > 2:
            grams.update(map(" ".join, zip(normal, normal[1:], normal[2:], strict=False)))
    return grams


def char_text(folded: str) -> str:
    """The text char grams are taken from: its first CHAR_TEXT characters, normalised,
    spaces collapsed, one space at each end. (Messages are far shorter; the cap keeps a
    pasted essay from costing the live composer more than a few milliseconds, and its
    word grams still cover all of it.)"""
    text = " ".join(folded[:CHAR_TEXT].translate(_DIGITS).split())
    text = _REPEATS.sub(r"\1\1", text)
    return f" {text} "


def char_grams(text: str) -> set[str]:
    """The distinct character 1- to 6-grams of `char_text`'s output."""
    n = len(text)
    return {text[i : i + size] for size in range(1, CHAR_NGRAMS + 1) for i in range(n - size + 1)}


def cue_features(cue_labels: Iterable[str], many: Iterable[str]) -> list[str]:
    """`cue_labels`: labels with at least one lexicon hit; `many`: those with two or more."""
    return [f"cue:{label}" for label in cue_labels] + [f"cues:{label}" for label in many]


def features(
    folded: str, cue_labels: Iterable[str], many: Iterable[str]
) -> tuple[list[str], list[str], list[str]]:
    """(word grams, char grams, cue features): the model's view of a folded text, written
    out, for the trainer (the run-time scorer, `Model.fields`, computes the same sums)."""
    raw = _TOKEN.findall(folded)
    if not raw:
        return [], [], cue_features(cue_labels, many)
    words = word_grams([normal_token(t) for t in raw])
    chars = char_grams(char_text(folded))
    return sorted(words), sorted(chars), cue_features(cue_labels, many)


def pack(values: Iterable[int]) -> int:
    """One integer holding `values` as signed 64-bit fields, the first lowest."""
    total = 0
    for i, value in enumerate(values):
        total += value << (_FIELD_BITS * i)
    return total


def _decode(blob: str, count: int) -> array:
    weights = array("h")
    weights.frombytes(base64.b64decode(blob))
    if len(weights) != count:
        raise ValueError("model.json: weight table has the wrong size")
    return weights


class Model:
    """The loaded model; see the module's docstring."""

    def __init__(
        self,
        labels: tuple[str, ...],
        words: dict[str, int],
        chars: dict[str, int],
        cues: dict[str, int],
        bias: list[float],
        calibration: tuple[tuple[float, float], ...],
        thresholds: tuple[float, ...],
        data_hash: str,
        report: dict,
    ) -> None:
        k = len(labels)
        unit = 1 << (WEIGHT_BITS + _SCALE_BITS)
        self.labels = labels
        self.words = words
        self.chars = chars
        self.cues = cues
        self.calibration = calibration
        self.thresholds = thresholds
        self.data_hash = data_hash
        self.report = report
        self._offset = pack([_HALF] * k)
        self._bias = pack(round(b * unit) for b in bias) + self._offset
        self._unpack = struct.Struct(f"<{k}Q").unpack
        self._bytes = k * _FIELD_BITS // 8
        self._normal: dict[str, str] = {}
        for (a, _b), t in zip(calibration, thresholds, strict=True):
            if a <= 0 or not 0 < t < 1:
                raise ValueError("model.json: bad calibration slope or threshold")
        # Calibrated logits z = a*s + b; a label's probability reaches its threshold t
        # exactly when z reaches logit(t).
        self._slopes = tuple(a / unit for a, _b in calibration)
        self._intercepts = tuple(b - a * _HALF / unit for a, b in calibration)
        self._limits = tuple(math.log(t / (1 - t)) for t in thresholds)
        self._harsh = tuple(label in NEGATIVE for label in labels)

    def _normalised(self, tokens: list[str]) -> list[str]:
        cache = self._normal
        out = []
        for token in tokens:
            normal = cache.get(token)
            if normal is None:
                normal = normal_token(token)
                if len(cache) >= _CACHE_LIMIT:
                    cache.clear()
                cache[token] = normal
            out.append(normal)
        return out

    def fields(self, folded: str, cue: list[str]) -> tuple[int, ...]:
        """Raw scores per label, offset by 2**63, in units of 2**-(WEIGHT_BITS+20)."""
        total = self._bias
        toks = _TOKEN.findall(folded)
        if toks:
            words = word_grams(self._normalised(toks))
            chars = char_grams(char_text(folded))
            total += sum(map(self.words.get, words, repeat(0, len(words)))) * _norm(len(words))
            total += sum(map(self.chars.get, chars, repeat(0, len(chars)))) * _norm(len(chars))
        if cue:
            total += sum(map(self.cues.get, cue, repeat(0, len(cue)))) << _SCALE_BITS
        return self._unpack(total.to_bytes(self._bytes, "little"))

    def fields_of(self, words: list[str], chars: list[str], cue: list[str]) -> tuple[int, ...]:
        """`fields` from written-out features (`features`): the slow, plain reference."""
        total = self._bias
        if words:
            total += sum(self.words.get(gram, 0) for gram in words) * _norm(len(words))
        if chars:
            total += sum(self.chars.get(gram, 0) for gram in chars) * _norm(len(chars))
        total += sum(self.cues.get(f, 0) for f in cue) << _SCALE_BITS
        return self._unpack(total.to_bytes(self._bytes, "little"))

    def logits(self, fields: tuple[int, ...]) -> list[float]:
        """Calibrated logits z per label: the probability is 1 / (1 + exp(-z))."""
        return list(map(_affine, self._slopes, fields, self._intercepts))

    def decide(self, z: list[float], harsh: bool = True) -> tuple[list[str], str]:
        """(labels shown, primary) from calibrated logits; see `decide`."""
        return decide(self.labels, z, self._limits, self._harsh, harsh)


def _affine(a: float, x: int, b: float) -> float:
    return a * x + b


def decide(
    labels: tuple[str, ...],
    z: list[float],
    limits: tuple[float, ...],
    is_harsh: tuple[bool, ...],
    harsh: bool = True,
) -> tuple[list[str], str]:
    """The coach's decision from calibrated logits (label order as `labels`, "none" last).

    The primary is the likeliest of the eleven labels. A harsh label is shown only at or
    above its threshold (chosen for precision), and only when `harsh` (False when the
    text is mostly in a language the coach cannot read). When the likeliest label is a
    harsh one that may not be shown, the coach is unsure: the primary is `UNSURE` and
    nothing is shown, rather than the next likeliest label, which would put a warm
    reading on what is most likely a harsh message. When the primary is "none", nothing
    is shown either. Otherwise the labels shown are the primary and every other of the
    ten at or above its threshold (0.5 for the soft ones)."""
    primary = max(range(len(labels)), key=z.__getitem__)
    if primary == len(labels) - 1:
        return [], labels[primary]
    if is_harsh[primary] and not (harsh and z[primary] >= limits[primary]):
        return [], UNSURE
    shown = [
        label
        for i, (label, value, limit, rough) in enumerate(
            zip(labels, z, limits, is_harsh, strict=True)
        )
        if i == primary or (value >= limit and i < len(labels) - 1 and (harsh or not rough))
    ]
    return shown, labels[primary]


@cache
def _norm(n: int) -> int:
    """2**20 / sqrt(n), rounded: the scaling of a message with n grams."""
    return round((1 << _SCALE_BITS) / math.sqrt(n))


def probability(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z)) if z > -700 else 0.0


def load(path: Path = MODEL_PATH) -> Model:
    raw = json.loads(path.read_text(encoding="utf-8"))
    labels = tuple(raw["labels"])
    if labels != MODEL_LABELS:
        raise ValueError("model.json labels differ from MODEL_LABELS")
    if raw.get("weight_bits") != WEIGHT_BITS:
        raise ValueError("model.json was written for another weight scale")
    k = len(labels)

    def table(name: str) -> dict[str, int]:
        keys = raw[name]["keys"].split("\n") if raw[name]["keys"] else []
        weights = _decode(raw[name]["weights"], len(keys) * k)
        return {key: pack(weights[i * k : (i + 1) * k]) for i, key in enumerate(keys)}

    return Model(
        labels=labels,
        words=table("words"),
        chars=table("chars"),
        cues=table("cues"),
        bias=[float(b) for b in raw["bias"]],
        calibration=tuple((float(a), float(b)) for a, b in raw["calibration"]),
        thresholds=tuple(float(t) for t in raw["thresholds"]),
        data_hash=raw["data_hash"],
        report=raw.get("report", {}),
    )
