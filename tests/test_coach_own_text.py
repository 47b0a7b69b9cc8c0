"""Tending's own words go through the coach and never come out harsh (issue 18).

Every prompt, repair phrase, feelings prompt and help text we show: the content files
under tending/*/data/ that hold our sentences, and the help texts and labels of every
form and model field. If one of these is flagged, either the coach is wrong (teach it
with gentle examples in tending/coach/data/extra_gentle.jsonl and retrain) or
the line itself blames someone (fix the line). Never skip a line here to pass."""

from __future__ import annotations

import importlib
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from django import forms
from django.apps import apps

from tending.coach.analysis import analyse, fast_labels
from tending.coach.labels import NEGATIVE

PACKAGE = Path(__file__).resolve().parent.parent / "tending"
# Content files of sentences we show. The coach's own training data, lexicon and
# rewrite wording (tending/coach/data) hold harsh text on purpose (rewrite.json pairs
# the harsh phrases it reads with its templates; every line it would show is checked
# by `analyse` when it is offered, and tests/test_coach_rewrite.py asserts it); chat-export
# markers, helpline directories and zone lists are not our sentences.
NOT_OUR_SENTENCES = {
    "coach/data/lexicon.json",
    "coach/data/rewrite.json",
    "coach/data/model.json",
    "insights/data/messenger_markers.json",
    "insights/data/words.json",
    "safety/data/helplines.json",
    "safety/data/zones.json",
    "checkup/data/practice_links.json",
}
NOT_OUR_DIRS = ("insights/data/whatsapp/", "coach/data/corpus/", "coach/data/frozen/")
# Keys whose values are identifiers, codes, colours or references, not sentences.
NOT_SENTENCE_KEYS = {"id", "colour", "url", "source", "sources", "slug", "icon", "kind"}


def _strings(value: object, key: str = "") -> Iterator[str]:
    if isinstance(value, dict):
        for k, v in value.items():
            if k not in NOT_SENTENCE_KEYS:
                yield from _strings(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v, key)
    elif isinstance(value, str) and " " in value.strip():
        yield value


def content_lines() -> list[tuple[str, str]]:
    out = []
    for path in sorted(PACKAGE.glob("*/data/**/*.json")):
        name = path.relative_to(PACKAGE).as_posix()
        if name in NOT_OUR_SENTENCES or name.startswith(NOT_OUR_DIRS):
            continue
        for text in _strings(json.loads(path.read_text("utf-8"))):
            out.append((name, text))
    return out


def help_texts() -> list[tuple[str, str]]:
    out = []
    for model in apps.get_models():
        if not model.__module__.startswith("tending."):
            continue
        for field in model._meta.get_fields():
            for text in (getattr(field, "help_text", ""), getattr(field, "verbose_name", "")):
                if text and " " in str(text).strip():
                    out.append((f"{model.__name__}.{field.name}", str(text)))
    for path in sorted(PACKAGE.glob("*/forms.py")):
        module = importlib.import_module(f"tending.{path.parent.name}.forms")
        for name, cls in vars(module).items():
            if not (isinstance(cls, type) and issubclass(cls, forms.BaseForm)):
                continue
            if cls.__module__ != module.__name__:
                continue
            for field_name, field in cls.base_fields.items():
                texts = [field.help_text, field.label or ""]
                texts.append(field.widget.attrs.get("placeholder", ""))
                for text in texts:
                    if text and " " in str(text).strip():
                        out.append((f"{name}.{field_name}", str(text)))
    return out


def test_there_is_plenty_of_our_own_text() -> None:
    names = {name for name, _ in content_lines()}
    assert {
        "prompts/data/conversation.json",
        "repair/data/phrases.json",
        "feelings/data/emotions.json",
        "coach/data/hint.json",
    } <= names
    assert len(content_lines()) >= 2000
    assert len(help_texts()) >= 20


@pytest.mark.django_db
def test_no_harsh_label_on_our_own_text() -> None:
    flagged = []
    for source, text in content_lines() + help_texts():
        harsh = NEGATIVE.intersection(analyse(text).labels) | NEGATIVE.intersection(
            fast_labels(text)
        )
        if harsh:
            flagged.append((source, text, sorted(harsh)))
    assert not flagged, "\n".join(f"{s}: {t!r} -> {h}" for s, t, h in flagged)
