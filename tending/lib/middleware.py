import time
from collections.abc import Callable

from django.db import InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

# Everything is served from our own origin: no inline scripts, no third parties.
# 'unsafe-inline' is allowed for style attributes only (SVG charts use them).
CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "media-src 'self' blob:",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), geolocation=(), microphone=(self)"
        )
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response


class PrivateCacheMiddleware:
    """Every response to a signed-in person is `Cache-Control: private,
    no-store`: no browser cache, proxy or back-forward cache keeps a page that
    may hold what someone wrote, so it cannot outlive a log-out on a shared
    phone. (The service worker keeps no pages either: tending/ops/webapp.py.)"""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        try:
            user = getattr(request, "user", None)
            signed_in = user is not None and user.is_authenticated
        except (OperationalError, InterfaceError):
            signed_in = True  # unknown: keep it off every cache to be safe
        if signed_in:
            response.headers["Cache-Control"] = "private, no-store"
        return response


# Sent by log-out and the quick exit: the browser drops everything this site
# keeps on the phone (caches, the service worker and its storage).
CLEAR_SITE_DATA = '"cache", "storage"'


class ServerTimingMiddleware:
    """Adds `Server-Timing: app;dur=…` (milliseconds spent in Django), so the
    benchmarks and browsers' developer tools can see server time apart from
    the network."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        start = time.perf_counter()
        response = self.get_response(request)
        elapsed = (time.perf_counter() - start) * 1000
        response.headers["Server-Timing"] = f"app;dur={elapsed:.2f}"
        return response


class DatabaseUnavailableMiddleware:
    """While the database cannot be reached: a calm 503 page that says nothing is
    lost, never a traceback, and never a page that looks as if all were well.

    The connection is opened first (free when it is already open), so even pages
    that would read nothing from the database (the landing page, the log-in
    form) say so instead of inviting a log-in that cannot work. Two paths are
    left alone: /healthz reports the database itself, and the support page,
    which needs no database, stays reachable for anyone who needs it."""

    UNTOUCHED = ("/healthz", "/support/", "/support/exit/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path not in self.UNTOUCHED:
            try:
                connection.ensure_connection()
            except (OperationalError, InterfaceError):
                return _unavailable()
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, OperationalError | InterfaceError):
            return _unavailable()
        return None


def _unavailable() -> HttpResponse:
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = "60"
    return response
