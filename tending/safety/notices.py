"""What Tending says wherever it suggests outside help (data/notices.json): that it is
not therapy, and that joint sessions are not advised where someone is afraid."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


@cache
def _notices() -> dict[str, str]:
    return json.loads((DATA_DIR / "notices.json").read_text(encoding="utf-8"))


def not_therapy() -> str:
    return _notices()["not_therapy"]


def safety_note() -> str:
    """Shown wherever counselling is suggested: individual support comes first where
    there is fear, control or violence."""
    return _notices()["safety_note"]
