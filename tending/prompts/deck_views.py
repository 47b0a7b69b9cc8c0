"""Themed decks a bond chooses for a few weeks, and the evening sequence of questions.

How a running deck mixes into the daily question and the weekly conversation is `choosing.py`'s
business; here a bond starts and stops a run. A deck both must opt in to opens only when both
members have said yes, each privately: nobody learns of the other's yes unless it is matched."""

from __future__ import annotations

from datetime import timedelta
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
from tending.notify.service import notify
from tending.prompts import choosing, library, state
from tending.prompts.decks import Deck
from tending.prompts.forms import DECK_WEEKS, DeckForm
from tending.prompts.models import DeckOptIn, DeckRun
from tending.safety.models import safety_positive

SEQUENCE = "evening"


def _offered(bond: Bond, user: Any) -> tuple[list[Deck], list[Deck]]:
    """Decks this person may choose, and decks both must opt in to (none after a positive
    safety screen: they ask for a vulnerability nobody should be nudged toward)."""
    fitting = library.decks_for(bond.kind)
    chosen = [deck for deck in fitting if not deck.needs_both]
    both = (
        [] if bond.is_solo_kind or safety_positive(user) else [d for d in fitting if d.needs_both]
    )
    return chosen, both


def _decks_ctx(request: HttpRequest, bond: Bond, form: DeckForm | None = None) -> dict[str, Any]:
    user = request.user
    row = state.prompt_state(bond)
    today = row.day_index()
    run = state.open_deck(bond)
    current = run if run is not None and today <= run.last_day else None
    chosen, both = _offered(bond, user)
    mine = set(DeckOptIn.objects.filter(bond=bond, user=user).values_list("deck", flat=True))
    return {
        "bond": bond,
        "solo": bond.is_solo_kind,
        "can_write": bond.is_open_for(user),
        "current": current,
        "current_deck": _deck_or_none(current.deck) if current else None,
        "ends_on": row.day_zero + timedelta(days=current.last_day) if current else None,
        "days_left": current.last_day - today + 1 if current else 0,
        "from_tomorrow": current is not None and current.first_day > today,
        "decks": chosen,
        "both_decks": [{"deck": deck, "opted_in": deck.id in mine} for deck in both],
        "form": form or DeckForm(decks=chosen),
        "weeks": sorted(DECK_WEEKS.items()),
    }


def _deck_or_none(deck_id: str) -> Deck | None:
    try:
        return library.deck(deck_id)
    except KeyError:
        return None


@login_required
def decks(request: HttpRequest, pk: int) -> HttpResponse:
    bond = member_bond(request, pk)
    return render(request, "prompts/decks.html", _decks_ctx(request, bond))


def _to_decks(bond: Bond) -> HttpResponse:
    return redirect("prompts:decks", pk=bond.pk)


def _start(bond: Bond, deck: Deck, weeks: int, user: Any) -> bool:
    """Open `deck` for `weeks`, closing any open run; False if someone else opened one at the
    same moment (theirs stands). The run starts today, or tomorrow when today's question has
    been chosen already: a deck's first day brings its first question."""
    row = state.prompt_state(bond)
    today = row.day_index()
    if choosing.has_daily(row.state, today):
        today += 1
    try:
        with transaction.atomic():
            DeckRun.objects.filter(bond=bond, ended_at__isnull=True).update(ended_at=timezone.now())
            DeckRun.objects.create(
                bond=bond,
                deck=deck.id,
                first_day=today,
                last_day=today + 7 * weeks - 1,
                chosen_by=user,
            )
    except IntegrityError:
        return False
    return True


def _tell_the_other(bond: Bond, user: Any, title: str) -> None:
    """A note without the deck's name: a lock screen need not say what a bond is working on."""
    other = None if bond.is_solo_kind else bond.other_member(user)
    if other is not None and bond.is_open_for(other):
        url = reverse("prompts:decks", args=[bond.pk])
        notify(other, topic="conversation", title=title, url=url, bond=bond)


@login_required
@require_POST
def choose(request: HttpRequest, pk: int) -> HttpResponse:
    bond = open_bond(request, pk)
    chosen, _both = _offered(bond, request.user)
    form = DeckForm(request.POST, decks=chosen)
    if not form.is_valid():
        return render(request, "prompts/decks.html", _decks_ctx(request, bond, form), status=400)
    deck, weeks = library.deck(form.cleaned_data["deck"]), form.cleaned_data["weeks"]
    if not _start(bond, deck, weeks, request.user):
        messages.info(request, "A deck was chosen at the same moment; here it is.")
        return _to_decks(bond)
    length = DECK_WEEKS[weeks].lower()
    messages.success(request, f"{deck.title} is your deck for the next {length}.")
    name = request.user.display_name
    _tell_the_other(bond, request.user, f"{name} chose a themed deck for the next {length}.")
    return _to_decks(bond)


@login_required
@require_POST
def stop(request: HttpRequest, pk: int) -> HttpResponse:
    bond = open_bond(request, pk)
    if DeckRun.objects.filter(bond=bond, ended_at__isnull=True).update(ended_at=timezone.now()):
        messages.success(
            request, "The deck is put away. From tomorrow, questions come from everything again."
        )
    return _to_decks(bond)


def _both_deck(request: HttpRequest, bond: Bond) -> tuple[Deck, int]:
    """The deck (one both must opt in to) and weeks named in the POST, else 404."""
    _chosen, both = _offered(bond, request.user)
    form = DeckForm(request.POST, decks=both)
    if not form.is_valid():
        raise Http404("No such deck")
    return library.deck(form.cleaned_data["deck"]), form.cleaned_data["weeks"]


@login_required
@require_POST
def opt_in(request: HttpRequest, pk: int) -> HttpResponse:
    bond = open_bond(request, pk)
    user = request.user
    deck, weeks = _both_deck(request, bond)
    DeckOptIn.objects.update_or_create(
        bond=bond, user=user, deck=deck.id, defaults={"weeks": weeks}
    )
    other = bond.other_member(user)
    theirs = (
        DeckOptIn.objects.filter(bond=bond, user=other, deck=deck.id).first()
        if other is not None and bond.is_open_for(other)
        else None
    )
    if theirs is None:
        who = other.display_name if other is not None else "the other member"
        messages.success(
            request,
            f"Noted, privately. {deck.title} opens only if {who} opts in too, and nobody is "
            "told about your yes unless that happens.",
        )
        return _to_decks(bond)
    # Both said yes: the run takes the shorter wish, and each run needs its own two yeses.
    weeks = min(weeks, theirs.weeks)
    if _start(bond, deck, weeks, user):
        DeckOptIn.objects.filter(bond=bond, deck=deck.id).delete()
        length = DECK_WEEKS[weeks].lower()
        messages.success(request, f"You both opted in. {deck.title} opens today, for {length}.")
        _tell_the_other(bond, user, f"You both opted in: a deck opens today, for {length}.")
    return _to_decks(bond)


@login_required
@require_POST
def opt_out(request: HttpRequest, pk: int) -> HttpResponse:
    bond = open_bond(request, pk)
    deck_id = request.POST.get("deck", "")
    deck = _deck_or_none(deck_id)
    if deck is None or not deck.needs_both or not deck.fits(bond.kind):
        raise Http404("No such deck")
    DeckOptIn.objects.filter(bond=bond, user=request.user, deck=deck.id).delete()
    ended = DeckRun.objects.filter(bond=bond, deck=deck.id, ended_at__isnull=True).update(
        ended_at=timezone.now()
    )
    if ended:
        messages.success(request, f"{deck.title} is put away.")
    else:
        messages.success(request, "Taken back. Nobody was told.")
    return _to_decks(bond)


@login_required
def evening(request: HttpRequest, pk: int) -> HttpResponse:
    """The evening sequence, one round at a time (`?round=2`), with its guide."""
    bond = member_bond(request, pk)
    sequence = library.sequence(SEQUENCE)
    # After a positive safety screen only the light round is offered: the later ones ask for
    # a vulnerability nobody should be nudged toward.
    safe = safety_positive(request.user)
    rounds = sequence.rounds[:1] if safe else sequence.rounds
    try:
        number = min(max(int(request.GET.get("round", "1")), 1), len(rounds))
    except ValueError:
        number = 1
    part = rounds[number - 1]
    ctx = {
        "bond": bond,
        "sequence": sequence,
        "fits": sequence.fits(bond.kind),
        "number": number,
        "round": part,
        "questions": part.for_bond(bond.kind),
        "rounds": list(enumerate(rounds, 1)),
        "next": number + 1 if number < len(rounds) else None,
        "safe": safe,
    }
    return render(request, "prompts/evening.html", ctx)
