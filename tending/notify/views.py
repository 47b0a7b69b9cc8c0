from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from tending.notify.forms import PreferencesForm
from tending.notify.models import Notification
from tending.notify.service import preferences, read_unsubscribe_token, unsubscribe
from tending.notify.topics import CHANNEL_LABELS, CHANNELS, TOPICS

PAGE = 50


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    items = list(
        Notification.objects.filter(user=request.user, in_app=True).order_by("-created_at")[:PAGE]
    )
    unread = [n.pk for n in items if n.read_at is None]
    if unread:
        Notification.objects.filter(pk__in=unread).update(read_at=timezone.now())
    return render(request, "notify/inbox.html", {"items": items, "unread": set(unread)})


@login_required
@require_POST
def open_notification(request: HttpRequest, pk: int) -> HttpResponse:
    n = Notification.objects.filter(pk=pk, user=request.user).first()
    if n is None:
        return redirect("notify:inbox")
    if n.read_at is None:
        Notification.objects.filter(pk=n.pk).update(read_at=timezone.now())
    safe = n.url and url_has_allowed_host_and_scheme(n.url, allowed_hosts={request.get_host()})
    return redirect(n.url if safe else "notify:inbox")


@login_required
def settings_view(request: HttpRequest) -> HttpResponse:
    prefs = preferences(request.user)
    initial: dict[str, object] = {
        f"{c}_topics": [t for t in TOPICS if prefs.wants(t, c)] for c in CHANNELS
    }
    initial.update(quiet_start=prefs.quiet_start, quiet_end=prefs.quiet_end)
    form = PreferencesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        chosen = {c: set(form.cleaned_data[f"{c}_topics"]) for c in CHANNELS}
        prefs.channels = {t: {c: t in chosen[c] for c in CHANNELS} for t in TOPICS}
        prefs.muted_topics = [t for t in TOPICS if t not in chosen["email"]]
        prefs.quiet_start = form.cleaned_data["quiet_start"]
        prefs.quiet_end = form.cleaned_data["quiet_end"]
        prefs.save()
        messages.success(request, "Saved.")
        return redirect("notify:settings")
    ctx = {
        "form": form,
        "channels": CHANNEL_LABELS,
        "has_devices": request.user.push_devices.exists(),
    }
    return render(request, "notify/settings.html", ctx)


@csrf_exempt  # RFC 8058 one-click: mail clients POST without a session or token
def unsubscribe_view(request: HttpRequest, token: str) -> HttpResponse:
    found = read_unsubscribe_token(token)
    user = None
    if found:
        user = get_user_model().objects.filter(pk=found[0]).first()
    if user is None:
        return render(request, "notify/unsubscribe.html", {"invalid": True}, status=404)
    topic = found[1]
    if request.method == "POST":
        unsubscribe(user, topic)
        return render(
            request, "notify/unsubscribe.html", {"done": True, "topic": TOPICS[topic].label}
        )
    return render(
        request, "notify/unsubscribe.html", {"token": token, "topic": TOPICS[topic].label}
    )
