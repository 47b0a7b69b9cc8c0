"""alice signs up, creates a partner bond and invites bob, who joins in a second
browser; charlie, in a third, cannot open it."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from tending.accounts.jobs import send_account_emails
from tending.accounts.models import User
from tests.conftest import PASSWORD, PHONE

pytestmark = pytest.mark.browser


def _confirm_link(email: str) -> str:
    message = next(m for m in reversed(mail.outbox) if email in m.to)
    return re.search(r"https?://\S+/accounts/signup/confirm/\S+/", message.body).group(0)


def _sign_up(page, live_server, name: str, email: str) -> None:  # type: ignore[no-untyped-def]
    page.fill("#id_display_name", name)
    page.fill("#id_email", email)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.get_by_role("heading", name="Check your inbox").wait_for()
    send_account_emails()  # what the worker does next
    link = _confirm_link(email)
    page.goto(live_server.url + link[link.index("/accounts/") :])
    page.click("main button[type=submit]")


def test_two_people_join_a_bond_and_charlie_cannot_see_it(live_server, browser, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SITE_URL = live_server.url
    alice_ctx = browser.new_context(**PHONE)
    alice = alice_ctx.new_page()
    alice.goto(live_server.url + "/")
    alice.get_by_role("link", name="Start tending").click()
    _sign_up(alice, live_server, "Alice", "alice@example.org")
    alice.get_by_role("heading", name="Hello, Alice").wait_for()

    alice.get_by_role("link", name="Start a new bond").click()
    alice.get_by_label("Partner").check()
    alice.get_by_role("button", name="Create").click()
    invite = alice.input_value("#invite-link")
    assert "/bonds/join/" in invite
    bond_url = alice.url

    bob_ctx = browser.new_context()
    bob = bob_ctx.new_page()
    bob.goto(invite)
    assert "Alice invites you" in bob.text_content("h1")
    assert "partner" in bob.text_content("main")
    bob.get_by_role("link", name="Sign up to join").click()
    _sign_up(bob, live_server, "Bob", "bob@example.org")
    # The sign-up link brings bob back to the invitation.
    bob.get_by_role("button", name="Join").click()
    bob.get_by_role("heading", name="You and Alice").wait_for()

    alice.goto(bond_url)
    alice.get_by_role("heading", name="You and Bob").wait_for()
    assert alice.locator("#invite-link").count() == 0

    User.objects.create_user(
        "charlie@example.org", PASSWORD, display_name="Charlie", time_zone="UTC"
    )
    charlie_ctx = browser.new_context()
    charlie = charlie_ctx.new_page()
    charlie.goto(live_server.url + "/accounts/login/")
    charlie.fill("#id_email", "charlie@example.org")
    charlie.fill("#id_password", PASSWORD)
    charlie.click("main button[type=submit]")
    charlie.get_by_role("heading", name="Hello, Charlie").wait_for()
    response = charlie.goto(bond_url)
    assert response.status == 404
    assert "Alice" not in charlie.text_content("main") and "Bob" not in charlie.text_content("main")
    # The used invitation does not let charlie in either.
    charlie.goto(invite)
    assert "can't be used" in charlie.text_content("h1")
    for ctx in (alice_ctx, bob_ctx, charlie_ctx):
        ctx.close()
