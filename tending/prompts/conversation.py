"""The weekly meaningful conversation: a slot, three prompts, turns, a shared note, a record,
and afterwards one private question. Also the private calendar feed."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from tending.bonds.models import Bond
from tending.bonds.privacy import Visibility
from tending.bonds.views import member_bond, open_bond
from tending.lib.svg import Series, chart
from tending.lib.timeutil import local_time
from tending.notify.service import notify
from tending.prompts import state
from tending.prompts.feed import calendar_for
from tending.prompts.forms import UNDERSTOOD_LABELS, HeardForm, SlotForm, UnderstoodForm
from tending.prompts.models import (
    CalendarFeed,
    Conversation,
    ConversationAsk,
    ConversationSlot,
    HeardNote,
    UnderstoodRating,
    understood_seal,
)
from tending.prompts.schedule import describe, every, next_reminder
from tending.safety.models import safety_positive

TURN_MINUTES = 5
# After "we did it", the understood question stays open this long.
RATE_WITHIN = timedelta(days=8)
HISTORY_ROWS = 52


def _members(bond: Bond) -> list[Any]:
    return sorted((m.user for m in bond.memberships.all() if m.left_at is None), key=lambda u: u.pk)


def _other(bond: Bond, user: Any) -> Any:
    return None if bond.is_solo_kind else bond.other_member(user)


def _conversation(bond: Bond, week: state.Week) -> Conversation:
    found = Conversation.objects.filter(bond=bond, week=week.week).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return Conversation.objects.create(
                bond=bond,
                week=week.week,
                week_start=week.start,
                prompt_ids=[p.id for p in week.prompts],
            )
    except IntegrityError:
        return Conversation.objects.get(bond=bond, week=week.week)


def _speaker(bond: Bond, conversation: Conversation | None, week: int) -> Any:
    """Whose turn it is: as switched, else the members take the first turn week about."""
    members = _members(bond)
    if len(members) < 2:
        return None
    if conversation is not None and conversation.speaker_id:
        for member in members:
            if member.pk == conversation.speaker_id:
                return member
    return members[week % 2]


def _calendar_link(request: HttpRequest) -> str:
    row, _ = CalendarFeed.objects.get_or_create(user=request.user)
    return request.build_absolute_uri(reverse("calendar:feed", args=[row.token]))


def _rating_ctx(bond: Bond, user: Any, conversation: Conversation | None) -> dict[str, Any]:
    """The understood question for a recently held conversation, and the shared average."""
    if (
        conversation is None
        or conversation.held_at is None
        or bond.is_solo_kind
        or conversation.held_at < timezone.now() - RATE_WITHIN
    ):
        return {"rate": None}
    ratings = list(
        UnderstoodRating.objects.visible_to(user).filter(bond=bond, conversation=conversation)
    )
    mine = next((r for r in ratings if r.author_id == user.pk), None)
    theirs = next((r for r in ratings if r.author_id != user.pk), None)
    initial = {"score": mine.score, "include": mine.in_average} if mine else {}
    if mine is None:
        earlier = (
            UnderstoodRating.objects.filter(bond=bond, author=user).order_by("-created_at").first()
        )
        initial["include"] = bool(earlier and earlier.in_average)
    return {
        "rate": conversation,
        "my_rating": mine,
        "understood_form": UnderstoodForm(initial=initial),
        "average": _average(mine, theirs),
        "labels": UNDERSTOOD_LABELS,
    }


def _average(mine: UnderstoodRating | None, theirs: UnderstoodRating | None) -> float | None:
    # `theirs` is only visible when both sealed theirs for the average; check both anyway.
    if mine is None or theirs is None or not (mine.in_average and theirs.in_average):
        return None
    return (mine.score + theirs.score) / 2


def _conversation_ctx(
    request: HttpRequest,
    bond: Bond,
    *,
    slot_form: SlotForm | None = None,
    heard_form: HeardForm | None = None,
) -> dict[str, Any]:
    user = request.user
    can_write = bond.is_open_for(user)
    slot = ConversationSlot.objects.filter(bond=bond).first()
    ctx: dict[str, Any] = {
        "bond": bond,
        "solo": bond.is_solo_kind,
        "can_write": can_write,
        "slot": slot,
        "slot_text": describe(slot, user.tz) if slot else None,
        "turn_minutes": TURN_MINUTES,
    }
    if not can_write:
        ctx["latest"] = (
            Conversation.objects.filter(bond=bond, held_at__isnull=False)
            .order_by("-held_at")
            .first()
        )
        return ctx
    week = state.weekly(bond)
    conversation = Conversation.objects.filter(bond=bond, week=week.week).first()
    prompts = conversation.prompts if conversation and conversation.prompt_ids else week.prompts
    safe = safety_positive(user)
    set_aside = 0
    # Daily questions someone said "tell me more" about join this week's prompts.
    asks = ConversationAsk.objects.filter(bond=bond).filter(
        Q(conversation__isnull=True) | Q(conversation=conversation)
        if conversation
        else Q(conversation__isnull=True)
    )
    asked = [a.prompt for a in asks.order_by("created_at", "pk") if a.prompt is not None]
    if safe:
        gentle = [p for p in prompts if not state.is_heavy(p)]
        set_aside = len(prompts) - len(gentle)
        prompts = gentle
        asked = [p for p in asked if not state.is_heavy(p)]
    note = (
        HeardNote.objects.visible_to(user).filter(conversation=conversation).first()
        if conversation
        else None
    )
    if slot_form is None:
        initial = {"weekday": slot.weekday, "at": slot.at} if slot else {}
        slot_form = SlotForm(initial=initial)
    if heard_form is None:
        heard_form = HeardForm(
            initial={"text": note.text if note else "", "version": note.version if note else 0}
        )
    recent = conversation
    if recent is None or recent.held_at is None:
        recent = (
            Conversation.objects.filter(bond=bond, held_at__isnull=False)
            .order_by("-held_at")
            .first()
        )
    ctx.update(
        {
            "week": week,
            "conversation": conversation,
            "prompts": prompts,
            "asked": asked,
            "safe": safe,
            "set_aside": set_aside,
            "speaker": _speaker(bond, conversation, week.week),
            "note": note,
            "slot_form": slot_form,
            "heard_form": heard_form,
            "calendar_url": _calendar_link(request),
            **_rating_ctx(bond, user, recent),
        }
    )
    return ctx


@login_required
def conversation(request: HttpRequest, pk: int) -> HttpResponse:
    bond = member_bond(request, pk)
    return render(request, "prompts/conversation.html", _conversation_ctx(request, bond))


@login_required
@require_POST
def set_slot(request: HttpRequest, pk: int) -> HttpResponse:
    bond = open_bond(request, pk)
    user = request.user
    form = SlotForm(request.POST)
    if not form.is_valid():
        ctx = _conversation_ctx(request, bond, slot_form=form)
        return render(request, "prompts/conversation.html", ctx, status=400)
    weekday, at = form.cleaned_data["weekday"], form.cleaned_data["at"].replace(second=0)
    now = timezone.now()
    slot = ConversationSlot(bond=bond, weekday=weekday, at=at, zone=user.tz.key)
    values = {
        "weekday": weekday,
        "at": at,
        "zone": user.tz.key,
        "set_by": user,
        "updated_at": now,
        "next_reminder_at": next_reminder(slot, now),
    }
    with transaction.atomic():
        if not ConversationSlot.objects.filter(bond=bond).update(
            sequence=F("sequence") + 1, **values
        ):
            ConversationSlot.objects.create(bond=bond, **values)
    other = _other(bond, user)
    if other is not None and bond.is_open_for(other):
        notify(
            other,
            topic="conversation",
            title=f"{user.display_name} chose a time for your weekly conversation.",
            url=reverse("prompts:conversation", args=[bond.pk]),
            bond=bond,
        )
    messages.success(request, f"Your weekly time is set: {every(weekday, at)}.")
    return redirect("prompts:conversation", pk=bond.pk)


@login_required
@require_POST
@vary_on_headers("HX-Request")
def switch_turn(request: HttpRequest, pk: int) -> HttpResponse:
    """Whose turn it is, switched. htmx swaps in just the new turn note (the page, and its
    running timer, stay); without JavaScript the page comes back with a message."""
    bond = open_bond(request, pk)
    week = state.weekly(bond)
    talk = _conversation(bond, week)
    current = _speaker(bond, talk, week.week)
    members = _members(bond)
    following = None
    if current is not None:
        following = next(m for m in members if m.pk != current.pk)
        Conversation.objects.filter(pk=talk.pk).update(speaker=following)
    if request.headers.get("HX-Request"):
        if following is None:
            return HttpResponse(status=204)
        ctx = {"speaker": following, "other": _other(bond, request.user)}
        return render(request, "prompts/_turn_note.html", ctx)
    if following is not None:
        messages.success(request, f"Now it's {_name_for(following, request.user)} turn to speak.")
    return redirect(reverse("prompts:conversation", args=[bond.pk]) + "#turns")


def _name_for(person: Any, viewer: Any) -> str:
    return "your" if person.pk == viewer.pk else f"{person.display_name}'s"


@login_required
@require_POST
def save_heard(request: HttpRequest, pk: int) -> HttpResponse:
    bond = open_bond(request, pk)
    user = request.user
    form = HeardForm(request.POST)
    if not form.is_valid():
        ctx = _conversation_ctx(request, bond, heard_form=form)
        return render(request, "prompts/conversation.html", ctx, status=400)
    talk = _conversation(bond, state.weekly(bond))
    text = form.cleaned_data["text"].strip()
    read_version = form.cleaned_data["version"]
    now = timezone.now()
    note = HeardNote.objects.filter(conversation=talk).first()
    if note is None:
        try:
            with transaction.atomic():
                HeardNote.objects.create(
                    bond=bond,
                    author=user,
                    visibility=Visibility.SHARED,
                    conversation=talk,
                    text=text,
                    updated_by=user,
                    updated_at=now,
                    version=1,
                )
        except IntegrityError:
            note = HeardNote.objects.get(conversation=talk)
        else:
            messages.success(request, "The note is saved for you both.")
            return redirect(reverse("prompts:conversation", args=[bond.pk]) + "#heard")
    changed = HeardNote.objects.filter(pk=note.pk, version=read_version).update(
        text=text, updated_by=user, updated_at=now, version=F("version") + 1
    )
    if changed:
        messages.success(request, "The note is saved for you both.")
        return redirect(reverse("prompts:conversation", args=[bond.pk]) + "#heard")
    # Someone else saved meanwhile: show theirs, and keep these words to merge by hand.
    messages.info(
        request,
        "The note was changed by the other person while you were writing. Their version is "
        "shown; yours is kept below it, so you can combine the two.",
    )
    note.refresh_from_db()
    kept = HeardForm(initial={"text": f"{note.text}\n\n{text}".strip(), "version": note.version})
    return render(
        request, "prompts/conversation.html", _conversation_ctx(request, bond, heard_form=kept)
    )


@login_required
@require_POST
def mark_held(request: HttpRequest, pk: int) -> HttpResponse:
    bond = open_bond(request, pk)
    talk = _conversation(bond, state.weekly(bond))
    done = Conversation.objects.filter(pk=talk.pk, held_at__isnull=True).update(
        held_at=timezone.now(), held_by=request.user
    )
    if done:
        # The "tell me more" questions waiting until now belong to this conversation.
        ConversationAsk.objects.filter(bond=bond, conversation__isnull=True).update(
            conversation=talk
        )
        messages.success(request, "Recorded. Thank you for making the time.")
    else:
        messages.info(request, "This week's conversation is already recorded.")
    return redirect(reverse("prompts:conversation", args=[bond.pk]) + "#afterwards")


@login_required
@require_POST
def rate(request: HttpRequest, pk: int, conversation: int) -> HttpResponse:
    bond = open_bond(request, pk)
    user = request.user
    talk = Conversation.objects.filter(pk=conversation, bond=bond, held_at__isnull=False).first()
    if talk is None or bond.is_solo_kind:
        raise Http404("No such conversation")
    form = UnderstoodForm(request.POST)
    if not form.is_valid():
        messages.info(request, "Choose the answer that comes closest.")
        return redirect(reverse("prompts:conversation", args=[bond.pk]) + "#afterwards")
    include = form.cleaned_data["include"]
    values = {
        "score": form.cleaned_data["score"],
        "visibility": Visibility.SEALED if include else Visibility.PRIVATE,
        # Only a rating in the average carries the seal, so a private one opens nothing.
        "seal": understood_seal(talk) if include else "",
    }
    with transaction.atomic():
        if not UnderstoodRating.objects.filter(conversation=talk, author=user).update(**values):
            try:
                with transaction.atomic():
                    UnderstoodRating.objects.create(
                        bond=bond, author=user, conversation=talk, **values
                    )
            except IntegrityError:
                UnderstoodRating.objects.filter(conversation=talk, author=user).update(**values)
    messages.success(request, "Thank you. Your answer is kept for you.")
    return redirect(reverse("prompts:conversation", args=[bond.pk]) + "#afterwards")


@login_required
def history(request: HttpRequest, pk: int) -> HttpResponse:
    bond = member_bond(request, pk)
    user = request.user
    held = list(
        Conversation.objects.filter(bond=bond, held_at__isnull=False).order_by("-held_at")[
            :HISTORY_ROWS
        ]
    )
    ratings = list(
        UnderstoodRating.objects.visible_to(user).filter(bond=bond, conversation__in=held)
    )
    mine = {r.conversation_id: r for r in ratings if r.author_id == user.pk}
    theirs = {r.conversation_id: r for r in ratings if r.author_id != user.pk}
    rows = [
        {
            "conversation": talk,
            "mine": mine.get(talk.pk),
            "average": _average(mine.get(talk.pk), theirs.get(talk.pk)),
        }
        for talk in held
    ]
    ctx = {
        "bond": bond,
        "solo": bond.is_solo_kind,
        "rows": rows,
        "chart": _ratings_chart(rows, request.user.tz),
        "labels": UNDERSTOOD_LABELS,
    }
    return render(request, "prompts/history.html", ctx)


def _ratings_chart(rows: list[dict[str, Any]], tz: Any) -> Any:
    points = [
        (local_time(row["conversation"].held_at, tz), row["mine"].score)
        for row in reversed(rows)
        if row["mine"] is not None
    ]
    if len(points) < 2:
        return None
    series = Series("How understood I felt", points, colour="currentColor")
    margin = max((points[-1][0] - points[0][0]) / 12, timedelta(days=1))
    return chart(
        [series],
        title="How understood I felt after each conversation",
        description=f"{len(points)} answers, from 1 (hardly at all) to 5 (fully).",
        y_min=0.5,
        y_max=5.5,
        y_ticks=[(i, UNDERSTOOD_LABELS[i]) for i in (1, 3, 5)],
        x_ticks=[(x, f"{x:%-d %b}") for x in (points[0][0], points[-1][0])],
        # A little room either side, so the first and last labels are not cut off.
        x_range=(points[0][0] - margin, points[-1][0] + margin),
    )


@login_required
@require_POST
def reset_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    bond = member_bond(request, pk)
    row, created = CalendarFeed.objects.get_or_create(user=request.user)
    if not created:
        row.reset()
    messages.success(
        request,
        "Here is a new calendar link. The old one has stopped working; add the new one to your "
        "calendar app.",
    )
    return redirect(reverse("prompts:conversation", args=[bond.pk]) + "#calendar")


@require_GET
def calendar_feed(request: HttpRequest, feed: str) -> HttpResponse:
    row = CalendarFeed.from_token(feed)
    if row is None or not row.user.is_active:
        raise Http404("No such calendar")
    response = HttpResponse(calendar_for(row.user), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="tending.ics"'
    response["Cache-Control"] = "private, max-age=900"
    response["X-Robots-Tag"] = "noindex"
    return response
