"""From a recommended practice to the page of the bond where it is practised."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from django.apps import apps
from django.urls import NoReverseMatch, reverse

from tending.checkup.scoring import DATA_DIR


@cache
def _links(data_dir: Path = DATA_DIR) -> dict[str, dict[str, list[str]]]:
    return json.loads((data_dir / "practice_links.json").read_text(encoding="utf-8"))["links"]


def _reverse(url_name: str, bond_pk: int) -> str | None:
    try:
        return reverse(url_name, args=[bond_pk])
    except NoReverseMatch:
        return None


def practice_url(practice: str, bond: Any) -> str | None:
    """The first page for `practice` that exists in this installation, or None
    while the practice's app has no page (the step is then shown without a link)."""
    link = _links().get(practice, {})
    for url_name in link.get("url_names", []):
        if (url := _reverse(url_name, bond.pk)) is not None:
            return url
    for label in link.get("apps", []):
        try:
            cards = getattr(apps.get_app_config(label), "cards", ())
        except LookupError:
            continue
        for card in cards:
            if card.kinds and bond.kind not in card.kinds:
                continue
            if (url := _reverse(card.url_name, bond.pk)) is not None:
                return url
    return None
