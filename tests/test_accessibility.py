"""axe-core on every main page, on a phone-sized screen, in light and dark.

Any violation that axe rates serious or critical fails the test (contrast,
missing labels, names of links and buttons, landmarks)."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from tests.conftest import PHONE, log_in_page
from tests.world import make_world

pytestmark = pytest.mark.browser

SERIOUS = {"serious", "critical"}


def _pages(world) -> list[str]:  # type: ignore[no-untyped-def]
    pk = world.bond.pk
    pages = [
        reverse("bonds:home"),
        reverse("bonds:detail", args=[pk]),
        reverse("bonds:create"),
        reverse("feelings:index", args=[pk]) + "?family=low",
        reverse("garden:index", args=[pk]),
        reverse("garden:progress", args=[pk]),
        reverse("checkup:index", args=[pk]),
        reverse("checkup:take", args=[pk]),
        reverse("prompts:daily", args=[pk]),
        reverse("prompts:daily_history", args=[pk]),
        reverse("garden:practices", args=[pk]),
        reverse("prompts:conversation", args=[pk]),
        reverse("prompts:decks", args=[pk]),
        reverse("prompts:evening", args=[pk]),
        reverse("repair:index", args=[pk]),
        reverse("repair:start", args=[pk]),
        reverse("solo:index", args=[pk]),
        reverse("notes:index", args=[pk]),
        reverse("rituals:index", args=[pk]),
        reverse("rituals:rhythm", args=[pk]),
        reverse("rituals:touch", args=[pk]),
        reverse("insights:index", args=[pk]),
        reverse("safety:support") + "?country=GB",
        reverse("notify:inbox"),
        reverse("notify:settings"),
        reverse("accounts:account"),
        reverse("accounts:delete"),
        reverse("bonds:detail", args=[world.pending_bond.pk]),
    ]
    return pages


def _problems(page) -> list[str]:  # type: ignore[no-untyped-def]
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in SERIOUS
    ]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_pages_pass_axe(live_server, browser, scheme: str) -> None:  # type: ignore[no-untyped-def]
    world = make_world()
    context = browser.new_context(**PHONE, color_scheme=scheme)
    page = context.new_page()
    found: dict[str, list[str]] = {}
    for path in ("/", "/accounts/signup/", "/accounts/login/"):
        page.goto(live_server.url + path)
        if problems := _problems(page):
            found[path] = problems
    log_in_page(page, live_server, world.alice.email)
    for path in _pages(world):
        page.goto(live_server.url + path)
        if problems := _problems(page):
            found[path] = problems
    context.close()
    assert not found, found
