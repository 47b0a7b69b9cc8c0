"""In a real browser: alice's note reads as a put-down the coach cannot place, so the
composer asks her what happened; she answers, presses Enter, and the suggestions are
built from her answers; choosing one puts it in the box, and nothing is sent until she
sends it."""

from __future__ import annotations

import pytest

from tending.notes.models import Note
from tests.conftest import PHONE, log_in, open_practices

pytestmark = pytest.mark.browser

PUTDOWN = "pathetic mate. honestly. grow a spine"


def test_the_coach_asks_and_builds_from_her_answers(live_server, browser, pair) -> None:  # type: ignore[no-untyped-def]
    _alice, bob, bond = pair
    ctx, page = log_in(browser, live_server, "alice@example.org", **PHONE)
    page.goto(live_server.url + f"/bonds/{bond.pk}/")
    open_practices(page)
    page.get_by_role("link", name="Notes and voice messages").click()
    box = page.get_by_label("Your note")
    box.press_sequentially(PUTDOWN, delay=5)
    hint = page.locator("#coach-hint")
    hint.locator("mark").first.wait_for()
    # The coach's own lines can say nothing of what happened, so the questions are open.
    what = page.get_by_label("What happened?")
    what.wait_for()
    assert what.is_visible()
    what.fill("the landlord still hasnt fixed the boiler and u wont ring him")
    page.get_by_label("How did it leave you feeling?").fill("cold and fed up")
    ask = page.get_by_label("What would you like to ask for?")
    ask.fill("ring him tomorrow morning")
    ask.press("Enter")  # builds the lines; never sends the note
    hint.get_by_text("Built from your answers").wait_for()
    built = hint.locator("button.suggestion")
    assert built.count() == 3
    first = built.first.get_attribute("data-coach-replace")
    assert "boiler" in first and "ring him tomorrow morning" in first
    assert not Note.objects.exists()
    # Typing on in the box keeps the answers.
    box.press_sequentially(" ok", delay=5)
    page.wait_for_timeout(1200)
    assert page.get_by_label("What happened?").input_value().startswith("the landlord")
    hint.locator("button.suggestion").first.wait_for()
    chosen = hint.locator("button.suggestion").first.get_attribute("data-coach-replace")
    hint.locator("button.suggestion").first.click()
    assert box.input_value() == chosen
    page.get_by_role("button", name="Send", exact=True).click()
    page.get_by_text("Sent").first.wait_for()
    note = Note.objects.get()
    assert note.text == chosen and note.recipient == bob
    ctx.close()
