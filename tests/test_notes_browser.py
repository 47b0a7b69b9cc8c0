"""In a real browser: alice schedules a surprise note for bob, time moves on,
the worker delivers it, bob finds it and sends a heart; and alice records a
voice message with the browser's own recorder, which the server accepts as
real audio and plays back to bob."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from tending.notes.jobs import deliver_notes
from tending.notes.models import Note, Reaction
from tests.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE, log_in, open_practices

pytestmark = pytest.mark.browser


def test_a_surprise_note_arrives_and_bob_sends_a_heart(  # type: ignore[no-untyped-def]
    live_server, browser, settings, tmp_path, pair
) -> None:
    settings.DATA_DIR = tmp_path
    _alice, bob, bond = pair
    alice_ctx, alice = log_in(browser, live_server, "alice@example.org", **PHONE)
    alice.goto(live_server.url + f"/bonds/{bond.pk}/")
    open_practices(alice)
    alice.get_by_role("link", name="Notes and voice messages").click()
    alice.get_by_label("Your note").fill("I saw the first swallows today and thought of you.")
    # Only the chosen way of timing shows its details (a script enhancement).
    assert alice.locator("#id_surprise_date").is_hidden()
    alice.get_by_label("As a surprise, some time in a window").check()
    tomorrow = timezone.now().astimezone(ZoneInfo("America/New_York")).date() + timedelta(days=1)
    alice.fill("#id_surprise_date", tomorrow.isoformat())
    alice.fill("#id_window_start", "09:00")
    alice.fill("#id_window_end", "17:00")
    assert "Bob's clock" in alice.text_content("[data-for=surprise]")
    alice.get_by_role("button", name="Send").click()
    alice.get_by_text("as a surprise, some time inside the window you chose").wait_for()

    note = Note.objects.get()
    assert note.delivered_at is None
    bob_ctx, bob_page = log_in(browser, live_server, "bob@example.org")
    bob_page.goto(live_server.url + f"/bonds/{bond.pk}/notes/")
    assert "swallows" not in bob_page.text_content("main")
    assert "From Alice" not in bob_page.text_content("main")

    # Time moves on: the chosen moment is now past, and the worker runs.
    Note.objects.filter(pk=note.pk).update(deliver_at=timezone.now() - timedelta(seconds=1))
    assert deliver_notes() is True

    bob_page.goto(live_server.url + "/notifications/")
    bob_page.get_by_role("button", name="Alice sent you a note").click()
    bob_page.get_by_role("heading", name="From Alice").wait_for()
    assert "first swallows" in bob_page.text_content(".note-text")
    bob_page.get_by_role("button", name="A heart").click()
    bob_page.get_by_text("You sent a heart.").wait_for()
    assert bob_page.get_by_role("button", name="A heart").get_attribute("aria-pressed") == "true"
    note.refresh_from_db()
    assert note.reaction == Reaction.HEART and note.recipient == bob

    alice.goto(live_server.url + f"/bonds/{bond.pk}/notes/")
    assert "they sent a heart" in alice.text_content("main")
    for ctx in (alice_ctx, bob_ctx):
        ctx.close()


@pytest.fixture(scope="module")
def browser_with_microphone(browser) -> Iterator[object]:  # type: ignore[no-untyped-def]
    """A second Chromium, from the same Playwright, with a fake microphone (a
    steady tone) that needs no permission prompt."""
    args = [*CHROMIUM_ARGS, "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream"]
    chromium = browser.browser_type.launch(executable_path=CHROMIUM, args=args)
    yield chromium
    chromium.close()


def test_a_voice_message_recorded_in_the_browser_is_accepted_and_played_to_bob(  # type: ignore[no-untyped-def]
    live_server, browser_with_microphone, settings, tmp_path, pair
) -> None:
    settings.DATA_DIR = tmp_path
    _alice, _bob, bond = pair
    alice_ctx, alice = log_in(browser_with_microphone, live_server, "alice@example.org")
    alice_ctx.grant_permissions(["microphone"], origin=live_server.url)
    alice.goto(live_server.url + f"/bonds/{bond.pk}/notes/")
    alice.get_by_role("button", name="Record here").click()
    alice.get_by_text("Recording…").wait_for()
    alice.wait_for_timeout(1600)
    alice.get_by_role("button", name="Stop").click()
    alice.get_by_text("It goes with the note when you send it.").wait_for()
    assert alice.evaluate("document.getElementById('id_voice').files.length") == 1
    alice.get_by_role("button", name="Send").click()
    alice.get_by_text("Bob can read it now.").wait_for()

    note = Note.objects.get()
    assert note.voice_mime == "audio/webm"
    assert 1.0 < note.voice_seconds < 5.0

    bob_ctx, bob = log_in(browser_with_microphone, live_server, "bob@example.org")
    bob.goto(live_server.url + f"/bonds/{bond.pk}/notes/{note.pk}/")
    assert "Voice message, 0:0" in bob.text_content("main")
    played = bob.request.get(live_server.url + f"/bonds/{bond.pk}/notes/{note.pk}/voice/")
    assert played.status == 200 and played.headers["cache-control"] == "private, no-store"
    assert played.body()[:4] == b"\x1a\x45\xdf\xa3"
    duration = bob.evaluate(
        """() => new Promise(done => {
             const a = document.querySelector('audio');
             if (a.readyState >= 1) return done(a.duration);
             a.addEventListener('loadedmetadata', () => done(a.duration));
             a.addEventListener('error', () => done(-1));
           })"""
    )
    assert duration != -1  # the browser could load it from the authorised view
    for ctx in (alice_ctx, bob_ctx):
        ctx.close()
