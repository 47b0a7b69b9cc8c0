"""The devices a person allowed to receive push notifications (Account →
Devices): adding this phone's subscription, renaming and removing devices."""

from __future__ import annotations

import json
import re
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from tending.notify.forms import DeviceNameForm
from tending.notify.models import Device
from tending.notify.push import endpoint_allowed, public_key

# Where the session remembers the device this browser added, so that logging
# out stops its pushes (tending.notify.receivers).
SESSION_KEY = "notify_device"
MAX_DEVICES = 20
_KEY = re.compile(r"^[A-Za-z0-9_-]+=*$")


def guess_name(user_agent: str) -> str:
    """A first name for a device, from its browser's description; people can
    rename it."""
    systems = (("Android", "Android phone"), ("iPhone", "iPhone"), ("iPad", "iPad"),
               ("Windows", "Windows computer"), ("Mac OS", "Mac"), ("Linux", "Linux computer"))  # fmt: skip
    browsers = (("Edg/", "Edge"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"),
                ("Chromium/", "Chromium"), ("Safari/", "Safari"))  # fmt: skip
    system = next((name for mark, name in systems if mark in user_agent), "Device")
    browser = next((name for mark, name in browsers if mark in user_agent), "")
    return f"{system}, {browser}" if browser else system


@login_required
def devices(request: HttpRequest) -> HttpResponse:
    mine = list(Device.objects.filter(user=request.user))
    this_one = request.session.get(SESSION_KEY)
    ctx = {
        "devices": [(d, DeviceNameForm(instance=d, prefix=f"d{d.pk}")) for d in mine],
        "this_one": this_one,
        "vapid_key": public_key(),
    }
    return render(request, "notify/devices.html", ctx)


@login_required
@require_POST
def add_device(request: HttpRequest) -> HttpResponse:
    """This browser's push subscription (PushSubscription.toJSON()), posted by
    the devices page's script after the person tapped the button and allowed
    notifications."""
    try:
        data: Any = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        data = None
    keys = data.get("keys") if isinstance(data, dict) else None
    endpoint = data.get("endpoint") if isinstance(data, dict) else None
    if not (
        isinstance(endpoint, str)
        and len(endpoint) <= 1000
        and endpoint_allowed(endpoint)
        and isinstance(keys, dict)
        and all(
            isinstance(keys.get(k), str) and 0 < len(keys[k]) <= n and _KEY.match(keys[k])
            for k, n in (("p256dh", 200), ("auth", 60))
        )
    ):
        return JsonResponse(
            {"error": "This browser's notification details could not be read."}, status=400
        )
    with transaction.atomic():
        if Device.objects.filter(user=request.user).exclude(endpoint=endpoint).count() >= (
            MAX_DEVICES
        ):
            return JsonResponse(
                {"error": "You have many devices already: please remove one first."}, status=400
            )
        # One browser is one subscription: if someone else had it on this
        # phone before, it is now this person's alone.
        device, created = Device.objects.update_or_create(
            endpoint=endpoint,
            defaults={"user": request.user, "p256dh": keys["p256dh"], "auth": keys["auth"]},
            create_defaults={
                "user": request.user,
                "p256dh": keys["p256dh"],
                "auth": keys["auth"],
                "name": guess_name(request.headers.get("User-Agent", ""))[:60],
            },
        )
    request.session[SESSION_KEY] = device.pk
    return JsonResponse({"id": device.pk, "name": device.name}, status=201 if created else 200)


@login_required
@require_POST
def rename_device(request: HttpRequest, device: int) -> HttpResponse:
    found = get_object_or_404(Device, pk=device, user=request.user)
    form = DeviceNameForm(request.POST, instance=found, prefix=f"d{found.pk}")
    if form.is_valid():
        form.save()
        messages.success(request, "Renamed.")
    else:
        messages.error(request, "; ".join(e for errors in form.errors.values() for e in errors))
    return redirect("notify:devices")


@login_required
@require_POST
def remove_device(request: HttpRequest, device: int) -> HttpResponse:
    found = get_object_or_404(Device, pk=device, user=request.user)
    found.delete()
    if request.session.get(SESSION_KEY) == device:
        del request.session[SESSION_KEY]
    messages.success(request, f"{found.name} will no longer receive notifications.")
    return redirect("notify:devices")
