"""In a real browser: the bond's home shows today's step at once and the garden
picture follows; without JavaScript, a link leads to the garden instead."""

from __future__ import annotations

import pytest

from tending.accounts.models import User
from tending.bonds.models import Bond, Kind, Membership
from tests.conftest import PASSWORD, PHONE

pytestmark = pytest.mark.browser


@pytest.fixture
def pair(transactional_db) -> Bond:  # type: ignore[no-untyped-def]
    alice = User.objects.create_user("alice@example.org", PASSWORD, display_name="Alice")
    bob = User.objects.create_user("bob@example.org", PASSWORD, display_name="Bob")
    bond = Bond.objects.create(kind=Kind.PARTNER, created_by=alice)
    Membership.objects.create(bond=bond, user=alice)
    Membership.objects.create(bond=bond, user=bob)
    return bond


def _home(browser, live_server, bond: Bond, **options):  # type: ignore[no-untyped-def]
    context = browser.new_context(**PHONE, **options)
    page = context.new_page()
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_email", "alice@example.org")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.goto(live_server.url + f"/bonds/{bond.pk}/")
    return context, page


def test_the_garden_picture_follows_today(live_server, browser, pair) -> None:  # type: ignore[no-untyped-def]
    context, page = _home(browser, live_server, pair)
    try:
        assert page.locator("#today-title").is_visible()
        page.locator("a.garden-preview svg.garden").wait_for(timeout=10_000)
        assert page.locator("a.garden-preview.pending").count() == 0
        page.locator("a.garden-preview").click()
        page.wait_for_url(f"**/bonds/{pair.pk}/garden/")
    finally:
        context.close()


def test_without_javascript_a_link_leads_to_the_garden(live_server, browser, pair) -> None:  # type: ignore[no-untyped-def]
    context, page = _home(browser, live_server, pair, java_script_enabled=False)
    try:
        link = page.get_by_role("link", name="Open your garden")
        assert link.is_visible()
        link.click()
        page.wait_for_url(f"**/bonds/{pair.pk}/garden/")
        assert page.locator("svg.garden").count() == 1
    finally:
        context.close()
