"""The daily question as a conversation: reactions and short replies under a revealed pair
of answers, "tell me more" for the weekly conversation, and the history of past questions.

Reactions and replies are written only once both members have answered that day, so they
are shared entries from the start (bonds/privacy.py): the two members see them, nobody else.
Everything is read through `visible_in`, like every entry."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from tending.bonds.models import Bond
from tending.bonds.privacy import Visibility
from tending.bonds.views import member_bond, open_bond
from tending.notify.service import notify
from tending.prompts import library
from tending.prompts.models import (
    REACTION_NAMES,
    AnswerKind,
    ConversationAsk,
    DailyAnswer,
    DailyReaction,
    DailyReply,
    Favourite,
    Reaction,
    ReactionNotice,
)

REPLY_LENGTH = 500
# A short thread: past this many replies a day, talking in person is the better next step.
REPLIES_A_DAY = 30
# The history shows at most this many days, newest first (a search narrows them).
HISTORY_DAYS = 120
SEARCH_LENGTH = 100


class ReactForm(forms.Form):
    day = forms.DateField()
    kind = forms.ChoiceField(choices=Reaction.choices)
    back = forms.ChoiceField(
        choices=[("daily", "daily"), ("history", "history"), ("home", "home")], required=False
    )


class ReplyForm(forms.Form):
    day = forms.DateField(widget=forms.HiddenInput)
    text = forms.CharField(
        label="Reply",
        max_length=REPLY_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": REPLY_LENGTH}),
        error_messages={"required": "Write a few words first."},
    )
    back = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean_text(self) -> str:
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError("Write a few words first.")
        return text


def _pair(bond: Bond, user: Any, day: date) -> tuple[DailyAnswer | None, DailyAnswer | None]:
    """This person's answer and the other's, as this person may see them (the other's only
    once both have answered)."""
    mine = theirs = None
    for answer in DailyAnswer.objects.visible_in(user, bond).filter(
        day=day, kind=AnswerKind.ANSWER
    ):
        if answer.author_id == user.pk:
            mine = answer
        else:
            theirs = answer
    return mine, theirs


def talk_for_days(bond: Bond, user: Any, days: list[date]) -> dict[date, dict[str, Any]]:
    """Reactions and replies of these days, as `user` sees them: two queries for any number
    of days. Each day: `reactions` (kind, emoji, name, mine, theirs) and `replies`."""
    if not days or bond.is_solo_kind:
        return {}
    found: dict[date, dict[str, Any]] = {
        d: {"day": d, "mine": set(), "theirs": set(), "replies": []} for d in days
    }
    for day, author_id, kind in (
        DailyReaction.objects.visible_in(user, bond)
        .filter(day__in=days)
        .values_list("day", "author_id", "kind")
    ):
        found[day]["mine" if author_id == user.pk else "theirs"].add(kind)
    for reply in (
        DailyReply.objects.visible_in(user, bond)
        .filter(day__in=days)
        .only("pk", "day", "author_id", "text", "created_at")
        .order_by("created_at", "pk")
    ):
        found[reply.day]["replies"].append(reply)
    for talk in found.values():
        talk["reactions"] = [
            {
                "kind": kind.value,
                "emoji": kind.label,
                "name": REACTION_NAMES[kind],
                "mine": kind.value in talk["mine"],
                "theirs": kind.value in talk["theirs"],
            }
            for kind in Reaction
        ]
        talk["full"] = len(talk["replies"]) >= REPLIES_A_DAY
    return found


def talk_context(bond: Bond, user: Any, day: date, *, back: str = "daily") -> dict[str, Any]:
    talk = talk_for_days(bond, user, [day]).get(day, {})
    return {
        "talk": talk,
        "reply_form": ReplyForm(initial={"day": day, "back": back}),
        "back": back,
        "can_write": bond.is_open_for(user),
    }


def _back(bond: Bond, back: str, day: date) -> HttpResponse:
    if back == "home":  # from today's card on the bond's home
        return redirect(bond.get_absolute_url() + f"#talk-{day.isoformat()}")
    name = "prompts:daily_history" if back == "history" else "prompts:daily"
    return redirect(reverse(name, args=[bond.pk]) + f"#talk-{day.isoformat()}")


def _partial(request: HttpRequest, bond: Bond, day: date, back: str) -> HttpResponse:
    ctx = {"bond": bond, "other": bond.other_member(request.user)}
    ctx.update(talk_context(bond, request.user, day, back=back))
    return render(request, "prompts/_talk.html", ctx)


def _first_notice(bond: Bond, user: Any, day: date, kind: str) -> bool:
    """True only the first time this person gives this reaction to this day's pair of
    answers: taken back and given again, it does not tell the other member a second time."""
    try:
        with transaction.atomic():
            ReactionNotice.objects.create(bond=bond, author=user, day=day, kind=kind)
    except IntegrityError:
        return False
    return True


@login_required
@require_POST
@vary_on_headers("HX-Request")
def react(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a reaction, or take it back when it is tapped again."""
    bond = open_bond(request, pk)
    user = request.user
    form = ReactForm(request.POST)
    if not form.is_valid():
        messages.info(request, "That reaction could not be saved.")
        return redirect("prompts:daily", pk=bond.pk)
    day, kind = form.cleaned_data["day"], form.cleaned_data["kind"]
    back = form.cleaned_data.get("back") or "daily"
    mine, theirs = _pair(bond, user, day)
    if mine is None or theirs is None:
        messages.info(request, "Reactions open once you have both answered.")
        return _back(bond, back, day)
    other = bond.other_member(user)
    deleted, _ = DailyReaction.objects.filter(bond=bond, author=user, day=day, kind=kind).delete()
    if deleted:
        if kind == Reaction.MORE:
            ConversationAsk.objects.filter(
                bond=bond, asked_by=user, day=day, conversation__isnull=True
            ).delete()
    else:
        try:
            with transaction.atomic():
                DailyReaction.objects.create(
                    bond=bond, author=user, visibility=Visibility.SHARED, day=day, kind=kind
                )
                if kind == Reaction.MORE:
                    ConversationAsk.objects.get_or_create(
                        bond=bond,
                        prompt_id=theirs.prompt_id,
                        day=day,
                        defaults={"asked_by": user},
                    )
        except IntegrityError:
            pass  # a double tap: the first one counts
        else:
            if (
                other is not None
                and bond.is_open_for(other)
                and _first_notice(bond, user, day, kind)
            ):
                title = (
                    f"{user.display_name} would like to hear more about your answer."
                    if kind == Reaction.MORE
                    else f"{user.display_name} reacted to your answer."
                )
                url = reverse("prompts:daily_history", args=[bond.pk]) + f"#talk-{day}"
                notify(other, topic="daily_talk", title=title, url=url, bond=bond)
            if kind == Reaction.MORE and not request.headers.get("HX-Request"):
                messages.success(request, "It's on the list for your next weekly conversation.")
    if request.headers.get("HX-Request"):
        return _partial(request, bond, day, back)
    return _back(bond, back, day)


@login_required
@require_POST
@vary_on_headers("HX-Request")
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    bond = open_bond(request, pk)
    user = request.user
    form = ReplyForm(request.POST)
    try:
        day = forms.DateField().clean(request.POST.get("day"))
    except forms.ValidationError:
        day = None
    back = request.POST.get("back") if request.POST.get("back") in ("history", "home") else "daily"
    if day is None:
        messages.info(request, "That reply could not be saved.")
        return redirect("prompts:daily", pk=bond.pk)
    mine, theirs = _pair(bond, user, day)
    if mine is None or theirs is None:
        messages.info(request, "Replies open once you have both answered.")
        return _back(bond, back, day)
    if not form.is_valid():
        if request.headers.get("HX-Request"):
            ctx = {"bond": bond, "other": bond.other_member(user)}
            ctx.update(talk_context(bond, user, day, back=back))
            ctx["reply_form"] = form
            return render(request, "prompts/_talk.html", ctx)
        messages.info(request, "Write a few words first (at most 500 characters).")
        return _back(bond, back, day)
    if DailyReply.objects.filter(bond=bond, day=day).count() >= REPLIES_A_DAY:
        messages.info(request, "That's a long thread: perhaps the rest is for talking in person.")
        return _back(bond, back, day)
    DailyReply.objects.create(
        bond=bond,
        author=user,
        visibility=Visibility.SHARED,
        day=day,
        text=form.cleaned_data["text"],
    )
    other = bond.other_member(user)
    if other is not None and bond.is_open_for(other):
        notify(
            other,
            topic="daily_talk",
            title=f"{user.display_name} replied about a daily question.",
            url=reverse("prompts:daily_history", args=[bond.pk]) + f"#talk-{day}",
            bond=bond,
        )
    if request.headers.get("HX-Request"):
        return _partial(request, bond, day, back)
    return _back(bond, back, day)


def _search_ids(query: str) -> list[str]:
    needle = query.casefold()
    return [p.id for p in library.every_prompt() if needle in p.text.casefold()]


@login_required
def history(request: HttpRequest, pk: int) -> HttpResponse:
    """Past questions by week, with both answers once revealed; searchable, and narrowed to
    favourites on request. An ended bond's archive shows them too."""
    bond = member_bond(request, pk)
    user = request.user
    query = request.GET.get("q", "").strip()[:SEARCH_LENGTH]
    only_favourites = request.GET.get("favourites") == "1"
    favourite_ids = set(
        Favourite.objects.visible_in(user, bond)
        .filter(author=user)
        .values_list("prompt_id", flat=True)
    )
    answers = DailyAnswer.objects.visible_in(user, bond).filter(kind=AnswerKind.ANSWER)
    matching = answers
    if query:
        matching = matching.filter(Q(text__icontains=query) | Q(prompt_id__in=_search_ids(query)))
    if only_favourites:
        matching = matching.filter(prompt_id__in=favourite_ids)
    days = list(matching.order_by("-day").values_list("day", flat=True).distinct()[:HISTORY_DAYS])
    rows: dict[date, dict[str, Any]] = {d: {"day": d} for d in days}
    for answer in answers.filter(day__in=days).order_by("created_at"):
        rows[answer.day]["mine" if answer.author_id == user.pk else "theirs"] = answer
    talk = talk_for_days(bond, user, [d for d, r in rows.items() if "mine" in r and "theirs" in r])
    weeks: dict[date, list[dict[str, Any]]] = defaultdict(list)
    for day in days:
        row = rows[day]
        shown = row.get("mine") or row.get("theirs")
        row["prompt"] = shown.prompt if shown else None
        row["favourite"] = bool(shown and shown.prompt_id in favourite_ids)
        row["talk"] = talk.get(day)
        weeks[day - timedelta(days=day.weekday())].append(row)
    ctx = {
        "bond": bond,
        "solo": bond.is_solo_kind,
        "can_write": bond.is_open_for(user),
        "query": query,
        "only_favourites": only_favourites,
        "weeks": [{"start": start, "days": rows_} for start, rows_ in weeks.items()],
        "reply_form": ReplyForm(initial={"back": "history"}),
        "back": "history",
    }
    return render(request, "prompts/daily_history.html", ctx)
