"""One repair round in two browsers: alice notes what happened, writes a message,
the coach answers her typing, she takes a suggestion and sends it; bob accepts;
both mark it resolved."""

from __future__ import annotations

import pytest

from tending.repair.models import RepairAnswer, Rupture, RuptureNote
from tests.conftest import PHONE, log_in_page, open_practices

pytestmark = pytest.mark.browser

NOTE = "We argued about the dishes, PRIVATE-browser-note"


def test_one_repair_round_between_alice_and_bob(live_server, browser, pair) -> None:  # type: ignore[no-untyped-def]
    alice, bob, bond = pair
    bond_url = f"{live_server.url}/bonds/{bond.pk}/"

    alice_ctx = browser.new_context(**PHONE)
    a = alice_ctx.new_page()
    log_in_page(a, live_server, "alice@example.org")
    a.goto(bond_url)
    open_practices(a)
    a.locator(f"a[href='/bonds/{bond.pk}/repair/']").first.click()
    a.get_by_role("link", name="Something happened").click()
    a.get_by_label("Chores and housework").check()
    a.get_by_label("What happened?").fill(NOTE)
    a.get_by_label("What did you feel?").fill("Tired, and a bit alone.")
    a.get_by_label("I'm upset, and I can think clearly").check()
    a.get_by_role("button", name="Keep this for me").click()

    a.get_by_role("heading", name="Owning my part").wait_for()
    a.get_by_label("What did I do or say that I'd like to have done differently?").fill(
        "I raised my voice."
    )
    a.get_by_role("button", name="Keep this and go on").click()

    a.get_by_role("heading", name="Your repair message").wait_for()
    box = a.get_by_label("Your repair message")
    box.press_sequentially("You never listen to me", delay=10)
    hint = a.locator("#coach-hint")
    hint.locator("mark", has_text="You never").wait_for()
    assert "A gentle thought" in hint.text_content()
    suggestion = hint.locator("button.suggestion").first
    chosen = suggestion.get_attribute("data-coach-replace")
    suggestion.click()
    assert box.input_value() == chosen
    a.get_by_role("button", name="Send to Bob").click()
    a.get_by_text("Sent. Bob can read it now.").wait_for()

    rupture = Rupture.objects.get()
    assert rupture.is_sent and rupture.message == chosen
    assert RuptureNote.objects.get(rupture=rupture).what_happened == NOTE

    bob_ctx = browser.new_context()
    b = bob_ctx.new_page()
    log_in_page(b, live_server, "bob@example.org")
    b.goto(live_server.url + "/notifications/")
    b.get_by_text("Alice would like to repair something with you.").click()
    b.get_by_role("heading", name="Alice would like to repair something with you").wait_for()
    assert chosen in b.text_content("main")
    assert "PRIVATE-browser-note" not in b.content()
    b.get_by_label("I accept your repair").check()
    b.get_by_role("button", name="Send my answer").click()
    b.get_by_text("Your answer is on its way.").wait_for()
    b.get_by_role("button", name="Mark it resolved").click()
    b.get_by_text("It's resolved once you both have.").wait_for()

    a.goto(f"{live_server.url}/bonds/{bond.pk}/repair/{rupture.pk}/")
    assert "Bob accepted the repair." in a.text_content("main")
    a.get_by_role("button", name="Mark it resolved").click()
    a.get_by_text("Resolved. Thank you for finding your way back.").wait_for()
    assert "Resolved together" in a.text_content("main")

    b.reload()
    assert "Resolved together" in b.text_content("main")
    rupture.refresh_from_db()
    assert rupture.resolved_at is not None
    assert RepairAnswer.objects.get().kind == "accept"
    for ctx in (alice_ctx, bob_ctx):
        ctx.close()
