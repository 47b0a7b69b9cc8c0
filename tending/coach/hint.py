"""The gentle-words coach inside a composer: one hint for one text, worded by
data/hint.json.

The text is analysed in memory and never stored or logged; callers log ids only."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.urls import reverse_lazy

if TYPE_CHECKING:
    from tending.coach.rewrite import Answers

log = logging.getLogger(__name__)

# Longer texts are read up to here: enough for any message, bounded for the server.
MAX_CHARS = 20_000
# Most worrying first: the order hints are shown in.
NEGATIVE_ORDER = ("contempt", "criticism", "defensiveness", "stonewalling")
CONTEXT = 30
MAX_SNIPPETS = 4
MAX_SUGGESTIONS = 3
# The composer's three questions (what happened, how it left you, what you'd ask for):
# form fields that go to the coach with the text and are never saved.
GUIDE_FIELDS = ("coach_what", "coach_feel", "coach_ask")
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
class Guide:
    """The composer's three questions, for a complaint or a put-down: what the writer
    answered (shown again so nothing typed is lost), whether to show them open, and
    whether an answer was left out because it still read as blame."""

    what: str = ""
    feel: str = ""
    ask: str = ""
    open: bool = False
    used: bool = False
    vetoed: bool = False


@dataclass(frozen=True)
class Hint:
    messages: tuple[str, ...] = ()
    snippets: tuple[Snippet, ...] = ()
    suggestions: tuple[str, ...] = ()
    warm: bool = False
    words: dict = field(default_factory=dict)
    guide: Guide | None = None

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


# Whom the coach says nothing to. Apps on higher floors register a check here (the safety
# app: someone whose safety screen said they may not be safe), so the coach need not know
# them; see tending/safety/apps.py.
_QUIET_CHECKS: list[Callable[[Any], bool]] = []


def register_quiet_check(check: Callable[[Any], bool]) -> None:
    if check not in _QUIET_CHECKS:
        _QUIET_CHECKS.append(check)


def quiet_for(user: Any) -> bool:
    """True when the coach should offer this person nothing: its suggestions ask them to
    be open and vulnerable with the other person."""
    return any(check(user) for check in _QUIET_CHECKS)


def answers_from(data: Any) -> Answers:
    """The writer's answers to the composer's questions in posted form `data`."""
    from tending.coach.rewrite import Answers

    return Answers.of(*(str(data.get(name, "")) for name in GUIDE_FIELDS))


def hint_for(text: str, answers: Answers | None = None, vulnerable: bool = True) -> Hint | None:
    """The coach's hint for `text`, or None when there is nothing to say.

    `answers` (see `answers_from`) are the writer's own answers to the composer's
    questions; when they say enough, the suggestions are built from them. `vulnerable`
    is False for someone whose safety screen said they may not be safe: then the coach
    offers nothing that asks them to be open with the other person (DESIGN.md, safety
    rules), so there is no hint at all."""
    text = (text or "")[:MAX_CHARS]
    if not text.strip() or not vulnerable:
        return None
    from tending.coach.analysis import analyse, from_answers, rephrase, worst_harsh
    from tending.coach.rewrite import GUIDED_LABELS, says_something_of

    analysis = analyse(text)
    words = hint_words()
    found = [label for label in NEGATIVE_ORDER if label in analysis.labels]
    if not found:
        warm = analysis.primary in words["warm_labels"]
        return Hint(warm=True, words=words) if warm else None
    spans = [span for label in found for span in analysis.spans.get(label, [])]
    suggestions = [s for s in rephrase(text, analysis) if s.strip() and s != text]
    worst = worst_harsh(analysis)
    guide = None
    if worst in GUIDED_LABELS:
        built = from_answers(answers, worst, text) if answers else None
        if built is not None and built.lines:
            suggestions = list(built.lines)
        guide = Guide(
            what=answers.what if answers else "",
            feel=answers.feel if answers else "",
            ask=answers.ask if answers else "",
            # Open when the writer has answered, or when the coach's own lines say
            # nothing of the message: asking beats a general line.
            open=bool(answers) or not says_something_of(text, suggestions),
            used=bool(built and built.lines),
            vetoed=bool(built and built.vetoed),
        )
    return Hint(
        messages=tuple(words["labels"][label] for label in found),
        snippets=snippets(text, spans),
        suggestions=tuple(dict.fromkeys(suggestions))[:MAX_SUGGESTIONS],
        words=words,
        guide=guide,
    )


def safe_hint_for(
    text: str, answers: Answers | None = None, vulnerable: bool = True
) -> Hint | None:
    """`hint_for`, but a failure of the coach never stops a page from rendering
    (the coach must never block sending). Only the error's type is logged."""
    try:
        return hint_for(text, answers, vulnerable)
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
        # Only the text (and the writer's answers to the coach's own questions) goes
        # to the coach: never the rest of the form, and never a file field (a
        # composer may hold a voice message).
        "hx-params": ",".join((field_name, "coach_field", *GUIDE_FIELDS)),
        "data-coach": "",
    }
