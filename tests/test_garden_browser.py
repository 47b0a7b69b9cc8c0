"""In a real browser: the bond's home shows today's step at once and the garden
picture follows; without JavaScript, a link leads to the garden instead."""

from __future__ import annotations

import pytest

from tending.bonds.models import Bond
from tests.conftest import PHONE, log_in

pytestmark = pytest.mark.browser


def _home(browser, live_server, bond: Bond, **options):  # type: ignore[no-untyped-def]
    context, page = log_in(browser, live_server, "alice@example.org", **PHONE, **options)
    page.goto(live_server.url + f"/bonds/{bond.pk}/")
    return context, page


def test_the_garden_picture_follows_today(live_server, browser, pair) -> None:  # type: ignore[no-untyped-def]
    context, page = _home(browser, live_server, pair.bond)
    try:
        assert page.locator("#today-title").is_visible()
        page.locator("a.garden-preview svg.garden").wait_for(timeout=10_000)
        assert page.locator("a.garden-preview.pending").count() == 0
        page.locator("a.garden-preview").click()
        page.wait_for_url(f"**/bonds/{pair.bond.pk}/garden/")
    finally:
        context.close()


def test_the_picture_fills_the_box_kept_for_it(live_server, browser, pair) -> None:  # type: ignore[no-untyped-def]
    """Nothing on the home moves when the picture arrives: the link that stands in for it
    (what a browser without JavaScript keeps) takes the picture's box from the start."""
    boxes = {}
    for javascript in (False, True):
        context, page = _home(browser, live_server, pair.bond, java_script_enabled=javascript)
        try:
            if javascript:
                page.locator("a.garden-preview svg.garden").wait_for(timeout=10_000)
            boxes[javascript] = page.locator("a.garden-preview").bounding_box()
        finally:
            context.close()
    before, after = boxes[False], boxes[True]
    assert before is not None and after is not None and after["height"] > 100
    assert abs(before["height"] - after["height"]) < 1
    assert abs(before["y"] - after["y"]) < 1


def test_without_javascript_a_link_leads_to_the_garden(live_server, browser, pair) -> None:  # type: ignore[no-untyped-def]
    context, page = _home(browser, live_server, pair.bond, java_script_enabled=False)
    try:
        link = page.get_by_role("link", name="Open your garden")
        assert link.is_visible()
        link.click()
        page.wait_for_url(f"**/bonds/{pair.bond.pk}/garden/")
        assert page.locator("svg.garden").count() == 1
    finally:
        context.close()
