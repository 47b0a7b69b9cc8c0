"""The installable app's shell: the web app manifest, the service worker and
the page it shows while the phone is offline (docs/notifications.md for push).

The service worker is served from the site's root so that its scope is the
whole site. It keeps only two things: the static files (one cache per version
of them, named after a digest of the static manifest) and the offline page,
which holds nothing anyone wrote. Pages are always fetched from the network.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_GET

# The two themes' page colours (--bg in tending.css); base.html repeats them.
LIGHT = "#f7f3ec"
DARK = "#1b1d1a"
# Kept out of the cache: source maps and anything a page does not load.
_SKIPPED = (".map", ".md")


@cache
def static_files() -> tuple[str, ...]:
    """Every static file's name, as the finders see them (sorted)."""
    names = set()
    for finder in finders.get_finders():
        for path, _storage in finder.list(["CVS", ".*", "*~"]):
            if not path.endswith(_SKIPPED):
                names.add(path.replace("\\", "/"))
    return tuple(sorted(names))


def static_version() -> str:
    """A digest that changes whenever a static file does.

    In production the static manifest (staticfiles.json, written by
    collectstatic) already names each file by its content's hash; its digest is
    the version, worked out once. Without it (development), the files'
    contents are hashed each time, so an edited stylesheet reaches the phone
    without a restart."""
    manifest = getattr(staticfiles_storage, "hashed_files", None)
    if manifest:
        return _manifest_version(json.dumps(dict(sorted(manifest.items()))))
    digest = hashlib.sha256()
    for name in static_files():
        found = finders.find(name)
        digest.update(name.encode())
        if found:
            with open(found, "rb") as f:
                digest.update(hashlib.sha256(f.read()).digest())
    return digest.hexdigest()[:16]


@cache
def _manifest_version(manifest: str) -> str:
    return hashlib.sha256(manifest.encode()).hexdigest()[:16]


@require_GET
def manifest(request: HttpRequest) -> HttpResponse:
    icons = [
        {"src": static(f"img/icons/{name}-{size}.png"), "sizes": f"{size}x{size}",
         "type": "image/png", "purpose": purpose}
        for name, purpose in (("icon", "any"), ("maskable", "maskable"))
        for size in (192, 512)
    ]  # fmt: skip
    data = {
        "id": "/",
        "name": settings.SITE_NAME,
        "short_name": settings.SITE_NAME[:12],
        "description": "A small daily practice for two people who want to stay close.",
        "lang": "en",
        "start_url": reverse("bonds:home"),
        "scope": "/",
        "display": "standalone",
        "orientation": "portrait",
        "theme_color": LIGHT,
        "background_color": LIGHT,
        "icons": icons,
    }
    response = JsonResponse(data, json_dumps_params={"indent": 1})
    response["Content-Type"] = "application/manifest+json"
    return response


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    context = {
        "version": static_version(),
        "static_prefix": settings.STATIC_URL,
        "offline_url": reverse("webapp:offline"),
        "assets": json.dumps([static(name) for name in static_files()]),
        "icon": static("img/icons/icon-192.png"),
    }
    response = render(request, "webapp/sw.js", context, content_type="text/javascript")
    # Scope "/" is the script's own folder; said explicitly for proxies that
    # mount the site elsewhere. The browser checks for a new worker on its own.
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def offline(request: HttpRequest) -> HttpResponse:
    """What the service worker shows when a page cannot be fetched. The same for
    everyone (it is fetched without cookies), so it can be kept."""
    response = render(request, "webapp/offline.html", {"light": LIGHT, "dark": DARK})
    response["Cache-Control"] = "no-cache"
    return response
