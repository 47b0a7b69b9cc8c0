from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tending.bonds.forms import InviteEmailForm
from tending.bonds.models import Bond
from tending.bonds.views import member_bond
from tending.coach.hint import answers_from, safe_hint_for
from tending.safety import notices
from tending.safety.models import safety_positive
from tending.solo.forms import PRACTICE_MAX, PractiseForm
from tending.solo.path import path, solo_reason, steps_for


def _solo_bond(request: HttpRequest, pk: int) -> Bond:
    """Any bond of the viewer's: the path is about tending your own side, which is what a
    just-me bond is for too (there, without an invitation to make)."""
    return member_bond(request, pk)


@login_required
def index(request: HttpRequest, pk: int) -> HttpResponse:
    bond = _solo_bond(request, pk)
    user = request.user
    other = bond.other_member(user)
    safe = not safety_positive(user)
    reason = solo_reason(bond, user)
    data = path()
    ctx: dict[str, Any] = {
        "bond": bond,
        "open": bond.is_open_for(user),
        "safe": safe,
        "reason": reason,
        "path": data,
        "steps": steps_for(safe=safe),
        "invitation": None,
        "email_form": None,
        "safety_note": notices.safety_note(),
        "not_therapy": notices.not_therapy(),
    }
    if safe and ctx["open"] and other is None and not bond.is_solo_kind:
        ctx["invitation"] = bond.pending_invitation()
        ctx["email_form"] = InviteEmailForm()
    return render(request, "solo/index.html", ctx)


@login_required
def practise(request: HttpRequest, pk: int) -> HttpResponse:
    """A composer that only coaches: what is typed is never saved, sent or logged."""
    bond = _solo_bond(request, pk)
    safe = not safety_positive(request.user)
    form = PractiseForm(request.POST or None)
    text = ""
    if request.method == "POST":
        replacement = request.POST.get("replace_with")
        if replacement is not None:
            text = replacement.strip()[:PRACTICE_MAX]
            form = PractiseForm(initial={"text": text})
        elif form.is_valid():
            text = form.cleaned_data["text"]
    ctx = {
        "bond": bond,
        "safe": safe,
        "form": form,
        "hint": safe_hint_for(text, answers_from(request.POST)) if safe else None,
        "replace_submit": True,
        "title": path()["title"],
        "step": next(s for s in path()["steps"] if s["id"] == "lead-with-vulnerability"),
        "safety_note": notices.safety_note(),
    }
    status = 400 if request.method == "POST" and form.is_bound and form.errors else 200
    return render(request, "solo/practise.html", ctx, status=status)
