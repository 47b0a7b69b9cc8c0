"""Schema and wording checks for the content data files of feelings, repair, rituals, solo
and safety's notices."""

import json
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).parent.parent / "tending"
EMOTIONS = ROOT / "feelings" / "data" / "emotions.json"
PHRASES = ROOT / "repair" / "data" / "phrases.json"
TEMPLATES = ROOT / "rituals" / "data" / "templates.json"
TOUCH = ROOT / "rituals" / "data" / "touch.json"
SOLO = ROOT / "solo" / "data" / "path.json"
NOTICES = ROOT / "safety" / "data" / "notices.json"
ALL_FILES = [EMOTIONS, PHRASES, TEMPLATES, TOUCH, SOLO, NOTICES]

SLUG = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")
HHMM = re.compile(r"^(?:[01]\d|2[0-3]):[0-5]\d$")
PAIR_BONDS = {"partner", "friend", "sibling", "parent_child"}
ALL_BONDS = PAIR_BONDS | {"just_me"}
REPAIR_CATEGORIES = ["apologising", "softening", "starting_over", "wanting_to_understand"]
REQUIRED_RITUALS = {
    "morning-coffee-talk",
    "evening-walk-no-phones",
    "leave-a-note",
    "proper-hello-goodbye",
    "weekly-time-together",
}
SOLO_STEPS = [
    "lead-with-vulnerability",
    "patient-and-clear",
    "grow-yourself",
    "invite-without-pressure",
    "consider-counselling",
]
BLAMING = ("you always", "you never", "your fault", " but ")
FIRST_PERSON = re.compile(r"\b(i|i'm|i'd|i've|i'll|me|my|we|we'll|we're|us|our|let's)\b")
# Whole-word stems; a match anywhere in a touch idea or its consent note fails the test.
SEXUAL = re.compile(
    r"\b(sex\w*|sensual\w*|erotic\w*|naked|nude|undress\w*|lingerie|arous\w*|foreplay|"
    r"orgasm\w*|breasts?|groin|thighs?|buttocks?|bum|lap|caress\w*|grop\w*|fondl\w*|lick\w*|"
    r"lips|moan\w*|seduc\w*|bedroom|in bed|make out|making out|turned on|turn(?:s)? (?:them|you) on)\b"
)
# Fine between partners, out of place for a friend or sibling.
ROMANTIC = ("kiss", "slow dance", "cuddl", "stroking", "thumb", "face", "pocket", "feet")
PRESSURE = (
    "must",
    "have to",
    "should",
    "need you to",
    "if you don't",
    "if you do not",
    "or else",
    "last chance",
    "ultimatum",
    "you owe",
)
# An invitation leaves room for a no: it asks, or it says any answer is welcome.
OPEN_ENDED = ("?", "if you", "whenever", "no pressure", "fine if")
SHAMING = ("you never", "you always", "your fault", "ultimatum", "make them", "guilt")


def _load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def emotions() -> dict[str, Any]:
    return _load(EMOTIONS)


@pytest.fixture(scope="module")
def repair() -> dict[str, Any]:
    return _load(PHRASES)


@pytest.fixture(scope="module")
def notices() -> dict[str, Any]:
    return _load(NOTICES)


@pytest.fixture(scope="module")
def templates() -> list[dict[str, Any]]:
    return _load(TEMPLATES)["templates"]


@pytest.fixture(scope="module")
def touch() -> dict[str, Any]:
    return _load(TOUCH)


@pytest.fixture(scope="module")
def solo() -> dict[str, Any]:
    return _load(SOLO)


def _strings(node: Any) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)


def _assert_unique_slugs(items: list[dict[str, Any]]) -> None:
    ids = [item["id"] for item in items]
    bad = [i for i in ids if not isinstance(i, str) or not SLUG.match(i)]
    assert not bad, f"ids not slug-shaped: {bad}"
    duplicates = [i for i, n in Counter(ids).items() if n > 1]
    assert not duplicates, f"duplicate ids: {duplicates}"


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s]


def _relative_luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def _contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio between two #rrggbb colours, from 1 to 21."""
    light, dark = sorted((_relative_luminance(a), _relative_luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


# --- every file -------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ALL_FILES, ids=lambda p: p.name)
def test_file_is_versioned_json_with_tidy_strings(path: Path) -> None:
    data = _load(path)
    assert data["version"] == 1
    for text in _strings(data):
        assert text, f"empty string in {path.name}"
        assert text == text.strip(), f"stray whitespace in {path.name}: {text!r}"
        assert "  " not in text, f"double space in {path.name}: {text!r}"
        assert "TODO" not in text
        # One apostrophe style throughout, so search and the coach see the same text.
        assert "\u2019" not in text, f"curly apostrophe in {path.name}: {text!r}"


@pytest.mark.parametrize("path", ALL_FILES, ids=lambda p: p.name)
def test_each_data_folder_has_a_readme(path: Path) -> None:
    readme = path.parent / "README.md"
    assert readme.is_file()
    assert path.name in readme.read_text(encoding="utf-8")


# --- feelings ---------------------------------------------------------------------------------


def test_emotion_families_schema(emotions: dict[str, Any]) -> None:
    families = emotions["families"]
    assert 6 <= len(families) <= 8
    _assert_unique_slugs(families)
    for family in families:
        assert set(family) == {"id", "name", "description", "colour"}
        assert HEX.match(family["colour"]), family
        assert "\n" not in family["description"]
        assert len(family["description"]) <= 110
    assert len({f["name"].lower() for f in families}) == len(families)


def test_family_colours_read_on_light_and_dark(emotions: dict[str, Any]) -> None:
    for family in emotions["families"]:
        on_light = _contrast(family["colour"], "#FFFFFF")
        on_dark = _contrast(family["colour"], "#121212")
        assert on_light >= 3, f"{family['id']} too pale on white: {on_light:.2f}"
        assert on_dark >= 3, f"{family['id']} too dark on dark: {on_dark:.2f}"


def test_emotion_words_schema(emotions: dict[str, Any]) -> None:
    family_ids = {f["id"] for f in emotions["families"]}
    words = emotions["words"]
    _assert_unique_slugs(words)
    for word in words:
        assert set(word) == {"id", "word", "family", "definition", "energy", "pleasant"}
        assert word["family"] in family_ids, word
        assert word["energy"] in {"low", "medium", "high"}, word
        assert word["pleasant"] in {"pleasant", "unpleasant", "mixed"}, word
        assert word["word"] == word["word"].lower(), word
    spelled = Counter(w["word"] for w in words)
    assert not [w for w, n in spelled.items() if n > 1]


def test_emotion_ids_follow_their_words(emotions: dict[str, Any]) -> None:
    for word in emotions["words"]:
        assert word["id"] == re.sub(r"[^a-z0-9]+", "-", word["word"]).strip("-"), word


def test_emotion_definitions_are_short_single_lines(emotions: dict[str, Any]) -> None:
    for word in emotions["words"]:
        definition = word["definition"]
        assert len(definition) <= 110, word
        assert definition == definition.rstrip(), word
        assert "\n" not in definition
        assert definition[0].isupper() and definition.endswith("."), word


def test_emotion_definitions_do_not_use_their_own_word(emotions: dict[str, Any]) -> None:
    for word in emotions["words"]:
        pattern = rf"\b{re.escape(word['word'])}\b"
        assert not re.search(pattern, word["definition"].lower()), word


def test_emotion_counts(emotions: dict[str, Any]) -> None:
    words = emotions["words"]
    assert len(words) >= 130
    per_family = Counter(w["family"] for w in words)
    for family in emotions["families"]:
        assert per_family[family["id"]] >= 8, family["id"]
    assert sum(w["energy"] == "low" for w in words) >= 15
    assert sum(w["pleasant"] == "mixed" for w in words) >= 8


def test_emotion_vocabulary_includes_quiet_and_mixed_states(emotions: dict[str, Any]) -> None:
    by_word = {w["word"]: w for w in emotions["words"]}
    for quiet in ("depleted", "flat", "wistful"):
        assert by_word[quiet]["energy"] == "low"
    assert by_word["bittersweet"]["pleasant"] == "mixed"
    assert by_word["relieved but tired"]["pleasant"] == "mixed"


def test_emotion_prompts(emotions: dict[str, Any]) -> None:
    prompts = emotions["prompts"]
    assert 10 <= len(prompts) <= 15
    _assert_unique_slugs(prompts)
    for prompt in prompts:
        assert set(prompt) == {"id", "text"}
        assert "?" in prompt["text"]
        assert len(prompt["text"]) <= 100
    assert len({p["text"] for p in prompts}) == len(prompts)


def test_intensity_labels_cover_one_to_five(emotions: dict[str, Any]) -> None:
    intensity = emotions["intensity"]
    assert [i["level"] for i in intensity] == [1, 2, 3, 4, 5]
    labels = [i["label"] for i in intensity]
    assert all(labels) and len(set(labels)) == 5


# --- repair -----------------------------------------------------------------------------------


def test_repair_categories(repair: dict[str, Any]) -> None:
    assert [c["id"] for c in repair["categories"]] == REPAIR_CATEGORIES
    for category in repair["categories"]:
        assert set(category) == {"id", "name", "description"}


def test_repair_phrases_schema(repair: dict[str, Any]) -> None:
    phrases = repair["phrases"]
    _assert_unique_slugs(phrases)
    for phrase in phrases:
        assert set(phrase) == {"id", "category", "text", "bonds"}
        assert phrase["category"] in REPAIR_CATEGORIES, phrase
        assert phrase["bonds"], phrase
        assert set(phrase["bonds"]) <= PAIR_BONDS, phrase
        assert len(set(phrase["bonds"])) == len(phrase["bonds"]), phrase
    texts = Counter(p["text"].lower() for p in phrases)
    assert not [t for t, n in texts.items() if n > 1]


def test_at_least_twelve_phrases_per_category(repair: dict[str, Any]) -> None:
    per_category = Counter(p["category"] for p in repair["phrases"])
    for category in REPAIR_CATEGORIES:
        assert per_category[category] >= 12, category


def test_every_bond_has_enough_phrases_in_each_category(repair: dict[str, Any]) -> None:
    for bond in PAIR_BONDS:
        for category in REPAIR_CATEGORIES:
            count = sum(
                1 for p in repair["phrases"] if p["category"] == category and bond in p["bonds"]
            )
            assert count >= 8, (bond, category, count)


def test_repair_phrases_carry_no_blame(repair: dict[str, Any]) -> None:
    for phrase in repair["phrases"]:
        padded = f" {phrase['text'].lower()} "
        for pattern in BLAMING:
            assert pattern not in padded, phrase
        assert not re.search(r"\b(always|never)\b", padded), phrase


def test_repair_phrases_are_short_and_speak_from_i_or_we(repair: dict[str, Any]) -> None:
    for phrase in repair["phrases"]:
        assert len(phrase["text"]) <= 100, phrase
        assert FIRST_PERSON.search(phrase["text"].lower()), phrase


def test_conflict_topics(repair: dict[str, Any]) -> None:
    topics = repair["topics"]
    assert 12 <= len(topics) <= 16
    _assert_unique_slugs(topics)
    assert all(set(t) == {"id", "label"} for t in topics)
    assert len({t["label"] for t in topics}) == len(topics)
    for expected in ("chores", "money", "time-together", "family", "phones"):
        assert expected in {t["id"] for t in topics}


def test_flooding_suggests_a_long_enough_break_and_a_way_back(repair: dict[str, Any]) -> None:
    flooding = repair["flooding"]
    assert flooding["break_minutes"] >= 20
    assert "twenty minutes" in flooding["taking_a_break"]
    assert len(flooding["meanwhile"]) >= 4
    assert flooding["coming_back"] and flooding["say_before_pausing"]
    for line in flooding["say_before_pausing"]:
        assert "come back" in line or "again" in line, line
    assert "Gottman" in flooding["source"]


def test_owning_my_part_prompts(repair: dict[str, Any]) -> None:
    prompts = repair["owning_my_part"]["prompts"]
    assert 8 <= len(prompts) <= 10
    _assert_unique_slugs(prompts)
    for prompt in prompts:
        assert "?" in prompt["text"], prompt
        assert not re.search(r"\b(my fault|blame myself|stupid|idiot)\b", prompt["text"].lower())


@pytest.mark.parametrize("bond", ["partner", "other_bonds"])
def test_counselling_guidance(repair: dict[str, Any], bond: str) -> None:
    guidance = repair["counselling"][bond]
    assert set(guidance) == {
        "title",
        "intro",
        "when_it_helps",
        "what_to_look_for",
        "bringing_it_up",
    }
    assert len(guidance["when_it_helps"]) >= 3
    looking = " ".join(guidance["what_to_look_for"]).lower()
    for practical in ("training", "cost", "online", "safe"):
        assert practical in looking, (bond, practical)
    assert guidance["bringing_it_up"]["tips"]
    for example in guidance["bringing_it_up"]["examples"]:
        padded = f" {example.lower()} "
        assert "?" in example
        assert not any(p in padded for p in PRESSURE + BLAMING), example


def test_counselling_puts_safety_first(notices: dict[str, Any]) -> None:
    safety = notices["safety_note"].lower()
    assert "afraid" in safety or "fear" in safety
    assert "control" in safety
    assert "hurt" in safety or "violen" in safety
    assert "individual support comes first" in safety
    assert "not therapy" in notices["not_therapy"].lower()


# --- rituals ----------------------------------------------------------------------------------


def test_ritual_templates_schema(templates: list[dict[str, Any]]) -> None:
    _assert_unique_slugs(templates)
    assert len({t["name"] for t in templates}) == len(templates)
    for template in templates:
        assert set(template) == {"id", "name", "description", "days", "time", "minutes", "bonds"}
        assert 1 <= len(_sentences(template["description"])) <= 2, template["id"]
        days = template["days"]
        assert days and days == sorted(set(days)), template["id"]
        assert all(type(d) is int and 0 <= d <= 6 for d in days), template["id"]
        assert HHMM.match(template["time"]), template["id"]
        assert type(template["minutes"]) is int and 1 <= template["minutes"] <= 240
        assert template["bonds"] and set(template["bonds"]) <= ALL_BONDS, template["id"]


def test_named_rituals_exist_alongside_six_to_ten_more(templates: list[dict[str, Any]]) -> None:
    ids = {t["id"] for t in templates}
    assert ids >= REQUIRED_RITUALS
    assert 6 <= len(ids - REQUIRED_RITUALS) <= 30
    by_id = {t["id"]: t for t in templates}
    assert by_id["morning-coffee-talk"]["minutes"] == 10
    assert "phone" in by_id["evening-walk-no-phones"]["description"].lower()
    assert by_id["weekly-time-together"]["days"] and len(by_id["weekly-time-together"]["days"]) == 1


def test_every_bond_kind_has_rituals(templates: list[dict[str, Any]]) -> None:
    per_bond = Counter(b for t in templates for b in t["bonds"])
    for bond in ALL_BONDS:
        assert per_bond[bond] >= 3, bond
    solo = [t for t in templates if "just_me" in t["bonds"]]
    assert any("reflect" in t["id"] for t in solo)


def test_every_bond_kind_has_at_least_twelve_rituals(templates: list[dict[str, Any]]) -> None:
    per_bond = Counter(b for t in templates for b in t["bonds"])
    for bond in ALL_BONDS:
        assert per_bond[bond] >= 12, (bond, per_bond[bond])


def test_touch_ideas_schema(touch: dict[str, Any]) -> None:
    ideas = touch["ideas"]
    assert len(ideas) >= 40
    _assert_unique_slugs(ideas)
    for idea in ideas:
        assert set(idea) <= {"id", "text", "bonds", "consent_note", "consent_notes"}, idea
        assert len(idea["text"]) <= 120, idea
        assert idea["bonds"] and set(idea["bonds"]) <= PAIR_BONDS, idea
        assert "just_me" not in idea["bonds"]
        if "consent_note" in idea:
            assert 0 < len(idea["consent_note"]) <= 140, idea
        for kind, note in idea.get("consent_notes", {}).items():
            assert kind in idea["bonds"] and 0 < len(note) <= 140, idea
    assert len({i["text"].lower() for i in ideas}) == len(ideas)


def test_touch_ideas_are_not_sexual(touch: dict[str, Any]) -> None:
    for idea in touch["ideas"]:
        text = f"{idea['text']} {idea.get('consent_note', '')}".lower()
        assert not SEXUAL.search(text), idea


def test_sexual_word_filter_catches_what_it_should() -> None:
    for text in ("a sensual massage", "sitting on your lap", "a caress", "kissing on the lips"):
        assert SEXUAL.search(text), text
    for text in ("a lapse", "a bumpy flight", "holding hands"):
        assert not SEXUAL.search(text), text


def test_touch_for_friends_and_siblings_is_plainly_platonic(touch: dict[str, Any]) -> None:
    for idea in touch["ideas"]:
        if {"friend", "sibling"} & set(idea["bonds"]):
            text = idea["text"].lower()
            assert not any(word in text for word in ROMANTIC), idea


def test_every_pair_bond_has_touch_ideas(touch: dict[str, Any]) -> None:
    per_bond = Counter(b for i in touch["ideas"] for b in i["bonds"])
    for bond in PAIR_BONDS:
        assert per_bond[bond] >= 10, bond


# A parent and child may be a teen, an adult child, an elderly parent: nothing pictures a
# small child, and every idea says how to check it is welcome.
SMALL_CHILD = re.compile(
    r"\b(piggyback|tuck\w*|bedtime|goodnight|their room|carry\w*|lap|little one|stroking|"
    r"stroke|braid\w*|ruffle|dozed|cuddl\w*|kiss\w*|tickl\w*)\b"
)


def test_touch_for_a_parent_and_child_fits_any_age(touch: dict[str, Any]) -> None:
    ideas = [i for i in touch["ideas"] if "parent_child" in i["bonds"]]
    assert len(ideas) >= 20
    for idea in ideas:
        assert not SMALL_CHILD.search(idea["text"].lower()), idea
        assert idea.get("consent_note"), idea
        assert "children grow" not in idea["consent_note"], idea
    texts = " ".join(i["text"].lower() for i in ideas)
    for older in ("arm", "hard appointment"):
        assert older in texts, older


def test_touch_intro_speaks_of_consent_and_turning_off(touch: dict[str, Any]) -> None:
    intro = touch["intro"].lower()
    assert "both of you want" in intro
    assert "non-sexual" in intro
    assert "turn these ideas off" in intro


# --- solo path --------------------------------------------------------------------------------


def test_solo_path_steps(solo: dict[str, Any]) -> None:
    steps = solo["steps"]
    assert [s["id"] for s in steps] == SOLO_STEPS
    for step in steps:
        assert {"id", "title", "explanation", "actions"} <= set(step)
        assert 2 <= len(_sentences(step["explanation"])) <= 4, step["id"]
        assert 3 <= len(step["actions"]) <= 5, step["id"]
        if step["id"] == "invite-without-pressure":
            assert 3 <= len(step["examples"]) <= 4
        else:
            assert "examples" not in step, step["id"]
    assert {a["id"] for a in solo["applies_when"]} == {"not_joined", "declined", "quiet"}


def test_invitations_do_not_pressure(solo: dict[str, Any]) -> None:
    (invite,) = [s for s in solo["steps"] if s["id"] == "invite-without-pressure"]
    for example in invite["examples"]:
        padded = f" {example.lower()} "
        assert any(room in padded for room in OPEN_ENDED), example
        for pattern in PRESSURE + BLAMING:
            assert pattern not in padded, (pattern, example)


def test_solo_path_never_shames_or_manipulates(solo: dict[str, Any]) -> None:
    for text in _strings(solo):
        lowered = text.lower()
        for pattern in SHAMING:
            assert pattern not in lowered, (pattern, text)


def test_solo_counselling_step_offers_individual_support(solo: dict[str, Any]) -> None:
    (step,) = [s for s in solo["steps"] if s["id"] == "consider-counselling"]
    text = " ".join([step["explanation"], *step["actions"]]).lower()
    assert "for yourself" in text or "on your own" in text
    assert "afraid" in text
