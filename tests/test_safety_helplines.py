"""The helplines file people must be able to trust: every entry names its
official source and how and when it was checked, no entry goes unchecked for a
year, and the pages say so next to each line and say what to do where no line
is listed."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tending.safety import helplines

RAW = json.loads((helplines.DATA_DIR / "helplines.json").read_text(encoding="utf-8"))
ZONES = json.loads((helplines.DATA_DIR / "zones.json").read_text(encoding="utf-8"))["zones"]
UK_NATIONS = ["England", "Scotland", "Wales", "Northern Ireland"]


def _entries() -> list[tuple[str, dict[str, Any]]]:
    out = [(code, e) for code, c in RAW["countries"].items() for e in c["services"]]
    return out + [("international", e) for e in RAW["international"]]


def _id(entry: tuple[str, dict[str, Any]]) -> str:
    return f"{entry[0]}: {entry[1]['name']}"


@pytest.mark.parametrize("entry", _entries(), ids=_id)
def test_every_entry_has_an_official_source_and_a_recent_check(
    entry: tuple[str, dict[str, Any]],
) -> None:
    _, e = entry
    assert e["source"] and e["source"].startswith("https://"), "no official source"
    assert e["checked_how"] in helplines.CHECKED_HOW
    assert e["checked_against"], "no page the entry was checked against"
    assert all(url.startswith(("http://", "https://")) for url in e["checked_against"])
    checked = date.fromisoformat(e["last_verified"])
    assert checked <= date.today()
    too_old = date.today() - timedelta(days=helplines.RECHECK_WITHIN_DAYS)
    assert checked >= too_old, (
        f"checked {checked}, more than 12 months ago: re-check it on {e['source']} "
        "(tending/safety/data/README.md says how)"
    )
    if e["checked_how"] == "own_site":
        # Checked on the service's own site: one of the pages read is on it.
        site = e["source"].split("/")[2].removeprefix("www.")
        assert any(site in url for url in e["checked_against"]) or e.get("check_note")


def test_checked_how_has_words_for_the_page() -> None:
    assert set(RAW["checked_how"]) == set(helplines.CHECKED_HOW)
    for text in RAW["checked_how"].values():
        # Read after "Checked 2 December 2026 ", and followed by a full stop.
        assert text.startswith(("on ", "partly on ")) and not text.endswith(".")
    assert "not the service's own website" in RAW["checked_how"]["other_pages"]


def test_checks_are_not_all_on_one_day_or_all_on_other_pages() -> None:
    entries = [e for _, e in _entries()]
    assert len({e["last_verified"] for e in entries}) > 1
    hows = {e["checked_how"] for e in entries}
    assert {"own_site", "other_pages"} <= hows


def test_coverage() -> None:
    assert len(RAW["countries"]) >= 12
    for code in ("US", "GB", "CA", "AU", "DE", "IE", "NZ", "FR", "NL", "ES", "IT", "AT"):
        assert code in RAW["countries"], code
    by_kind: dict[str, set[str]] = {}
    for code, e in _entries():
        for kind in e["helps_with"]:
            by_kind.setdefault(kind, set()).add(code)
    assert len(by_kind["children"]) >= 5
    assert len(by_kind["lgbtq"]) >= 3
    assert by_kind["emergency"] >= set(RAW["countries"])
    assert by_kind["domestic_abuse"] >= set(RAW["countries"])


def test_germany_has_116_123() -> None:
    german = helplines.helplines_for("DE")
    assert any(h.phone == "116 123" and "crisis" in h.helps_with for h in german)


def test_the_uk_is_split_by_nation() -> None:
    uk = RAW["countries"]["GB"]
    assert uk["regions"] == UK_NATIONS
    for nation in UK_NATIONS:
        lines = [e for e in uk["services"] if e.get("region") == nation]
        assert any("domestic_abuse" in e["helps_with"] for e in lines), nation
    # The lines that serve only England are marked so.
    refuge = next(e for e in uk["services"] if e["phone"] == "0808 2000 247")
    assert refuge["region"] == "England"
    # The emergency number serves every nation and stays first.
    assert uk["services"][0]["helps_with"] == ["emergency"] and "region" not in uk["services"][0]


def test_grouping_puts_the_whole_country_first_then_each_nation_then_directories() -> None:
    groups = helplines.grouped(helplines.helplines_for("GB"))
    assert [g.region for g in groups] == [None, *UK_NATIONS, None]
    assert groups[0].helplines[0].phone == "999"
    assert all(h.country is None for h in groups[-1].helplines)
    one_country = helplines.grouped(helplines.helplines_for("NZ"))
    assert len(one_country) == 2 and one_country[0].helplines[0].phone == "111"
    assert [g.region for g in helplines.grouped(helplines.helplines_for(None))] == [None]


def test_every_covered_country_is_reachable_from_its_time_zones() -> None:
    assert set(ZONES.values()) == set(RAW["countries"])
    assert helplines.country_for_zone("Europe/Dublin") == "IE"
    assert helplines.country_for_zone("Pacific/Auckland") == "NZ"
    assert helplines.country_for_zone("Atlantic/Canary") == "ES"


def test_entries_add_the_missing_fields_where_a_source_gave_them() -> None:
    for _, e in _entries():
        for name in ("website", "hours", "phone"):
            if e[name] is None and name != "phone":
                # A field left out says why, or the entry is a directory or emergency number.
                assert e.get("note") or set(e["helps_with"]) & {"directory", "emergency"}, e["name"]
        assert e["phone"] or e["website"], e["name"]


# --- on the pages ------------------------------------------------------------------------------


def test_support_page_shows_when_and_how_each_line_was_checked(client: Client) -> None:
    page = client.get(reverse("safety:support") + "?country=GB").content.decode()
    page = page.replace("&#x27;", "'")
    uk = helplines.helplines_for("GB")
    assert page.count('class="muted small checked"') == len(uk)
    for h in uk:
        assert f"Checked {h.last_verified:%-d %B %Y} {h.checked_how_text}." in page, h.name
    for nation in UK_NATIONS:
        assert f'<h2 class="helpline-group">{nation}</h2>' in page
    assert page.index("0800 027 1234") > page.index(">Scotland</h2>") > page.index(">England</h2>")


def test_support_page_says_what_to_do_where_no_line_is_listed(client: Client) -> None:
    for query in ("", "?country=JP"):
        page = client.get(reverse("safety:support") + query).content.decode()
        page = page.replace("&#x27;", "'")
        assert RAW["when_none_listed"]["title"] in page
        assert "emergency number" in page and "112" in page
        assert "Directories for every country" in page
        assert "findahelpline.com" in page


def test_a_positive_screen_shows_the_checked_dates_on_the_result(
    as_alice: Client, alice: Any, bond: Any
) -> None:
    from tending.checkup import scoring
    from tending.checkup.models import record_result
    from tending.safety.models import record_screen

    q = scoring.load(scoring.current_version())
    answers = {i.id: 3 for i in q.items}
    entry = record_result(
        bond=bond, author=alice, answers=answers, result=scoring.score_with(q, answers)
    )
    record_screen(alice, {"afraid": "yes"})
    url = reverse("checkup:result", args=[bond.pk, entry.pk]) + "?country=ie"
    page = as_alice.get(url).content.decode().replace("&#x27;", "'")
    irish = helplines.helplines_for("IE")
    assert '<option value="IE" selected>' in page
    for h in irish:
        assert h.name in page
        assert f"Checked {h.last_verified:%-d %B %Y} {h.checked_how_text}." in page
    assert RAW["when_none_listed"]["title"] in page
