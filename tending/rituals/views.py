from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from tending.bonds.models import Bond
from tending.bonds.views import member_bond, open_bond
from tending.lib.timeutil import local_time, local_today, outside_quiet_hours, to_utc
from tending.notify.service import notify, preferences
from tending.rituals import catalog
from tending.rituals.catalog import DAY_SHORT
from tending.rituals.forms import DoneForm, RemindersForm, RitualForm, TouchForm
from tending.rituals.models import (
    Completion,
    ReminderSchedule,
    Ritual,
    TouchSetting,
    weekday_mask,
)
from tending.rituals.schedule import refresh_ritual, set_reminders
from tending.rituals.touch import touch_enabled
from tending.safety.models import safety_positive

RHYTHM_WEEKS = 4


def _ritual(request: HttpRequest, bond: Bond, ritual_id: int) -> Ritual:
    found = Ritual.objects.visible_to(request.user).filter(bond=bond, pk=ritual_id).first()
    if found is None:
        raise Http404("No such ritual")
    return found


def _in_quiet_hours(ritual: Ritual, user: Any, prefs: Any, today: date) -> bool:
    moment = to_utc(today, ritual.at, user.tz)
    return outside_quiet_hours(moment, user.tz, prefs.quiet_start, prefs.quiet_end) != moment


@login_required
def index(request: HttpRequest, pk: int) -> HttpResponse:
    bond = member_bond(request, pk)
    user = request.user
    today = local_today(user.tz)
    rituals = list(Ritual.objects.visible_to(user).filter(bond=bond).order_by("at", "pk"))
    schedules = {
        s.ritual_id: s for s in ReminderSchedule.objects.filter(ritual__in=rituals, user=user)
    }
    recent = {
        (c.ritual_id, c.day): c
        for c in Completion.objects.filter(
            ritual__in=rituals, day__in=[today, today - timedelta(days=1)]
        ).select_related("recorded_by")
    }
    prefs = preferences(user)
    cards = [
        {
            "ritual": r,
            "today": recent.get((r.pk, today)),
            "yesterday": recent.get((r.pk, today - timedelta(days=1))),
            "is_day": today.weekday() in r.days,
            "schedule": schedules.get(r.pk),
            "quiet": _in_quiet_hours(r, user, prefs, today),
        }
        for r in rituals
    ]
    adopted = {r.template for r in rituals}
    ctx = {
        "bond": bond,
        "can_write": bond.is_open_for(user),
        "cards": cards,
        "templates": [t for t in catalog.templates_for(bond.kind) if t.id not in adopted],
        "touch_possible": catalog.touch_possible(bond.kind),
        "prefs": prefs,
    }
    return render(request, "rituals/index.html", ctx)


def _form_page(
    request: HttpRequest, bond: Bond, form: RitualForm, ritual: Ritual | None, status: int = 200
) -> HttpResponse:
    ctx = {
        "bond": bond,
        "form": form,
        "ritual": ritual,
    }
    return render(request, "rituals/form.html", ctx, status=status)


@login_required
def create(request: HttpRequest, pk: int) -> HttpResponse:
    bond = open_bond(request, pk)
    if request.method != "POST":
        chosen = catalog.template(request.GET.get("template", ""))
        initial: dict[str, Any] = {"remind_me": True, "minutes": 10}
        if chosen:
            initial.update(
                name=chosen.name,
                description=chosen.description,
                days=list(chosen.days),
                at=chosen.at,
                minutes=chosen.minutes,
                template=chosen.id,
            )
        return _form_page(request, bond, RitualForm(initial=initial), None)
    form = RitualForm(request.POST)
    if not form.is_valid():
        return _form_page(request, bond, form, None, status=400)
    data = form.cleaned_data
    chosen = catalog.template(data["template"])
    with transaction.atomic():
        ritual = Ritual.objects.create(
            bond=bond,
            author=request.user,
            template=chosen.id if chosen and bond.kind in chosen.bonds else "",
            name=data["name"],
            description=data["description"].strip(),
            weekdays=weekday_mask(data["days"]),
            at=data["at"],
            minutes=data["minutes"],
        )
        set_reminders(ritual, request.user, data["remind_me"])
    other = bond.other_member(request.user)
    if other is not None and bond.is_open_for(other):
        # A ritual is for both: ask the other whether they want its reminders too (off until
        # they say so). Its name is not in the title: the person who wrote it chose it.
        notify(
            other,
            topic="ritual_added",
            title=(
                f"{request.user.display_name} added a ritual for you both. "
                "Would you like reminders for it too?"
            ),
            url=reverse("rituals:index", args=[bond.pk]) + f"#ritual-{ritual.pk}",
            bond=bond,
        )
    messages.success(request, "Added. Small and regular is plenty.")
    return redirect(reverse("rituals:index", args=[bond.pk]) + f"#ritual-{ritual.pk}")


@login_required
def edit(request: HttpRequest, pk: int, ritual: int) -> HttpResponse:
    bond = open_bond(request, pk)
    found = _ritual(request, bond, ritual)
    if request.method != "POST":
        initial = {
            "name": found.name,
            "description": found.description,
            "days": found.days,
            "at": found.at,
            "minutes": found.minutes,
            "template": found.template,
        }
        return _form_page(request, bond, RitualForm(initial=initial, editing=True), found)
    form = RitualForm(request.POST, editing=True)
    if not form.is_valid():
        return _form_page(request, bond, form, found, status=400)
    data = form.cleaned_data
    found.name = data["name"]
    found.description = data["description"].strip()
    found.weekdays = weekday_mask(data["days"])
    found.at = data["at"]
    found.minutes = data["minutes"]
    with transaction.atomic():
        found.save(update_fields=["name", "description", "weekdays", "at", "minutes"])
        refresh_ritual(found)
    messages.success(request, "Saved. Reminders follow the new days and time.")
    return _back_to(bond, found)


@login_required
@require_POST
def delete(request: HttpRequest, pk: int, ritual: int) -> HttpResponse:
    bond = open_bond(request, pk)
    _ritual(request, bond, ritual).delete()
    messages.success(request, "Removed, with its reminders.")
    return redirect("rituals:index", pk=bond.pk)


def _chosen_day(request: HttpRequest) -> tuple[date, str]:
    """The day a "done" or "undo" is for, on the person's own clock: today, or
    yesterday when the form says so; with the word for it."""
    form = DoneForm(request.POST)
    today = local_today(request.user.tz)
    if form.is_valid() and form.cleaned_data["day"] == "yesterday":
        return today - timedelta(days=1), "yesterday"
    return today, "today"


def _back_to(bond: Bond, ritual: Ritual) -> HttpResponse:
    return redirect(reverse("rituals:index", args=[bond.pk]) + f"#ritual-{ritual.pk}")


@login_required
@require_POST
def done(request: HttpRequest, pk: int, ritual: int) -> HttpResponse:
    bond = open_bond(request, pk)
    found = _ritual(request, bond, ritual)
    day, when = _chosen_day(request)
    try:
        with transaction.atomic():
            Completion.objects.create(ritual=found, day=day, recorded_by=request.user)
    except IntegrityError:
        first = (
            Completion.objects.filter(ritual=found, day=day).select_related("recorded_by").first()
        )
        if first and first.recorded_by_id and first.recorded_by_id != request.user.pk:
            who = first.recorded_by.display_name
            messages.info(request, f"{who} already noted this for {when}. It counts for you both.")
        else:
            messages.info(request, f"This is already noted for {when}. Nothing more to do.")
    else:
        messages.success(request, f"Noted for {when}. Nice.")
    if request.POST.get("then") == "home":  # done from the bond's home, in one tap
        return redirect(bond)
    return _back_to(bond, found)


@login_required
@require_POST
def undo(request: HttpRequest, pk: int, ritual: int) -> HttpResponse:
    bond = open_bond(request, pk)
    found = _ritual(request, bond, ritual)
    day, _when = _chosen_day(request)
    removed, _ = Completion.objects.filter(ritual=found, day=day, recorded_by=request.user).delete()
    if removed:
        messages.success(request, "Taken back.")
    return _back_to(bond, found)


@login_required
@require_POST
def reminders(request: HttpRequest, pk: int, ritual: int) -> HttpResponse:
    bond = open_bond(request, pk)
    found = _ritual(request, bond, ritual)
    form = RemindersForm(request.POST)
    enabled = form.is_valid() and form.cleaned_data["enabled"]
    set_reminders(found, request.user, enabled)
    messages.success(request, "Reminders on." if enabled else "Reminders off.")
    return _back_to(bond, found)


def _weeks(
    rituals: list[Ritual], completions: set[tuple[int, date]], today: date, tz: Any
) -> list[dict]:
    monday = today - timedelta(days=today.weekday())
    weeks = []
    for back in range(RHYTHM_WEEKS):
        start = monday - timedelta(weeks=back)
        days = [start + timedelta(days=i) for i in range(7)]
        rows = []
        count = 0
        for r in rituals:
            begun = local_time(r.created_at, tz).date() - timedelta(days=1)
            cells = []
            for d in days:
                did = (r.pk, d) in completions
                count += did
                planned = d.weekday() in r.days and d >= begun
                cells.append({"day": d, "done": did, "planned": planned, "future": d > today})
            rows.append({"ritual": r, "cells": cells})
        label = (
            "This week" if back == 0 else "Last week" if back == 1 else f"Week of {start:%-d %B}"
        )
        weeks.append({"label": label, "days": days, "rows": rows, "count": count})
    return weeks


@login_required
def rhythm(request: HttpRequest, pk: int) -> HttpResponse:
    bond = member_bond(request, pk)
    today = local_today(request.user.tz)
    rituals = list(Ritual.objects.visible_to(request.user).filter(bond=bond).order_by("at", "pk"))
    since = today - timedelta(days=today.weekday(), weeks=RHYTHM_WEEKS - 1)
    completions = set(
        Completion.objects.filter(ritual__in=rituals, day__gte=since).values_list(
            "ritual_id", "day"
        )
    )
    ctx = {
        "bond": bond,
        "weeks": _weeks(rituals, completions, today, request.user.tz),
        "day_short": DAY_SHORT,
        "today": today,
        "has_rituals": bool(rituals),
    }
    return render(request, "rituals/rhythm.html", ctx)


@login_required
def touch(request: HttpRequest, pk: int) -> HttpResponse:
    bond = member_bond(request, pk)
    if not catalog.touch_possible(bond.kind):
        raise Http404("Touch ideas are for bonds of two")
    enabled = touch_enabled(bond)
    # Someone who told the safety screen they may not be safe sees no touch
    # ideas at all, only where support is; the other member cannot tell.
    unsafe = safety_positive(request.user)
    ideas = catalog.touch_ideas_for(bond.kind) if enabled and not unsafe else []
    ctx = {
        "bond": bond,
        "enabled": enabled,
        "unsafe": unsafe,
        "intro": catalog.touch_intro(),
        "ideas": ideas,
        "can_write": bond.is_open_for(request.user),
        "form": TouchForm(initial={"enabled": enabled}),
    }
    return render(request, "rituals/touch.html", ctx)


@login_required
@require_POST
def touch_setting(request: HttpRequest, pk: int) -> HttpResponse:
    bond = open_bond(request, pk)
    if not catalog.touch_possible(bond.kind):
        raise Http404("Touch ideas are for bonds of two")
    form = TouchForm(request.POST)
    enabled = form.is_valid() and form.cleaned_data["enabled"]
    TouchSetting.objects.update_or_create(
        bond=bond, defaults={"enabled": enabled, "changed_at": timezone.now()}
    )
    messages.success(
        request,
        "Touch ideas are on for this bond." if enabled else "Touch ideas are off for this bond.",
    )
    return redirect("rituals:touch", pk=bond.pk)
