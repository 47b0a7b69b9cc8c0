"""alice and bob, each in their own browser, answer the same daily question; neither sees the
other's answer until both have answered, then both see both."""

from __future__ import annotations

import pytest

from tests.conftest import PHONE, log_in, open_practices

pytestmark = pytest.mark.browser


def test_a_daily_question_answered_by_both_and_revealed(live_server, browser, pair):  # type: ignore[no-untyped-def]
    alice, bob, bond = pair

    alice_ctx, alice_page = log_in(browser, live_server, "alice@example.org", **PHONE)
    bob_ctx, bob_page = log_in(browser, live_server, "bob@example.org")

    alice_page.goto(live_server.url + bond.get_absolute_url())
    open_practices(alice_page)
    alice_page.locator(".practices").get_by_role("link", name="Today's question").click()
    question = alice_page.locator("#question").text_content()
    bob_page.goto(f"{live_server.url}/bonds/{bond.pk}/daily/")
    assert bob_page.locator("#question").text_content() == question

    alice_page.get_by_label("Your answer").fill("Alice-says-lanterns")
    alice_page.get_by_role("button", name="Seal my answer").click()
    alice_page.get_by_text("Your answer is sealed.").wait_for()
    assert "Alice-says-lanterns" in alice_page.text_content("main")

    bob_page.reload()
    bob_page.locator(".waiting").get_by_text("Alice has answered.").wait_for()
    assert "Alice-says-lanterns" not in bob_page.text_content("main")
    bob_page.get_by_label("Your answer").fill("Bob-says-harbour")
    bob_page.get_by_role("button", name="Seal my answer").click()
    bob_page.get_by_role("heading", name="Alice's answer").wait_for()
    assert "Alice-says-lanterns" in bob_page.text_content("main")
    assert "Bob-says-harbour" in bob_page.text_content("main")

    alice_page.reload()
    alice_page.get_by_role("heading", name="Bob's answer").wait_for()
    assert "Bob-says-harbour" in alice_page.text_content("main")
    alice_page.goto(live_server.url + "/notifications/")
    assert "Bob answered today's question too." in alice_page.text_content("main")
    for ctx in (alice_ctx, bob_ctx):
        ctx.close()


def test_a_deck_chosen_on_a_phone_and_an_evening_of_questions(live_server, browser, pair):  # type: ignore[no-untyped-def]
    alice, bob, bond = pair
    narrow = {**PHONE, "viewport": {"width": 360, "height": 740}}
    alice_ctx, alice_page = log_in(browser, live_server, "alice@example.org", **narrow)
    bob_ctx, bob_page = log_in(browser, live_server, "bob@example.org")

    alice_page.goto(f"{live_server.url}/bonds/{bond.pk}/conversation/")
    alice_page.get_by_role("link", name="Themed decks").click()
    alice_page.wait_for_url("**/decks/")  # the new page, not the one being left
    assert alice_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    card = alice_page.locator("#deck-money")
    card.get_by_label("For how long").select_option("2")
    card.get_by_role("button", name="Choose money").click()
    alice_page.get_by_text("Money is your deck for the next two weeks.").wait_for()

    bob_page.goto(f"{live_server.url}/bonds/{bond.pk}/decks/")
    assert "Your deck now" in bob_page.text_content("main")
    bob_page.goto(f"{live_server.url}/bonds/{bond.pk}/daily/")
    assert "From your deck: Money." in bob_page.text_content("main")

    alice_page.goto(f"{live_server.url}/bonds/{bond.pk}/conversation/")
    alice_page.get_by_role("link", name="An evening of questions").click()
    alice_page.wait_for_url("**/evening/")
    assert alice_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    alice_page.get_by_role("link", name="On to round 2").click()
    alice_page.get_by_role("heading", name="Round 2: Getting closer").wait_for()
    for ctx in (alice_ctx, bob_ctx):
        ctx.close()
