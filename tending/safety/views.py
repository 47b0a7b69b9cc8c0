from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tending.safety.helplines import countries, helplines_for


def support(request: HttpRequest) -> HttpResponse:
    """Where to find help: open to everyone, signed in or not, and the same for all."""
    code = request.GET.get("country", "").strip().upper()[:2]
    known = countries()
    ctx = {
        "countries": sorted(known.items(), key=lambda kv: kv[1]),
        "country": code if code in known or code == "UK" else "",
        "helplines": helplines_for(code),
    }
    return render(request, "safety/support.html", ctx)
