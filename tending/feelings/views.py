from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS_3, WEEKDAYS_ABBR
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from tending.bonds.models import Bond
from tending.bonds.privacy import Visibility
from tending.bonds.views import member_bond, open_bond
from tending.feelings.forms import CheckinForm
from tending.feelings.models import FeelingCheckin
from tending.feelings.vocabulary import HEAVY_WORDS, vocabulary
from tending.lib.svg import Series, chart
from tending.lib.timeutil import local_time, local_today
from tending.notify.service import notify

HISTORY_WEEKS = 12


def _history(request: HttpRequest, bond: Bond, can_write: bool) -> dict:  # type: ignore[type-arg]
    user = request.user
    since = timezone.now() - timedelta(weeks=HISTORY_WEEKS)
    mine = list(
        FeelingCheckin.objects.filter(bond=bond, author=user, created_at__gte=since).order_by(
            "created_at"
        )
    )
    if not mine:
        return {"rows": [], "svg": None}
    vocab = vocabulary()
    series = Series(
        "My check-ins",
        [(local_time(c.created_at, user.tz), c.intensity) for c in mine],
        colour="currentColor",
        style="dots",
        dot_colours=[c.colour for c in mine],
    )
    today = local_today(user.tz)
    start = today - timedelta(weeks=HISTORY_WEEKS)
    x_ticks = [
        (start + timedelta(weeks=w), (start + timedelta(weeks=w)).strftime("%-d %b"))
        for w in range(0, HISTORY_WEEKS + 1, 4)
    ]
    svg = chart(
        [series],
        title="My feelings over the last twelve weeks",
        description=f"{len(mine)} check-ins; height shows how strong each feeling was, colour its family.",
        y_min=0.5,
        y_max=5.5,
        y_ticks=[(i, vocab.intensity[i]) for i in (1, 3, 5)],
        x_ticks=x_ticks,
        x_range=(start, today + timedelta(days=1)),
    )
    families = {c.family for c in mine}
    return {
        "rows": _table_rows(request, bond, reversed(mine), can_write),
        "svg": svg,
        "legend": [f for f in vocab.families if f.id in families],
    }


# A placeholder id, swapped for each check-in's own in the delete link made once by reverse().
_ANY_PK = 2_147_483_647
# One row of the history table: the date, the feeling, its strength, shared or not, and
# (while the bond is open) the form that deletes it.
_ROW = "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td>\n          <td>{}</td></tr>"
_ROW_WITH_DELETE = _ROW.replace(
    "<td>{}</td></tr>",
    '<td><form method="post" action="{}"><input type="hidden" name="csrfmiddlewaretoken" '
    'value="{}"><button class="link">Delete</button></form></td></tr>',
)


def _table_rows(
    request: HttpRequest, bond: Bond, checkins: Iterable[FeelingCheckin], can_write: bool
) -> list[SafeString]:
    """The history table's rows, made here with format_html (which escapes every value):
    a year of check-ins is some ninety rows, and the template's own filters, tags and
    lookups for each (the date, the delete link and its form, the labels) cost about as
    much as the rest of the page. The HTML is what the template made from them: the date
    in the viewer's time zone as the `date` filter gives it, the link `{% url %}` gives,
    the form `{% csrf_token %}` fills."""
    delete = reverse("feelings:delete", args=[bond.pk, _ANY_PK]).replace(str(_ANY_PK), "{}")
    token = get_token(request) if can_write else ""
    when = _short_date()
    tz = request.user.tz  # the zone the page shows times in (accounts.middleware)
    rows = []
    for c in checkins:
        cells = (
            when(local_time(c.created_at, tz)),
            c.word_label,
            c.intensity_label,
            "yes" if c.visibility == Visibility.SHARED else "only me",
        )
        if can_write:
            rows.append(format_html(_ROW_WITH_DELETE, *cells, delete.format(c.pk), token))
        else:
            rows.append(format_html(_ROW, *cells, ""))
    return rows


def _short_date() -> Callable[[datetime], str]:
    """`date_format(moment, "D j M, H:i")`, for many moments: the day and month names are
    translated once, not for each (what django.utils.dateformat's D, j, M, H and i give)."""
    days = [str(WEEKDAYS_ABBR[i]) for i in range(7)]
    months = {i: str(MONTHS_3[i]).title() for i in range(1, 13)}
    return lambda m: f"{days[m.weekday()]} {m.day} {months[m.month]}, {m.hour:02d}:{m.minute:02d}"


@login_required
@vary_on_headers("HX-Request")
def index(request: HttpRequest, pk: int) -> HttpResponse:
    bond = member_bond(request, pk)
    can_write = bond.is_open_for(request.user)
    vocab = vocabulary()
    family = vocab.family(request.GET.get("family", ""))
    form = CheckinForm(
        initial={"family": family.id if family else None, "intensity": 3},
        can_share=not bond.is_solo_kind,
    )
    recent = (
        FeelingCheckin.objects.visible_in(request.user, bond)
        .exclude(author=request.user)
        .order_by("-created_at")[:10]
    )
    ctx = {
        "bond": bond,
        "other": bond.other_member(request.user),
        "can_write": can_write,
        "vocab": vocab,
        "family": family,
        "words": vocab.words_in(family.id) if family else [],
        "form": form,
        "prompt": vocab.prompts[local_today(request.user.tz).toordinal() % len(vocab.prompts)],
        "shared_with_me": recent,
        "history": _history(request, bond, can_write),
    }
    if request.headers.get("HX-Request") and "family" in request.GET:
        return render(request, "feelings/_words.html", ctx)
    return render(request, "feelings/index.html", ctx)


@login_required
@require_POST
def create(request: HttpRequest, pk: int) -> HttpResponse:
    bond = open_bond(request, pk)
    form = CheckinForm(request.POST, can_share=not bond.is_solo_kind)
    if not form.is_valid():
        vocab = vocabulary()
        family = vocab.family(request.POST.get("family", ""))
        ctx = {
            "bond": bond,
            "other": bond.other_member(request.user),
            "can_write": True,
            "vocab": vocab,
            "family": family,
            "words": vocab.words_in(family.id) if family else [],
            "form": form,
            "prompt": vocab.prompts[0],
            "shared_with_me": [],
            "history": _history(request, bond, True),
        }
        return render(request, "feelings/index.html", ctx, status=400)
    data = form.cleaned_data
    checkin = FeelingCheckin.objects.create(
        bond=bond,
        author=request.user,
        family=data["family"],
        word=data["word"],
        intensity=data["intensity"],
        note=data["note"].strip(),
        visibility=Visibility.SHARED if data.get("share") else Visibility.PRIVATE,
    )
    text = f"Noted: {checkin.word_label}."
    if checkin.visibility == Visibility.SHARED:
        text += " It is shared with the bond."
        other = bond.other_member(request.user)
        if other is not None and bond.is_open_for(other):
            # That a feeling was shared, never which one: the word is theirs to read in the app.
            notify(
                other,
                topic="feelings",
                title=f"{request.user.display_name} shared how they feel.",
                url=reverse("feelings:index", args=[bond.pk]),
                bond=bond,
            )
    messages.success(request, text)
    url = reverse("feelings:index", args=[bond.pk])
    if checkin.word in HEAVY_WORDS:
        url += "?support=1"
    return redirect(url)


@login_required
@require_POST
def delete(request: HttpRequest, pk: int, checkin: int) -> HttpResponse:
    bond = member_bond(request, pk)
    deleted, _ = FeelingCheckin.objects.filter(pk=checkin, bond=bond, author=request.user).delete()
    if not deleted:
        raise Http404("No such check-in")
    messages.success(request, "Deleted.")
    return redirect("feelings:index", pk=bond.pk)
