"""The check-up on the web: taking it, the safety step, results, sharing and the
comparison, the trend, versions, the retake reminder, the alpha command, and
what alice's private answers must never change for bob or charlie."""

from __future__ import annotations

import json
import random
import re
import shutil
from datetime import UTC, datetime, timedelta
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from tending.accounts.export import export_for
from tending.accounts.models import User
from tending.bonds.models import Bond
from tending.bonds.privacy import Visibility
from tending.checkup import jobs, links, recommend, reliability, scoring
from tending.checkup.jobs import RETAKE_TITLE, suggest_retake
from tending.checkup.models import CheckupResult, record_result
from tending.notify.models import Notification
from tending.safety import helplines
from tending.safety import screen as safety
from tending.safety.models import SafetyScreen, safety_positive

Q = scoring.load(1)
QUALITIES = Q.ids_of("quality")
SIGNS = Q.ids_of("sign")
START = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
CSRF = re.compile(r'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+')


def answers_all(value: int) -> dict[str, int]:
    return {item.id: value for item in Q.items}


def ideal() -> dict[str, int]:
    """Every quality at full strength, every sign absent, no reason agreed with."""
    out = {}
    for item in Q.items:
        group = Q.dimension(item.dimension).group
        if group == "quality":
            out[item.id] = 1 if item.reverse else 5
        elif group == "sign":
            out[item.id] = 5 if item.reverse else 1
        else:
            out[item.id] = 1
    return out


def everything_low() -> dict[str, int]:
    return {k: 6 - v for k, v in ideal().items()}


def url(name: str, bond: Bond, *args: int) -> str:
    return reverse(f"checkup:{name}", args=[bond.pk, *args])


def take(client: Client, bond: Bond, answers: dict[str, int], note: str = "") -> CheckupResult:
    response = client.post(url("take", bond), {"version": 1, "note": note, **answers})
    assert response.status_code == 302, response.content.decode()[:500]
    entry = CheckupResult.objects.order_by("-pk").first()
    assert response["Location"] == url("safety", bond, entry.pk)
    return entry


def screen(client: Client, bond: Bond, entry: CheckupResult, **answers: str) -> None:
    response = client.post(url("safety", bond, entry.pk), answers)
    assert response.status_code == 302
    assert response["Location"] == url("result", bond, entry.pk)


def result_at(bond: Bond, author: User, answers: dict[str, int], when: datetime) -> CheckupResult:
    with time_machine.travel(when, tick=False):
        return record_result(
            bond=bond, author=author, answers=answers, result=scoring.score(answers, 1)
        )


def text(response) -> str:  # type: ignore[no-untyped-def]
    return response.content.decode()


# --- the practice card and taking the check-up -----------------------------------------------


def test_practice_card_comes_first_on_the_bond_page(as_alice: Client, bond: Bond) -> None:
    # Issue 13: the practices moved from the bond's home to their own page.
    page = text(as_alice.get(reverse("garden:practices", args=[bond.pk])))
    practices = page[page.index('class="practices"') :]
    first = re.search(r'<a href="([^"]+)"><strong>([^<]+)</strong>', practices)
    assert first.groups() == (url("index", bond), "Check-up")


def test_take_page_names_bob_and_is_built_for_tapping(as_alice: Client, bond: Bond) -> None:
    current = scoring.load(scoring.current_version())  # the form shows the newest version
    response = as_alice.get(url("take", bond))
    page = text(response)
    assert response.status_code == 200
    assert safety.not_clinical() in page
    assert "I can tell Bob what I really think, even when it&#x27;s awkward." in page
    assert "my partner" not in page.lower()
    assert page.count("<fieldset") == len(current.items) == page.count("<legend>")
    radios = re.findall(r'<label class="opt"><input type="radio" name="([a-z_0-9]+)"', page)
    assert len(radios) == len(current.items) * 5  # every radio sits inside its own label
    assert set(radios) == {i.id for i in current.items}
    assert "Part 1 of 5" in page and "Part 5 of 5" in page
    assert f"{len(current.items)} statements, about 5 minutes" in page
    assert 'name="version" value="2"' in page


def test_scoring_through_the_view_applies_reverse_keys(as_alice: Client, bond: Bond) -> None:
    entry = take(as_alice, bond, answers_all(5))
    assert entry.version == 1 and entry.author.email == "alice@example.org"
    assert entry.visibility == Visibility.PRIVATE
    assert entry.scores == scoring.score(answers_all(5), 1).to_dict()
    # Each quality has one reverse-keyed item: keyed 5, 5, 1 → 66.67, not 100.
    for d in QUALITIES:
        assert entry.scores["qualities"][d] == pytest.approx(200 / 3)
    for d in SIGNS:
        assert entry.scores["signs"][d] == pytest.approx(50.0)
    assert entry.reasons == list(Q.ids_of("reason"))

    best = take(as_alice, bond, ideal())
    assert best.overall == 100.0
    page = text(as_alice.get(url("result", bond, best.pk)))
    assert scoring.explanations()["overall"]["high"] in page
    assert scoring.explanations()["dimensions"]["open_talk"]["high"] in page
    assert scoring.explanations()["dimensions"]["silence"]["low"] in page
    assert '<p class="big-num">100' in page


def test_missing_answers_are_named_and_nothing_chosen_is_lost(as_alice: Client, bond: Bond) -> None:
    answers = answers_all(4)
    skipped = ["open_talk_1", "empathy_2", "silence_1"]
    for item_id in skipped:
        answers.pop(item_id)
    response = as_alice.post(
        url("take", bond), {**answers, "version": 1, "note": "a calm evening walk"}
    )
    page = text(response)
    assert response.status_code == 400
    assert "3 statements still need an answer" in page
    assert "Everything you already chose is kept" in page
    for item_id in skipped:
        assert f'href="#q-{item_id}"' in page
        assert f'id="q-{item_id}"' in page
    assert page.count(" checked>") == len(answers)
    assert re.search(r'name="empathy_1" value="4" checked', page)
    assert "a calm evening walk" in page
    assert not CheckupResult.objects.exists()


def test_an_empty_form_lists_only_the_first_few_missing(as_alice: Client, bond: Bond) -> None:
    page = text(as_alice.post(url("take", bond), {"version": 1}))
    assert f"{len(Q.items)} statements still need an answer" in page
    summary = page[page.index('id="form-errors"') : page.index("data-checkup")]
    assert summary.count('<a href="#q-') == 5
    assert f"and {len(Q.items) - 5} more, marked below" in summary


@pytest.mark.parametrize("bad", ["6", "0", "x", "3.0", ""])
def test_answers_off_the_scale_are_refused(as_alice: Client, bond: Bond, bad: str) -> None:
    response = as_alice.post(url("take", bond), {**answers_all(3), "open_talk_1": bad})
    assert response.status_code == 400
    assert not CheckupResult.objects.exists()


# --- the safety step ------------------------------------------------------------------------------


def test_safety_step_is_private_optional_and_saved(as_alice: Client, alice: User, bond: Bond):
    entry = take(as_alice, bond, answers_all(3))
    page = text(as_alice.get(url("safety", bond, entry.pk)))
    assert "Only you will ever see this." in page
    assert safety.intro("partner", "Bob") in page.replace("&#x27;", "'")
    assert page.count('type="radio"') == 3 * len(safety.question_ids())
    assert "Skip these questions" in page

    # Skipping, or leaving every question out, saves nothing.
    assert (
        as_alice.post(url("safety", bond, entry.pk), {"skip": "1", "afraid": "yes"}).status_code
        == 302
    )
    screen(as_alice, bond, entry)
    assert not SafetyScreen.objects.exists()

    screen(as_alice, bond, entry, **dict.fromkeys(safety.question_ids(), "no"))
    assert SafetyScreen.objects.get().positive is False
    assert not safety_positive(alice)

    screen(as_alice, bond, entry, threatened="yes", afraid="prefer_not_to_say")
    latest = SafetyScreen.objects.order_by("-pk").first()
    assert latest.positive and latest.answers == {
        "afraid": "prefer_not_to_say",
        "threatened": "yes",
    }
    assert safety_positive(alice)

    response = as_alice.post(url("safety", bond, entry.pk), {"afraid": "maybe"})
    assert response.status_code == 400
    assert SafetyScreen.objects.count() == 2


def test_rather_not_say_gets_a_kind_note_and_keeps_an_earlier_answer(
    as_alice: Client, alice: User, bond: Bond
) -> None:
    entry = take(as_alice, bond, answers_all(3))
    screen(as_alice, bond, entry, afraid="yes")
    response = as_alice.post(
        url("safety", bond, entry.pk),
        dict.fromkeys(safety.question_ids(), "prefer_not_to_say"),
        follow=True,
    )
    assert safety.prefer_not_message().replace("'", "&#x27;") in text(response)
    # Saying nothing new does not switch the earlier "yes" off.
    assert SafetyScreen.objects.count() == 1 and safety_positive(alice)
    screen(as_alice, bond, entry, afraid="no", controlled="prefer_not_to_say")
    assert SafetyScreen.objects.count() == 2 and not safety_positive(alice)


# --- the result page -----------------------------------------------------------------------------


def test_result_page_explains_without_labels_or_predictions(as_alice: Client, bond: Bond):
    entry = take(as_alice, bond, everything_low())
    page = text(as_alice.get(url("result", bond, entry.pk)))
    for d in Q.dimensions:
        assert d.label.replace("'", "&#x27;") in page
    assert page.count('class="dim"') == len(Q.dimensions)
    assert "What changed since last time" not in page
    lowered = page.lower().replace("&#x27;", "'")
    assert safety.not_clinical().lower() in lowered
    lowered = lowered.replace(safety.not_clinical().lower(), "")
    for word in ("divorce", "break up", "toxic", "unhealthy", "diagnos", "predict", "doomed"):
        assert word not in lowered
    # The answers as they were worded, for her eyes only.
    assert "Your answers" in page and "Strongly agree" in page


def test_what_changed_since_last_time(alice: User, as_alice: Client, bond: Bond) -> None:
    result_at(bond, alice, answers_all(3), START)
    later = result_at(bond, alice, ideal(), START + timedelta(days=30))
    page = text(as_alice.get(url("result", bond, later.pk)))
    assert "What changed since last time" in page
    # 50 → 100 for every quality: a large rise.
    assert "Open and honest talk feels a lot stronger than last time." in page
    assert "Transactional talk shows up a lot less than last time." in page
    first = CheckupResult.objects.order_by("pk").first()
    assert "What changed" not in text(as_alice.get(url("result", bond, first.pk)))


def test_recommendations_link_to_practices_that_exist(as_alice: Client, bond: Bond) -> None:
    answers = ideal() | {i.id: (5 if i.reverse else 1) for i in Q.items_of("vulnerability")}
    entry = take(as_alice, bond, answers)
    recs = recommend.recommend(entry.result, "partner", False, other_name="Bob")
    assert recs[0].practice == "inner_world"
    page = text(as_alice.get(url("result", bond, entry.pk)))
    feelings = reverse("feelings:index", args=[bond.pk])
    assert f'<a href="{feelings}">{recs[0].label}</a>' in page
    for rec in recs:
        assert rec.step.replace("'", "&#x27;").replace('"', "&quot;") in page


def test_practice_links_degrade_gracefully(bond: Bond, monkeypatch: pytest.MonkeyPatch) -> None:
    assert links.practice_url("inner_world", bond) == reverse("feelings:index", args=[bond.pk])
    fake = {
        "inner_world": {"url_names": ["nowhere:index"], "apps": ["feelings"]},
        "repair": {"url_names": ["nowhere:index"], "apps": ["no_such_app", "accounts"]},
    }
    monkeypatch.setattr(links, "_links", lambda: fake)
    # A missing URL name falls back to the app's practice card; nothing at all gives None.
    assert links.practice_url("inner_world", bond) == reverse("feelings:index", args=[bond.pk])
    assert links.practice_url("repair", bond) is None
    assert links.practice_url("touch", bond) is None


# --- the safety screen's effect -----------------------------------------------------------------


def _steps() -> dict[str, recommend.Step]:
    return {s.id: s for steps in recommend.table().steps.values() for s in steps}


def test_positive_screen_swaps_suggestions_for_support(
    as_alice: Client, alice: User, bond: Bond
) -> None:
    entry = take(as_alice, bond, everything_low())
    before = text(as_alice.get(url("result", bond, entry.pk)))
    normal = recommend.recommend(entry.result, "partner", False, other_name="Bob")
    assert any(_steps()[r.step_id].asks_vulnerability for r in normal)
    assert "quick-exit" not in before
    assert safety.positive_message("partner")["title"] not in before

    screen(as_alice, bond, entry, hurt_physically="yes")
    after = text(as_alice.get(url("result", bond, entry.pk)))
    gentle = recommend.recommend(entry.result, "partner", True, other_name="Bob")
    assert gentle
    for rec in gentle:
        step = _steps()[rec.step_id]
        assert step.self_focused and not (step.asks_vulnerability or step.confronts)
        assert rec.step.replace("'", "&#x27;") in after
    for rec in normal:
        if not _steps()[rec.step_id].self_focused:
            assert rec.step.replace("'", "&#x27;").replace('"', "&quot;") not in after
    assert 'class="quick-exit"' in after
    message = safety.positive_message("partner", "Bob")
    assert message["title"] in after
    for paragraph in message["body"]:
        assert paragraph.replace("'", "&#x27;") in after
    # Alice's zone is Europe/Berlin: German services first, then the directories.
    german = helplines.helplines_for("DE")
    assert '<option value="DE" selected>' in after
    assert all(h.name in after for h in german)
    british = text(as_alice.get(url("result", bond, entry.pk) + "?country=uk"))
    assert "0808 2000 247" in british and '<option value="GB" selected>' in british


def test_country_for_zone() -> None:
    assert helplines.country_for_zone("Europe/Berlin") == "DE"
    assert helplines.country_for_zone("America/Toronto") == "CA"
    assert helplines.country_for_zone("America/New_York") == "US"
    assert helplines.country_for_zone("Australia/Perth") == "AU"
    assert helplines.country_for_zone("Europe/London") == "GB"
    assert helplines.country_for_zone("Asia/Tokyo") is None
    assert helplines.country_for_zone("") is None


def test_positive_viewer_sees_no_talk_it_through_in_the_comparison(
    as_alice: Client, as_bob: Client, bond: Bond
) -> None:
    mine = take(as_alice, bond, ideal())
    theirs = take(as_bob, bond, everything_low())
    as_alice.post(url("share", bond, mine.pk))
    as_bob.post(url("share", bond, theirs.pk))
    differ = scoring.explanations()["compare"]["differ"]["open_talk"].replace("'", "&#x27;")
    assert differ in text(as_alice.get(url("compare", bond)))
    screen(as_alice, bond, mine, controlled="yes")
    page = text(as_alice.get(url("compare", bond)))
    assert differ not in page and "Worth talking about" not in page
    assert "Where you see things differently" in page
    assert differ in text(as_bob.get(url("compare", bond)))


def _pages(client: Client, bond: Bond, own: CheckupResult) -> dict[str, str]:
    """Every page bob can open: each URL of the site whose parameters are the
    bond and his own result, so pages added by other practices count too."""
    from tests.test_url_access import ROUTES, _fill

    values = {"pk": bond.pk, "bond": bond.pk, "result": own.pk}
    paths = sorted(
        {_fill(r, values) for r in ROUTES if set(r.params) <= set(values)}
        | {url("safety", bond, own.pk)}
    )
    out = {}
    for path in paths:
        response = client.get(path)
        out[path] = f"{response.status_code} " + CSRF.sub(r"\1-", text(response))
    assert sum(page.startswith("200 ") for page in out.values()) >= 10
    return out


def test_bob_cannot_tell_that_alice_screened_positive(
    as_alice: Client, as_bob: Client, bob: User, bond: Bond
) -> None:
    with time_machine.travel(START, tick=False):
        hers = take(as_alice, bond, everything_low())
        as_alice.post(url("share", bond, hers.pk))
        his = take(as_bob, bond, answers_all(4))
        as_bob.post(url("share", bond, his.pk))
        # A first round settles what a visit itself changes ("shared" messages,
        # "new since you last looked"), so only alice's screen could change the next.
        _pages(as_bob, bond, his)
        before = _pages(as_bob, bond, his)
        export_before = export_for(bob) | {"exported_at": None}
        screen(as_alice, bond, hers, **dict.fromkeys(safety.question_ids(), "yes"))
        assert safety_positive(hers.author)
        after = _pages(as_bob, bond, his)
        export_after = export_for(bob) | {"exported_at": None}
    assert "Alice" in before[url("compare", bond)]
    for path, page in before.items():
        assert after[path] == page, f"bob's {path} changed"
    assert export_after == export_before
    assert not Notification.objects.filter(user=bob).exists()


# --- sharing and the comparison ----------------------------------------------------------------


def test_sharing_is_opt_in_and_private_results_never_reach_bob_or_charlie(
    as_alice: Client, as_bob: Client, as_charlie: Client, bond: Bond, charlie_bond: Bond
) -> None:
    entry = take(as_alice, bond, answers_all(2), note="PRIVATE-NOTE-alice")
    screen(as_alice, bond, entry, afraid="yes")
    for client in (as_bob, as_charlie):
        assert client.get(url("result", bond, entry.pk)).status_code == 404
        assert client.get(url("safety", bond, entry.pk)).status_code == 404
        assert client.post(url("share", bond, entry.pk)).status_code == 404
    for name in ("index", "take", "compare", "history"):
        assert as_charlie.get(url(name, bond)).status_code == 404
    bob_index = text(as_bob.get(url("index", bond)))
    assert "has shared" not in bob_index and "PRIVATE-NOTE" not in bob_index
    assert "Nothing has been shared yet" in text(as_bob.get(url("compare", bond)))

    response = as_alice.post(url("share", bond, entry.pk))
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.visibility == Visibility.SHARED
    assert "Alice has shared a result with you." in text(as_bob.get(url("index", bond)))
    compare = text(as_bob.get(url("compare", bond)))
    assert "Alice has shared a result" in compare and "PRIVATE-NOTE" not in compare
    # Sharing shows scores in the comparison; her page with answers stays hers.
    assert as_bob.get(url("result", bond, entry.pk)).status_code == 404
    assert as_charlie.get(url("compare", bond)).status_code == 404

    assert as_bob.post(url("unshare", bond, entry.pk)).status_code == 404
    as_alice.post(url("unshare", bond, entry.pk))
    entry.refresh_from_db()
    assert entry.visibility == Visibility.PRIVATE
    assert "has shared" not in text(as_bob.get(url("index", bond)))


def test_comparison_uses_the_two_latest_shared_results(
    alice: User, bob: User, as_alice: Client, as_bob: Client, bond: Bond
) -> None:
    old = result_at(bond, alice, answers_all(1), START)
    latest = result_at(bond, alice, ideal(), START + timedelta(days=1))
    newest_private = result_at(bond, alice, everything_low(), START + timedelta(days=2))
    bobs = result_at(bond, bob, ideal() | {"open_talk_1": 3, "open_talk_2": 3}, START)
    for entry in (old, latest, bobs):
        CheckupResult.objects.filter(pk=entry.pk).update(visibility=Visibility.SHARED)
    page = text(as_alice.get(url("compare", bond)))
    assert newest_private.visibility == Visibility.PRIVATE
    assert f"Your shared result from {latest.created_at:%-d %B %Y}" in page
    # open_talk: alice 100, bob (keyed 3, 3, 5) 66.67 → differ; everything else alike.
    differ = page[page.index('id="differ-title"') : page.index('id="alike-title"')]
    assert "Worth talking about" in differ
    assert differ.count('class="card pair"') == 1 and "Open and honest talk" in differ
    assert scoring.explanations()["compare"]["differ"]["open_talk"].replace("'", "&#x27;") in differ
    alike = page[page.index('id="alike-title"') :]
    assert alike.count('class="card pair"') == 9
    assert scoring.explanations()["compare"]["alike"]["quality"]["high"] in alike
    # Bob sees the same pair from his side.
    bob_page = text(as_bob.get(url("compare", bond)))
    assert "Alice" in bob_page and bob_page.count('class="card pair"') == 10


def test_just_me_is_for_reflection_only(as_charlie: Client, charlie_bond: Bond) -> None:
    page = text(as_charlie.get(url("take", charlie_bond)))
    assert "The person I&#x27;m thinking of" in page or "the person I&#x27;m thinking of" in page
    entry = take(as_charlie, charlie_bond, answers_all(3))
    result_page = text(as_charlie.get(url("result", charlie_bond, entry.pk)))
    assert "Share this result" not in result_page and 'id="share-title"' not in result_page
    assert as_charlie.post(url("share", charlie_bond, entry.pk)).status_code == 404
    assert as_charlie.get(url("compare", charlie_bond)).status_code == 404
    entry.refresh_from_db()
    assert entry.visibility == Visibility.PRIVATE
    assert "about the person you're thinking of" in text(as_charlie.get(url("index", charlie_bond)))


def test_an_ended_bond_keeps_results_read_only(alice: User, as_alice: Client, bond: Bond) -> None:
    entry = take(as_alice, bond, answers_all(3))
    as_alice.post(url("share", bond, entry.pk))
    bond.end(alice)
    assert as_alice.get(url("take", bond)).status_code == 404
    assert as_alice.post(url("take", bond), answers_all(3)).status_code == 404
    index = text(as_alice.get(url("index", bond)))
    assert url("take", bond) not in index and url("result", bond, entry.pk) in index
    assert as_alice.get(url("result", bond, entry.pk)).status_code == 200
    # Taking back a shared result still works; sharing anew does not.
    assert as_alice.post(url("unshare", bond, entry.pk)).status_code == 302
    assert as_alice.post(url("share", bond, entry.pk)).status_code == 404
    entry.refresh_from_db()
    assert entry.visibility == Visibility.PRIVATE


# --- history ----------------------------------------------------------------------------------------


def test_history_trend_and_table(alice: User, as_alice: Client, bond: Bond, bob: User) -> None:
    for days, value in ((0, 2), (28, 3), (56, 4)):
        result_at(bond, alice, answers_all(value), START + timedelta(days=days))
    result_at(bond, bob, ideal(), START)
    page = text(as_alice.get(url("history", bond)))
    assert page.count("<svg") == 1 + len(QUALITIES) + len(SIGNS)
    assert "Your 3 check-ups" in page
    # All 2 → each quality (keyed 2, 2, 4) = 41.7; all 3 → 50; all 4 → (4, 4, 2) = 58.3.
    table = page[page.index('id="trend-open_talk"') : page.index('id="trend-empathy"')]
    assert re.findall(r"<td>(\d+)</td>", table) == ["58", "50", "42"]
    assert "27 Apr 2026" in table and "2 Mar 2026" in table
    path = re.search(r'<path class="line" d="([^"]+)"', table).group(1)
    assert path.count("L") == 2
    # Bob's ideal result is not in alice's trend.
    assert "100</td>" not in page


def test_history_needs_the_same_queries_however_long(
    alice: User, as_alice: Client, bond: Bond, django_assert_max_num_queries
) -> None:
    result_at(bond, alice, answers_all(3), START)
    with django_assert_max_num_queries(8):
        assert as_alice.get(url("history", bond)).status_code == 200
    for n in range(40):
        result_at(bond, alice, answers_all(1 + n % 5), START + timedelta(days=n + 1))
    with django_assert_max_num_queries(8):
        page = text(as_alice.get(url("history", bond)))
    assert "Your 41 check-ups" in page


def test_index_needs_the_same_queries_however_long(
    alice: User, as_alice: Client, bond: Bond, django_assert_max_num_queries
) -> None:
    for n in range(30):
        result_at(bond, alice, answers_all(1 + n % 5), START + timedelta(days=n))
    with django_assert_max_num_queries(9):
        page = text(as_alice.get(url("index", bond)))
    assert page.count(f"/bonds/{bond.pk}/checkup/") >= 30


# --- versions ----------------------------------------------------------------------------------------


def _v2() -> dict:
    data = json.loads((scoring.DATA_DIR / "questionnaire-v1.json").read_text())
    data["version"] = 2
    # v2 drops a dimension, rewords and re-keys one item (so it gets a new id) and adds one.
    data["dimensions"] = [d for d in data["dimensions"] if d["id"] != "silence"]
    data["items"] = [i for i in data["items"] if i["dimension"] != "silence"]
    for item in data["items"]:
        if item["id"] == "open_talk_1":
            item.update(
                id="open_talk_1b", reverse=True, text="I hold back what I think around {my_other}."
            )
    data["items"].append(
        {
            "id": "empathy_4",
            "dimension": "empathy",
            "reverse": False,
            "text": "{My_other} is kind to me when I get things wrong.",
        }
    )
    return data


@pytest.fixture
def with_v2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for path in scoring.DATA_DIR.iterdir():
        if path.is_file():
            shutil.copy(path, tmp_path / path.name)
    (tmp_path / "questionnaire-v2.json").write_text(json.dumps(_v2()))
    monkeypatch.setattr(scoring, "DATA_DIR", tmp_path)
    return tmp_path


def test_a_new_version_never_touches_earlier_results(
    as_alice: Client, bond: Bond, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    with time_machine.travel(START, tick=False):
        v1 = take(as_alice, bond, answers_all(5))
    stored = dict(v1.scores)
    v1_wording = "I can tell Bob what I really think, even when it&#x27;s awkward."
    # Now v2 arrives.
    for path in scoring.DATA_DIR.iterdir():
        if path.is_file():
            shutil.copy(path, tmp_path / path.name)
    (tmp_path / "questionnaire-v2.json").write_text(json.dumps(_v2()))
    monkeypatch.setattr(scoring, "DATA_DIR", tmp_path)

    page = text(as_alice.get(url("result", bond, v1.pk)))
    assert v1_wording in page and "Silence over laughter" in page
    assert "I hold back what I think around Bob." not in page
    v1.refresh_from_db()
    assert v1.version == 1 and v1.scores == stored

    form = text(as_alice.get(url("take", bond)))
    assert 'name="version" value="2"' in form
    assert "I hold back what I think around Bob." in form and v1_wording not in form
    v2_answers = {i["id"]: 5 for i in _v2()["items"]}
    with time_machine.travel(START + timedelta(days=30), tick=False):
        v2 = take(as_alice, bond, v2_answers | {"version": 2})
    assert v2.version == 2 and "silence" not in v2.scores["signs"]
    # open_talk_1b is reverse-keyed in v2: keyed 1, 5, 1 → 33.33.
    assert v2.scores["qualities"]["open_talk"] == pytest.approx(100 / 3)
    # empathy in v2: keyed 5, 5, 1, 5 → 4 → 75.
    assert v2.scores["qualities"]["empathy"] == pytest.approx(75.0)
    v2_page = text(as_alice.get(url("result", bond, v2.pk)))
    assert "What changed since last time" in v2_page
    assert "Open and honest talk feels a lot weaker than last time." in v2_page
    history = text(as_alice.get(url("history", bond)))
    assert 'id="trend-silence"' in history and "not scored" in history

    # A form opened before v2 arrived is still scored as v1.
    old_form = take(as_alice, bond, answers_all(5))
    assert old_form.version == 1 and old_form.scores == stored


def test_changes_between_versions_cover_shared_dimensions(with_v2: Path) -> None:
    v1 = scoring.score(answers_all(3), 1)
    v2 = scoring.score({i["id"]: 3 for i in _v2()["items"]}, 2, with_v2)
    dims = {c.dimension for c in scoring.changes(v1, v2, with_v2)}
    assert "silence" not in dims and {"open_talk", "empathy", "overall"} <= dims


# --- the retake reminder ------------------------------------------------------------------------------


def test_retake_is_suggested_once_after_four_weeks(alice: User, bond: Bond) -> None:
    entry = result_at(bond, alice, answers_all(3), START)
    with time_machine.travel(START + timedelta(days=27, hours=23), tick=False):
        assert suggest_retake() is False
    with time_machine.travel(START + timedelta(days=28), tick=False):
        assert suggest_retake() is True
        assert suggest_retake() is False
    with time_machine.travel(START + timedelta(days=90), tick=False):
        assert suggest_retake() is False
    note = Notification.objects.get()
    assert (note.user, note.topic, note.title, note.bond) == (alice, "checkup", RETAKE_TITLE, bond)
    assert note.url == url("take", bond)
    entry.refresh_from_db()
    assert entry.retake_reminded_at == START + timedelta(days=28)


def test_no_retake_reminder_after_a_retake(alice: User, bob: User, bond: Bond) -> None:
    result_at(bond, alice, answers_all(3), START)
    result_at(bond, bob, answers_all(3), START)
    retake = result_at(bond, alice, answers_all(4), START + timedelta(days=20))
    with time_machine.travel(START + timedelta(days=30), tick=False):
        assert suggest_retake() is True  # bob's
        assert suggest_retake() is False
    assert list(Notification.objects.values_list("user__email", flat=True)) == ["bob@example.org"]
    with time_machine.travel(retake.created_at + timedelta(weeks=4), tick=False):
        assert suggest_retake() is True
    assert Notification.objects.filter(user=alice).count() == 1


def test_a_retake_that_races_the_reminder_still_prevents_it(alice: User, bond: Bond) -> None:
    first = result_at(bond, alice, answers_all(3), START)
    # As if the retake were stored without clearing the earlier reminder.
    CheckupResult.objects.create(
        bond=bond,
        author=alice,
        version=1,
        created_at=START + timedelta(days=27),
        scores=first.scores,
    )
    with time_machine.travel(START + timedelta(days=28), tick=False):
        assert suggest_retake() is True
    assert not Notification.objects.exists()


def test_no_retake_reminder_in_an_ended_bond(alice: User, bob: User, bond: Bond) -> None:
    result_at(bond, alice, answers_all(3), START)
    bond.end(bob)
    with time_machine.travel(START + timedelta(days=29), tick=False):
        assert suggest_retake() is True
        assert suggest_retake() is False
    assert not Notification.objects.exists()


def test_a_reminder_claimed_by_another_worker_is_not_sent_again(
    alice: User, bond: Bond, monkeypatch: pytest.MonkeyPatch
) -> None:
    entry = result_at(bond, alice, answers_all(3), START)
    with time_machine.travel(START + timedelta(days=28), tick=False):
        assert suggest_retake() is True
        # A second worker that read the row before the first one claimed it.
        monkeypatch.setattr(jobs, "_next_due", lambda now: entry.pk)
        assert suggest_retake() is True
    assert Notification.objects.count() == 1


# --- the alpha command -------------------------------------------------------------------------------


def _alpha(*args: str) -> str:
    out = StringIO()
    call_command("checkup_alpha", *args, stdout=out)
    return out.getvalue()


def test_alpha_command_says_when_there_are_too_few(alice: User, bond: Bond) -> None:
    assert "No check-up results on this server yet" in _alpha()
    result_at(bond, alice, answers_all(3), START)
    out = _alpha()
    assert "Too few results to say" in out and "at least 30" in out
    data = json.loads(_alpha("--json"))["versions"][0]
    assert data["too_few"] and data["results"] == 1
    assert all(d["alpha"] is None for d in data["dimensions"])


def test_alpha_command_matches_a_hand_computed_matrix(alice: User, bob: User, bond: Bond) -> None:
    # Keyed answers to the three open-talk items; α = 33/34 (see test_checkup_scoring).
    matrix = [[1, 2, 2], [2, 3, 3], [3, 3, 4], [4, 4, 5]]
    items = Q.items_of("open_talk")
    for n, row in enumerate(matrix):
        answers = answers_all(3)
        for item, keyed in zip(items, row, strict=True):
            answers[item.id] = 6 - keyed if item.reverse else keyed
        result_at(bond, alice if n % 2 else bob, answers, START + timedelta(days=n))
    data = json.loads(_alpha("--json", "--min-results", "4"))["versions"]
    assert len(data) == 1 and data[0]["version"] == 1 and not data[0]["too_few"]
    by_dim = {d["dimension"]: d for d in data[0]["dimensions"]}
    assert by_dim["open_talk"]["alpha"] == pytest.approx(33 / 34)
    assert (by_dim["open_talk"]["items"], by_dim["open_talk"]["complete"]) == (3, 4)
    assert by_dim["empathy"]["alpha"] is None  # every answer 3: nothing varies
    assert by_dim["life_demands"]["alpha"] is None and by_dim["life_demands"]["items"] == 1
    table = _alpha("--min-results", "4")
    assert re.search(r"Open and honest talk\s+3\s+4\s+0\.97", table)
    assert "– (one item)" in table and "– (answers do not vary)" in table


def test_alpha_command_on_a_latent_trait(alice: User, bond: Bond) -> None:
    rng = random.Random(7)
    rows = []
    for _ in range(120):
        traits = {d.id: rng.gauss(0, 1) for d in Q.dimensions}
        answers = {}
        for item in Q.items:
            value = min(5, max(1, round(3 + 1.2 * traits[item.dimension] + rng.gauss(0, 0.8))))
            answers[item.id] = 6 - value if item.reverse else value
        rows.append(answers)
    CheckupResult.objects.bulk_create(
        CheckupResult(
            bond=bond,
            author=alice,
            version=1,
            answers=a,
            scores=scoring.score(a, 1).to_dict(),
            created_at=START,
        )
        for a in rows
    )
    data = json.loads(_alpha("--json"))["versions"][0]
    expected = reliability.alpha_by_dimension(rows, 1)
    assert data["results"] == 120 and not data["too_few"]
    for d in data["dimensions"]:
        if d["group"] == "reason":
            assert d["alpha"] is None and expected[d["dimension"]] is None
        else:
            assert d["alpha"] == pytest.approx(expected[d["dimension"]])
            assert d["alpha"] > 0.6, d["dimension"]


# --- admin and export ------------------------------------------------------------------------------


def test_no_admin_lists_safety_data(as_alice: Client) -> None:
    """There is no admin site at all: nobody, however trusted, browses safety
    screens or what people wrote; owners use the tending command."""
    from django.apps import apps

    assert not apps.is_installed("django.contrib.admin")
    assert as_alice.get("/admin/").status_code == 404


def test_bobs_export_holds_nothing_private_of_alice(
    as_alice: Client, alice: User, bob: User, bond: Bond
) -> None:
    private = take(as_alice, bond, answers_all(2), note="PRIVATE-NOTE-alice")
    shared = take(as_alice, bond, answers_all(4), note="PRIVATE-NOTE-shared")
    as_alice.post(url("share", bond, shared.pk))
    screen(as_alice, bond, private, afraid="yes", controlled="no")
    bob_export = export_for(bob)
    blob = json.dumps(bob_export)
    assert "PRIVATE-NOTE" not in blob
    assert bob_export["safety_screens"] == []
    assert "afraid" not in blob and "controlled" not in blob
    theirs = [e for e in bob_export["entries"] if e["type"] == "checkup.checkupresult"]
    assert [e["id"] for e in theirs] == [shared.pk]
    assert theirs[0]["written_by"] == "the other member"
    assert "answers" not in theirs[0] and "note" not in theirs[0]
    assert theirs[0]["scores"] == shared.scores

    alice_export = export_for(alice)
    mine = {e["id"]: e for e in alice_export["entries"] if e["type"] == "checkup.checkupresult"}
    assert set(mine) == {private.pk, shared.pk}
    assert mine[private.pk]["note"] == "PRIVATE-NOTE-alice"
    assert mine[private.pk]["answers"] == answers_all(2)
    assert alice_export["safety_screens"][0]["positive"] is True
