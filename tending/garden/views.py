from __future__ import annotations

import hashlib
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from tending.bonds.cards import cards_for
from tending.bonds.views import invitation_context, member_bond, open_bond
from tending.garden.activity import recent_for
from tending.garden.drawing import BLOOM_FROM, PlantView, WeekView, garden_svg, seasons_svg
from tending.garden.forms import TodayChoiceForm
from tending.garden.home import home_context
from tending.garden.models import TodayChoice
from tending.garden.plants import (
    Plant,
    content,
    plants_for,
    touch_enabled,
    unresolved_ruptures,
    weeds_for,
    weeds_text,
)
from tending.garden.progress import panels_for
from tending.lib.timeutil import local_today
from tending.safety.models import viewer_safety

LEVELS = (0, 1, 3, 6, 10)  # weekly counts at which a week reaches each season


def _level(count: int) -> int:
    return max(i for i, threshold in enumerate(LEVELS) if count >= threshold)


def _drawn(plant: Plant) -> float:
    """The growth the picture shows: no flower before the plant is blooming (BLOOM_DAYS)."""
    return plant.growth if plant.mood == "blooming" else min(plant.growth, BLOOM_FROM - 0.01)


# How long a drawn garden is kept in the cache: its key names the day, so a
# day and a bit is enough.
PICTURE_KEPT = 60 * 60 * 26


def garden_picture(bond, day, views, weeds: int, title: str, description: str) -> SafeString:  # type: ignore[no-untyped-def]
    """`garden_svg` for these plants, drawn once and kept in Django's cache
    (local memory in each process, or Redis when CACHES says so).

    The key is the bond, the day and a digest of everything the drawing is
    made from (each plant's growth, words and link, the weeds, the title and
    the description): when any of it changes, so does the key, and a stale
    picture is never shown. What it is made from is read every time; only
    the drawing is saved."""
    inputs = repr((tuple(views), weeds, title, description)).encode()
    digest = hashlib.blake2b(inputs, digest_size=16).hexdigest()
    key = f"garden-svg:{bond.pk}:{day.isoformat()}:{digest}"
    svg = cache.get(key)
    if svg is None:
        svg = str(garden_svg(views, weeds, title, description))
        cache.set(key, svg, PICTURE_KEPT)
    return mark_safe(svg)  # noqa: S308  (drawn by garden_svg, which escapes every text)


def garden_context(request: HttpRequest, bond, *, with_seasons: bool = True) -> dict:  # type: ignore[no-untyped-def]
    """The garden for the viewer. `with_seasons=False` leaves out the strip of
    weeks, which only the garden page shows (not the home's garden in small)."""
    user = request.user
    today = local_today(user.tz)
    recent = recent_for(bond, user, today)
    safe_mode = viewer_safety(request)
    plants = plants_for(bond, recent, safe_mode, touch_enabled(bond))
    ruptures = unresolved_ruptures(bond, user)
    weeds = weeds_for(ruptures)
    base = reverse("garden:index", args=[bond.pk])
    views = [
        PlantView(
            p.practice, p.label, _drawn(p), f"{base}#about-{p.practice}", f"{p.name}: {p.how}"
        )
        for p in plants
    ]
    words = content()
    seasons = words["seasons"]
    weeks = []
    for start, count in recent.week_totals(12):
        level = _level(count)
        summary = f"Week of {start:%-d %b}: {seasons[level]}"
        weeks.append(WeekView(f"{start:%-d %b}", level, summary))
    blooming = [p.name for p in plants if p.mood == "blooming"]
    resting = [p.name for p in plants if p.mood == "resting"]
    description = " ".join(
        part
        for part in (
            f"{len(plants)} plants, one for each practice.",
            f"In flower: {', '.join(blooming)}." if blooming else "",
            f"Resting: {', '.join(resting)}." if resting else "",
            weeds_text(weeds, safe_mode),
        )
        if part
    )
    return {
        "bond": bond,
        "recent": recent,
        "safe_mode": safe_mode,
        "plants": plants,
        "weeds": weeds,
        "weeds_text": weeds_text(weeds, safe_mode),
        "svg": garden_picture(bond, today, views, weeds, "Your garden", description),
        "seasons_svg": seasons_svg(weeks) if with_seasons else "",
        "weeks": weeks,
        "description": description,
        "never_too_late": words["never_too_late"],
        "today": today,
        "since": today - timedelta(weeks=12),
    }


@login_required
def home(request: HttpRequest, pk: int) -> HttpResponse:
    """The bond's home: today's one thing, done right here, then the garden in small and a
    few next steps; every practice is one tap away on the practices page."""
    bond = member_bond(request, pk)
    ctx = {
        "bond": bond,
        "other": bond.other_member(request.user),
        **invitation_context(bond, request.user),
    }
    if ctx["open"]:
        ctx["home"] = home_context(request, bond)
    else:
        # An archive keeps its plain list of pages; an open bond's are on the practices page.
        ctx["cards"] = cards_for(bond, request.user)
    return render(request, "garden/home.html", ctx)


# The practices page's groups around the six practices (whose names come from plants.json).
# The check-up leads (it is where the practices start from); insights and the garden follow.
FIRST_GROUPS = (
    ("checkup", "The check-up", "A private look at where you stand, and where to start."),
)
OTHER_GROUPS = (
    ("insights", "Insights", "What your own chat history shows, if you both agree."),
    ("garden", "Your garden", "The practice made visible, and how it has gone over time."),
)


@login_required
def practices(request: HttpRequest, pk: int) -> HttpResponse:
    """Every practice on one page, grouped by the strategies they follow, then the check-up,
    insights and the garden. The home keeps only today's step and a few next ones."""
    bond = member_bond(request, pk)
    cards = cards_for(bond, request.user)
    words = content()
    heads = [(k, words["plants"][k]["name"], words["plants"][k]["what"]) for k in words["order"]]
    groups = []
    for key, title, what in (*FIRST_GROUPS, *heads, *OTHER_GROUPS):
        links = [c for c in cards if c.group == key]
        if links:
            groups.append({"key": key, "title": title, "what": what, "links": links})
    placed = {c for g in groups for c in g["links"]}
    rest = [c for c in cards if c not in placed]
    if rest:
        groups.append({"key": "more", "title": "More", "what": "", "links": rest})
    return render(request, "garden/practices.html", {"bond": bond, "groups": groups})


@login_required
def index(request: HttpRequest, pk: int) -> HttpResponse:
    bond = member_bond(request, pk)
    ctx = garden_context(request, bond)
    return render(request, "garden/index.html", ctx)


@login_required
@vary_on_headers("HX-Request")
def preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The garden in small for the bond's home, which fetches it once the page
    is shown (htmx). Opened directly, it leads to the garden itself."""
    bond = member_bond(request, pk)
    if not request.headers.get("HX-Request"):
        return redirect("garden:index", pk=bond.pk)
    return render(
        request, "garden/_preview.html", garden_context(request, bond, with_seasons=False)
    )


@login_required
@require_POST
def today_choice(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Done" or "another idea" for today's step; the step's key comes back."""
    bond = open_bond(request, pk)
    form = TodayChoiceForm(request.POST)
    if form.is_valid():
        TodayChoice.objects.create(
            bond=bond,
            user=request.user,
            day=local_today(request.user.tz),
            key=form.cleaned_data["key"],
            done=form.cleaned_data["choice"] == "done",
        )
        if form.cleaned_data["choice"] == "done":
            messages.success(request, "Lovely. That's today's step taken.")
    return redirect(bond)


@login_required
def progress(request: HttpRequest, pk: int) -> HttpResponse:
    bond = member_bond(request, pk)
    ctx = {
        "bond": bond,
        "panels": panels_for(bond, request.user, local_today(request.user.tz)),
    }
    return render(request, "garden/progress.html", ctx)
