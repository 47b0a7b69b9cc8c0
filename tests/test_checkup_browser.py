"""alice takes the check-up on a phone-sized screen (390×844), misses one
statement, finds it again with nothing lost, answers the private questions and
reads her result."""

from __future__ import annotations

import pytest

from tending.accounts.models import User
from tending.bonds.models import Bond
from tending.checkup import scoring
from tending.checkup.models import CheckupResult
from tending.safety.models import SafetyScreen
from tests.conftest import PHONE, log_in, open_practices

pytestmark = pytest.mark.browser


def test_taking_the_check_up_on_a_phone(live_server, browser, alice: User, bond: Bond) -> None:  # type: ignore[no-untyped-def]
    questionnaire = scoring.load(scoring.current_version())
    items = questionnaire.items
    ctx, page = log_in(browser, live_server, alice.email, **PHONE)

    page.goto(live_server.url + bond.get_absolute_url())
    open_practices(page)
    page.get_by_role("link", name="Check-up").first.click()
    page.get_by_role("link", name="Take the check-up").click()
    page.get_by_role("heading", name="Check-up").wait_for()
    assert "not a test, a diagnosis or a clinical instrument" in page.text_content("main")

    first = page.get_by_role("group", name=items[0].render("partner", "Bob"))
    option = first.get_by_text("Agree", exact=True)
    box = option.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44, box
    # Everything fits the width of the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    skipped = items[5]
    for n, item in enumerate(items):
        if item is skipped:
            continue
        group = page.get_by_role("group", name=item.render("partner", "Bob"))
        group.get_by_text(questionnaire.scale[n % 5][1], exact=True).click()
    assert page.text_content("[data-progress-text]") == f"{len(items) - 1} of {len(items)} answered"
    page.fill("#id_note", "a slow Sunday")
    page.get_by_role("button", name="Next").click()

    alert = page.get_by_role("alert")
    assert "One statement still needs an answer" in alert.text_content()
    assert page.locator("input[type=radio]:checked").count() == len(items) - 1
    assert page.input_value("#id_note") == "a slow Sunday"
    alert.get_by_role("link").click()
    page.get_by_role("group", name=skipped.render("partner", "Bob")).get_by_text(
        "Strongly agree", exact=True
    ).click()
    page.get_by_role("button", name="Next").click()

    page.get_by_role("heading", name="A few private questions").wait_for()
    assert "Only you will ever see this." in page.text_content("main")
    for group in page.locator("fieldset.safety").all():
        group.get_by_text("No", exact=True).click()
    page.get_by_role("button", name="See my result").click()

    page.get_by_role("heading", name="Your check-up").wait_for()
    main = page.text_content("main")
    assert "Closeness" in main and "Where you might start" in main
    assert "only you can see this" in main
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    entry = CheckupResult.objects.get()
    assert entry.answers[skipped.id] == 5 and entry.note == "a slow Sunday"
    assert len(entry.answers) == len(items)
    assert SafetyScreen.objects.get(user=alice).positive is False

    page.get_by_role("button", name="Share this result").click()
    page.get_by_text("Shared with Bob.").wait_for()
    entry.refresh_from_db()
    assert entry.visibility == "shared"
    ctx.close()
