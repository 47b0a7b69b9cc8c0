"""Every command Tending adds is documented (datasette's habit)."""

from __future__ import annotations

from pathlib import Path

from django.core.management import get_commands

ROOT = Path(__file__).resolve().parent.parent


def test_every_tending_command_is_documented() -> None:
    docs = (ROOT / "docs" / "commands.md").read_text()
    ours = sorted(name for name, app in get_commands().items() if app.startswith("tending."))
    assert ours, "no commands found"
    missing = [name for name in ours if f"`tending {name}" not in docs]
    assert not missing, f"document these in docs/commands.md: {missing}"


def test_readme_starts_with_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text()
    quick = readme.index("## Quick start")
    first_code = readme[quick:].split("```")[1]
    assert first_code.split() == ["sh", "make", "run"] or first_code.strip().endswith("make run")
    assert "make test" in readme[quick : quick + 1500]
