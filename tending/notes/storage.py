"""Voice recordings on disk: DATA_DIR/voice/<32 random hex digits>, readable by
the server's user only, reached only through the note's authorised view."""

from __future__ import annotations

from pathlib import Path

from tending.lib.files import PrivateFolder

VOICE = PrivateFolder("voice")


def voice_path(name: str) -> Path:
    return VOICE.path(name)


def save_voice(data: bytes) -> str:
    """Write a recording under a fresh random name; returns the name."""
    return VOICE.write([data])


def remove_voice(name: str) -> None:
    VOICE.remove(name)


def sweep_orphans(known: set[str], older_than_seconds: float) -> int:
    return VOICE.sweep_orphans(known, older_than_seconds)
