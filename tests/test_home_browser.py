"""Two people on their phones answer today's question, react and reply, all on the bond's
home, which never leaves the screen (issue 13, sections 3 and 4); the bottom navigation shows
on a phone and gives way to the top one on a wide screen."""

from __future__ import annotations

import pytest

from tending.prompts.models import DailyReaction, DailyReply
from tests.conftest import PHONE, log_in

pytestmark = pytest.mark.browser


def test_answer_react_and_reply_without_leaving_today(live_server, browser, pair) -> None:  # type: ignore[no-untyped-def]
    home = live_server.url + pair.bond.get_absolute_url()
    alice_ctx, alice = log_in(browser, live_server, pair.alice.email, **PHONE)
    bob_ctx, bob = log_in(browser, live_server, pair.bob.email, **PHONE)
    for page, text in ((alice, "A long walk by the sea"), (bob, "Pancakes, slowly")):
        page.goto(home)
        page.wait_for_function("() => window.htmx !== undefined")
        page.evaluate("() => { window.stayed = true; }")  # gone if the page were reloaded
        page.fill("#today-text", text)
        page.get_by_role("button", name="Seal my answer").click()
        page.locator("#today .message").wait_for()
        assert page.evaluate("() => window.stayed === true")
        assert page.url.rstrip("#") == home
    # bob answered second: both answers are open on his home, with reactions and replies.
    today = bob.locator("#today")
    assert "A long walk by the sea" in today.inner_text()
    bob.get_by_role("button", name="Love it").click()
    bob.locator('#today button[aria-pressed="true"]').wait_for()
    bob.fill("#today textarea[name=text]", "Can I come?")
    bob.get_by_role("button", name="Send").click()
    bob.locator("#today ul.replies").wait_for()
    assert "Can I come?" in bob.locator("#today ul.replies").inner_text()
    assert bob.evaluate("() => window.stayed === true")
    assert DailyReaction.objects.filter(author=pair.bob).count() == 1
    assert DailyReply.objects.filter(author=pair.bob).count() == 1
    # alice sees them on her own home.
    alice.goto(home)
    assert "Can I come?" in alice.locator("#today").inner_text()
    alice_ctx.close()
    bob_ctx.close()


def test_the_bottom_navigation_is_for_phones(live_server, browser, pair) -> None:  # type: ignore[no-untyped-def]
    home = live_server.url + pair.bond.get_absolute_url()
    context, page = log_in(
        browser, live_server, pair.alice.email, viewport={"width": 360, "height": 740}
    )
    page.goto(home)
    nav = page.locator("nav.bottom-nav")
    assert nav.is_visible()
    box = nav.bounding_box()
    assert box is not None and abs(box["y"] + box["height"] - 740) <= 1  # at the bottom edge
    # Nothing of the page hides behind it at the very end.
    page.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")
    foot = page.locator("footer.foot").bounding_box()
    assert foot is not None and foot["y"] + foot["height"] <= nav.bounding_box()["y"] + 1
    page.get_by_role("link", name="Practices").last.click()
    page.get_by_role("heading", name="Practices", level=1).wait_for()
    context.close()
    context, page = log_in(
        browser, live_server, pair.alice.email, viewport={"width": 1024, "height": 800}
    )
    page.goto(home)
    assert not page.locator("nav.bottom-nav").is_visible()
    assert page.locator("header.top nav").is_visible()
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_just_me_pages_pass_axe(live_server, browser, scheme: str) -> None:  # type: ignore[no-untyped-def]
    """The pages a just-me bond gained (issue 13): repair from your own side, the solo path,
    and its home and practices page, which the walk in test_accessibility.py (as alice, in a
    bond of two) does not reach."""
    from django.urls import reverse

    from tests.test_accessibility import _problems
    from tests.world import make_world

    world = make_world()
    pk = world.charlie_bond.pk
    context, page = log_in(browser, live_server, world.charlie.email, **PHONE, color_scheme=scheme)
    found = {}
    for name in (
        "bonds:detail",
        "garden:practices",
        "repair:index",
        "solo:index",
        "prompts:daily_history",
    ):
        url = reverse(name, args=[pk])
        page.goto(live_server.url + url)
        if problems := _problems(page):
            found[url] = problems
    context.close()
    assert not found, found
