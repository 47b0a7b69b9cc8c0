from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

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
