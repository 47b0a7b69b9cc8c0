"""The coach in the composers: the live hint view, its edge inputs, and that what
is typed is never stored or logged."""

from __future__ import annotations

import logging
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tending.bonds.models import Bond
from tending.coach import hint as coach
from tending.coach.hint import Segment, snippets
from tending.repair.models import Rupture

HINT = reverse("coach:hint")
MARK = "ZEBRA-TEXT-4417"
BLAME = f"you never listen to me {MARK}"


def text(response) -> str:  # type: ignore[no-untyped-def]
    return response.content.decode()


def hint(client: Client, typed: str, field: str = "message") -> str:
    response = client.post(HINT, {"coach_field": field, field: typed}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    return text(response)


def test_the_hint_marks_the_words_and_offers_gentler_ones(as_alice: Client) -> None:
    page = hint(as_alice, "You never listen to me")
    assert "<mark>You never</mark>" in page
    assert "A gentle thought" in page and "You can send your words as they are." in page
    buttons = re.findall(
        r'<button type="button" class="suggestion" data-coach-replace="([^"]+)"', page
    )
    assert len(buttons) >= 2
    assert all("never" not in b.lower() for b in buttons)
    assert "<html" not in page  # a fragment for htmx, not a page


def test_a_warm_message_gets_a_quiet_nod_and_logistics_nothing(as_alice: Client) -> None:
    assert "heard well" in hint(as_alice, "i miss you, and i'm sorry about earlier")
    assert hint(as_alice, "can you pick up milk on the way home").strip() == ""


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "   \n\t ",
        "🙂😂🙈❤️" * 5,
        "x" * 10_000,
        ("you never help " * 700)[:10_000],
        "y" * 100_000,
        "du hörst mir nie zu, immer das gleiche",
        "君はいつも私の話を聞かない",
        "ты никогда меня не слушаешь",
        "أنت لا تستمع إلي أبدا",
        "\x00\x01\ud7ff",
        "<script>alert('x')</script> you never",
    ],
    ids=[
        "empty",
        "blank",
        "emoji",
        "10k-plain",
        "10k-blame",
        "100k",
        "german",
        "japanese",
        "russian",
        "arabic",
        "control",
        "markup",
    ],
)
def test_edge_inputs_never_fail(as_alice: Client, typed: str) -> None:
    page = hint(as_alice, typed)
    assert "<script>" not in page
    if typed.strip() == "" or typed.startswith("🙂"):
        assert page.strip() == ""


@pytest.mark.parametrize(
    "typed",
    [
        "du hörst mir nie zu, immer das gleiche",
        "君はいつも私の話を聞かない",
        "ты никогда меня не слушаешь",
    ],
)
def test_no_blame_is_flagged_in_text_the_coach_cannot_read(as_alice: Client, typed: str) -> None:
    assert "<mark>" not in hint(as_alice, typed)


def test_a_long_blaming_text_shows_a_few_short_excerpts(as_alice: Client) -> None:
    page = hint(as_alice, ("you never help. " + "ok " * 40) * 60)
    assert 1 <= page.count("<li>…") + page.count("<li><mark>") <= coach.MAX_SNIPPETS
    assert len(page) < 6000


def test_nothing_typed_is_stored_or_logged(
    as_alice: Client, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with CaptureQueriesContext(connection) as queries:
        page = hint(as_alice, BLAME)
    assert MARK in page  # shown back to the person typing, and only to them
    assert MARK not in caplog.text
    writes = [
        q["sql"] for q in queries.captured_queries if not q["sql"].lstrip().startswith("SELECT")
    ]
    assert not [w for w in writes if "django_session" not in w], writes
    assert all(MARK not in q["sql"] for q in queries.captured_queries)


def test_a_failing_coach_never_blocks_and_logs_no_text(
    as_alice: Client, bond: Bond, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(text: str) -> None:
        raise ValueError(text)

    monkeypatch.setattr("tending.coach.analysis.analyse", broken)
    caplog.set_level(logging.DEBUG)
    assert hint(as_alice, BLAME).strip() == ""
    assert "coach hint failed: ValueError" in caplog.text and MARK not in caplog.text


def test_the_field_to_read_is_named_by_the_composer(as_alice: Client) -> None:
    response = as_alice.post(HINT, {"coach_field": "body", "body": "you never call", "text": "hi"})
    assert "<mark>you never</mark>" in text(response)
    # An odd field name falls back to "text".
    response = as_alice.post(HINT, {"coach_field": "a b<c>", "text": "you never call"})
    assert "<mark>you never</mark>" in text(response)


def test_only_people_signed_in_may_ask_and_only_by_post(as_alice: Client) -> None:
    anonymous = Client().post(HINT, {"text": BLAME})
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    assert as_alice.get(HINT).status_code == 405


def test_the_composer_follows_typing_with_htmx(as_alice: Client, bond: Bond) -> None:
    as_alice.post(reverse("repair:start", args=[bond.pk]), {"topic": "money", "flooded": "no"})
    rupture = Rupture.objects.get()
    page = text(as_alice.get(reverse("repair:compose", args=[bond.pk, rupture.pk])))
    textarea = re.search(r"<textarea[^>]*>", page).group(0)
    assert f'hx-post="{HINT}"' in textarea
    assert 'hx-trigger="keyup changed delay:600ms"' in textarea
    assert 'hx-target="#coach-hint"' in textarea
    region = re.search(r'<div class="coach" id="coach-hint"[^>]*>', page).group(0)
    assert 'aria-live="polite"' in region and 'data-coach-field="message"' in region
    assert 'name="action" value="check"' in page  # works without JavaScript
    assert "js/repair.js" in page and "<script>" not in page


def test_the_hint_target_include_is_ready_for_other_composers() -> None:
    from django.template.loader import render_to_string

    html = render_to_string(
        "coach/_hint_target.html",
        {"field": "body", "target": "note-hint", "hint": coach.hint_for("you always forget")},
    )
    assert '<div class="coach" id="note-hint" data-coach-field="body" aria-live="polite">' in html
    assert "<mark>you always</mark>" in html
    assert 'type="button"' in html and 'name="replace_with"' not in html
    attrs = coach.coach_attrs("body", "note-hint")
    assert attrs["hx-target"] == "#note-hint" and str(attrs["hx-post"]) == HINT


def test_excerpts_merge_nearby_marks_and_cut_long_text() -> None:
    text_ = "a" * 100 + "you never" + " and " + "you always" + "b" * 100
    (only,) = snippets(text_, [(100, 109), (114, 124), (102, 105)])
    assert only.cut_before and only.cut_after
    assert [s for s in only.segments if s.marked] == [
        Segment("you never", True),
        Segment("you always", True),
    ]
    far = snippets("you never" + "." * 500 + "you always", [(0, 9), (509, 519)])
    assert len(far) == 2 and not far[0].cut_before and not far[1].cut_after
    assert snippets("abc", [(2, 99), (-1, 1)]) == ()
