"""From a check-up result to a few practices, each with one small first step."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.utils import timezone

from tending.bonds import wording
from tending.bonds.practices import Practice
from tending.checkup.links import practice_url
from tending.checkup.models import CheckupResult
from tending.checkup.scoring import DATA_DIR, Result

PRACTICES = tuple(p.value for p in Practice)


@dataclass(frozen=True)
class Step:
    id: str
    kinds: frozenset[str]
    text: str
    asks_vulnerability: bool
    confronts: bool
    self_focused: bool
    touch: str | None

    def fits(self, kind: str, safety_positive: bool) -> bool:
        if kind not in self.kinds:
            return False
        if safety_positive:
            return self.self_focused and not (self.asks_vulnerability or self.confronts)
        return True


@dataclass(frozen=True)
class Recommendation:
    practice: str
    label: str
    weight: float
    because: tuple[str, ...]
    step_id: str
    step: str
    touch: str | None


@dataclass(frozen=True)
class Table:
    weakest_qualities: int
    quality_tending_up_to: float
    sign_present_above: float
    triggers: Mapping[str, Mapping[str, Mapping[str, float]]]
    when_nothing_stands_out: tuple[str, ...]
    labels: Mapping[str, str]
    steps: Mapping[str, tuple[Step, ...]]


def _parse(data: Mapping[str, Any]) -> Table:
    practices = data["practices"]
    if set(practices) != set(PRACTICES):
        raise ValueError(f"recommendations must cover exactly {PRACTICES}")
    steps: dict[str, tuple[Step, ...]] = {}
    for name, practice in practices.items():
        parsed = []
        for s in practice["steps"]:
            step = Step(
                id=s["id"],
                kinds=frozenset(s["kinds"]),
                text=s["text"],
                asks_vulnerability=bool(s["asks_vulnerability"]),
                confronts=bool(s["confronts"]),
                self_focused=bool(s["self_focused"]),
                touch=s.get("touch"),
            )
            if not step.kinds <= set(wording.KINDS):
                raise ValueError(f"step {step.id}: unknown bond kind")
            wording.check_template(step.text)
            parsed.append(step)
        steps[name] = tuple(parsed)
    for group in data["triggers"].values():
        for weights in group.values():
            if not set(weights) <= set(PRACTICES):
                raise ValueError(f"unknown practice in triggers: {sorted(weights)}")
    thresholds = data["thresholds"]
    return Table(
        weakest_qualities=int(thresholds["weakest_qualities"]),
        quality_tending_up_to=float(thresholds["quality_tending_up_to"]),
        sign_present_above=float(thresholds["sign_present_above"]),
        triggers=data["triggers"],
        when_nothing_stands_out=tuple(data["when_nothing_stands_out"]),
        labels={name: p["label"] for name, p in practices.items()},
        steps=steps,
    )


@cache
def table(data_dir: Path = DATA_DIR) -> Table:
    return _parse(json.loads((data_dir / "recommendations.json").read_text(encoding="utf-8")))


def weakest_qualities(result: Result, t: Table) -> list[str]:
    """The lowest-scoring qualities that are not already strong, lowest first (ties: data order)."""
    order = list(result.qualities)
    scored = [(s, order.index(q), q) for q, s in result.qualities.items() if s is not None]
    tending = sorted(x for x in scored if x[0] <= t.quality_tending_up_to)
    return [q for _, _, q in tending[: t.weakest_qualities]]


def signs_present(result: Result, t: Table) -> list[str]:
    return [s for s, v in result.signs.items() if v is not None and v > t.sign_present_above]


def _weights(result: Result, t: Table) -> dict[str, tuple[float, list[str]]]:
    totals: dict[str, tuple[float, list[str]]] = {}
    triggered = (
        [("qualities", q) for q in weakest_qualities(result, t)]
        + [("signs", s) for s in signs_present(result, t)]
        + [("reasons", r) for r in result.reasons_chosen]
    )
    for group, dim in triggered:
        for practice, weight in t.triggers[group].get(dim, {}).items():
            total, because = totals.get(practice, (0.0, []))
            totals[practice] = (total + float(weight), [*because, dim])
    return totals


def recommend(
    result: Result,
    bond_kind: str,
    safety_positive: bool,
    *,
    other_name: str | None = None,
    limit: int = 3,
    data_dir: Path = DATA_DIR,
) -> list[Recommendation]:
    """Ranked practices with one first step each.

    After a positive safety screen only gentle, self-focused steps are offered:
    nothing that asks the person to confront the other or be vulnerable with
    them, and no touch. Touch is never suggested for "just me"; for bonds other
    than partners only non-intimate touch steps exist.
    """
    wording.kind_wording(bond_kind)
    t = table(data_dir)
    fallback = {
        p: (float(len(t.when_nothing_stands_out) - i), [])
        for i, p in enumerate(t.when_nothing_stands_out)
    }
    out = _pick(_weights(result, t), t, bond_kind, safety_positive, other_name, limit)
    # If nothing stands out, or nothing that stood out has a step that fits, keep it gentle.
    return out or _pick(fallback, t, bond_kind, safety_positive, other_name, limit)


def _pick(
    weights: Mapping[str, tuple[float, list[str]]],
    t: Table,
    bond_kind: str,
    safety_positive: bool,
    other_name: str | None,
    limit: int,
) -> list[Recommendation]:
    ranked = sorted(weights.items(), key=lambda kv: (-kv[1][0], PRACTICES.index(kv[0])))
    out: list[Recommendation] = []
    for practice, (weight, because) in ranked:
        if practice == "touch" and (bond_kind == "just_me" or safety_positive):
            continue
        step = next((s for s in t.steps[practice] if s.fits(bond_kind, safety_positive)), None)
        if step is None:
            continue
        out.append(
            Recommendation(
                practice=practice,
                label=t.labels[practice],
                weight=weight,
                because=tuple(because),
                step_id=step.id,
                step=wording.render(step.text, bond_kind, other_name),
                touch=step.touch,
            )
        )
        if len(out) == limit:
            break
    return out


@dataclass(frozen=True)
class FirstStep:
    result_pk: int
    recommendation: Recommendation
    url: str | None  # the page where the step is practised, when the practice has one


# A check-up's first step is offered for this long after it was taken.
FIRST_STEP_DAYS = 42


def latest_result(bond: Any, user: Any) -> Any:
    """`user`'s own latest check-up result in `bond` as (pk, scores, created_at), at most
    one row: what `first_step_from` reads (today's step runs it with its other reads)."""
    return (
        CheckupResult.objects.filter(bond=bond, author=user)
        .order_by("-created_at")
        .values_list("pk", "scores", "created_at")[:1]
    )


def first_step(
    bond: Any, user: Any, *, safe_mode: bool, other_name: str | None
) -> FirstStep | None:
    """The first small step from `user`'s own latest check-up in `bond`, while it
    is fairly recent; None without one, or if its scores cannot be read."""
    latest = list(latest_result(bond, user))
    return first_step_from(latest, bond, safe_mode=safe_mode, other_name=other_name)


def first_step_from(
    latest: list[Any], bond: Any, *, safe_mode: bool, other_name: str | None
) -> FirstStep | None:
    """`first_step` from the rows `latest_result` gave."""
    if not latest:
        return None
    pk, scores, created_at = latest[0]
    if (timezone.now() - created_at).days > FIRST_STEP_DAYS:
        return None
    try:
        result = Result.from_dict(scores)
        recs = recommend(result, bond.kind, safe_mode, other_name=other_name, limit=1)
    except (KeyError, ValueError, TypeError):
        return None
    if not recs:
        return None
    return FirstStep(pk, recs[0], practice_url(recs[0].practice, bond))
