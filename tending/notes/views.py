from __future__ import annotations

import logging
import re
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from tending.bonds.models import Bond
from tending.bonds.views import member_bond, open_bond
from tending.coach.hint import answers_from, quiet_for, safe_hint_for
from tending.lib.timeutil import local_time
from tending.notes.forms import NoteForm, ReactionForm
from tending.notes.jobs import deliver_now
from tending.notes.models import Note, Reaction, Timing
from tending.notes.storage import VOICE, remove_voice, save_voice
from tending.notify.service import notify

log = logging.getLogger(__name__)

PAGE = 50
_RANGE = re.compile(r"bytes=(\d*)-(\d*)")


def _bond(request: HttpRequest, pk: int, *, write: bool = False) -> Bond:
    bond = open_bond(request, pk) if write else member_bond(request, pk)
    if bond.is_solo_kind:
        raise Http404("Notes need two people")
    return bond


def _note(request: HttpRequest, bond: Bond, note_id: int) -> Note:
    found = (
        Note.objects.visible_to(request.user)
        .filter(bond=bond, pk=note_id)
        .select_related("author", "recipient")
        .first()
    )
    if found is None:
        raise Http404("No such note")
    return found


def _page(
    request: HttpRequest, bond: Bond, form: NoteForm | None, status: int = 200, hint: Any = None
) -> HttpResponse:
    user = request.user
    other = bond.other_member(user)
    visible = Note.objects.visible_in(user, bond)
    received = list(
        visible.filter(recipient=user).select_related("author").order_by("-delivered_at")[:PAGE]
    )
    ctx = {
        "bond": bond,
        "can_write": bond.is_open_for(user) and other is not None,
        "form": form,
        "kept": [n for n in received if n.kept_at],
        "received": [n for n in received if not n.kept_at],
        "sent": list(
            visible.filter(author=user).select_related("recipient").order_by("-created_at")[:PAGE]
        ),
        "hint": hint,
    }
    return render(request, "notes/index.html", ctx, status=status)


@login_required
def index(request: HttpRequest, pk: int) -> HttpResponse:
    bond = _bond(request, pk)
    other = bond.other_member(request.user)
    form = None
    if other is not None and bond.is_open_for(request.user):
        form = NoteForm(sender=request.user, recipient=other)
    return _page(request, bond, form)


def _arrival_message(note: Note, recipient: Any) -> str:
    if note.delivered_at:
        return f"Sent. {recipient.display_name} can read it now."
    if note.timing == Timing.SURPRISE:
        return (
            f"Saved. It will reach {recipient.display_name} as a surprise, "
            "some time inside the window you chose."
        )
    local = local_time(note.deliver_at, note.author.tz)
    return (
        f"Saved. It will reach {recipient.display_name} on {local:%A %-d %B at %H:%M} (your time)."
    )


@login_required
@require_POST
def create(request: HttpRequest, pk: int) -> HttpResponse:
    bond = _bond(request, pk, write=True)
    other = bond.other_member(request.user)
    if other is None:
        raise Http404("Nobody to send it to yet")
    form = NoteForm(request.POST, request.FILES, sender=request.user, recipient=other)
    if request.POST.get("action") == "check":
        # "Check my wording" without JavaScript: show the coach's hint, keep the text, send nothing.
        form.is_valid()
        form.errors.clear()
        hint = safe_hint_for(
            request.POST.get("text", "")[:1000],
            answers_from(request.POST),
            vulnerable=not quiet_for(request.user),
        )
        return _page(request, bond, form, hint=hint)
    if not form.is_valid():
        return _page(request, bond, form, status=400)
    data = form.cleaned_data
    info = data.get("voice")
    voice_name = save_voice(form.voice_data) if info else ""
    window = data.get("window") or (None, None)
    try:
        note = Note.objects.create(
            bond=bond,
            author=request.user,
            recipient=other,
            text=data["text"].strip(),
            timing=data["timing"],
            deliver_at=data["deliver_at"],
            window_start=window[0],
            window_end=window[1],
            window_clock=data.get("window_clock", ""),
            window_zone=data.get("window_tz", ""),
            voice_name=voice_name,
            voice_mime=info.mime if info else "",
            voice_seconds=info.seconds if info else None,
        )
    except Exception:
        remove_voice(voice_name)
        raise
    if data["timing"] == Timing.NOW:
        deliver_now(note)
    note.refresh_from_db()
    messages.success(request, _arrival_message(note, other))
    return redirect("notes:index", pk=bond.pk)


@login_required
def detail(request: HttpRequest, pk: int, note: int) -> HttpResponse:
    bond = _bond(request, pk)
    found = _note(request, bond, note)
    if found.recipient_id == request.user.pk and found.opened_at is None:
        Note.objects.filter(pk=found.pk, opened_at__isnull=True).update(opened_at=timezone.now())
    ctx = {
        "bond": bond,
        "note": found,
        "mine": found.author_id == request.user.pk,
        "reactions": Reaction.choices,
    }
    return render(request, "notes/detail.html", ctx)


def _received(request: HttpRequest, pk: int, note: int) -> tuple[Bond, Note]:
    bond = _bond(request, pk)
    found = _note(request, bond, note)
    if found.recipient_id != request.user.pk:
        raise Http404("Only the person it was sent to can do this")
    return bond, found


@login_required
@require_POST
@vary_on_headers("HX-Request")
def react(request: HttpRequest, pk: int, note: int) -> HttpResponse:
    bond, found = _received(request, pk, note)
    form = ReactionForm(request.POST)
    if form.is_valid():
        reaction = form.cleaned_data["reaction"]
        changed = Note.objects.filter(pk=found.pk).exclude(reaction=reaction)
        if changed.update(reaction=reaction, reacted_at=timezone.now()) and reaction:
            words = {
                Reaction.HEART: f"{request.user.display_name} sent a heart for your note",
                Reaction.MADE_MY_DAY: f"{request.user.display_name} says your note made their day",
            }
            notify(
                found.author,
                topic="notes",
                title=words[reaction],
                url=reverse("notes:detail", args=[bond.pk, found.pk]),
                bond=bond,
                email=False,
            )
        found.reaction = reaction
    if request.headers.get("HX-Request"):
        ctx = {"bond": bond, "note": found, "reactions": Reaction.choices}
        return render(request, "notes/_reactions.html", ctx)
    return redirect("notes:detail", pk=bond.pk, note=found.pk)


@login_required
@require_POST
def keep(request: HttpRequest, pk: int, note: int) -> HttpResponse:
    bond, found = _received(request, pk, note)
    kept = found.kept_at is None
    Note.objects.filter(pk=found.pk).update(kept_at=timezone.now() if kept else None)
    messages.success(request, "Kept, at the top of your notes." if kept else "No longer kept.")
    return redirect("notes:detail", pk=bond.pk, note=found.pk)


@login_required
@require_POST
def delete(request: HttpRequest, pk: int, note: int) -> HttpResponse:
    bond = _bond(request, pk)
    found = _note(request, bond, note)
    with transaction.atomic():
        Note.objects.filter(pk=found.pk).delete()
    messages.success(request, "Deleted, for both of you.")
    return redirect("notes:index", pk=bond.pk)


@require_GET
def voice(request: HttpRequest, pk: int, note: int) -> HttpResponse:
    """The recording, for the bond's members who may see the note, checked on
    every request; never cached, never at a public address. Anyone else gets a
    404, not a log-in page: the address gives nothing away."""
    if not request.user.is_authenticated:
        raise Http404("No recording")
    bond = _bond(request, pk)
    found = _note(request, bond, note)
    if not found.has_voice:
        raise Http404("No recording")
    try:
        handle = VOICE.open(found.voice_name)
        size = handle.size
    except (OSError, ValueError) as error:
        # The note's id only: never the file's name or anything of its content.
        log.warning("voice file for note %s cannot be read (%s)", found.pk, type(error).__name__)
        raise Http404("No recording") from None
    wanted = _RANGE.fullmatch(request.headers.get("Range", ""))
    if wanted and (wanted.group(1) or wanted.group(2)):
        response = _partial(handle, size, wanted.group(1), wanted.group(2), found.voice_mime)
    else:
        response = FileResponse(handle, content_type=found.voice_mime)
        response["Accept-Ranges"] = "bytes"
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = "inline"
    return response


def _partial(handle: Any, size: int, first: str, last: str, mime: str) -> HttpResponse:
    """A single byte range, as Safari asks for before it plays audio."""
    with handle:
        if first:
            start, end = int(first), min(int(last) if last else size - 1, size - 1)
        else:
            start, end = max(size - int(last), 0), size - 1
        if start > end or start >= size:
            response = HttpResponse(status=416)
            response["Content-Range"] = f"bytes */{size}"
            return response
        handle.seek(start)
        response = HttpResponse(handle.read(end - start + 1), status=206, content_type=mime)
    response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response["Accept-Ranges"] = "bytes"
    return response
