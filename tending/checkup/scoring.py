"""Check-up questionnaires, scores, comparisons and changes over time.

The formulas are written out in data/SCORING.md; keep the two in step.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from statistics import fmean
from typing import Any, Literal

from tending.bonds import wording

DATA_DIR = Path(__file__).resolve().parent / "data"
GROUPS = ("quality", "sign", "reason")
Group = Literal["quality", "sign", "reason"]
Band = Literal["low", "middle", "high"]

# Half a scale point either side of "neither agree nor disagree" (50) is "middle".
BAND_LOW_BELOW = 37.5
BAND_HIGH_ABOVE = 62.5
# A reason counts as chosen from "agree" (4) upwards.
REASON_CHOSEN_FROM = 4
# Two people "differ" on a dimension from this many points apart.
DIFFER_FROM = 20.0
# Changes smaller than STEADY_BELOW are "steady"; then small, moderate, large.
STEADY_BELOW = 5.0
SMALL_BELOW = 15.0
MODERATE_BELOW = 30.0
# The reading-time rule: about eight seconds a statement on a phone, rounded up to
# whole minutes. A version must stay under MAX_MINUTES by this rule.
SECONDS_PER_ITEM = 8
MAX_MINUTES = 6

_FILE_RE = re.compile(r"^questionnaire-v(\d+)\.json$")


@dataclass(frozen=True)
class Dimension:
    id: str
    group: Group
    label: str


@dataclass(frozen=True)
class Item:
    id: str
    dimension: str
    text: str
    reverse: bool
    overrides: Mapping[str, str] = field(default_factory=dict)

    def render(self, kind: str, other_name: str | None = None) -> str:
        return wording.render(self.overrides.get(kind, self.text), kind, other_name)


@dataclass(frozen=True)
class Questionnaire:
    version: int
    scale: tuple[tuple[int, str], ...]
    dimensions: tuple[Dimension, ...]
    items: tuple[Item, ...]

    def dimension(self, dimension_id: str) -> Dimension:
        for d in self.dimensions:
            if d.id == dimension_id:
                return d
        raise KeyError(dimension_id)

    def items_of(self, dimension_id: str) -> tuple[Item, ...]:
        return tuple(i for i in self.items if i.dimension == dimension_id)

    def ids_of(self, group: Group) -> tuple[str, ...]:
        return tuple(d.id for d in self.dimensions if d.group == group)

    @property
    def scale_values(self) -> tuple[int, ...]:
        return tuple(v for v, _ in self.scale)


@dataclass(frozen=True)
class Result:
    """One person's scored check-up.

    `qualities` and `signs` map dimension ids to 0–100 (None when no item of the
    dimension was answered); for signs the number is the sign's presence.
    """

    version: int
    qualities: Mapping[str, float | None]
    signs: Mapping[str, float | None]
    reasons_chosen: tuple[str, ...]
    overall: float | None
    answered: int
    total_items: int

    def scores(self) -> dict[str, float | None]:
        return {**self.qualities, **self.signs}

    def group_of(self, dimension_id: str) -> Group:
        if dimension_id in self.qualities:
            return "quality"
        if dimension_id in self.signs:
            return "sign"
        raise KeyError(dimension_id)

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "qualities": dict(self.qualities),
            "signs": dict(self.signs),
            "reasons_chosen": list(self.reasons_chosen),
            "overall": self.overall,
            "answered": self.answered,
            "total_items": self.total_items,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Result:
        return cls(
            version=int(data["version"]),
            qualities=dict(data["qualities"]),
            signs=dict(data["signs"]),
            reasons_chosen=tuple(data["reasons_chosen"]),
            overall=data["overall"],
            answered=int(data["answered"]),
            total_items=int(data["total_items"]),
        )


# --- loading -----------------------------------------------------------------


def parse(data: Mapping[str, Any]) -> Questionnaire:
    """Build and validate a questionnaire from its JSON form."""
    scale = tuple((int(p["value"]), str(p["label"])) for p in data["scale"])
    if [v for v, _ in scale] != [1, 2, 3, 4, 5]:
        raise ValueError("the scale must run 1..5")
    dimensions = tuple(Dimension(d["id"], d["group"], d["label"]) for d in data["dimensions"])
    dim_ids = [d.id for d in dimensions]
    if len(set(dim_ids)) != len(dim_ids):
        raise ValueError("duplicate dimension id")
    for d in dimensions:
        if d.group not in GROUPS:
            raise ValueError(f"dimension {d.id}: unknown group {d.group!r}")
    items = tuple(
        Item(
            id=i["id"],
            dimension=i["dimension"],
            text=i["text"],
            reverse=bool(i["reverse"]),
            overrides=dict(i.get("overrides", {})),
        )
        for i in data["items"]
    )
    item_ids = [i.id for i in items]
    if len(set(item_ids)) != len(item_ids):
        raise ValueError("duplicate item id")
    for item in items:
        if item.dimension not in dim_ids:
            raise ValueError(f"item {item.id}: unknown dimension {item.dimension!r}")
        if not set(item.overrides) <= set(wording.KINDS):
            raise ValueError(f"item {item.id}: override for an unknown bond kind")
        for template in (item.text, *item.overrides.values()):
            wording.check_template(template)
    for d in dimensions:
        if not any(i.dimension == d.id for i in items):
            raise ValueError(f"dimension {d.id} has no items")
    return Questionnaire(int(data["version"]), scale, dimensions, items)


def available_versions(data_dir: Path = DATA_DIR) -> tuple[int, ...]:
    found = (_FILE_RE.match(p.name) for p in data_dir.iterdir())
    return tuple(sorted(int(m.group(1)) for m in found if m))


def current_version(data_dir: Path = DATA_DIR) -> int:
    """The newest questionnaire: new check-ups use it, old results keep theirs."""
    versions = available_versions(data_dir)
    if not versions:
        raise ValueError(f"no questionnaire-v*.json in {data_dir}")
    return versions[-1]


@cache
def load(version: int, data_dir: Path = DATA_DIR) -> Questionnaire:
    path = data_dir / f"questionnaire-v{int(version)}.json"
    if not path.is_file():
        raise ValueError(f"no questionnaire version {version}")
    questionnaire = parse(json.loads(path.read_text(encoding="utf-8")))
    if questionnaire.version != version:
        raise ValueError(f"{path.name} says version {questionnaire.version}")
    return questionnaire


# --- scoring -----------------------------------------------------------------


def to_percent(mean_keyed: float) -> float:
    """Map a mean on the 1..5 scale to 0..100."""
    return (mean_keyed - 1.0) / 4.0 * 100.0


def keyed(item: Item, answer: int) -> int:
    return 6 - answer if item.reverse else answer


def clean_answers(
    questionnaire: Questionnaire, answers: Mapping[str, int | None]
) -> dict[str, int]:
    by_id = {i.id for i in questionnaire.items}
    clean: dict[str, int] = {}
    for item_id, value in answers.items():
        if item_id not in by_id:
            raise ValueError(
                f"unknown item {item_id!r} for questionnaire version {questionnaire.version}"
            )
        if value is None:
            continue  # skipped
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"answer to {item_id!r} must be a whole number 1..5, not {value!r}")
        if value not in questionnaire.scale_values:
            raise ValueError(f"answer to {item_id!r} must be 1..5, not {value}")
        clean[item_id] = value
    return clean


def dimension_score(
    questionnaire: Questionnaire, dimension_id: str, answers: Mapping[str, int]
) -> float | None:
    """0–100 from the mean keyed answer of the dimension's answered items; None if none."""
    values = [
        keyed(item, answers[item.id])
        for item in questionnaire.items_of(dimension_id)
        if item.id in answers
    ]
    return to_percent(fmean(values)) if values else None


def overall_closeness(
    qualities: Mapping[str, float | None], signs: Mapping[str, float | None]
) -> float | None:
    """Mean of every quality and of (100 − presence) of every sign; None if any is missing."""
    parts = [*qualities.values(), *(None if s is None else 100.0 - s for s in signs.values())]
    if not parts or any(p is None for p in parts):
        return None
    return fmean(p for p in parts if p is not None)


def score_with(questionnaire: Questionnaire, answers: Mapping[str, int | None]) -> Result:
    clean = clean_answers(questionnaire, answers)
    qualities = {
        d: dimension_score(questionnaire, d, clean) for d in questionnaire.ids_of("quality")
    }
    signs = {d: dimension_score(questionnaire, d, clean) for d in questionnaire.ids_of("sign")}
    reasons_chosen = tuple(
        d
        for d in questionnaire.ids_of("reason")
        if any(
            keyed(i, clean[i.id]) >= REASON_CHOSEN_FROM
            for i in questionnaire.items_of(d)
            if i.id in clean
        )
    )
    return Result(
        version=questionnaire.version,
        qualities=qualities,
        signs=signs,
        reasons_chosen=reasons_chosen,
        overall=overall_closeness(qualities, signs),
        answered=len(clean),
        total_items=len(questionnaire.items),
    )


def score(answers: Mapping[str, int | None], version: int, data_dir: Path = DATA_DIR) -> Result:
    """Score answers (item id → 1..5, None for skipped) with the questionnaire they were given on."""
    return score_with(load(version, data_dir), answers)


def estimated_minutes(questionnaire: Questionnaire) -> int:
    """Minutes to allow, by the reading-time rule (SECONDS_PER_ITEM a statement, rounded up)."""
    return max(1, -(-len(questionnaire.items) * SECONDS_PER_ITEM // 60))


def overall_over(result: Result, dimensions: set[str]) -> float | None:
    """The overall closeness of `result` counting only `dimensions`; None if any is unscored.

    Used to set two results from different questionnaire versions side by side on
    the same footing: their stored overalls average different sets of dimensions.
    """
    qualities = {d: v for d, v in result.qualities.items() if d in dimensions}
    signs = {d: v for d, v in result.signs.items() if d in dimensions}
    return overall_closeness(qualities, signs)


def shared_dimensions(a: Result, b: Result) -> set[str]:
    """The qualities and signs both results' questionnaire versions ask about."""
    return set(a.scores()) & set(b.scores())


def band(value: float) -> Band:
    if value < BAND_LOW_BELOW:
        return "low"
    if value > BAND_HIGH_ABOVE:
        return "high"
    return "middle"


# --- explanations, comparisons and changes -----------------------------------


@cache
def explanations(data_dir: Path = DATA_DIR) -> dict[str, Any]:
    return json.loads((data_dir / "explanations.json").read_text(encoding="utf-8"))


def explain(dimension_id: str, value: float | None) -> str | None:
    """The plain-words text for a quality's or sign's band; None when it was not scored."""
    if value is None:
        return None
    return explanations()["dimensions"][dimension_id][band(value)]


def explain_reason(reason_id: str) -> str:
    return explanations()["dimensions"][reason_id]["chosen"]


def explain_overall(value: float | None) -> str | None:
    return None if value is None else explanations()["overall"][band(value)]


@dataclass(frozen=True)
class Comparison:
    dimension: str
    group: Group
    a: float
    b: float
    gap: float
    alike: bool
    text: str


def compare(result_a: Result, result_b: Result) -> list[Comparison]:
    """Dimension by dimension, whether two people see things alike (gap < DIFFER_FROM).

    Only dimensions both results scored are compared, so results from different
    questionnaire versions can still be set side by side where they overlap.
    """
    texts = explanations()["compare"]
    a_scores, b_scores = result_a.scores(), result_b.scores()
    out: list[Comparison] = []
    for dim, a in a_scores.items():
        b = b_scores.get(dim)
        if a is None or b is None:
            continue
        group = result_a.group_of(dim)
        gap = abs(a - b)
        alike = gap < DIFFER_FROM
        text = texts["alike"][group][band((a + b) / 2)] if alike else texts["differ"][dim]
        out.append(Comparison(dim, group, a, b, gap, alike, text))
    return out


@dataclass(frozen=True)
class Change:
    dimension: str
    group: Group | Literal["overall"]
    previous: float
    current: float
    delta: float
    direction: Literal["up", "down", "steady"]
    size: Literal["none", "small", "moderate", "large"]
    text: str


def _size(delta: float) -> Literal["none", "small", "moderate", "large"]:
    magnitude = abs(delta)
    if magnitude < STEADY_BELOW:
        return "none"
    if magnitude < SMALL_BELOW:
        return "small"
    if magnitude < MODERATE_BELOW:
        return "moderate"
    return "large"


def _change(
    dim: str, group: Group | Literal["overall"], label: str, previous: float, current: float
) -> Change:
    texts = explanations()["changes"]
    delta = current - previous
    size = _size(delta)
    direction: Literal["up", "down", "steady"] = (
        "steady" if size == "none" else ("up" if delta > 0 else "down")
    )
    template = texts[group][direction]
    text = template.format(label=label, size=texts["size_words"][size])
    return Change(dim, group, previous, current, delta, direction, size, text)


def changes(previous: Result, current: Result, data_dir: Path = DATA_DIR) -> list[Change]:
    """What moved since last time, for the dimensions (and overall) scored in both results.

    A dimension id keeps its meaning across questionnaire versions (a v2 that
    changes what a dimension measures must give it a new id), so matching ids
    are comparable and the rest are left out. Across versions the overall is
    recomputed for both results over the dimensions they share (`overall_over`),
    from the stored scores; the stored overalls are never changed.
    """
    labels = {d.id: d.label for d in load(current.version, data_dir).dimensions}
    prev_scores = previous.scores()
    out: list[Change] = []
    for dim, now in current.scores().items():
        before = prev_scores.get(dim)
        if now is None or before is None:
            continue
        out.append(_change(dim, current.group_of(dim), labels[dim], before, now))
    texts = explanations()["overall"]
    if previous.version == current.version:
        before_all, now_all, label = previous.overall, current.overall, texts["label"]
    else:
        shared = shared_dimensions(previous, current)
        before_all, now_all = overall_over(previous, shared), overall_over(current, shared)
        label = texts["label_across_versions"]
    if before_all is not None and now_all is not None:
        out.append(_change("overall", "overall", label, before_all, now_all))
    return out
