"""In Chromium: Tending is installable (no installability errors for a
persistent profile), and a page opened before shows the offline page when the
network is gone, while private pages are never served from the worker's cache."""

from __future__ import annotations

import pytest

from tests.conftest import PHONE, Pair, controlled, log_in_page, until

pytestmark = pytest.mark.browser


def test_installable_and_offline_shows_the_offline_page(live_server, phone, pair: Pair) -> None:  # type: ignore[no-untyped-def]
    page = phone.new_page()
    log_in_page(page, live_server, "alice@example.org")
    bond_url = live_server.url + pair.bond.get_absolute_url()
    page.goto(bond_url)
    controlled(page)
    cdp = phone.new_cdp_session(page)
    errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
    assert errors == [], errors
    manifest = cdp.send("Page.getAppManifest")
    assert manifest["url"].endswith("/manifest.webmanifest") and not manifest["errors"]

    # What the worker keeps: static files and the offline page, no page of the bond.
    kept = page.evaluate(
        """async () => {
          const names = await caches.keys();
          const urls = [];
          for (const name of names) {
            for (const r of await (await caches.open(name)).keys()) urls.push(new URL(r.url).pathname);
          }
          return {names, urls};
        }"""
    )
    assert len(kept["names"]) == 1 and kept["names"][0].startswith("tending-static-")
    assert "/offline/" in kept["urls"] and "/static/css/tending.css" in kept["urls"]
    assert all(u == "/offline/" or u.startswith("/static/") for u in kept["urls"]), kept["urls"]

    phone.set_offline(True)
    page.reload()
    page.get_by_role("heading", name="This phone is offline").wait_for()
    assert "Nothing is lost" in page.text_content("main")
    assert "You and Bob" not in page.content()
    # Its style still comes from the cache.
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") != "rgba(0, 0, 0, 0)"

    phone.set_offline(False)
    page.reload()
    page.get_by_role("heading", name="You and Bob").wait_for()


def test_a_new_static_version_drops_the_old_cache(
    live_server, phone, pair: Pair, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from tending.ops import webapp

    page = phone.new_page()
    page.goto(live_server.url + "/")
    controlled(page)
    first = page.evaluate("caches.keys()")
    monkeypatch.setattr(webapp, "static_version", lambda: "0123456789abcdef")
    page.evaluate("navigator.serviceWorker.getRegistration().then(r => r.update())")
    until(
        page,
        "caches.keys().then(k => k.length === 1 && k[0] === 'tending-static-0123456789abcdef')",
    )
    assert first != ["tending-static-0123456789abcdef"]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_new_pages_have_no_axe_violations(
    live_server, browser, pair: Pair, scheme: str
) -> None:  # type: ignore[no-untyped-def]
    """Every violation counts here, whatever its impact."""
    from axe_playwright_python.sync_playwright import Axe
    from django.urls import reverse

    from tending.notify.models import Device

    Device.objects.create(
        user=pair.alice,
        name="Android phone, Chrome",
        endpoint="https://push.example.org/send/a",
        p256dh="BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM",
        auth="tBHItJI5svbpez7KI4CCXg",
    )
    context = browser.new_context(**PHONE, color_scheme=scheme)
    page = context.new_page()
    found = {}
    page.goto(live_server.url + "/offline/")
    violations = Axe().run(page).response["violations"]
    if violations:
        found["/offline/"] = violations
    log_in_page(page, live_server, "alice@example.org")
    for path in (
        reverse("notify:devices"),
        reverse("notify:settings"),
        reverse("accounts:account"),
    ):
        page.goto(live_server.url + path)
        violations = Axe().run(page).response["violations"]
        if violations:
            found[path] = [
                (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in violations
            ]
    context.close()
    assert not found, found
