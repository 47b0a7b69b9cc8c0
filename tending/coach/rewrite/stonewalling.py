"""Stonewalling becomes a break with a time to come back, keeping the speaker's own plan."""

from __future__ import annotations

import re
from collections.abc import Iterator

from tending.coach.rewrite.words import (
    _DATA,
    _Filler,
    _frames,
    _Message,
)


def _stonewalling(message: _Message, filler: _Filler) -> Iterator[str]:
    data = _DATA["stonewalling"]
    plan = None
    for name, words in data["plans"].items():
        # Plan cues are small regexes: "not going" counts only at the end.
        if re.search(r"\b(?:" + "|".join(words) + r")\b", message.norm):
            plan = name
            break
    backs = data[f"back_{plan}"] if plan else data["back"]

    def slots(index: int) -> dict[str, str]:
        state = filler.spread("state", data["state"], index)
        return {
            "state": state,
            "state_lower": state[:1].lower() + state[1:] if not state.startswith("I") else state,
            "break": filler.spread("break", data["break"], index),
            "back": filler.spread("back", backs, index),
        }

    frames = data["frames"]
    if plan:
        own = [f"{line} {{back}}" for line in data["own_plan"][plan]]
        frames = [own, *frames[1:]]
    yield from _frames(filler, frames, slots)
