"""Check-up content and maths: scoring, wording, versions, comparisons, changes,
recommendations, the safety screen, helplines and Cronbach's alpha.

Pure Python: nothing here touches the database.
"""

from __future__ import annotations

import json
import random
import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from tending.bonds import wording
from tending.bonds.models import Kind
from tending.checkup import recommend, reliability, scoring
from tending.checkup.scoring import Result
from tending.safety import helplines
from tending.safety import screen as safety

Q = scoring.load(1)
QUALITIES = Q.ids_of("quality")
SIGNS = Q.ids_of("sign")
REASONS = Q.ids_of("reason")
DATA = scoring.DATA_DIR


def answers_all(value: int) -> dict[str, int]:
    return {item.id: value for item in Q.items}


def ideal_answers() -> dict[str, int]:
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


def result_with(
    qualities: dict[str, float | None] | None = None,
    signs: dict[str, float | None] | None = None,
    reasons: tuple[str, ...] = (),
    version: int = 1,
) -> Result:
    q = dict.fromkeys(QUALITIES, 90.0) | (qualities or {})
    s = dict.fromkeys(SIGNS, 10.0) | (signs or {})
    return Result(version, q, s, reasons, scoring.overall_closeness(q, s), 29, 29)


# --- the questionnaire itself ------------------------------------------------


def test_questionnaire_shape():
    assert 28 <= len(Q.items) <= 32
    assert QUALITIES == (
        "open_talk",
        "empathy",
        "vulnerability",
        "inner_world",
        "connected_in_conflict",
    )
    assert SIGNS == (
        "transactional",
        "avoidance",
        "routine_affection",
        "silence",
        "lonely_together",
    )
    assert REASONS == ("life_demands", "assumptions", "unresolved_conflict", "little_quality_time")
    for d in QUALITIES:
        assert 2 <= len(Q.items_of(d)) <= 3
    for d in SIGNS:
        items = Q.items_of(d)
        assert len(items) == 2
        # Agreeing with one means the sign is there; agreeing with the other means it is not.
        assert sorted(i.reverse for i in items) == [False, True]
    assert sum(i.reverse for i in Q.items) >= 8
    assert [label for _, label in Q.scale] == [
        "Strongly disagree",
        "Disagree",
        "Neither agree nor disagree",
        "Agree",
        "Strongly agree",
    ]


def test_items_are_short_enough_for_a_phone():
    for kind in wording.KINDS:
        for item in Q.items:
            assert len(item.render(kind).split()) <= 20, item.id


@pytest.mark.parametrize("kind", wording.KINDS)
def test_every_item_renders_for_every_kind(kind):
    for item in Q.items:
        text = item.render(kind)
        assert "{" not in text and "}" not in text, (item.id, text)
        assert text[0].isupper(), text
        assert text.endswith("."), text
        assert "  " not in text
        assert not re.search(r"\bmy my\b|\bthe the\b", text, re.IGNORECASE)
    assert wording.intro(kind)


def test_rendering_names_the_other_person_per_kind():
    item = next(i for i in Q.items if i.id == "empathy_2")
    assert item.render("partner") == "My partner takes my worries seriously, even the small ones."
    assert item.render("sibling").startswith("My sibling takes")
    assert item.render("just_me").startswith("The person I'm thinking of takes")
    assert (
        item.render("friend", other_name="Sam")
        == "Sam takes my worries seriously, even the small ones."
    )


def test_per_kind_override_is_used_only_for_that_kind():
    item = next(i for i in Q.items if i.id == "affection_1")
    assert "kisses" in item.render("partner")
    for kind in ("friend", "sibling", "parent_child", "just_me"):
        assert "kisses" not in item.render(kind)


def test_unknown_kind_and_slot_are_refused():
    with pytest.raises(ValueError, match="bond kind"):
        Q.items[0].render("colleague")
    with pytest.raises(ValueError, match="slot"):
        wording.render("Hello {their_name}.", "partner")


def test_wording_knows_every_bond_kind():
    # lib cannot import bonds, so it spells the kinds out; this keeps the two in step.
    assert set(wording.KINDS) == set(Kind.values)


def test_every_scored_dimension_has_explanations():
    texts = scoring.explanations()["dimensions"]
    for version in scoring.available_versions():
        for d in scoring.load(version).dimensions:
            entry = texts[d.id]
            assert entry["group"] == d.group
            keys = ("chosen",) if d.group == "reason" else ("low", "middle", "high")
            for key in keys:
                assert entry[key].strip()
    for d in (*QUALITIES, *SIGNS):
        assert scoring.explanations()["compare"]["differ"][d].strip()


def test_explanations_do_not_label_or_predict():
    shown = {k: v for k, v in scoring.explanations().items() if not k.startswith("_")}
    blob = json.dumps(shown).lower()
    for word in ("divorce", "break up", "breakup", "toxic", "unhealthy", "doomed", "diagnos"):
        assert word not in blob, word


# --- scoring -------------------------------------------------------------------


def test_all_strongly_agree():
    r = scoring.score(answers_all(5), 1)
    # Each quality: keyed 5, 5, 1 → mean 11/3 → (11/3 − 1) / 4 × 100.
    for d in QUALITIES:
        assert r.qualities[d] == pytest.approx(200 / 3)
    # Each sign: keyed 5, 1 → mean 3 → 50.
    for d in SIGNS:
        assert r.signs[d] == pytest.approx(50.0)
    assert r.overall == pytest.approx((5 * 200 / 3 + 5 * 50) / 10)
    assert r.reasons_chosen == REASONS
    assert (r.answered, r.total_items, r.version) == (29, 29, 1)


def test_all_strongly_disagree():
    r = scoring.score(answers_all(1), 1)
    # Each quality: keyed 1, 1, 5 → mean 7/3 → 33.33.
    for d in QUALITIES:
        assert r.qualities[d] == pytest.approx(100 / 3)
    for d in SIGNS:
        assert r.signs[d] == pytest.approx(50.0)
    assert r.overall == pytest.approx((5 * 100 / 3 + 5 * 50) / 10)
    assert r.reasons_chosen == ()


def test_all_neutral():
    r = scoring.score(answers_all(3), 1)
    assert set(r.qualities.values()) == {50.0}
    assert set(r.signs.values()) == {50.0}
    assert r.overall == 50.0
    assert r.reasons_chosen == ()


def test_ideal_and_opposite_answers_reach_the_ends():
    best = scoring.score(ideal_answers(), 1)
    assert set(best.qualities.values()) == {100.0}
    assert set(best.signs.values()) == {0.0}
    assert best.overall == 100.0
    worst = scoring.score({k: 6 - v for k, v in ideal_answers().items()}, 1)
    assert set(worst.qualities.values()) == {0.0}
    assert set(worst.signs.values()) == {100.0}
    assert worst.overall == 0.0
    assert worst.reasons_chosen == REASONS


def test_mixed_answers_follow_the_formula():
    answers = ideal_answers() | {"open_talk_1": 4, "open_talk_2": 2, "open_talk_3": 2}
    answers |= {"silence_1": 4, "silence_2": 4}  # keyed 4 and 2 → mean 3
    r = scoring.score(answers, 1)
    # keyed 4, 2, 6 − 2 = 4 → mean 10/3 → (10/3 − 1) / 4 × 100
    assert r.qualities["open_talk"] == pytest.approx(175 / 3)
    assert r.signs["silence"] == pytest.approx(50.0)
    assert r.overall == pytest.approx((4 * 100 + 175 / 3 + 4 * 100 + 50) / 10)


def test_reason_is_chosen_from_agree_upwards():
    base = ideal_answers()
    for value, chosen in ((3, ()), (4, ("assumptions",)), (5, ("assumptions",))):
        r = scoring.score(base | {"assumptions_1": value}, 1)
        assert r.reasons_chosen == chosen


def test_missing_answers():
    r = scoring.score({"open_talk_1": 5}, 1)
    assert r.qualities["open_talk"] == 100.0
    assert all(r.qualities[d] is None for d in QUALITIES[1:])
    assert all(v is None for v in r.signs.values())
    assert r.overall is None
    assert r.answered == 1

    skipped = ideal_answers() | {"empathy_3": None}
    assert scoring.score(skipped, 1).qualities["empathy"] == 100.0
    assert scoring.score(skipped, 1).answered == 28

    # One whole dimension skipped: that dimension and the overall are None.
    without_silence = {k: v for k, v in ideal_answers().items() if not k.startswith("silence")}
    r = scoring.score(without_silence, 1)
    assert r.signs["silence"] is None
    assert r.overall is None
    assert scoring.score({}, 1).answered == 0


@pytest.mark.parametrize("bad", [0, 6, -1, 2.0, "3", True, 3.5])
def test_invalid_answer_values_raise(bad):
    with pytest.raises(ValueError, match="open_talk_1"):
        scoring.score({"open_talk_1": bad}, 1)


def test_unknown_item_and_version_raise():
    with pytest.raises(ValueError, match="unknown item"):
        scoring.score({"no_such_item": 3}, 1)
    with pytest.raises(ValueError, match="version"):
        scoring.score({}, 99)


def test_result_round_trips_through_json():
    r = scoring.score(answers_all(4), 1)
    assert Result.from_dict(json.loads(json.dumps(r.to_dict()))) == r


def test_bands():
    assert scoring.band(0) == "low"
    assert scoring.band(37.4) == "low"
    assert scoring.band(37.5) == "middle"
    assert scoring.band(62.5) == "middle"
    assert scoring.band(62.6) == "high"
    r = scoring.score(ideal_answers(), 1)
    assert (
        scoring.explain("open_talk", r.qualities["open_talk"])
        == (scoring.explanations()["dimensions"]["open_talk"]["high"])
    )
    assert (
        scoring.explain("silence", r.signs["silence"])
        == (scoring.explanations()["dimensions"]["silence"]["low"])
    )
    assert scoring.explain("silence", None) is None
    assert scoring.explain_overall(10.0) == scoring.explanations()["overall"]["low"]


# --- versions -------------------------------------------------------------------


def _fake_v2() -> dict:
    data = json.loads((DATA / "questionnaire-v1.json").read_text())
    data["version"] = 2
    # v2 drops a dimension, flips a key and adds a new dimension and item.
    data["dimensions"] = [d for d in data["dimensions"] if d["id"] != "silence"]
    data["dimensions"].append({"id": "play", "group": "sign", "label": "Little play"})
    data["items"] = [i for i in data["items"] if i["dimension"] != "silence"]
    for item in data["items"]:
        if item["id"] == "open_talk_1":
            item["id"] = "open_talk_1b"
            item["reverse"] = True
    data["items"].append(
        {"id": "play_1", "dimension": "play", "reverse": False, "text": "We rarely play."}
    )
    return data


@pytest.fixture
def data_dir_with_v2(tmp_path: Path) -> Path:
    for name in ("questionnaire-v1.json", "explanations.json"):
        shutil.copy(DATA / name, tmp_path / name)
    (tmp_path / "questionnaire-v2.json").write_text(json.dumps(_fake_v2()))
    return tmp_path


def test_adding_v2_leaves_v1_results_alone(data_dir_with_v2):
    assert scoring.current_version() == 2  # the shipped questionnaire-v2.json
    assert scoring.current_version(data_dir_with_v2) == 2
    for answers in (answers_all(5), answers_all(2), ideal_answers(), {"open_talk_1": 4}):
        assert scoring.score(answers, 1, data_dir_with_v2) == scoring.score(answers, 1)
    # The v1 item id does not exist in v2: v1 answers cannot be scored as v2 by mistake.
    with pytest.raises(ValueError, match="unknown item"):
        scoring.score(answers_all(5), 2, data_dir_with_v2)


def test_in_memory_questionnaire_is_scored_by_its_own_keys():
    v2 = scoring.parse(_fake_v2())
    answers = {i.id: 5 for i in v2.items}
    r = scoring.score_with(v2, answers)
    assert r.version == 2
    assert "silence" not in r.signs and "play" in r.signs
    # open_talk_1b is reverse-keyed in v2: keyed 1, 5, 1 → 7/3 → 33.33.
    assert r.qualities["open_talk"] == pytest.approx(100 / 3)
    assert scoring.score(answers_all(5), 1).qualities["open_talk"] == pytest.approx(200 / 3)


def test_parse_refuses_broken_questionnaires():
    good = _fake_v2()
    dup = json.loads(json.dumps(good))
    dup["items"].append(dict(dup["items"][0]))
    with pytest.raises(ValueError, match="duplicate item"):
        scoring.parse(dup)
    orphan = json.loads(json.dumps(good))
    orphan["items"][0]["dimension"] = "nowhere"
    with pytest.raises(ValueError, match="unknown dimension"):
        scoring.parse(orphan)
    bad_slot = json.loads(json.dumps(good))
    bad_slot["items"][0]["text"] = "I like {partner_name}."
    with pytest.raises(ValueError, match="slot"):
        scoring.parse(bad_slot)


def test_changes_across_versions_use_shared_dimensions_only(data_dir_with_v2):
    v1 = scoring.score(answers_all(3), 1)
    v2 = scoring.score_with(scoring.parse(_fake_v2()), {i["id"]: 3 for i in _fake_v2()["items"]})
    dims = {c.dimension for c in scoring.changes(v1, v2, data_dir_with_v2)}
    assert "silence" not in dims and "play" not in dims
    assert {"open_talk", "transactional", "overall"} <= dims
    compared = {c.dimension for c in scoring.compare(v1, v2)}
    assert compared == set(QUALITIES) | (set(SIGNS) - {"silence"})


# --- compare and changes ------------------------------------------------------------


def test_compare_alike_and_differ_at_the_threshold():
    a = result_with({"open_talk": 70.0, "empathy": 40.0}, {"silence": 80.0})
    b = result_with({"open_talk": 50.1, "empathy": 60.0}, {"silence": 80.0})
    by_dim = {c.dimension: c for c in scoring.compare(a, b)}
    assert by_dim["open_talk"].alike and by_dim["open_talk"].gap == pytest.approx(19.9)
    assert not by_dim["empathy"].alike and by_dim["empathy"].gap == pytest.approx(20.0)
    texts = scoring.explanations()["compare"]
    assert by_dim["empathy"].text == texts["differ"]["empathy"]
    assert "worth" in by_dim["empathy"].text.lower()
    assert by_dim["silence"].text == texts["alike"]["sign"]["high"]
    assert by_dim["inner_world"].text == texts["alike"]["quality"]["high"]
    assert len(by_dim) == 10


def test_compare_skips_dimensions_either_person_left_out():
    a = result_with({"vulnerability": None})
    b = result_with(signs={"avoidance": None})
    dims = {c.dimension for c in scoring.compare(a, b)}
    assert "vulnerability" not in dims and "avoidance" not in dims
    assert len(dims) == 8


def test_changes_direction_and_size():
    before = result_with(
        {"open_talk": 50.0, "empathy": 50.0, "vulnerability": 50.0, "inner_world": 50.0},
        {"silence": 70.0, "transactional": 40.0},
    )
    after = result_with(
        {"open_talk": 54.9, "empathy": 60.0, "vulnerability": 30.0, "inner_world": 90.0},
        {"silence": 40.0, "transactional": 46.0},
    )
    by_dim = {c.dimension: c for c in scoring.changes(before, after)}
    assert (by_dim["open_talk"].direction, by_dim["open_talk"].size) == ("steady", "none")
    assert (by_dim["empathy"].direction, by_dim["empathy"].size) == ("up", "small")
    assert (by_dim["vulnerability"].direction, by_dim["vulnerability"].size) == ("down", "moderate")
    assert (by_dim["inner_world"].direction, by_dim["inner_world"].size) == ("up", "large")
    assert by_dim["inner_world"].delta == pytest.approx(40.0)
    assert (by_dim["silence"].direction, by_dim["silence"].size) == ("down", "large")
    assert by_dim["silence"].text == "Silence over laughter shows up a lot less than last time."
    assert (
        by_dim["transactional"].text == "Transactional talk shows up a little more than last time."
    )
    assert by_dim["empathy"].text == "Empathy and support feels a little stronger than last time."
    assert by_dim["open_talk"].text == "Open and honest talk is about the same as last time."
    assert by_dim["overall"].group == "overall"
    assert by_dim["overall"].delta == pytest.approx(after.overall - before.overall)


def test_changes_leave_out_unscored_dimensions_and_overall():
    before = result_with({"empathy": None})
    after = result_with()
    dims = {c.dimension for c in scoring.changes(before, after)}
    assert "empathy" not in dims
    assert "overall" not in dims  # the earlier overall was None
    assert len(dims) == 9


# --- recommendations ------------------------------------------------------------------


TABLE = recommend.table()


def test_recommendation_table_covers_every_dimension():
    # Results of every version are recommended from, so the table covers them all.
    every = [scoring.load(v) for v in scoring.available_versions()]
    assert set(TABLE.triggers["qualities"]) == {d for q in every for d in q.ids_of("quality")}
    assert set(TABLE.triggers["signs"]) == {d for q in every for d in q.ids_of("sign")}
    assert set(TABLE.triggers["reasons"]) == {d for q in every for d in q.ids_of("reason")}
    assert set(QUALITIES) <= set(TABLE.triggers["qualities"])


@pytest.mark.parametrize(
    ("quality", "practice"),
    [
        ("open_talk", "conversation"),
        ("empathy", "conversation"),
        ("vulnerability", "inner_world"),
        ("inner_world", "curiosity"),
        ("connected_in_conflict", "repair"),
    ],
)
def test_each_weakest_quality_leads_to_its_practice(quality, practice):
    weights = TABLE.triggers["qualities"][quality]
    assert max(weights, key=weights.get) == practice
    recs = recommend.recommend(result_with({quality: 20.0}), "partner", False)
    assert recs[0].practice == practice
    assert recs[0].because[0] == quality
    assert recs[0].step


def test_signs_and_reasons_add_up():
    r = result_with(
        {"connected_in_conflict": 30.0},
        {"routine_affection": 62.6, "silence": 62.5},
        reasons=("unresolved_conflict",),
    )
    recs = recommend.recommend(r, "partner", False, limit=6)
    by_practice = {rec.practice: rec for rec in recs}
    # repair: 3 (weakest quality) + 2 (reason); touch: 2 (sign just above the cut);
    # silence, exactly at the cut, is not present.
    assert recs[0].practice == "repair"
    assert by_practice["repair"].weight == 5
    assert by_practice["repair"].because == ("connected_in_conflict", "unresolved_conflict")
    assert by_practice["touch"].weight == 2
    assert all("silence" not in rec.because for rec in recs)


def test_only_two_weakest_qualities_count_and_strong_ones_never():
    r = result_with({"open_talk": 10.0, "empathy": 20.0, "inner_world": 30.0})
    assert recommend.weakest_qualities(r, TABLE) == ["open_talk", "empathy"]
    assert recommend.weakest_qualities(result_with(), TABLE) == []
    tie = result_with({"inner_world": 40.0, "vulnerability": 40.0})
    assert recommend.weakest_qualities(tie, TABLE) == ["vulnerability", "inner_world"]


def test_when_nothing_stands_out_gentle_defaults():
    recs = recommend.recommend(result_with(), "friend", False)
    assert [r.practice for r in recs] == list(TABLE.when_nothing_stands_out)
    assert all(r.because == () for r in recs)


def _everything_low() -> Result:
    return result_with(dict.fromkeys(QUALITIES, 10.0), dict.fromkeys(SIGNS, 90.0), reasons=REASONS)


@pytest.mark.parametrize("kind", wording.KINDS)
def test_safety_positive_removes_every_confronting_or_vulnerable_step(kind):
    steps = {s.id: s for steps in TABLE.steps.values() for s in steps}
    assert any(s.asks_vulnerability for s in steps.values())
    assert any(s.confronts for s in steps.values())
    normal = recommend.recommend(_everything_low(), kind, False, limit=6)
    safe = recommend.recommend(_everything_low(), kind, True, limit=6)
    assert safe, "a positive screen still gets gentle suggestions"
    for rec in safe:
        step = steps[rec.step_id]
        assert step.self_focused
        assert not step.asks_vulnerability and not step.confronts
        assert rec.practice != "touch"
    assert {r.step_id for r in safe}.isdisjoint(
        {r.step_id for r in normal if not steps[r.step_id].self_focused}
    )
    only_touch = result_with(signs={"routine_affection": 100.0})
    assert all(r.practice != "touch" for r in recommend.recommend(only_touch, kind, True))
    assert recommend.recommend(only_touch, kind, True)


def test_every_practice_has_a_gentle_step_for_every_kind():
    for practice, steps in TABLE.steps.items():
        for kind in wording.KINDS:
            if practice == "touch":
                continue
            assert any(s.fits(kind, True) for s in steps), (practice, kind)
            assert any(s.fits(kind, False) and not s.self_focused for s in steps), (practice, kind)


def test_touch_never_for_just_me_and_non_intimate_beyond_partners():
    touchy = result_with(signs={"routine_affection": 100.0}, reasons=("little_quality_time",))
    for kind in wording.KINDS:
        recs = recommend.recommend(touchy, kind, False, limit=6)
        touch = [r for r in recs if r.practice == "touch"]
        if kind == "just_me":
            assert touch == []
            continue
        assert len(touch) == 1
        expected = "affectionate" if kind == "partner" else "non_intimate"
        assert touch[0].touch == expected
    for step in TABLE.steps["touch"]:
        assert "just_me" not in step.kinds
        assert step.touch in ("affectionate", "non_intimate")
        if step.touch == "affectionate":
            assert step.kinds == {"partner"}


def test_recommendation_steps_render_for_every_kind_and_name():
    for kind in wording.KINDS:
        for rec in recommend.recommend(_everything_low(), kind, False, limit=6):
            assert "{" not in rec.step
    recs = recommend.recommend(result_with({"open_talk": 0.0}), "sibling", False, other_name="Ada")
    assert "Ada" in recs[0].step


# --- safety screen ------------------------------------------------------------------


def test_safety_screen_any_yes_is_positive():
    ids = safety.question_ids()
    assert 4 <= len(ids) <= 5
    assert not safety.screen_positive({})
    assert not safety.screen_positive(dict.fromkeys(ids, "no"))
    assert not safety.screen_positive(dict.fromkeys(ids, "prefer_not_to_say"))
    assert not safety.screen_positive(dict.fromkeys(ids))
    for qid in ids:
        answers = dict.fromkeys(ids, "no") | {qid: "yes"}
        assert safety.screen_positive(answers)
    assert safety.screen_positive({ids[0]: "yes", ids[1]: "prefer_not_to_say"})


def test_safety_screen_refuses_bad_input():
    with pytest.raises(ValueError, match="unknown safety question"):
        safety.screen_positive({"nope": "yes"})
    with pytest.raises(ValueError, match="must be one of"):
        safety.screen_positive({safety.question_ids()[0]: "maybe"})


@pytest.mark.parametrize("kind", wording.KINDS)
def test_safety_texts_render(kind):
    for _, text in safety.questions(kind):
        assert "{" not in text and text.endswith("?")
    body = " ".join(safety.positive_message(kind)["body"])
    assert "{" not in body
    assert "couples" in body.lower() and "not advised" in body.lower()
    assert "confront" not in body.lower()
    assert "not a test" in safety.not_clinical() and "clinical" in safety.not_clinical()
    assert "{" not in safety.intro(kind, "Sam")


def test_safety_questions_cover_fear_control_threats_and_harm():
    text = " ".join(t for _, t in safety.questions("partner")).lower()
    for word in ("afraid", "money", "phone", "who you can see", "threatened", "hurt"):
        assert word in text


# --- helplines --------------------------------------------------------------------------


def _all_helplines() -> list[helplines.Helpline]:
    return [h for code in helplines.countries() for h in helplines.helplines_for(code)]


def test_required_countries_are_present():
    assert {"US", "GB", "CA", "AU", "DE"} <= set(helplines.countries())
    assert helplines.international()


def test_every_helpline_entry_has_the_required_fields():
    raw = json.loads((helplines.DATA_DIR / "helplines.json").read_text())
    entries = [e for c in raw["countries"].values() for e in c["services"]] + raw["international"]
    required = {
        "name",
        "helps_with",
        "phone",
        "text",
        "website",
        "hours",
        "last_verified",
        "source",
    }
    for e in entries:
        assert required <= set(e), e["name"]
        assert e["name"].strip()
        assert e["helps_with"] and set(e["helps_with"]) <= helplines.HELPS_WITH
        assert e["phone"] or e["website"], e["name"]
        if e["website"]:
            assert e["website"].startswith("https://"), e["name"]
        if e["last_verified"] is None:
            assert e.get("note") == "not verified"
        else:
            verified = date.fromisoformat(e["last_verified"])
            assert date(2020, 1, 1) <= verified <= date.today()
            assert e["source"].startswith(("http://", "https://"))


def test_every_country_has_emergency_and_abuse_support():
    for code in helplines.countries():
        local = [h for h in helplines.helplines_for(code) if h.country == code]
        assert any("emergency" in h.helps_with for h in local), code
        assert any("domestic_abuse" in h.helps_with for h in local), code


def test_helplines_for_adds_the_international_directory():
    intl = helplines.international()
    uk = helplines.helplines_for("gb")
    assert uk[-len(intl) :] == intl
    assert any(h.phone == "0808 2000 247" for h in uk)
    assert helplines.helplines_for("UK") == uk
    assert helplines.helplines_for("JP") == intl  # a country the file does not cover
    assert helplines.helplines_for(None) == intl
    assert all(isinstance(h.last_verified, date | None) for h in _all_helplines())


# --- Cronbach's alpha ------------------------------------------------------------------------


def test_alpha_hand_computed():
    matrix = [[1, 2, 2], [2, 3, 3], [3, 3, 4], [4, 4, 5]]
    # Item variances (n − 1): 5/3, 2/3, 5/3 → sum 4.
    # Totals 5, 8, 10, 13 → mean 9, squared deviations 16 + 1 + 1 + 16 = 34 → variance 34/3.
    # α = 3/2 · (1 − 4 / (34/3)) = 3/2 · 22/34 = 33/34.
    assert reliability.cronbach_alpha(matrix) == pytest.approx(33 / 34)


def test_alpha_perfectly_parallel_items_is_one():
    rng = random.Random(1)
    column = [rng.randint(1, 5) for _ in range(50)]
    assert reliability.cronbach_alpha([[v, v, v, v] for v in column]) == pytest.approx(1.0)


def test_alpha_independent_items_is_near_zero():
    rng = random.Random(2)
    matrix = [[rng.gauss(0, 1) for _ in range(5)] for _ in range(2000)]
    assert reliability.cronbach_alpha(matrix) == pytest.approx(0.0, abs=0.1)


def test_alpha_matches_spearman_brown_for_a_latent_trait():
    # x = T + e with var(T) = 1 and var(e) = 1.5: each item's reliability ρ = 1 / 2.5 = 0.4.
    # For k = 6 parallel items Spearman–Brown gives α = kρ / (1 + (k − 1)ρ) = 2.4 / 3 = 0.8.
    rng = random.Random(3)
    k, rho = 6, 0.4
    noise = (1 / rho - 1) ** 0.5
    matrix = []
    for _ in range(3000):
        trait = rng.gauss(0, 1)
        matrix.append([trait + rng.gauss(0, noise) for _ in range(k)])
    expected = k * rho / (1 + (k - 1) * rho)
    assert expected == pytest.approx(0.8)
    assert reliability.cronbach_alpha(matrix) == pytest.approx(expected, abs=0.03)


def test_alpha_undefined_cases():
    assert reliability.cronbach_alpha([]) is None
    assert reliability.cronbach_alpha([[1, 2, 3]]) is None
    assert reliability.cronbach_alpha([[1], [2], [3]]) is None
    assert reliability.cronbach_alpha([[3, 3], [3, 3], [3, 3]]) is None
    with pytest.raises(ValueError):
        reliability.cronbach_alpha([[1, 2], [1]])


def _simulated_answers(n: int, seed: int) -> list[dict[str, int]]:
    """People with one latent trait per dimension, answering 1..5 with reverse items flipped."""
    rng = random.Random(seed)
    people = []
    for _ in range(n):
        traits = {d.id: rng.gauss(0, 1) for d in Q.dimensions}
        answers = {}
        for item in Q.items:
            raw = 3 + 1.2 * traits[item.dimension] + rng.gauss(0, 0.8)
            value = min(5, max(1, round(raw)))
            answers[item.id] = 6 - value if item.reverse else value
        people.append(answers)
    return people


def test_alpha_by_dimension_applies_reverse_keys():
    people = _simulated_answers(400, seed=4)
    alphas = reliability.alpha_by_dimension(people, 1)
    for d in (*QUALITIES, *SIGNS):
        assert alphas[d] is not None and alphas[d] > 0.6, d
    for d in REASONS:
        assert alphas[d] is None  # one item each
    # Without reverse keys the same data looks inconsistent: proof the keys were applied.
    unkeyed = [[float(p[i.id]) for i in Q.items_of("open_talk")] for p in people]
    assert reliability.cronbach_alpha(unkeyed) < 0.3


def test_alpha_by_dimension_uses_complete_answers_only():
    people = _simulated_answers(60, seed=5)
    for p in people[:55]:
        p.pop("empathy_1")
    alphas = reliability.alpha_by_dimension(people, 1)
    complete = [
        [float(scoring.keyed(i, p[i.id])) for i in Q.items_of("empathy")] for p in people[55:]
    ]
    assert alphas["empathy"] == pytest.approx(reliability.cronbach_alpha(complete))
    with pytest.raises(ValueError):
        reliability.alpha_by_dimension([{"open_talk_1": 9}], 1)
