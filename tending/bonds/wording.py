"""Naming the other person, for every bond kind, in text that speaks of them: the
check-up's items and recommendation steps, and the safety screen's questions."""

from __future__ import annotations

import json
import string
from functools import cache
from pathlib import Path

from tending.bonds.models import Kind

DATA_DIR = Path(__file__).resolve().parent / "data"
KINDS: tuple[str, ...] = tuple(Kind.values)
SLOTS = frozenset({"my_other", "My_other", "your_other", "Your_other"})


@cache
def _kinds() -> dict[str, dict[str, str]]:
    data = json.loads((DATA_DIR / "kinds.json").read_text(encoding="utf-8"))["kinds"]
    if set(data) != set(KINDS):
        raise ValueError(f"kinds.json must define exactly {KINDS}")
    return data


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def slots_in(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def check_template(template: str) -> None:
    unknown = slots_in(template) - SLOTS
    if unknown:
        raise ValueError(f"unknown slot(s) {sorted(unknown)} in {template!r}")


def intro(kind: str) -> str:
    return kind_wording(kind)["intro"]


def kind_wording(kind: str) -> dict[str, str]:
    try:
        return _kinds()[kind]
    except KeyError:
        raise ValueError(f"unknown bond kind {kind!r}; expected one of {KINDS}") from None


def render(template: str, kind: str, other_name: str | None = None) -> str:
    """Fill the slots of `template` for `kind`; a given name replaces every generic label."""
    check_template(template)
    wording = kind_wording(kind)
    if other_name is not None and other_name.strip():
        name = other_name.strip()
        values = dict.fromkeys(SLOTS, name)
    else:
        values = {
            "my_other": wording["my_other"],
            "My_other": _capitalise(wording["my_other"]),
            "your_other": wording["your_other"],
            "Your_other": _capitalise(wording["your_other"]),
        }
    return template.format_map(values)
