"""Voice recordings: the private storage named "voice" (DATA_DIR/voice/<32 random
hex digits> by default, or private objects in S3), reached only through the
note's authorised view."""

from __future__ import annotations

from tending.lib.files import PrivateFiles

VOICE = PrivateFiles("voice")


def save_voice(data: bytes) -> str:
    """Store a recording under a fresh random name; returns the name."""
    return VOICE.save(data)


def remove_voice(name: str) -> None:
    VOICE.remove(name)


def sweep_orphans(known: set[str], older_than_seconds: float) -> int:
    return VOICE.sweep_orphans(known, older_than_seconds)
