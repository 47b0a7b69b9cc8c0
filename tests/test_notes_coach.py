"""The gentle-words coach in the notes composer: live with htmx, and through
"Check my wording" without JavaScript; it never sends the note."""

from __future__ import annotations

import html

from tending.notes.models import Note
from tests.conftest import client_for


def test_the_note_composer_asks_the_coach_as_one_types(bond, alice) -> None:  # type: ignore[no-untyped-def]
    page = client_for(alice).get(f"/bonds/{bond.pk}/notes/").content.decode()
    assert 'hx-post="/coach/hint/"' in page
    # never the voice file
    assert 'hx-params="text,coach_field,coach_what,coach_feel,coach_ask"' in page
    assert 'aria-live="polite"' in page


def test_check_my_wording_shows_a_hint_and_keeps_the_text(bond, alice) -> None:  # type: ignore[no-untyped-def]
    text = "you never call me anymore"
    response = client_for(alice).post(
        f"/bonds/{bond.pk}/notes/new/", {"text": text, "timing": "now", "action": "check"}
    )
    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "<mark" in page and "never" in page
    assert text in page  # nothing typed is lost
    assert not Note.objects.exists()


def test_a_kind_note_gets_no_hint_and_is_sent(bond, alice, bob) -> None:  # type: ignore[no-untyped-def]
    client = client_for(alice)
    page = client.post(
        f"/bonds/{bond.pk}/notes/new/",
        {"text": "thinking of you today", "timing": "now", "action": "check"},
    ).content.decode()
    assert "<mark" not in page
    client.post(f"/bonds/{bond.pk}/notes/new/", {"text": "thinking of you today", "timing": "now"})
    assert Note.objects.filter(author=alice, recipient=bob).count() == 1
