"""The installable app's shell: manifest, service worker, offline page; and
the headers that keep private pages off a shared phone."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from tending.accounts.models import User
from tending.bonds.models import Bond
from tending.ops import webapp

pytestmark = pytest.mark.django_db


def test_every_page_links_the_manifest_and_both_theme_colours(as_alice: Client, bond: Bond) -> None:
    for client, url in ((Client(), "/"), (as_alice, bond.get_absolute_url())):
        page = client.get(url).content.decode()
        assert (
            '<link rel="manifest" href="/manifest.webmanifest" data-service-worker="/sw.js">'
            in page
        )
        assert 'content="#f7f3ec" media="(prefers-color-scheme: light)"' in page
        assert 'content="#1b1d1a" media="(prefers-color-scheme: dark)"' in page


def test_the_manifest_says_what_an_installed_app_needs(client: Client) -> None:
    response = client.get(reverse("webapp:manifest"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    data = json.loads(response.content)
    assert data["name"] == "Tending" and data["short_name"] == "Tending" and data["description"]
    assert data["display"] == "standalone" and data["scope"] == "/"
    assert data["start_url"] == reverse("bonds:home")
    assert data["theme_color"] == data["background_color"] == webapp.LIGHT
    sizes = {(i["sizes"], i["purpose"]) for i in data["icons"]}
    assert sizes == {("192x192", "any"), ("512x512", "any"), ("192x192", "maskable"),
                     ("512x512", "maskable")}  # fmt: skip
    for icon in data["icons"]:
        path = icon["src"].removeprefix("/static/")
        from django.contrib.staticfiles import finders

        found = finders.find(path)
        assert found, icon["src"]
        with open(found, "rb") as f:
            head = f.read(24)
        width, height = int.from_bytes(head[16:20]), int.from_bytes(head[20:24])
        assert head[:8] == b"\x89PNG\r\n\x1a\n"
        assert f"{width}x{height}" == icon["sizes"]


def test_the_service_worker_is_served_at_the_root_with_its_version(client: Client) -> None:
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    script = response.content.decode()
    version = re.search(r'const VERSION = "([0-9a-f]{16})";', script).group(1)
    assert version == webapp.static_version()
    assets = json.loads(re.search(r"const ASSETS = (\[.*?\]);", script).group(1))
    assert "/static/css/tending.css" in assets and "/static/img/icons/icon-192.png" in assets
    assert all(a.startswith("/static/") for a in assets)
    # Pages come only from the network; the offline page is the one page kept.
    assert 'const OFFLINE_URL = "/offline/";' in script
    assert "&quot;" not in script


def test_the_static_version_follows_the_static_manifest(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from types import SimpleNamespace

    without = webapp.static_version()  # development: the files' contents
    storage = SimpleNamespace(hashed_files={"a.css": "a.1.css"})
    monkeypatch.setattr(webapp, "staticfiles_storage", storage)
    first = webapp.static_version()
    storage.hashed_files = {"a.css": "a.2.css"}
    assert webapp.static_version() not in (first, without)


def test_the_offline_page_says_nothing_is_lost_and_is_the_same_for_everyone(
    as_alice: Client,
) -> None:
    anonymous = Client().get("/offline/").content.decode()
    assert "This phone is offline" in anonymous and "Nothing is lost" in anonymous
    signed_in = as_alice.get("/offline/").content.decode()
    assert "Alice" not in signed_in and "Log out" not in signed_in


def test_every_signed_in_response_is_private_and_not_stored(
    as_alice: Client, alice: User, bond: Bond
) -> None:
    for url in ("/bonds/", bond.get_absolute_url(), "/notifications/", "/accounts/", "/sw.js"):
        response = as_alice.get(url)
        assert response["Cache-Control"] == "private, no-store", url
    # Anonymous pages may be kept as usual.
    assert "no-store" not in Client().get("/").get("Cache-Control", "")


def test_log_out_clears_what_the_site_keeps_on_the_phone(as_alice: Client) -> None:
    response = as_alice.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'


def test_the_quick_exit_clears_the_site_and_leaves(as_alice: Client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.QUICK_EXIT_URL = "https://example.org/weather"
    page = as_alice.get(reverse("safety:support")).content.decode()
    assert f'href="{reverse("safety:quick_exit")}"' in page
    for client in (as_alice, Client()):
        response = client.get(reverse("safety:quick_exit"))
        assert response.status_code == 302
        assert response["Location"] == "https://example.org/weather"
        assert response["Clear-Site-Data"] == '"cache", "storage"'
