"""The address a request came from, believing X-Forwarded-For only from a
trusted reverse proxy (FORWARDED_ALLOW_IPS)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """REMOTE_ADDR, or behind trusted proxies the right-most X-Forwarded-For
    entry that is not one of them: entries further left are whatever the client
    chose to send, so only the part the proxies added is believed."""
    trusted = settings.FORWARDED_ALLOW_IPS
    remote = request.META.get("REMOTE_ADDR", "")
    if "*" not in trusted and remote not in trusted:
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    hops = [*(part.strip() for part in forwarded if part.strip()), remote]
    if "*" in trusted:  # every hop is a proxy we trust: the first is the client
        return hops[0]
    return next((hop for hop in reversed(hops) if hop not in trusted), hops[0])
