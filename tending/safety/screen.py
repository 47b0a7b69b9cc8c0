"""The private safety screen: its questions, its one rule, and what it says back."""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from tending.bonds import wording

DATA_DIR = Path(__file__).resolve().parent / "data"
ANSWERS = ("yes", "no", "prefer_not_to_say")


@cache
def content(data_dir: Path = DATA_DIR) -> dict[str, Any]:
    data = json.loads((data_dir / "screen.json").read_text(encoding="utf-8"))
    if tuple(a["value"] for a in data["answers"]) != ANSWERS:
        raise ValueError(f"safety answers must be {ANSWERS}")
    for q in data["questions"]:
        for template in (q["text"], *q.get("overrides", {}).values()):
            wording.check_template(template)
    return data


def question_ids() -> tuple[str, ...]:
    return tuple(q["id"] for q in content()["questions"])


def questions(kind: str, other_name: str | None = None) -> list[tuple[str, str]]:
    return [
        (q["id"], wording.render(q.get("overrides", {}).get(kind, q["text"]), kind, other_name))
        for q in content()["questions"]
    ]


def screen_positive(answers: Mapping[str, str | None]) -> bool:
    """True when any question is answered "yes".

    "No", "prefer not to say" and skipped questions are not positive on their
    own; support resources stay reachable from every page regardless.
    """
    known = set(question_ids())
    for question, answer in answers.items():
        if question not in known:
            raise ValueError(f"unknown safety question {question!r}")
        if answer is not None and answer not in ANSWERS:
            raise ValueError(f"answer to {question!r} must be one of {ANSWERS}, not {answer!r}")
    return any(answer == "yes" for answer in answers.values())


def not_clinical() -> str:
    return content()["not_clinical"]


def intro(kind: str, other_name: str | None = None) -> str:
    return wording.render(content()["intro"], kind, other_name)


def positive_message(kind: str, other_name: str | None = None) -> dict[str, Any]:
    message = dict(content()["positive_message"])
    message["body"] = [wording.render(p, kind, other_name) for p in message["body"]]
    return message


def prefer_not_message() -> str:
    return content()["prefer_not_message"]
