from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from tending.lib.middleware import CLEAR_SITE_DATA
from tending.safety.helplines import countries, grouped, helplines_for, when_none_listed


def support(request: HttpRequest) -> HttpResponse:
    """Where to find help: open to everyone, signed in or not, and the same for all."""
    code = request.GET.get("country", "").strip().upper()[:2]
    known = countries()
    ctx = {
        "countries": sorted(known.items(), key=lambda kv: kv[1]),
        "country": code if code in known or code == "UK" else "",
        "country_name": known.get("GB" if code == "UK" else code, ""),
        "groups": grouped(helplines_for(code)),
        "when_none": when_none_listed(),
    }
    return render(request, "safety/support.html", ctx)


@require_GET
def quick_exit(request: HttpRequest) -> HttpResponse:
    """The quick-exit button: off to a neutral page, and the browser told to
    drop whatever this site keeps on the phone (caches, service worker,
    storage). Safe to follow at any time: it changes nothing on the server."""
    response = redirect(settings.QUICK_EXIT_URL)
    response["Clear-Site-Data"] = CLEAR_SITE_DATA
    response["Referrer-Policy"] = "no-referrer"
    return response
