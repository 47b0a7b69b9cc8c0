"""alice uploads a chat on her phone, watches the progress bar while the worker
reads it (htmx polling swaps in the new figures and reloads the page when it
is done), says who is who and sees the insights, in light and dark."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tending.accounts.models import User
from tending.bonds.models import Bond, Kind, Membership
from tending.insights import jobs
from tending.insights.models import ChatImport, Status
from tests.conftest import PASSWORD, PHONE, log_in_page, open_practices
from tests.test_insights_web import whatsapp_chat

pytestmark = pytest.mark.browser

# Set TENDING_SCREENSHOTS=/some/dir to keep screenshots for a look.
SHOTS = os.environ.get("TENDING_SCREENSHOTS", "")


def _fits(page) -> bool:  # type: ignore[no-untyped-def]
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def _problems(page) -> list[str]:  # type: ignore[no-untyped-def]
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def _shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def test_upload_progress_confirm_and_look(live_server, browser, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.DATA_DIR = tmp_path
    alice = User.objects.create_user(
        "alice@example.org", PASSWORD, display_name="Alice", time_zone="Europe/Berlin"
    )
    bob = User.objects.create_user("bob@example.org", PASSWORD, display_name="Bob", time_zone="UTC")
    bond = Bond.objects.create(kind=Kind.PARTNER, created_by=alice)
    Membership.objects.create(bond=bond, user=alice)
    Membership.objects.create(bond=bond, user=bob)
    chat = tmp_path / "WhatsApp Chat.txt"
    chat.write_bytes(whatsapp_chat(months=8))

    ctx = browser.new_context(**PHONE)
    page = ctx.new_page()
    log_in_page(page, live_server, "alice@example.org")
    page.goto(f"{live_server.url}/bonds/{bond.pk}/")
    open_practices(page)
    page.get_by_role("link", name="Insights from your chats").click()
    page.get_by_role("heading", name="How it works").wait_for()
    assert _fits(page)
    assert _problems(page) == []
    _shot(page, "index-phone")
    page.get_by_label("Your chat export").set_input_files(str(chat))
    page.get_by_role("button", name="Read this chat").click()
    page.get_by_role("heading", name="Reading your chat").wait_for()
    assert page.locator("progress#import-progress").count() == 1
    assert _problems(page) == []
    _shot(page, "progress-phone")

    item = ChatImport.objects.get()
    ChatImport.objects.filter(pk=item.pk).update(
        status=Status.PROCESSING, progress_done=30, progress_total=100
    )
    page.locator("progress#import-progress[value='30']").wait_for(timeout=6000)
    ChatImport.objects.filter(pk=item.pk).update(status=Status.QUEUED)
    assert jobs.read_next_import() is True
    # The next poll sees the import is read and reloads the page.
    page.get_by_role("heading", name="Who is who?").wait_for(timeout=6000)
    assert page.get_by_label("Alice", exact=True).input_value() == "author"
    assert page.get_by_label("Bob", exact=True).input_value() == "other"
    assert _problems(page) == []
    _shot(page, "mapping-phone")
    page.get_by_role("button", name="That's right: show the insights").click()
    page.get_by_role("heading", name="What the chat shows").wait_for()
    assert page.locator(".insight-chart svg").count() >= 8
    assert _fits(page), "the page scrolls sideways on a phone"
    page.locator("#chart-messages summary").click()
    assert page.locator("#chart-messages table").is_visible()
    _shot(page, "insights-phone-light")

    for scheme, size in (("dark", PHONE), ("dark", {}), ("light", {})):
        wide = {"viewport": {"width": 1280, "height": 900}} if not size else {}
        other = browser.new_context(color_scheme=scheme, **(size or wide))
        look = other.new_page()
        log_in_page(look, live_server, "alice@example.org")
        look.goto(f"{live_server.url}/bonds/{bond.pk}/insights/{item.pk}/")
        assert _fits(look)
        look.locator("details summary").first.click()
        assert _problems(look) == [], scheme
        _shot(look, f"insights-{'phone' if size else 'wide'}-{scheme}")
        other.close()
    ctx.close()

    bob_ctx = browser.new_context(color_scheme="dark", **PHONE)
    b = bob_ctx.new_page()
    log_in_page(b, live_server, "bob@example.org")
    b.goto(f"{live_server.url}/bonds/{bond.pk}/insights/")
    b.get_by_role("link", name="Alice added insights from a chat").click()
    b.get_by_role("heading", name="Alice would like to look at these with you").wait_for()
    assert b.locator("svg").count() == 0
    assert _problems(b) == []
    _shot(b, "consent-phone-dark")
    b.get_by_label("I agree to see these insights together").check()
    b.get_by_role("button", name="See the insights").click()
    b.get_by_role("heading", name="What the chat shows").wait_for()
    assert b.locator(".insight-chart svg").count() >= 8
    bob_ctx.close()
