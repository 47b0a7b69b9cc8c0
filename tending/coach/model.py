"""The coach's learned model at run time: features and a pure-Python linear scorer.

The model (data/model.json, written by `tending coach train`, see `tending.coach.train`)
is one logistic regression per label (one-vs-rest, eleven labels: the ten of `LABELS`
plus "none") over these features of the folded (lowercased) text:

- tokens are runs of letters, digits and apostrophes, or one other non-space
  character (an emoji, a full stop); in each, digits become 0 and a character
  repeated three or more times is cut to two ("sooooo" -> "soo");
- n-grams: for each distinct token, the word itself and its character 2- to 5-grams
  (the token padded with a space each side), each once per token; and the distinct
  word bigrams. A gram's value is the number of distinct tokens (or bigrams) that
  give it, divided by the square root of the number of such grams in the message,
  so a long or repetitive text does not score higher for its length;
- cues: one 0/1 feature per label whose lexicon cues hit the text
  (data/lexicon.json), and a second when two or more of its cues hit.

Scoring needs no numpy. Each feature's eleven weights are stored as integers (the
weight times 2**WEIGHT_BITS) and packed into one Python integer, one signed 64-bit
field per label. Adding packed integers adds every field at once, so a message's
scores for all eleven labels come from a few C-level sums over dict lookups, one
integer multiplication for the scaling and one `int.to_bytes` + `struct.unpack`. The
sum over a token's char grams is cached per token (with the gram count in an extra top
field), so a message costs one lookup per distinct token plus one per bigram. A
field's absolute value stays far below 2**63 for any text (see `_FIELD_BITS`).

A label's raw score s is the logistic regression's decision value; its probability
is Platt-calibrated on cross-validation folds: p = 1 / (1 + exp(-(a*s + b))). A label
is shown when p reaches its threshold (0.5 for most labels; for the harsh ones a
threshold chosen on the cross-validation folds for precision >= 0.95).
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
# Bumped whenever features or training change, so the data hash of a stale model
# no longer matches (tests/test_coach_model.py).
FEATURES_VERSION = "1"
WEIGHT_BITS = 16
_SCALE_BITS = 20
_FIELD_BITS = 64
_HALF = 1 << (_FIELD_BITS - 1)

_TOKEN = re.compile(r"[\w']+|[^\w\s]")
_REPEATS = re.compile(r"(.)\1{2,}")
_DIGITS = str.maketrans("0123456789", "0000000000")
# A word feature is its token behind this mark, so it never equals a char gram.
WORD = "\x00"
# Tokens longer than this are not kept in the token cache.
_CACHE_TOKEN = 48
_CACHE_LIMIT = 100_000


def normal_token(token: str) -> str:
    """Digits as 0, a run of three or more of one character cut to two."""
    token = token.translate(_DIGITS)
    return _REPEATS.sub(r"\1\1", token) if len(token) > 2 else token


def token_grams(token: str) -> set[str]:
    """A normalised token's own features, each once: the word, and the char
    2-5-grams of it padded with one space on each side."""
    padded = f" {token} "
    n = len(padded)
    grams = {padded[i : i + size] for size in (2, 3, 4, 5) for i in range(n - size + 1)}
    grams.add(WORD + token)
    return grams


def cue_features(cue_labels: Iterable[str], many: Iterable[str]) -> list[str]:
    """`cue_labels`: labels with at least one lexicon hit; `many`: those with two or more."""
    return [f"cue:{label}" for label in cue_labels] + [f"cues:{label}" for label in many]


def features(
    folded: str, cue_labels: Iterable[str], many: Iterable[str]
) -> tuple[list[str], list[str]]:
    """(n-grams, cue features): the model's view of a folded text, written out. The
    trainer uses this; the run-time scorer computes the same sums through its token
    cache (tests/test_coach_model.py checks that they agree)."""
    raw = _TOKEN.findall(folded)
    grams = [gram for token in set(raw) for gram in token_grams(normal_token(token))]
    normal = [normal_token(t) for t in raw]
    grams += {f"{a} {b}" for a, b in zip(normal, normal[1:], strict=False)}
    return grams, cue_features(cue_labels, many)


def pack(values: Iterable[int]) -> int:
    """One integer holding `values` as signed 64-bit fields, the first lowest."""
    total = 0
    for i, value in enumerate(values):
        total += value << (_FIELD_BITS * i)
    return total


def _decode(blob: str, count: int) -> array:
    weights = array("i")
    weights.frombytes(base64.b64decode(blob))
    if len(weights) != count:
        raise ValueError("model.json: weight table has the wrong size")
    return weights


class _Tokens(dict):
    """token -> packed sum of its own features' weights, with its feature count in the
    top field; fills `normal` (token -> normalised token) as it goes. Bounded."""

    def __init__(self, grams: dict[str, int], k: int) -> None:
        super().__init__()
        self.grams = grams
        self.count = 1 << (_FIELD_BITS * k)
        self.normal: dict[str, str] = {}

    def __missing__(self, token: str) -> int:
        normal = normal_token(token)
        own = token_grams(normal)
        value = sum(map(self.grams.get, own, repeat(0, len(own)))) + len(own) * self.count
        if len(token) <= _CACHE_TOKEN:
            if len(self) >= _CACHE_LIMIT:
                self.clear()
                self.normal.clear()
            self[token] = value
        self.normal[token] = normal
        return value


class Model:
    """The loaded model; see the module's docstring."""

    def __init__(
        self,
        labels: tuple[str, ...],
        grams: dict[str, int],
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
        self.grams = grams
        self.cues = cues
        self.calibration = calibration
        self.thresholds = thresholds
        self.data_hash = data_hash
        self.report = report
        self._k = k
        self._top = _FIELD_BITS * k
        # Half of the range below the count field: added before the count is read, so
        # that negative label fields cannot borrow from it.
        self._low_half = 1 << (self._top - 1)
        self._offset = pack([_HALF] * k)
        self._bias = pack(round(b * unit) for b in bias) + self._offset
        self._unpack = struct.Struct(f"<{k}Q").unpack
        self._bytes = k * _FIELD_BITS // 8
        self._tokens = _Tokens(grams, k)
        for (a, _b), t in zip(calibration, thresholds, strict=True):
            if a <= 0 or not 0 < t < 1:
                raise ValueError("model.json: bad calibration slope or threshold")
        # Calibrated logits z = a*s + b; a label's probability reaches its threshold t
        # exactly when z reaches logit(t).
        self._slopes = tuple(a / unit for a, _b in calibration)
        self._intercepts = tuple(b - a * _HALF / unit for a, b in calibration)
        self._limits = tuple(math.log(t / (1 - t)) for t in thresholds)
        self._harsh = tuple(label in NEGATIVE for label in labels)

    def fields(self, folded: str, cue: list[str]) -> tuple[int, ...]:
        """Raw scores per label, offset by 2**63, in units of 2**-(WEIGHT_BITS+20)."""
        total = self._bias
        toks = _TOKEN.findall(folded)
        if toks:
            own = sum(map(self._tokens.__getitem__, set(toks)))
            count = (own + self._low_half) >> self._top
            own -= count << self._top
            if len(toks) > 1:
                normal = list(map(self._tokens.normal.__getitem__, toks))
                pairs = set(map(" ".join, zip(normal, normal[1:], strict=False)))
                own += sum(map(self.grams.get, pairs, repeat(0, len(pairs))))
                count += len(pairs)
            total += own * _norm(count)
        if cue:
            total += sum(map(self.cues.get, cue, repeat(0, len(cue)))) << _SCALE_BITS
        return self._unpack(total.to_bytes(self._bytes, "little"))

    def fields_of(self, grams: list[str], cue: list[str]) -> tuple[int, ...]:
        """`fields` from written-out features (`features`): the slow, plain reference."""
        total = self._bias
        if grams:
            own = sum(self.grams.get(gram, 0) for gram in grams)
            total += own * _norm(len(grams))
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

    A harsh label may be chosen only at or above its threshold (and only when `harsh`);
    the others at any probability. The primary is the likeliest label that may be
    chosen. When that is "none", nothing is shown. Otherwise the labels shown are the
    primary and every other of the ten at or above its threshold (0.5 for soft ones)."""
    best, primary = -math.inf, len(labels) - 1
    for i, (value, limit, rough) in enumerate(zip(z, limits, is_harsh, strict=True)):
        if value > best and (not rough or (harsh and value >= limit)):
            best, primary = value, i
    if primary == len(labels) - 1:
        return [], labels[primary]
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
        grams=table("grams"),
        cues=table("cues"),
        bias=[float(b) for b in raw["bias"]],
        calibration=tuple((float(a), float(b)) for a, b in raw["calibration"]),
        thresholds=tuple(float(t) for t in raw["thresholds"]),
        data_hash=raw["data_hash"],
        report=raw.get("report", {}),
    )
