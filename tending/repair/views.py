from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from tending.bonds.models import Bond
from tending.bonds.privacy import Visibility
from tending.bonds.views import member_bond, open_bond
from tending.coach.hint import answers_from, safe_hint_for
from tending.lib.timeutil import local_time
from tending.notify.service import notify
from tending.repair.content import content
from tending.repair.counselling import support_context
from tending.repair.forms import AnswerForm, MessageForm, MyPartForm, StartForm
from tending.repair.models import MESSAGE_MAX, RepairAnswer, Rupture, RuptureNote
from tending.safety.models import safety_positive

RESOLVED_SHOWN = 10
UNRESOLVED_SHOWN = 50


def _repair_bond(
    request: HttpRequest, pk: int, *, write: bool = False, alone_too: bool = False
) -> Bond:
    """The bond, for a repair page. Repair itself needs two people: in a just-me bond only
    the pages marked `alone_too` open (the index explains, counselling guides)."""
    bond = open_bond(request, pk) if write else member_bond(request, pk)
    if bond.is_solo_kind and not alone_too:
        raise Http404("Repair needs two people")
    return bond


def _visible_rupture(request: HttpRequest, bond: Bond, rupture: int) -> Rupture:
    found = Rupture.objects.visible_to(request.user).filter(bond=bond, pk=rupture).first()
    if found is None:
        raise Http404("No such rupture")
    return found


def _own_rupture(request: HttpRequest, bond: Bond, rupture: int) -> tuple[Rupture, RuptureNote]:
    """The signed-in person's own rupture with its private note; 404 for anyone else."""
    found = Rupture.objects.authored_by(request.user).filter(bond=bond, pk=rupture).first()
    note = (
        RuptureNote.objects.visible_to(request.user).filter(rupture=found).first()
        if found
        else None
    )
    if found is None or note is None:
        raise Http404("No such rupture")
    return found, note


def _detail_url(r: Rupture) -> str:
    return reverse("repair:detail", args=[r.bond_id, r.pk])


def _mark_resumed(note: RuptureNote) -> None:
    if note.resume_after is not None and note.resumed_at is None:
        RuptureNote.objects.filter(pk=note.pk, resumed_at__isnull=True).update(
            resumed_at=timezone.now()
        )


def _status(r: Rupture, user: Any, other_name: str, note: RuptureNote | None, answer: Any) -> str:
    mine = r.author_id == user.pk
    if r.resolved_at:
        return "Resolved together." if r.is_sent else "Settled."
    if mine and not r.is_sent:
        if note is not None and note.is_waiting():
            local = local_time(note.resume_after, user.tz)
            return f"Taking a break until {local:%H:%M}."
        return "Not sent. Only you can see it."
    my_mark = r.resolved_mark_of(user)
    their_mark = r.other_resolved_at if mine else r.author_resolved_at
    if my_mark and not their_mark:
        return f"You've marked it resolved; waiting for {other_name} to mark it too."
    if their_mark and not my_mark:
        return f"{other_name} has marked it resolved. Mark it too when it feels settled."
    if answer is not None:
        who = "You" if answer.author_id == user.pk else other_name
        if answer.talk_at:
            local = local_time(answer.talk_at, user.tz)
            return f"{who} {answer.summary} {local:%a} {local.day} {local:%b, %H:%M}."
        return f"{who} {answer.summary}."
    return f"Sent. {other_name} hasn't answered yet." if mine else "Waiting for your answer."


@login_required
def index(request: HttpRequest, pk: int) -> HttpResponse:
    bond = _repair_bond(request, pk, alone_too=True)
    user = request.user
    if bond.is_solo_kind:
        return render(request, "repair/alone.html", {"bond": bond})
    other = bond.other_member(user)
    visible = Rupture.objects.visible_to(user).filter(bond=bond)
    unresolved = list(visible.unresolved(bond).order_by("-created_at")[:UNRESOLVED_SHOWN])
    resolved = list(
        visible.filter(resolved_at__isnull=False).order_by("-resolved_at")[:RESOLVED_SHOWN]
    )
    ids = [r.pk for r in unresolved + resolved]
    notes = {
        n.rupture_id: n
        for n in RuptureNote.objects.visible_to(user).filter(bond=bond, rupture_id__in=ids)
    }
    latest: dict[int, RepairAnswer] = {}
    for a in (
        RepairAnswer.objects.visible_to(user).filter(rupture_id__in=ids).order_by("created_at")
    ):
        latest[a.rupture_id] = a
    other_name = other.display_name if other else "the other person"

    def item(r: Rupture) -> dict[str, Any]:
        note = notes.get(r.pk)
        return {
            "rupture": r,
            "note": note,
            "mine": r.author_id == user.pk,
            "status": _status(r, user, other_name, note, latest.get(r.pk)),
        }

    ctx = {
        "bond": bond,
        "can_write": bond.is_open_for(user),
        "unresolved": [item(r) for r in unresolved],
        "resolved": [item(r) for r in resolved],
        "support": support_context(bond, user),
    }
    return render(request, "repair/index.html", ctx)


@login_required
def start(request: HttpRequest, pk: int) -> HttpResponse:
    bond = _repair_bond(request, pk, write=True)
    form = StartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        now = timezone.now()
        flooded = data["flooded"] == "yes"
        r = Rupture.objects.create(bond=bond, author=request.user, visibility=Visibility.PRIVATE)
        RuptureNote.objects.create(
            bond=bond,
            author=request.user,
            rupture=r,
            created_at=r.created_at,
            topic=data["topic"],
            own_topic=data["own_topic"],
            what_happened=data["what_happened"].strip(),
            what_i_felt=data["what_i_felt"].strip(),
            resume_after=now + _break() if flooded else None,
        )
        if flooded or safety_positive(request.user):
            return redirect(_detail_url(r))
        return redirect("repair:my_part", pk=bond.pk, rupture=r.pk)
    ctx = {"bond": bond, "form": form}
    return render(request, "repair/start.html", ctx, status=400 if form.errors else 200)


def _break() -> timedelta:
    return timedelta(minutes=content().break_minutes)


def _detail_ctx(request: HttpRequest, bond: Bond, r: Rupture) -> dict[str, Any]:
    user = request.user
    mine = r.author_id == user.pk
    note = RuptureNote.objects.visible_to(user).filter(rupture=r).first() if mine else None
    answers = list(
        RepairAnswer.objects.visible_to(user)
        .filter(rupture=r)
        .select_related("author")
        .order_by("created_at")
    )
    can_write = bond.is_open_for(user)
    support = support_context(bond, user)
    ctx: dict[str, Any] = {
        "bond": bond,
        "r": r,
        "mine": mine,
        "note": note,
        "answers": answers,
        "can_write": can_write,
        "support": support,
        "waiting": bool(note and note.is_waiting()),
        "flooding": content().flooding,
        "my_mark": r.resolved_mark_of(user),
        "their_mark": r.other_resolved_at if mine else r.author_resolved_at,
        "answer_form": None,
    }
    answered = any(a.author_id == user.pk for a in answers)
    if not mine and can_write and r.is_sent and not r.resolved_at and not answered:
        ctx["answer_form"] = AnswerForm(user=user, allow_talk_at=support["safe_to_suggest"])
    return ctx


@login_required
def detail(request: HttpRequest, pk: int, rupture: int) -> HttpResponse:
    bond = _repair_bond(request, pk)
    r = _visible_rupture(request, bond, rupture)
    return render(request, "repair/detail.html", _detail_ctx(request, bond, r))


@login_required
@require_POST
def pause(request: HttpRequest, pk: int, rupture: int) -> HttpResponse:
    bond = _repair_bond(request, pk, write=True)
    r, note = _own_rupture(request, bond, rupture)
    if r.is_sent or r.resolved_at:
        raise Http404("Nothing to pause")
    RuptureNote.objects.filter(pk=note.pk).update(
        resume_after=timezone.now() + _break(), resumed_at=None, reminded_at=None
    )
    return redirect(_detail_url(r))


@login_required
@require_POST
def resume(request: HttpRequest, pk: int, rupture: int) -> HttpResponse:
    bond = _repair_bond(request, pk, write=True)
    r, note = _own_rupture(request, bond, rupture)
    if note.is_waiting():
        local = local_time(note.resume_after, request.user.tz)
        messages.info(
            request,
            f"Your break runs until {local:%H:%M}. A little longer gives your body time to settle.",
        )
        return redirect(_detail_url(r))
    _mark_resumed(note)
    if safety_positive(request.user) or r.is_sent:
        return redirect(_detail_url(r))
    return redirect("repair:my_part", pk=bond.pk, rupture=r.pk)


def _ready_to_write(request: HttpRequest, r: Rupture, note: RuptureNote) -> bool:
    """May the author go on with owning their part and the message now?"""
    return not (note.is_waiting() or r.resolved_at or safety_positive(request.user))


@login_required
def my_part(request: HttpRequest, pk: int, rupture: int) -> HttpResponse:
    bond = _repair_bond(request, pk, write=True)
    r, note = _own_rupture(request, bond, rupture)
    if not _ready_to_write(request, r, note):
        return redirect(_detail_url(r))
    initial = {f"p_{k}": v for k, v in (note.my_part or {}).items() if isinstance(v, str)}
    form = MyPartForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        RuptureNote.objects.filter(pk=note.pk).update(my_part=form.answers())
        _mark_resumed(note)
        if r.is_sent:
            messages.success(request, "Kept, just for you.")
            return redirect(_detail_url(r))
        return redirect("repair:compose", pk=bond.pk, rupture=r.pk)
    prompts = content().owning_prompts
    ctx = {
        "bond": bond,
        "r": r,
        "note": note,
        "form": form,
        "intro": content().owning_intro,
        # The first three prompts are shown open; the rest wait in a "more" fold.
        "first_fields": [form[f"p_{p.id}"] for p in prompts[:3]],
        "more_fields": [form[f"p_{p.id}"] for p in prompts[3:]],
    }
    return render(request, "repair/my_part.html", ctx, status=400 if form.errors else 200)


def _append(text: str, addition: str) -> str:
    return f"{text.rstrip()} {addition}".strip()[:MESSAGE_MAX]


def _compose_ctx(
    request: HttpRequest, bond: Bond, r: Rupture, form: MessageForm, text: str
) -> dict[str, Any]:
    other = bond.other_member(request.user)
    return {
        "bond": bond,
        "r": r,
        "form": form,
        "groups": content().phrases_for(bond.kind),
        "hint": safe_hint_for(text, answers_from(request.POST)),
        "can_send": other is not None and bond.is_open_for(request.user),
        "replace_submit": True,
    }


@login_required
def compose(request: HttpRequest, pk: int, rupture: int) -> HttpResponse:
    bond = _repair_bond(request, pk, write=True)
    r, note = _own_rupture(request, bond, rupture)
    if r.is_sent or not _ready_to_write(request, r, note):
        return redirect(_detail_url(r))
    if request.method != "POST":
        text = r.message
        phrase = content().phrase(request.GET.get("phrase", ""))
        if phrase is not None and bond.kind in phrase.bonds:
            text = _append(text, phrase.text)
        form = MessageForm(initial={"message": text})
        return render(request, "repair/compose.html", _compose_ctx(request, bond, r, form, text))
    form = MessageForm(request.POST)
    if not form.is_valid():
        ctx = _compose_ctx(request, bond, r, form, "")
        return render(request, "repair/compose.html", ctx, status=400)
    text = form.cleaned_data["message"]
    phrase = content().phrase(request.POST.get("use_phrase", ""))
    replacement = request.POST.get("replace_with")
    if phrase is not None or replacement is not None:
        if phrase is not None and bond.kind in phrase.bonds:
            text = _append(text, phrase.text)
        elif replacement is not None:
            text = replacement.strip()[:MESSAGE_MAX]
        form = MessageForm(initial={"message": text})
        return render(request, "repair/compose.html", _compose_ctx(request, bond, r, form, text))
    action = request.POST.get("action", "check")
    if action in ("save", "send"):
        Rupture.objects.filter(pk=r.pk, sent_at__isnull=True).update(message=text.strip())
        _mark_resumed(note)
    if action == "save":
        messages.success(request, "Saved. It stays private until you send it.")
        return redirect(_detail_url(r))
    if action == "send":
        return _send(request, bond, r, form, text)
    return render(request, "repair/compose.html", _compose_ctx(request, bond, r, form, text))


def _send(
    request: HttpRequest, bond: Bond, r: Rupture, form: MessageForm, text: str
) -> HttpResponse:
    other = bond.other_member(request.user)
    if not text.strip():
        form.add_error("message", "Write a few words, or choose a phrase below.")
    elif other is None:
        form.add_error(None, "There's nobody to send it to yet. It's saved for when they join.")
    if form.errors:
        ctx = _compose_ctx(request, bond, r, form, text)
        return render(request, "repair/compose.html", ctx, status=400)
    sent = Rupture.objects.filter(
        pk=r.pk, author=request.user, sent_at__isnull=True, resolved_at__isnull=True
    ).update(message=text.strip(), sent_at=timezone.now(), visibility=Visibility.SHARED)
    if sent == 1:
        notify(
            other,
            topic="repair",
            title=f"{request.user.display_name} would like to repair something with you.",
            url=_detail_url(r),
            bond=bond,
        )
        messages.success(request, f"Sent. {other.display_name} can read it now.")
    return redirect(_detail_url(r))


@login_required
@require_POST
def answer(request: HttpRequest, pk: int, rupture: int) -> HttpResponse:
    bond = _repair_bond(request, pk, write=True)
    r = _visible_rupture(request, bond, rupture)
    if r.author_id == request.user.pk or not r.is_sent or r.resolved_at:
        raise Http404("Nothing to answer")
    if RepairAnswer.objects.filter(rupture=r, author=request.user).exists():
        messages.info(request, "You've answered this one already; your answer is below.")
        return redirect(_detail_url(r))
    support_ok = not safety_positive(request.user)
    form = AnswerForm(request.POST, user=request.user, allow_talk_at=support_ok)
    if not form.is_valid():
        ctx = _detail_ctx(request, bond, r)
        ctx["answer_form"] = form
        return render(request, "repair/detail.html", ctx, status=400)
    data = form.cleaned_data
    RepairAnswer.objects.create(
        bond=bond,
        author=request.user,
        rupture=r,
        kind=data["kind"],
        talk_at=data.get("talk_at"),
        note=data["note"].strip(),
    )
    notify(
        r.author,
        topic="repair",
        title=f"{request.user.display_name} answered your repair message.",
        url=_detail_url(r),
        bond=bond,
    )
    messages.success(request, "Your answer is on its way.")
    if request.POST.get("then") == "home":  # answered from the bond's home
        return redirect(bond)
    return redirect(_detail_url(r))


@login_required
@require_POST
def resolve(request: HttpRequest, pk: int, rupture: int) -> HttpResponse:
    bond = _repair_bond(request, pk, write=True)
    r = _visible_rupture(request, bond, rupture)
    if r.resolved_at or r.resolved_mark_of(request.user):
        return redirect(_detail_url(r))
    done = r.mark_resolved(request.user)
    other = bond.other_member(request.user)
    name = request.user.display_name
    if r.is_sent and other is not None:
        if done:
            title = f"You and {name} have both marked the repair as resolved."
        else:
            title = f"{name} marked the repair as resolved on their side."
        notify(other, topic="repair", title=title, url=_detail_url(r), bond=bond)
    if done:
        messages.success(request, "Resolved. Thank you for finding your way back.")
    else:
        messages.success(request, "Marked on your side. It's resolved once you both have.")
    return redirect(_detail_url(r))


@login_required
@require_POST
def delete(request: HttpRequest, pk: int, rupture: int) -> HttpResponse:
    bond = _repair_bond(request, pk)
    r, _note = _own_rupture(request, bond, rupture)
    if r.is_sent:
        raise Http404("A sent repair stays for both")
    r.delete()
    messages.success(request, "Deleted.")
    return redirect("repair:index", pk=bond.pk)


@login_required
def counselling(request: HttpRequest, pk: int) -> HttpResponse:
    bond = _repair_bond(request, pk, alone_too=True)
    ctx = {
        "bond": bond,
        "support": support_context(bond, request.user, with_reasons=False),
    }
    return render(request, "repair/counselling.html", ctx)
