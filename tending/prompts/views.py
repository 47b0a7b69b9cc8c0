"""The daily question: answered privately, opened when both have answered."""

from __future__ import annotations

from collections import OrderedDict
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import DEFAULT_DB_ALIAS, IntegrityError, transaction
from django.db.models import BigIntegerField, BooleanField, Count, Q, Value
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from tending.bonds.models import Bond
from tending.bonds.privacy import Visibility, as_member, keeps_archive
from tending.bonds.views import member_bond, open_bond
from tending.lib.plans import Planned
from tending.notify.service import notify
from tending.prompts import library, state
from tending.prompts.forms import AnswerForm, ClosenessForm, GuessForm, PromptIdForm
from tending.prompts.library import Prompt
from tending.prompts.models import (
    AnswerKind,
    DailyAnswer,
    DailyChoice,
    Favourite,
    daily_seal,
)
from tending.prompts.talk import talk_context
from tending.safety.models import viewer_safety

# Earlier answers shown under today's question: a bounded number of rows, newest first.
EARLIER_ROWS = 60
# At most this many entries of one day a viewer can see: an answer and a guess from each member.
TODAYS_MOST = 4


def _choice(bond: Bond, user: Any, day: date) -> DailyChoice:
    row = DailyChoice.objects.filter(bond=bond, user=user, day=day).first()
    if row is not None:
        return row
    try:
        with transaction.atomic():
            return DailyChoice.objects.create(bond=bond, user=user, day=day)
    except IntegrityError:
        return DailyChoice.objects.get(bond=bond, user=user, day=day)


def _mark_once(bond: Bond, user: Any, day: date, flag: str, row: Any = None) -> bool:
    """Set a once-a-day flag; True only for the one caller that set it. `row`: the
    person's choice for `day`, when the caller has just read it."""
    row = row or _choice(bond, user, day)
    return DailyChoice.objects.filter(pk=row.pk, **{flag: False}).update(**{flag: True}) == 1


def _other(bond: Bond, user: Any) -> Any:
    return None if bond.is_solo_kind else bond.other_member(user)


def _my_prompt(
    bond: Bond, user: Any, today: state.Today, *, safe: bool, choice: Any = ...
) -> tuple[Prompt, bool]:
    """The question this person answers today, and whether it is their own alternative.

    Someone whose safety screen was positive is never asked to be vulnerable: if the shared
    question is a heavy one, they get a gentle alternative of their own, kept for the day. To
    the other member that looks like any "another question" request."""
    if choice is ...:  # not read yet by the caller
        choice = DailyChoice.objects.filter(bond=bond, user=user, day=today.day).first()
    if choice is not None and choice.alternative is not None:
        return choice.alternative, True
    if safe and state.is_heavy(today.prompt):
        alternative = _give_alternative(bond, user, today, safe=True)
        if alternative is not None:
            return alternative, True
    return today.prompt, False


def _give_alternative(
    bond: Bond, user: Any, today: state.Today, *, safe: bool, exclude: set[str] | None = None
) -> Prompt | None:
    try:
        prompt = state.another(bond, user, safe=safe, exclude={today.prompt.id, *(exclude or ())})
    except LookupError:
        return None
    row = _choice(bond, user, today.day)
    DailyChoice.objects.filter(pk=row.pk).update(alternative_id=prompt.id)
    return prompt


def _guess_about(bond: Bond, user: Any, today: state.Today, my_prompt: Prompt) -> Any:
    """The other member, when this person may guess their answer today; else None."""
    other = _other(bond, user)
    if other is None or my_prompt.id != today.prompt.id or "about_self" not in today.prompt.tags:
        return None
    return other


def _answered(bond: Bond, user: Any, day: date) -> bool:
    return DailyAnswer.objects.filter(
        bond=bond, author=user, day=day, kind=AnswerKind.ANSWER
    ).exists()


def _learned_and_waiting(bond: Bond, user: Any, other: Any, day: date) -> tuple[int, bool]:
    """Things learned about each other (answers both have opened, and guesses
    marked), and whether the other member has answered `day`'s question, in one
    query: counts over the bond's answers that differ only in their filter. For a
    member who keeps the archive, its SQL is built once per process
    (tending.lib.plans)."""
    if keeps_archive(bond, user):
        other_pk = other.pk if other is not None else 0
        found = list(_LEARNED.rows(other is not None, user.pk, bond.pk, other_pk, day))
        opened, marked, *waiting = found[0] if found else (0, 0, 0)
        return opened + marked, bool(waiting and waiting[0])
    rule = DailyAnswer.objects.rule(user, bond)
    counts = _learned_counts(rule, user, other, day)
    total = DailyAnswer.objects.filter(bond=bond).aggregate(**counts)
    return total["opened"] + total["marked"], bool(total.get("waiting"))


def _learned_counts(rule: Q, user: Any, other: Any, day: date) -> dict[str, Count]:
    counts = {
        "opened": Count("pk", filter=rule & Q(kind=AnswerKind.ANSWER) & ~Q(author=user)),
        "marked": Count("pk", filter=rule & Q(kind=AnswerKind.GUESS) & ~Q(closeness="")),
    }
    if other is not None:
        counts["waiting"] = Count("pk", filter=Q(author=other, day=day, kind=AnswerKind.ANSWER))
    return counts


def _learned_query(with_other: bool, user_pk: int, bond_pk: int, other_pk: int, day: date) -> Any:
    """The counts of `_learned_and_waiting` as one row, from ids alone."""
    user, bond = as_member(user_pk, bond_pk)
    other = other_pk if with_other else None
    counts = _learned_counts(DailyAnswer.objects.rule(user, bond), user, other, day)
    return (
        DailyAnswer.objects.filter(bond=bond_pk)
        .order_by()
        .values("bond")
        .annotate(**counts)
        .values_list(*counts)
    )


_LEARNED = Planned(_learned_query)


def _own_day(bond: Bond, user: Any, today: state.Today) -> tuple[DailyChoice | None, set[str]]:
    """This person's choice for today (skipped, another question) and which of
    today's questions they saved as a favourite, in one UNION ALL: the choice's
    row, then their favourites among the shared question and the alternative
    the choice names. A choice row has a pk; a favourite's row has none. Its SQL
    is built once per process (tending.lib.plans)."""
    choice, saved = None, set()
    for pk, skipped, prompt_id in _OWN_DAY.rows("", bond.pk, user.pk, today.day, today.prompt.id):
        if pk is None:
            saved.add(prompt_id)
        else:
            choice = DailyChoice(
                pk=pk,
                bond=bond,
                user=user,
                day=today.day,
                skipped=skipped,
                alternative_id=prompt_id,
            )
    return choice, saved


def _own_day_query(shape: str, bond_pk: int, user_pk: int, day: date, prompt_id: str) -> Any:
    mine = DailyChoice.objects.filter(bond=bond_pk, user=user_pk, day=day)
    choice_row = mine.order_by().values_list("pk", "skipped", "alternative_id")
    favourites = (
        Favourite.objects.filter(bond=bond_pk, author=user_pk)
        .filter(Q(prompt_id=prompt_id) | Q(prompt_id__in=mine.values("alternative_id")))
        .order_by()
        .values_list(
            Value(None, output_field=BigIntegerField()),
            Value(False, output_field=BooleanField()),
            "prompt_id",
        )
    )
    return choice_row.union(favourites, all=True)


_OWN_DAY = Planned(_own_day_query)


def _group(entries: list[DailyAnswer], user: Any) -> list[dict[str, Any]]:
    days: OrderedDict[date, dict[str, Any]] = OrderedDict()
    for entry in entries:
        slot = days.setdefault(entry.day, {"day": entry.day})
        who = "mine" if entry.author_id == user.pk else "theirs"
        slot[f"{who}_{entry.kind}"] = entry
    return list(days.values())


def _recent_answers(bond: Bond, user: Any, day: date) -> list[DailyAnswer]:
    """Today's answers and the earlier ones the viewer may see, newest day first, in one
    read; for a member who keeps the archive, its SQL is built once per process."""
    if keeps_archive(bond, user):
        rows = _RECENT.rows("member", user.pk, bond.pk, day)
    else:
        rows = _recent_query(user, bond, day)
    return [DailyAnswer.from_db(DEFAULT_DB_ALIAS, _ANSWER_COLUMNS, row) for row in rows]


def _recent_query(user: Any, bond: Bond, day: date) -> Any:
    return (
        DailyAnswer.objects.visible_in(user, bond)
        .filter(day__lte=day)
        .order_by("-day", "created_at")
        .values_list(*_ANSWER_COLUMNS)[: EARLIER_ROWS + TODAYS_MOST]
    )


_ANSWER_COLUMNS = [f.attname for f in DailyAnswer._meta.concrete_fields]
_RECENT = Planned(
    lambda shape, user_pk, bond_pk, day: _recent_query(*as_member(user_pk, bond_pk), day)
)


def _daily_ctx(
    request: HttpRequest,
    bond: Bond,
    *,
    form: AnswerForm | None = None,
    guess_form: GuessForm | None = None,
) -> dict[str, Any]:
    user = request.user
    other = _other(bond, user)
    can_write = bond.is_open_for(user)
    today = state.daily(bond) if can_write else None
    day = today.day if today is not None else state.bond_today(bond)
    recent = _recent_answers(bond, user, day)
    # An archive shows every day, the last one included; an open bond's today is shown above.
    earlier = [entry for entry in recent if entry.day < day or not can_write][:EARLIER_ROWS]
    tally, other_answered_today = _learned_and_waiting(bond, user, other, day)
    ctx: dict[str, Any] = {
        "bond": bond,
        "solo": bond.is_solo_kind,
        "can_write": can_write,
        "day": day,
        "earlier": _group(earlier, user),
        "tally": 0 if bond.is_solo_kind else tally,
    }
    if today is None:
        return ctx
    safe = viewer_safety(request)
    choice, saved = _own_day(bond, user, today)
    my_prompt, personal = _my_prompt(bond, user, today, safe=safe, choice=choice)
    todays = {
        (entry.author_id == user.pk, entry.kind): entry for entry in recent if entry.day == day
    }
    mine = todays.get((True, AnswerKind.ANSWER))
    theirs = todays.get((False, AnswerKind.ANSWER))
    guess_about = _guess_about(bond, user, today, my_prompt)
    other_answered = theirs is not None or (mine is None and other_answered_today)
    if form is None:
        form = AnswerForm(
            initial={"prompt": my_prompt.id},
            guess_about=guess_about.display_name if guess_about else None,
        )
    my_guess = todays.get((True, AnswerKind.GUESS))
    if guess_form is None and guess_about and mine and not my_guess and theirs is None:
        guess_form = GuessForm(
            initial={"prompt": today.prompt.id}, guess_about=guess_about.display_name
        )
    ctx.update(
        {
            "today": today,
            "prompt": my_prompt,
            "personal": personal,
            "shared_prompt": today.prompt,
            "safe": safe,
            "form": form,
            "guess_form": guess_form if mine and not theirs else None,
            "mine": mine,
            "theirs": theirs,
            "my_guess": my_guess,
            "their_guess": todays.get((False, AnswerKind.GUESS)),
            "other_answered": other_answered,
            "skipped": bool(choice and choice.skipped and mine is None),
            "favourite": my_prompt.id in saved
            if my_prompt.id in (today.prompt.id, choice and choice.alternative_id)
            else Favourite.objects.filter(bond=bond, author=user, prompt_id=my_prompt.id).exists(),
            "closeness_form": ClosenessForm(),
        }
    )
    if mine is not None and theirs is not None:
        ctx.update(talk_context(bond, user, today.day))
    return ctx


def today_inline(request: HttpRequest, bond: Bond, *, answer_box: bool) -> dict[str, Any]:
    """Today's question as the bond's home shows it inline: the question this person answers
    and its answer box, or, once both have answered, both answers with their reactions and
    replies. Guesses, skipping and another question stay on the daily page."""
    user = request.user
    today = state.daily(bond)
    choice = state.day_choice(bond, user, today.day)
    my_prompt, personal = _my_prompt(bond, user, today, safe=viewer_safety(request), choice=choice)
    mine = theirs = None
    # Still to answer: the answers are not needed (the other's stays sealed anyway), and
    # their query set is not even built.
    answers = () if answer_box else _day_answers(user, bond, today.day)
    for entry in answers:
        if entry.author_id == user.pk:
            mine = entry
        else:
            theirs = entry
    ctx: dict[str, Any] = {
        "prompt": my_prompt,
        "personal": personal,
        "mine": mine,
        "theirs": theirs,
        "form": AnswerForm(initial={"prompt": my_prompt.id}),
    }
    if mine is not None and theirs is not None:
        ctx.update(talk_context(bond, user, today.day))
    return ctx


def _day_answers(user: Any, bond: Bond, day: date) -> Any:
    return DailyAnswer.objects.visible_in(user, bond).filter(day=day, kind=AnswerKind.ANSWER)


def _after(request: HttpRequest, bond: Bond) -> HttpResponse:
    """Back to the bond's home when the form came from there (its today card), else the
    daily page."""
    if request.POST.get("then") == "home":
        return redirect(bond)
    return _to_daily(bond)


@login_required
def daily(request: HttpRequest, pk: int) -> HttpResponse:
    bond = member_bond(request, pk)
    return render(request, "prompts/daily.html", _daily_ctx(request, bond))


def _tell_the_other(request: HttpRequest, bond: Bond, day: date) -> bool | None:
    """At most one gentle note a day: "X answered, yours is waiting", or, to whoever answered
    first, that both answers can now be seen. Never the text of an answer.

    Gives whether the other has answered `day`'s question (None: not read, as the bond
    has no other member it is open for)."""
    user = request.user
    other = _other(bond, user)
    if other is None or not bond.is_open_for(other):
        return None
    url = reverse("prompts:daily", args=[bond.pk])
    answered = {
        author: (created_at, pk)
        for author, created_at, pk in DailyAnswer.objects.filter(
            bond=bond, author__in=[user, other], day=day, kind=AnswerKind.ANSWER
        ).values_list("author_id", "created_at", "pk")
    }
    if other.pk in answered:
        first = answered[other.pk] <= answered.get(user.pk, answered[other.pk])
        if first and _mark_once(bond, other, day, "ready_sent"):
            title = (
                f"{user.display_name} answered today's question too. You can see both answers now."
            )
            notify(other, topic="daily", title=title, url=url, bond=bond)
        return True
    choice = DailyChoice.objects.filter(bond=bond, user=other, day=day).first()
    if choice is not None and choice.skipped:
        return False
    if _mark_once(bond, other, day, "waiting_sent", choice):
        title = (
            f"{user.display_name} answered today's question. "
            "Yours is waiting whenever you're ready."
        )
        notify(other, topic="daily", title=title, url=url, bond=bond)
    return False


def _to_daily(bond: Bond) -> HttpResponse:
    return redirect("prompts:daily", pk=bond.pk)


def _write(bond: Bond, user: Any, day: date, prompt_id: str, kind: str, text: str) -> None:
    """One answer or guess: a private journal entry in a just-me bond, else sealed
    until both have answered that day."""
    solo = bond.is_solo_kind
    DailyAnswer.objects.create(
        bond=bond,
        author=user,
        visibility=Visibility.PRIVATE if solo else Visibility.SEALED,
        seal="" if solo else daily_seal(day),
        day=day,
        prompt_id=prompt_id,
        kind=kind,
        text=text,
    )


def _asked_today(request: HttpRequest, bond: Bond) -> tuple[state.Today, Prompt, Any]:
    """Today's shared question, the one this person answers, and whom they may guess about."""
    user = request.user
    today = state.daily(bond)
    my_prompt, _personal = _my_prompt(bond, user, today, safe=viewer_safety(request))
    return today, my_prompt, _guess_about(bond, user, today, my_prompt)


@login_required
@require_POST
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    bond = open_bond(request, pk)
    user = request.user
    today, my_prompt, guess_about = _asked_today(request, bond)
    form = AnswerForm(request.POST, guess_about=guess_about.display_name if guess_about else None)
    if not form.is_valid():
        return render(
            request, "prompts/daily.html", _daily_ctx(request, bond, form=form), status=400
        )
    data = form.cleaned_data
    if data["prompt"] != my_prompt.id:
        # The day turned (or another question was chosen) while the page was open.
        messages.info(
            request, "The question changed while you were writing; your words are kept below."
        )
        kept = AnswerForm(
            initial={"prompt": my_prompt.id, "text": data["text"], "guess": data.get("guess", "")},
            guess_about=guess_about.display_name if guess_about else None,
        )
        return render(request, "prompts/daily.html", _daily_ctx(request, bond, form=kept))
    try:
        with transaction.atomic():
            _write(bond, user, today.day, my_prompt.id, AnswerKind.ANSWER, data["text"])
            if guess_about and data.get("guess"):
                _write(bond, user, today.day, today.prompt.id, AnswerKind.GUESS, data["guess"])
    except IntegrityError:
        messages.info(request, "You have already answered today's question.")
        return _after(request, bond)
    DailyChoice.objects.filter(bond=bond, user=user, day=today.day).update(skipped=False)
    if bond.is_solo_kind:
        messages.success(request, "Saved in your journal, only for you.")
    else:
        other_answered = _tell_the_other(request, bond, today.day)
        other = _other(bond, user)
        if other_answered is None and other is not None:
            other_answered = _answered(bond, other, today.day)
        if other is not None and other_answered:
            messages.success(
                request, f"Both answers are open now: see what {other.display_name} wrote."
            )
        else:
            messages.success(request, "Your answer is saved and sealed.")
    return _after(request, bond)


@login_required
@require_POST
def guess(request: HttpRequest, pk: int) -> HttpResponse:
    bond = open_bond(request, pk)
    user = request.user
    today, _my, guess_about = _asked_today(request, bond)
    if guess_about is None or not _answered(bond, user, today.day):
        messages.info(request, "A guess can be added to today's question once you've answered it.")
        return _to_daily(bond)
    form = GuessForm(request.POST, guess_about=guess_about.display_name)
    if not form.is_valid():
        return render(
            request, "prompts/daily.html", _daily_ctx(request, bond, guess_form=form), status=400
        )
    if form.cleaned_data["prompt"] != today.prompt.id or _answered(bond, guess_about, today.day):
        messages.info(request, f"{guess_about.display_name}'s answer is already here to read.")
        return _to_daily(bond)
    try:
        with transaction.atomic():
            _write(
                bond, user, today.day, today.prompt.id, AnswerKind.GUESS, form.cleaned_data["guess"]
            )
    except IntegrityError:
        messages.info(request, "You have already made a guess today.")
    else:
        messages.success(request, "Your guess is sealed with your answer.")
    return _to_daily(bond)


@login_required
@require_POST
def mark_guess(request: HttpRequest, pk: int, guess: int) -> HttpResponse:
    bond = open_bond(request, pk)
    user = request.user
    found = (
        DailyAnswer.objects.visible_to(user)
        .filter(pk=guess, bond=bond, kind=AnswerKind.GUESS)
        .exclude(author=user)
        .first()
    )
    if found is None:
        raise Http404("No such guess")
    form = ClosenessForm(request.POST)
    if form.is_valid():
        DailyAnswer.objects.filter(pk=found.pk).update(closeness=form.cleaned_data["closeness"])
        messages.success(request, "Thank you. Now you both know a little more.")
    else:
        messages.info(request, "Choose close, partly or not really.")
    return _to_daily(bond)


@login_required
@require_POST
def skip(request: HttpRequest, pk: int) -> HttpResponse:
    bond = open_bond(request, pk)
    day = state.bond_today(bond)
    if _answered(bond, request.user, day):
        return _to_daily(bond)
    row = _choice(bond, request.user, day)
    skipped = not row.skipped
    DailyChoice.objects.filter(pk=row.pk).update(skipped=skipped)
    if skipped:
        messages.success(request, "Today's question can rest. A new one comes tomorrow.")
    return _to_daily(bond)


@login_required
@require_POST
def another(request: HttpRequest, pk: int) -> HttpResponse:
    bond = open_bond(request, pk)
    user = request.user
    today = state.daily(bond)
    if _answered(bond, user, today.day):
        messages.info(request, "You've answered today's question already.")
        return _to_daily(bond)
    current = DailyChoice.objects.filter(bond=bond, user=user, day=today.day).first()
    exclude = {current.alternative_id} if current and current.alternative_id else set()
    prompt = _give_alternative(bond, user, today, safe=viewer_safety(request), exclude=exclude)
    if prompt is None:
        messages.info(request, "There's no other question for today; this one will do nicely.")
    elif bond.is_solo_kind:
        messages.success(request, "Here is another prompt.")
    else:
        messages.success(request, "Here is another question, just for you.")
    return _to_daily(bond)


@login_required
@require_POST
def favourite_add(request: HttpRequest, pk: int) -> HttpResponse:
    bond = open_bond(request, pk)
    form = PromptIdForm(request.POST)
    prompt = None
    if form.is_valid():
        try:
            prompt = library.by_id(form.cleaned_data["prompt"])
        except KeyError:
            prompt = None
    if prompt is None:
        messages.info(request, "That prompt could not be saved.")
        return _to_daily(bond)
    Favourite.objects.get_or_create(
        bond=bond,
        author=request.user,
        prompt_id=prompt.id,
        defaults={"visibility": Visibility.PRIVATE},
    )
    messages.success(request, "Saved to your favourites.")
    return _to_daily(bond)


@login_required
@require_POST
def favourite_remove(request: HttpRequest, pk: int, favourite: int) -> HttpResponse:
    bond = member_bond(request, pk)
    deleted, _ = Favourite.objects.filter(pk=favourite, bond=bond, author=request.user).delete()
    if not deleted:
        raise Http404("No such favourite")
    messages.success(request, "Removed from your favourites.")
    return redirect("prompts:favourites", pk=bond.pk)


@login_required
def favourites(request: HttpRequest, pk: int) -> HttpResponse:
    bond = member_bond(request, pk)
    saved = (
        Favourite.objects.visible_to(request.user)
        .filter(bond=bond, author=request.user)
        .order_by("-created_at", "-pk")
    )
    ctx = {
        "bond": bond,
        "favourites": [f for f in saved if f.prompt is not None],
    }
    return render(request, "prompts/favourites.html", ctx)
