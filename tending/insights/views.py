from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from tending.bonds.models import Bond
from tending.bonds.privacy import Visibility
from tending.bonds.views import member_bond, open_bond
from tending.insights import storage
from tending.insights.chats.detect import detect_format
from tending.insights.chats.stream import ChatFormatError, UnknownFormatError
from tending.insights.forms import (
    TOO_BIG,
    ConsentForm,
    DateOrderForm,
    MappingForm,
    UploadForm,
)
from tending.insights.mapping import MAX_ASKED
from tending.insights.models import ACTIVE, ChatImport, InsightConsent, Status
from tending.insights.page import build, skipped_summary
from tending.notify.service import notify
from tending.safety.models import safety_positive

log = logging.getLogger(__name__)

# Imports one person may have waiting or being read at once.
MAX_WAITING = 3
POLL_SECONDS = 2


def _own(request: HttpRequest, bond: Bond, pk: int) -> ChatImport:
    """One of the signed-in person's own imports in this bond; else 404."""
    found = (
        ChatImport.objects.visible_to(request.user)
        .filter(bond=bond, pk=pk, author=request.user)
        .select_related("author")
        .first()
    )
    if found is None:
        raise Http404("No such import")
    return found


def _offered(request: HttpRequest, bond: Bond, pk: int) -> ChatImport:
    """An import the signed-in person may know exists (their own, or offered to them)."""
    found = (
        ChatImport.objects.offered_to(request.user)
        .filter(bond=bond, pk=pk)
        .select_related("author")
        .first()
    )
    if found is None:
        raise Http404("No such import")
    return found


def _index_ctx(request: HttpRequest, bond: Bond, form: UploadForm | None = None) -> dict[str, Any]:
    user = request.user
    mine = list(
        ChatImport.objects.visible_to(user)
        .filter(bond=bond, author=user)
        .order_by("-created_at")
        .only("pk", "bond_id", "author_id", "status", "created_at", "visibility", "format")
    )
    offered = list(
        ChatImport.objects.offered_to(user)
        .filter(bond=bond)
        .exclude(author=user)
        .select_related("author")
        .order_by("-created_at")
        .only("pk", "bond_id", "author", "status", "created_at", "visibility", "format")
    )
    agreed = set(
        InsightConsent.objects.filter(
            user=user, chat_import__in=offered, agreed_at__isnull=False
        ).values_list("chat_import_id", flat=True)
    )
    can_write = bond.is_open_for(user)
    return {
        "bond": bond,
        "can_write": can_write,
        # With object storage the file waits in the server's bucket until it is read.
        "in_bucket": settings.FILE_STORAGE == "s3",
        "form": form or (UploadForm() if can_write else None),
        "mine": mine,
        "offered": [{"item": item, "agreed": item.pk in agreed} for item in offered],
        "max_mb": storage.MAX_BYTES // (1024 * 1024),
    }


@login_required
def index(request: HttpRequest, pk: int) -> HttpResponse:
    bond = member_bond(request, pk)
    return render(request, "insights/index.html", _index_ctx(request, bond))


@login_required
@csrf_exempt
def upload(request: HttpRequest, pk: int) -> HttpResponse:
    """The size limit is checked before the body is read: from Content-Length
    at once, and while the file streams in (LimitedUpload). CSRF is checked
    right after, by `_upload`: the CSRF middleware would read the whole body."""
    if request.method != "POST":
        # Revisited after an error (or bookmarked): the form lives on the index.
        member_bond(request, pk)
        return redirect(reverse("insights:index", args=[pk]) + "#upload")
    bond = open_bond(request, pk)
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > storage.MAX_BYTES + storage.BODY_ALLOWANCE:
        form = UploadForm()
        form.errors["file"] = form.error_class([TOO_BIG])
        return render(request, "insights/index.html", _index_ctx(request, bond, form), status=413)
    limit = storage.LimitedUpload(request, storage.MAX_BYTES)
    request.upload_handlers.insert(0, limit)
    return csrf_protect(_upload)(request, bond, limit)


def _upload(request: HttpRequest, bond: Bond, limit: storage.LimitedUpload) -> HttpResponse:
    form = UploadForm(request.POST, request.FILES)
    valid = form.is_valid()
    if limit.too_big:
        form.errors["file"] = form.error_class([TOO_BIG])
        valid = False
    waiting = ChatImport.objects.filter(author=request.user, status__in=ACTIVE).count()
    if valid and waiting >= MAX_WAITING:
        form.add_error(None, "A few of your files are still being read. Please wait for them.")
        valid = False
    if not valid:
        return render(request, "insights/index.html", _index_ctx(request, bond, form), status=400)
    upload = form.cleaned_data["file"]
    name = storage.save_upload(upload)
    requested = form.cleaned_data["format"]
    try:
        if requested == "auto":
            with storage.local_copy(name) as path:
                detect_format(path)
        chat_import = ChatImport.objects.create(
            bond=bond,
            author=request.user,
            visibility=Visibility.PRIVATE,
            file_name=name,
            file_size=upload.size,
            format_requested=requested,
        )
    except ChatFormatError as error:
        storage.remove_import(name)
        # Said on the index page, reached by a redirect: reloading it sends nothing again.
        shown = error.for_people if isinstance(error, UnknownFormatError) else str(error)
        messages.error(request, shown)
        return redirect(reverse("insights:index", args=[bond.pk]) + "#upload")
    except BaseException:
        storage.remove_import(name)
        raise
    log.info("insights import %s uploaded", chat_import.pk)
    return redirect(chat_import)


def _status_ctx(chat_import: ChatImport) -> dict[str, Any]:
    return {"item": chat_import, "poll_seconds": POLL_SECONDS}


@login_required
@vary_on_headers("HX-Request")
def detail(request: HttpRequest, pk: int, chat_import: int) -> HttpResponse:
    bond = member_bond(request, pk)
    item = _offered(request, bond, chat_import)
    if request.headers.get("HX-Request"):
        if item.author_id == request.user.pk and item.is_active:
            return render(request, "insights/_status.html", {"bond": bond, **_status_ctx(item)})
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    mine = item.author_id == request.user.pk
    other = bond.other_member(request.user)
    positive = safety_positive(request.user)
    ctx: dict[str, Any] = {
        "bond": bond,
        "item": item,
        "mine": mine,
        "can_write": bond.is_open_for(request.user),
        "positive": positive,
        "poll_seconds": POLL_SECONDS,
    }
    if mine:
        ctx.update(_author_ctx(item, bond, other, positive))
    else:
        consent = InsightConsent.objects.filter(chat_import=item, user=request.user).first()
        ctx["agreed"] = bool(consent and consent.agreed_at)
        ctx["consent_form"] = ConsentForm()
    if item.status == Status.READY and item.is_visible_to(request.user):
        ctx["insights"] = build(item, request.user, bond, safe_to_suggest=not positive)
    return render(request, "insights/detail.html", ctx)


def _mapping_form(item: ChatImport, other: Any, positive: bool, data: Any = None) -> MappingForm:
    participants = item.participants()[:MAX_ASKED]
    first_time = item.status == Status.NEEDS_MAPPING
    return MappingForm(
        data,
        participants=participants,
        proposal=item.mapping or {},
        author_name=item.author.display_name,
        other_name=other.display_name if other else None,
        can_offer=first_time and other is not None,
        offer=not positive,
    )


def _author_ctx(item: ChatImport, bond: Bond, other: Any, positive: bool) -> dict[str, Any]:
    ctx: dict[str, Any] = {"skipped": skipped_summary(item)}
    if item.status == Status.NEEDS_DATE_ORDER:
        sample = item.date_samples[0] if item.date_samples else ""
        ctx["date_form"] = DateOrderForm(
            initial={"date_order": item.date_suggested or None}, sample=sample
        )
    if item.status in (Status.NEEDS_MAPPING, Status.READY):
        ctx["mapping_form"] = _mapping_form(item, other, positive)
        ctx["more_participants"] = max(0, len(item.participants()) - MAX_ASKED)
        ctx["chat_name"] = ((item.report or {}).get("source") or {}).get("chat_name")
    if item.status == Status.READY and other is not None:
        ctx["other_agreed"] = InsightConsent.objects.filter(
            chat_import=item, user=other, agreed_at__isnull=False, hidden_at__isnull=True
        ).exists()
    return ctx


@login_required
@require_POST
def date_order(request: HttpRequest, pk: int, chat_import: int) -> HttpResponse:
    bond = open_bond(request, pk)
    item = _own(request, bond, chat_import)
    if item.status != Status.NEEDS_DATE_ORDER:
        return redirect(item)
    sample = item.date_samples[0] if item.date_samples else ""
    form = DateOrderForm(request.POST, sample=sample)
    if not form.is_valid():
        ctx = {
            "bond": bond,
            "item": item,
            "mine": True,
            "can_write": True,
            "date_form": form,
            "poll_seconds": POLL_SECONDS,
        }
        return render(request, "insights/detail.html", ctx, status=400)
    ChatImport.objects.filter(pk=item.pk, status=Status.NEEDS_DATE_ORDER).update(
        status=Status.QUEUED, date_order=form.cleaned_data["date_order"], attempts=0
    )
    return redirect(item)


@login_required
@require_POST
def confirm(request: HttpRequest, pk: int, chat_import: int) -> HttpResponse:
    """Save who is who; the first time, also offer the insights to the other
    member if the uploader ticked the box."""
    bond = open_bond(request, pk)
    item = _own(request, bond, chat_import)
    if item.status not in (Status.NEEDS_MAPPING, Status.READY):
        return redirect(item)
    other = bond.other_member(request.user)
    positive = safety_positive(request.user)
    form = _mapping_form(item, other, positive, data=request.POST)
    if not form.is_valid():
        ctx = {
            "bond": bond,
            "item": item,
            "mine": True,
            "can_write": True,
            "positive": positive,
            **_author_ctx(item, bond, other, positive),
            "mapping_form": form,
        }
        return render(request, "insights/detail.html", ctx, status=400)
    first_time = item.status == Status.NEEDS_MAPPING
    item.mapping = form.mapping()
    item.status = Status.READY
    item.confirmed_at = item.confirmed_at or timezone.now()
    fields = ["mapping", "status", "confirmed_at"]
    if first_time and form.cleaned_data.get("offer") and other is not None:
        _offer(item, other)
        fields += ["visibility", "offered_at"]
    item.save(update_fields=fields)
    messages.success(request, "Thank you. Here are the insights." if first_time else "Saved.")
    return redirect(item)


def _offer(item: ChatImport, other: Any) -> None:
    item.visibility = Visibility.SHARED
    if item.offered_at is None:
        item.offered_at = timezone.now()
        notify(
            other,
            topic="insights",
            title=f"{item.author.display_name} asks whether you'd like to see insights "
            "from your chats together",
            url=item.get_absolute_url(),
            bond=item.bond,
        )


@login_required
@require_POST
def share(request: HttpRequest, pk: int, chat_import: int) -> HttpResponse:
    bond = open_bond(request, pk)
    item = _own(request, bond, chat_import)
    other = bond.other_member(request.user)
    if item.status != Status.READY or other is None:
        raise Http404("Nothing to share")
    _offer(item, other)
    item.save(update_fields=["visibility", "offered_at"])
    messages.success(request, f"{other.display_name} can now choose whether to see these.")
    return redirect(item)


@login_required
@require_POST
def agree(request: HttpRequest, pk: int, chat_import: int) -> HttpResponse:
    bond = open_bond(request, pk)
    item = _offered(request, bond, chat_import)
    if item.author_id == request.user.pk:
        return redirect(item)
    form = ConsentForm(request.POST)
    if not form.is_valid():
        ctx = {
            "bond": bond,
            "item": item,
            "mine": False,
            "can_write": True,
            "agreed": False,
            "consent_form": form,
        }
        return render(request, "insights/detail.html", ctx, status=400)
    with transaction.atomic():
        InsightConsent.objects.update_or_create(
            chat_import=item,
            user=request.user,
            defaults={"agreed_at": timezone.now(), "hidden_at": None},
        )
    notify(
        item.author,
        topic="insights",
        title=f"{request.user.display_name} agreed to see the chat insights together",
        url=item.get_absolute_url(),
        bond=bond,
    )
    return redirect(item)


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int, chat_import: int) -> HttpResponse:
    """The uploader stops offering the insights (the other's agreement is
    cleared, so they would be asked afresh); the other member withdraws their
    agreement. Allowed on an ended bond's archive too."""
    bond = member_bond(request, pk)
    item = _offered(request, bond, chat_import)
    if item.author_id == request.user.pk:
        with transaction.atomic():
            ChatImport.objects.filter(pk=item.pk).update(visibility=Visibility.PRIVATE)
            InsightConsent.objects.filter(chat_import=item).update(agreed_at=None)
        messages.success(request, "Only you can see these insights now.")
    else:
        InsightConsent.objects.filter(chat_import=item, user=request.user).update(agreed_at=None)
        messages.success(request, "Your agreement is withdrawn; the insights are hidden from you.")
    return redirect(item)


@login_required
@require_POST
def hide(request: HttpRequest, pk: int, chat_import: int) -> HttpResponse:
    bond = member_bond(request, pk)
    item = _offered(request, bond, chat_import)
    if item.author_id == request.user.pk:
        raise Http404("Delete your own import instead")
    InsightConsent.objects.update_or_create(
        chat_import=item,
        user=request.user,
        defaults={"agreed_at": None, "hidden_at": timezone.now()},
    )
    messages.success(request, "Hidden. You won't see it here again.")
    return redirect("insights:index", pk=bond.pk)


@login_required
@require_POST
def delete(request: HttpRequest, pk: int, chat_import: int) -> HttpResponse:
    """The import, its figures, every answer about it and its file (if still
    there) are deleted. Allowed on an ended bond's archive too."""
    bond = member_bond(request, pk)
    item = _own(request, bond, chat_import)
    item.delete()
    log.info("insights import %s deleted", chat_import)
    messages.success(request, "Deleted, with everything that was read from it.")
    return redirect("insights:index", pk=bond.pk)
