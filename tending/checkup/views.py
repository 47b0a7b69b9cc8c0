from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from tending.bonds import wording
from tending.bonds.models import Bond
from tending.bonds.privacy import Visibility
from tending.bonds.views import member_bond, open_bond
from tending.checkup import recommend, scoring
from tending.checkup.forms import CheckupForm, SafetyForm
from tending.checkup.links import practice_url
from tending.checkup.models import CheckupResult, record_result
from tending.checkup.scoring import Questionnaire, Result
from tending.lib.svg import Series, chart
from tending.lib.timeutil import local_time
from tending.safety import screen
from tending.safety.helplines import (
    countries,
    country_for_zone,
    grouped,
    helplines_for,
    when_none_listed,
)
from tending.safety.models import record_screen, safety_positive

# Items are shown in parts of about this many, as a progress hint that needs no script.
PART_SIZE = 8


# --- helpers -----------------------------------------------------------------------------


def _other_name(bond: Bond, user: Any) -> str | None:
    if bond.is_solo_kind:
        return None
    other = bond.other_member(user)
    return other.display_name if other else None


def _base_ctx(bond: Bond, user: Any) -> dict[str, Any]:
    return {
        "bond": bond,
        "can_write": bond.is_open_for(user),
        "not_clinical": screen.not_clinical(),
    }


def _questionnaire(version: int) -> Questionnaire:
    # Read DATA_DIR at call time so a new version file (or a test's) is seen.
    return scoring.load(version, scoring.DATA_DIR)


def _explain(dimension: str, value: float | None) -> str | None:
    try:
        return scoring.explain(dimension, value)
    except KeyError:  # a dimension newer than the explanations file
        return None


def _explain_reason(reason: str) -> str | None:
    try:
        return scoring.explain_reason(reason)
    except KeyError:
        return None


def _own_result(request: HttpRequest, bond: Bond, result: int) -> CheckupResult:
    return get_object_or_404(
        CheckupResult.objects.visible_to(request.user),
        pk=result,
        bond=bond,
        author=request.user,
    )


def _latest_shared(bond: Bond, user: Any) -> tuple[CheckupResult | None, CheckupResult | None]:
    """The viewer's and the other member's newest shared results in the bond."""
    shared = (
        CheckupResult.objects.visible_to(user)
        .filter(bond=bond, visibility=Visibility.SHARED)
        .order_by("-created_at", "-pk")
    )
    mine = shared.filter(author=user).first()
    theirs = shared.exclude(author=user).first()
    return mine, theirs


def _scored_dimensions(result: Result, questionnaire: Questionnaire) -> dict[str, list[dict]]:
    groups: dict[str, list[dict]] = {"quality": [], "sign": []}
    for group, scores in (("quality", result.qualities), ("sign", result.signs)):
        for dim, value in scores.items():
            groups[group].append(
                {
                    "id": dim,
                    "label": questionnaire.dimension(dim).label,
                    "score": value,
                    "text": _explain(dim, value),
                }
            )
    return groups


def _answers_as_shown(
    entry: CheckupResult, questionnaire: Questionnaire, kind: str, other_name: str | None
) -> list[dict[str, Any]]:
    """The items as they were worded in the result's own questionnaire version."""
    labels = dict(questionnaire.scale)
    return [
        {
            "text": item.render(kind, other_name),
            "answer": labels.get(entry.answers.get(item.id), "Skipped"),
        }
        for item in questionnaire.items
    ]


# --- the overview -----------------------------------------------------------------------


@login_required
def index(request: HttpRequest, pk: int) -> HttpResponse:
    bond = member_bond(request, pk)
    visible = CheckupResult.objects.visible_to(request.user).filter(bond=bond)
    mine = list(
        visible.filter(author=request.user)
        .order_by("-created_at", "-pk")
        .only("pk", "created_at", "overall", "visibility", "version", "bond", "author")
    )
    questionnaire = _questionnaire(scoring.current_version(scoring.DATA_DIR))
    ctx = _base_ctx(bond, request.user) | {
        "results": mine,
        "current_version": questionnaire.version,
        "minutes": scoring.estimated_minutes(questionnaire),
        "item_count": len(questionnaire.items),
        "other_shared": (
            not bond.is_solo_kind
            and visible.exclude(author=request.user).filter(visibility=Visibility.SHARED).exists()
        ),
        "intro": wording.intro(bond.kind),
    }
    return render(request, "checkup/index.html", ctx)


# --- taking the check-up ----------------------------------------------------------------


def _posted_version(request: HttpRequest) -> int:
    """The version the form was shown with, if it still exists; else the current one."""
    versions = scoring.available_versions(scoring.DATA_DIR)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = 0
    return version if version in versions else versions[-1]


@login_required
def take(request: HttpRequest, pk: int) -> HttpResponse:
    bond = open_bond(request, pk)
    if request.method == "POST":
        questionnaire = _questionnaire(_posted_version(request))
        form = CheckupForm(questionnaire, request.POST)
        if form.is_valid():
            result = scoring.score_with(questionnaire, form.answers())
            entry = record_result(
                bond=bond,
                author=request.user,
                answers=form.answers(),
                result=result,
                note=form.cleaned_data["note"].strip(),
            )
            return redirect("checkup:safety", pk=bond.pk, result=entry.pk)
        status = 400
    else:
        questionnaire = _questionnaire(scoring.current_version(scoring.DATA_DIR))
        form = CheckupForm(questionnaire)
        status = 200
    other_name = _other_name(bond, request.user)
    items = [
        {"id": item.id, "text": item.render(bond.kind, other_name), "field": form[item.id]}
        for item in questionnaire.items
    ]
    parts = [items[i : i + PART_SIZE] for i in range(0, len(items), PART_SIZE)]
    missing = [i for i in items if i["id"] in form.errors]
    ctx = _base_ctx(bond, request.user) | {
        "form": form,
        "version": questionnaire.version,
        "scale": questionnaire.scale,
        "parts": parts,
        "item_count": len(items),
        "missing": missing,
        "minutes": scoring.estimated_minutes(questionnaire),
        "intro": wording.intro(bond.kind),
    }
    return render(request, "checkup/take.html", ctx, status=status)


@login_required
def safety_step(request: HttpRequest, pk: int, result: int) -> HttpResponse:
    """The private safety questions, after the check-up and before its result.

    Nothing here is tied to the bond or the result: the answers belong to the
    person alone, and the other member's pages never change because of them."""
    bond = member_bond(request, pk)
    entry = _own_result(request, bond, result)
    done = reverse("checkup:result", args=[bond.pk, entry.pk])
    form = SafetyForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if request.POST.get("skip"):
            return redirect(done)
        if form.is_valid():
            answers = form.answers()
            positive = record_screen(request.user, answers)
            if not positive and "prefer_not_to_say" in answers.values():
                messages.info(request, screen.prefer_not_message())
            return redirect(done)
        status = 400
    other_name = _other_name(bond, request.user)
    questions = [
        {"id": qid, "text": text, "field": form[qid]}
        for qid, text in screen.questions(bond.kind, other_name)
    ]
    ctx = _base_ctx(bond, request.user) | {
        "entry": entry,
        "form": form,
        "questions": questions,
        "intro": screen.intro(bond.kind, other_name),
        "done_url": done,
    }
    return render(request, "checkup/safety.html", ctx, status=status)


# --- one result ---------------------------------------------------------------------------


def _support_ctx(request: HttpRequest, bond: Bond, other_name: str | None) -> dict[str, Any]:
    known = countries()
    asked = request.GET.get("country", "").strip().upper()[:2]
    asked = "GB" if asked == "UK" else asked
    code = asked if asked in known else country_for_zone(request.user.time_zone)
    return {
        "message": screen.positive_message(bond.kind, other_name),
        "countries": sorted(known.items(), key=lambda kv: kv[1]),
        "country": code or "",
        "country_name": known.get(code or "", ""),
        "helplines": helplines_for(code),
        "groups": grouped(helplines_for(code)),
        "when_none": when_none_listed(),
    }


def _recommendations(
    result: Result, bond: Bond, positive: bool, other_name: str | None
) -> list[dict[str, Any]]:
    recs = recommend.recommend(
        result, bond.kind, positive, other_name=other_name, data_dir=scoring.DATA_DIR
    )
    return [{"rec": r, "url": practice_url(r.practice, bond)} for r in recs]


@login_required
def result_view(request: HttpRequest, pk: int, result: int) -> HttpResponse:
    bond = member_bond(request, pk)
    entry = _own_result(request, bond, result)
    questionnaire = _questionnaire(entry.version)
    res = entry.result
    other_name = _other_name(bond, request.user)
    positive = safety_positive(request.user)
    previous = (
        CheckupResult.objects.visible_to(request.user)
        .filter(bond=bond, author=request.user, created_at__lt=entry.created_at)
        .order_by("-created_at", "-pk")
        .only("pk", "scores", "created_at", "bond", "author")
        .first()
    )
    ctx = _base_ctx(bond, request.user) | {
        "entry": entry,
        "result": res,
        "current_version": scoring.current_version(scoring.DATA_DIR),
        "versions": _versions_note(previous.result, res) if previous else None,
        "dimensions": _scored_dimensions(res, questionnaire),
        "overall_text": scoring.explain_overall(res.overall),
        "reasons": [
            {"label": questionnaire.dimension(r).label, "text": _explain_reason(r)}
            for r in res.reasons_chosen
        ],
        "previous": previous,
        "changes": scoring.changes(previous.result, res, scoring.DATA_DIR) if previous else [],
        "recommendations": _recommendations(res, bond, positive, other_name),
        "positive": positive,
        "support": _support_ctx(request, bond, other_name) if positive else None,
        "answers": _answers_as_shown(entry, questionnaire, bond.kind, other_name),
        "can_share": not bond.is_solo_kind and bond.is_open_for(request.user),
    }
    return render(request, "checkup/result.html", ctx)


@login_required
@require_POST
def share(request: HttpRequest, pk: int, result: int) -> HttpResponse:
    bond = open_bond(request, pk)
    if bond.is_solo_kind:
        raise Http404("A just-me bond has nobody to share with")
    entry = _own_result(request, bond, result)
    CheckupResult.objects.filter(pk=entry.pk).update(visibility=Visibility.SHARED)
    other = bond.other_member(request.user)
    who = other.display_name if other else "the other person, once they join"
    messages.success(request, f"Shared with {who}. You can stop sharing at any time.")
    return redirect("checkup:result", pk=bond.pk, result=entry.pk)


@login_required
@require_POST
def unshare(request: HttpRequest, pk: int, result: int) -> HttpResponse:
    # Allowed in an ended bond's archive too: taking back is always possible.
    bond = member_bond(request, pk)
    entry = _own_result(request, bond, result)
    CheckupResult.objects.filter(pk=entry.pk).update(visibility=Visibility.PRIVATE)
    messages.success(request, "Only you can see this result now.")
    return redirect("checkup:result", pk=bond.pk, result=entry.pk)


def _versions_note(a: Result, b: Result) -> dict[str, Any] | None:
    """When two results were answered on different questionnaire versions: both
    versions, and the labels of the dimensions only one of them asks about (which
    are left out of any comparison). None when the versions are the same."""
    if a.version == b.version:
        return None
    shared = scoring.shared_dimensions(a, b)
    left_out: list[str] = []
    for version in sorted({a.version, b.version}):
        for d in _questionnaire(version).dimensions:
            if d.group != "reason" and d.id not in shared and d.label not in left_out:
                left_out.append(d.label)
    return {
        "older": min(a.version, b.version),
        "newer": max(a.version, b.version),
        "left_out": left_out,
    }


# --- side by side -------------------------------------------------------------------------


@login_required
def compare_view(request: HttpRequest, pk: int) -> HttpResponse:
    bond = member_bond(request, pk)
    if bond.is_solo_kind:
        raise Http404("A just-me bond has no comparison")
    mine, theirs = _latest_shared(bond, request.user)
    rows: list[dict[str, Any]] = []
    if mine and theirs:
        questionnaire = _questionnaire(mine.version)
        for c in scoring.compare(mine.result, theirs.result):
            rows.append(
                {"c": c, "label": questionnaire.dimension(c.dimension).label, "text": c.text}
            )
    ctx = _base_ctx(bond, request.user) | {
        "mine": mine,
        "theirs": theirs,
        "versions": _versions_note(mine.result, theirs.result) if mine and theirs else None,
        "alike": [r for r in rows if r["c"].alike],
        "differ": [r for r in rows if not r["c"].alike],
        # After a positive screen nothing here suggests talking things through.
        "positive": safety_positive(request.user),
    }
    return render(request, "checkup/compare.html", ctx)


# --- history ---------------------------------------------------------------------------------


def _trend(results: list[CheckupResult], tz: Any) -> dict[str, Any]:
    """One small chart and table per dimension, oldest result first, and where
    the questionnaire version changed along the way.

    A dimension asked by several versions keeps one line across a change (its id
    keeps its meaning); a dashed rule marks each change. The overall closeness
    averages different dimensions in each version, so its line starts afresh."""
    versions = sorted({r.version for r in results})
    asked: dict[int, set[str]] = {}
    labels: dict[str, tuple[str, str]] = {}
    for version in reversed(versions):  # newest wording of a label wins
        dims = _questionnaire(version).dimensions
        asked[version] = {d.id for d in dims}
        for d in dims:
            if d.group != "reason":
                labels.setdefault(d.id, (d.label, d.group))
    scored = [(local_time(r.created_at, tz), r.result) for r in results]
    order = [("overall", (scoring.explanations()["overall"]["label"], "overall"))]
    order += [(d, labels[d]) for d in sorted(labels, key=_dimension_order(versions))]
    first, last = scored[0][0], scored[-1][0]
    label_format = "%-d %b" if first.year == last.year else "%b %Y"
    x_ticks = [(first, first.strftime(label_format))]
    if last.date() != first.date():
        x_ticks.append((last, last.strftime(label_format)))
    # A margin either side, so the first and last date labels are not cut off.
    pad = max((last - first) * 0.12, timedelta(days=1))
    x_range = (first - pad, last + pad)
    changes = [
        {"when": when, "version": res.version, "previous": before.version}
        for (_, before), (when, res) in zip(scored, scored[1:], strict=False)
        if res.version != before.version
    ]
    markers = [(c["when"], f"v{c['version']}") for c in changes]
    charts = []
    for dim, (label, group) in order:
        points = [
            (when, res.overall if dim == "overall" else res.scores().get(dim))
            for when, res in scored
        ]
        if all(v is None for _, v in points):
            continue
        if dim == "overall":
            segments = _by_version(points, [res.version for _, res in scored])
        else:
            segments = [points]
        what = "how present it felt" if group == "sign" else "how strong it felt"
        description = f"{len(points)} check-ups, 0 to 100; the height shows {what}."
        if markers:
            description += " A dashed line marks each change to the check-up's questions."
        svg = chart(
            [Series(label, seg, colour="currentColor") for seg in segments],
            title=f"{label} over time",
            description=description,
            y_min=0,
            y_max=100,
            y_ticks=[(0, "0"), (50, "50"), (100, "100")],
            x_ticks=x_ticks,
            x_range=x_range,
            x_markers=markers,
            width=320,
            height=160,
        )
        rows = [
            {
                "when": when,
                "value": value,
                "version": res.version,
                "asked": dim == "overall" or dim in asked[res.version],
            }
            for (when, value), (_, res) in zip(points, scored, strict=True)
        ]
        charts.append(
            {
                "id": dim,
                "label": label,
                "group": group,
                "svg": svg,
                "rows": list(reversed(rows)),
                "versions": sorted({r["version"] for r in rows if r["value"] is not None}),
            }
        )
    return {"charts": charts, "version_changes": changes, "several_versions": len(versions) > 1}


def _by_version(points: list[tuple[Any, float | None]], versions: list[int]) -> list[list]:
    """Split a series into runs of consecutive points from the same version."""
    segments: list[list] = []
    for i, point in enumerate(points):
        if i == 0 or versions[i] != versions[i - 1]:
            segments.append([])
        segments[-1].append(point)
    return segments


def _dimension_order(versions: list[int]) -> Any:
    ids: list[str] = []
    for version in reversed(versions):
        ids += [d.id for d in _questionnaire(version).dimensions if d.id not in ids]
    return ids.index


@login_required
def history(request: HttpRequest, pk: int) -> HttpResponse:
    bond = member_bond(request, pk)
    mine = list(
        CheckupResult.objects.visible_to(request.user)
        .filter(bond=bond, author=request.user)
        .order_by("created_at", "pk")
        .only("pk", "created_at", "version", "scores", "bond", "author")
    )
    trend = _trend(mine, request.user.tz) if mine else {}
    ctx = _base_ctx(bond, request.user) | {
        "charts": trend.get("charts", []),
        "version_changes": trend.get("version_changes", []),
        "several_versions": trend.get("several_versions", False),
        "count": len(mine),
    }
    return render(request, "checkup/history.html", ctx)
