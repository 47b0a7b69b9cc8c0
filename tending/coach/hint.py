"""The gentle-words coach inside a composer: one hint for one text, worded by
data/hint.json.

The text is analysed in memory and never stored or logged; callers log ids only."""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from django.urls import reverse_lazy

log = logging.getLogger(__name__)

# Longer texts are read up to here: enough for any message, bounded for the server.
MAX_CHARS = 20_000
# Most worrying first: the order hints are shown in.
NEGATIVE_ORDER = ("contempt", "criticism", "defensiveness", "stonewalling")
CONTEXT = 30
MAX_SNIPPETS = 4
MAX_SUGGESTIONS = 3
FIELD_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]{0,40}$")
DATA_DIR = Path(__file__).resolve().parent / "data"


@cache
def hint_words() -> dict[str, Any]:
    return json.loads((DATA_DIR / "hint.json").read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Segment:
    text: str
    marked: bool


@dataclass(frozen=True)
class Snippet:
    segments: tuple[Segment, ...]
    cut_before: bool
    cut_after: bool


@dataclass(frozen=True)
class Hint:
    messages: tuple[str, ...] = ()
    snippets: tuple[Snippet, ...] = ()
    suggestions: tuple[str, ...] = ()
    warm: bool = False
    words: dict = field(default_factory=dict)

    @property
    def gentle(self) -> bool:
        """True when something might land as blame (the hint has advice to show)."""
        return bool(self.messages)


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def snippets(text: str, spans: list[tuple[int, int]]) -> tuple[Snippet, ...]:
    """Short excerpts of `text` around `spans`, with the spans marked; nearby
    spans share one excerpt."""
    marks = [(s, e) for s, e in _merge(spans) if 0 <= s < e <= len(text)]
    windows: list[list[tuple[int, int]]] = []
    for span in marks:
        if windows and span[0] - windows[-1][-1][1] <= 2 * CONTEXT:
            windows[-1].append(span)
        else:
            windows.append([span])
    out = []
    for group in windows[:MAX_SNIPPETS]:
        start = max(0, group[0][0] - CONTEXT)
        end = min(len(text), group[-1][1] + CONTEXT)
        segments: list[Segment] = []
        pos = start
        for s, e in group:
            if s > pos:
                segments.append(Segment(text[pos:s], False))
            segments.append(Segment(text[s:e], True))
            pos = e
        if end > pos:
            segments.append(Segment(text[pos:end], False))
        out.append(Snippet(tuple(segments), start > 0, end < len(text)))
    return tuple(out)


def hint_for(text: str) -> Hint | None:
    """The coach's hint for `text`, or None when there is nothing to say."""
    text = (text or "")[:MAX_CHARS]
    if not text.strip():
        return None
    from tending.coach.analysis import analyse, rephrase

    analysis = analyse(text)
    words = hint_words()
    found = [label for label in NEGATIVE_ORDER if label in analysis.labels]
    if not found:
        warm = analysis.primary in words["warm_labels"]
        return Hint(warm=True, words=words) if warm else None
    spans = [span for label in found for span in analysis.spans.get(label, [])]
    suggestions = [s for s in rephrase(text, analysis) if s.strip() and s != text]
    return Hint(
        messages=tuple(words["labels"][label] for label in found),
        snippets=snippets(text, spans),
        suggestions=tuple(dict.fromkeys(suggestions))[:MAX_SUGGESTIONS],
        words=words,
    )


def safe_hint_for(text: str) -> Hint | None:
    """`hint_for`, but a failure of the coach never stops a page from rendering
    (the coach must never block sending). Only the error's type is logged."""
    try:
        return hint_for(text)
    except Exception as error:
        log.warning("coach hint failed: %s", type(error).__name__)
        return None


def coach_attrs(field_name: str, target_id: str = "coach-hint") -> dict[str, str]:
    """htmx attributes for a textarea the coach should follow as the person types.

    Put them in the widget (`forms.Textarea(attrs=coach_attrs("body"))`) and include
    tending/templates/coach/_hint_target.html with the same `field` and `target` inside the form."""
    return {
        "hx-post": reverse_lazy("coach:hint"),
        "hx-trigger": "keyup changed delay:600ms",
        "hx-target": f"#{target_id}",
        "hx-swap": "innerHTML",
        "hx-sync": "this:replace",
        "hx-vals": json.dumps({"coach_field": field_name}),
        # Only the text goes to the coach: never the rest of the form, and never
        # a file field (a composer may hold a voice message).
        "hx-params": f"{field_name},coach_field",
        "data-coach": "",
    }
