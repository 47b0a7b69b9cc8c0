import json
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tending.prompts import library
from tending.prompts.library import BONDS, DEPTHS, THEMES, Prompt

MIN_PER_CELL = 12
MAX_LENGTH = 160
JACCARD = 0.6
RATIO = 0.85
PREFIXES = {
    "conversation": "con",
    "curiosity": "cur",
    "inner_world": "inn",
    "appreciation": "app",
    "repair": "rep",
    "dreams": "dre",
    "memories": "mem",
    "rituals": "rit",
}
FIRST_PERSON = re.compile(r"\b(i|me|my|mine|we|us|our|ours|i'm|i'd|i've|i'll)\b", re.IGNORECASE)


def raw_entries() -> list[dict]:
    entries = []
    for path in sorted(library.DATA_DIR.glob("*.json")):
        entries += json.loads(path.read_text(encoding="utf-8"))
    return entries


def test_data_files_pass_validation():
    assert library.validate_files() == []


def test_every_entry_follows_the_schema():
    for raw in raw_entries():
        assert set(raw) <= {"id", "text", "theme", "depth", "bonds", "tags", "retired"}, raw
        assert raw["theme"] in THEMES, raw
        assert raw["depth"] in DEPTHS, raw
        assert raw["bonds"] and set(raw["bonds"]) <= set(BONDS), raw
        assert len(set(raw["bonds"])) == len(raw["bonds"]), raw
        assert set(raw.get("tags", [])) <= {
            "about_self",
            "playful",
            "reflective",
            "novelty",
            "both_directions",
        }
        assert re.fullmatch(rf"{PREFIXES[raw['theme']]}-\d{{3}}", raw["id"]), raw["id"]


def test_ids_are_unique():
    ids = [raw["id"] for raw in raw_entries()]
    assert len(ids) == len(set(ids))


def test_texts_are_short_open_and_tidy():
    for prompt in library.all_prompts(include_retired=True):
        assert 0 < len(prompt.text) <= MAX_LENGTH, prompt.id
        assert prompt.text.endswith(("?", ".")), prompt.id
        first_word = prompt.text.split()[0].lower()
        assert first_word not in {"do", "does", "did", "are", "is", "have", "has", "would"}


def test_the_library_holds_at_least_600_prompts():
    assert len(library.all_prompts()) >= 600


def test_every_theme_depth_and_bond_cell_holds_at_least_12_prompts():
    for theme in THEMES:
        for depth in DEPTHS:
            for bond in BONDS:
                cell = library.pool(theme, depth, bond)
                assert len(cell) >= MIN_PER_CELL, (theme, depth, bond, len(cell))
                assert all(p.theme == theme and p.depth == depth for p in cell)
                assert all(bond in p.bonds for p in cell)


def test_no_two_prompts_are_near_duplicates():
    assert library.near_duplicates(library.all_prompts(), jaccard=JACCARD, ratio=RATIO) == []


def test_near_duplicate_check_catches_a_reworded_prompt():
    first = Prompt(
        "cur-901",
        "What's a smell that takes you back to childhood?",
        "curiosity",
        "light",
        ("friend",),
    )
    second = Prompt(
        "cur-902",
        "Which smell takes you right back to your childhood?",
        "curiosity",
        "light",
        ("friend",),
    )
    other = Prompt(
        "cur-903", "What would you cook for a crowd of friends?", "curiosity", "light", ("friend",)
    )
    found = library.near_duplicates([first, second, other], jaccard=JACCARD, ratio=RATIO)
    assert [(a, b) for a, b, _jaccard, _ratio in found] == [("cur-901", "cur-902")]


def test_just_me_prompts_speak_to_the_writer_only():
    for prompt in library.pool(bond="just_me"):
        assert "your partner" not in prompt.text.lower(), prompt.id
        assert not FIRST_PERSON.search(prompt.text), prompt.id


def test_about_self_prompts_ask_about_the_one_answering():
    tagged = [prompt for prompt in library.all_prompts() if "about_self" in prompt.tags]
    assert len(tagged) > 100
    for prompt in tagged:
        assert not FIRST_PERSON.search(prompt.text), prompt.id


def test_wording_fits_every_bond_kind_listed():
    romance = re.compile(r"\b(date|dates|dating|romantic|kiss|we met|got together|fell for)\b")
    for prompt in library.all_prompts():
        text = prompt.text.lower()
        assert "the other person" not in text, prompt.id
        if set(prompt.bonds) - {"partner"}:
            assert not romance.search(text), prompt.id
        if "parent_child" in prompt.bonds:
            assert not re.search(r"as kids|our parents|when you were little", text), prompt.id
        if "friend" in prompt.bonds:
            assert not re.search(r"\bour (family|parents|childhood)\b", text), prompt.id
        if {"sibling", "parent_child"} & set(prompt.bonds):
            assert "our friendship" not in text, prompt.id


def test_validation_explains_each_problem():
    good = {
        "id": "cur-900",
        "text": "What's your favourite window seat?",
        "theme": "curiosity",
        "depth": "light",
        "bonds": ["friend"],
    }
    entries = [
        ("a.json", good),
        ("b.json", dict(good, text="Where do you like to read?")),
        ("c.json", dict(good, id="cur-901", theme="gardening")),
        ("d.json", dict(good, id="cur-902", text="Where " + "x" * 170 + "?")),
        ("e.json", dict(good, id="cur-903", text="Do you like tea?")),
        ("f.json", dict(good, id="mem-904", text="What did you eat on Sundays?")),
        (
            "g.json",
            dict(good, id="cur-905", text="What does your partner cook?", bonds=["just_me"]),
        ),
        ("h.json", dict(good, id="cur-906", text="What is the best bread?", bonds=["cousin"])),
        ("i.json", {"id": "cur-907", "text": "What lifts you?"}),
    ]
    errors = "\n".join(library.validate(entries))
    assert "b.json cur-900: duplicate id (also in a.json)" in errors
    assert "c.json cur-901: unknown theme 'gardening'" in errors
    assert "d.json cur-902: text is 177 characters, more than 160" in errors
    assert "e.json cur-903: opens with 'do', which asks for yes or no" in errors
    assert "f.json mem-904: id prefix 'mem' should be 'cur' for curiosity" in errors
    assert "g.json cur-905: a just_me prompt says 'your partner'" in errors
    assert "h.json cur-906: unknown bond kind 'cousin'" in errors
    assert "i.json cur-907: missing field 'theme'" in errors
    assert library.validate([("a.json", good)]) == []


def test_load_refuses_invalid_files(tmp_path):
    (tmp_path / "curiosity.json").write_text('[{"id": "cur-1"}]', encoding="utf-8")
    with pytest.raises(library.PromptDataError) as caught:
        library.load(tmp_path)
    assert any("does not match" in error for error in caught.value.errors)


def test_retired_prompts_leave_pools_but_keep_their_id(tmp_path, monkeypatch):
    entries = [
        {
            "id": "rit-001",
            "text": "What's a ritual you love?",
            "theme": "rituals",
            "depth": "light",
            "bonds": ["sibling"],
        },
        {
            "id": "rit-002",
            "text": "What's a tradition you miss?",
            "theme": "rituals",
            "depth": "light",
            "bonds": ["sibling"],
            "retired": True,
        },
    ]
    (tmp_path / "rituals.json").write_text(json.dumps(entries), encoding="utf-8")
    monkeypatch.setattr(library, "DATA_DIR", tmp_path)
    library._library.cache_clear()
    try:
        assert [p.id for p in library.pool("rituals", "light", "sibling")] == ["rit-001"]
        assert library.by_id("rit-002").retired
        assert library.stats()["retired"] == 1
    finally:
        library._library.cache_clear()


def test_by_id_and_pool():
    prompt = library.all_prompts()[0]
    assert library.by_id(prompt.id) is prompt
    with pytest.raises(KeyError):
        library.by_id("cur-999")
    assert library.pool() == library.all_prompts()
    partner_repair = library.pool(theme="repair", bond="partner")
    assert partner_repair and all(
        p.theme == "repair" and "partner" in p.bonds for p in partner_repair
    )
    with pytest.raises(ValueError, match="unknown bond"):
        library.pool(bond="cousin")


def test_stats_add_up():
    stats = library.stats()
    prompts = library.all_prompts()
    assert stats["total"] == len(prompts)
    assert sum(stats["by_theme"].values()) == len(prompts)
    assert sum(stats["by_depth"].values()) == len(prompts)
    assert sum(stats["by_bond"].values()) == sum(len(p.bonds) for p in prompts)
    cells = [
        n for depths in stats["cells"].values() for bonds in depths.values() for n in bonds.values()
    ]
    assert len(cells) == 8 * 3 * 5
    assert stats["min_cell"] == min(cells) >= MIN_PER_CELL


def test_stats_command_prints_json():
    out = StringIO()
    call_command("prompts", "--stats", "--json", stdout=out)
    printed = json.loads(out.getvalue())
    assert printed["total"] == len(library.all_prompts())
    assert printed["by_theme"]["repair"] == len(library.pool(theme="repair"))
    assert printed["min_cell"] >= MIN_PER_CELL


def test_stats_command_prints_a_table():
    out = StringIO()
    call_command("prompts", "--stats", stdout=out)
    text = out.getvalue()
    assert f"Prompts: {len(library.all_prompts())} active" in text
    assert re.search(r"^inner_world\s+deep(\s+\d+){5}$", text, re.MULTILINE)


def test_check_command_passes_and_fails(tmp_path, monkeypatch):
    out = StringIO()
    call_command("prompts", "--check", stdout=out)
    assert "valid" in out.getvalue()
    (tmp_path / "dreams.json").write_text(
        '[{"id": "dre-001", "text": "Is it sunny?", "theme": "dreams", "depth": "light",'
        ' "bonds": ["friend"]}]',
        encoding="utf-8",
    )
    monkeypatch.setattr(library, "DATA_DIR", tmp_path)
    with pytest.raises(CommandError, match="asks for yes or no"):
        call_command("prompts", "--check", stdout=StringIO())
