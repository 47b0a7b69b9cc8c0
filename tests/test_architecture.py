"""The import graph is layered: an app imports only apps on floors below its own.

docs/architecture.md explains the floors. Every import counts, those inside
functions too; nothing on one floor imports another app on the same floor, so
there can be no circle. The project's root modules (settings, urls, cli, wsgi)
put the apps together and may import any of them.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "tending"

# From the ground up. Keep docs/architecture.md in step with this list.
FLOORS: tuple[tuple[str, ...], ...] = (
    ("lib",),
    ("coach", "ops"),
    ("bonds",),
    ("safety",),
    ("accounts",),
    ("notify",),
    ("checkup",),
    ("feelings", "prompts", "rituals", "notes", "repair", "solo", "insights"),
    ("garden",),
)
ROOT_MODULES = {"__init__", "settings", "urls", "cli", "wsgi"}
FLOOR_OF = {app: i for i, apps in enumerate(FLOORS) for app in apps}


def _apps() -> list[str]:
    return sorted(p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists())


def _imported_apps(path: Path) -> set[tuple[str, int]]:
    """(app, line) for every `tending.<app>` this file imports, wherever the import is."""
    found: set[tuple[str, int]] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
            if node.module == "tending":  # from tending import bonds
                names = [f"tending.{alias.name}" for alias in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "tending" and len(parts) > 1 and parts[1] not in ROOT_MODULES:
                found.add((parts[1], node.lineno))
    return found


def test_every_app_has_a_floor() -> None:
    missing = set(_apps()) - set(FLOOR_OF)
    assert not missing, f"give {sorted(missing)} a floor in FLOORS and docs/architecture.md"


@pytest.mark.parametrize("app", _apps())
def test_an_app_imports_only_apps_below_it(app: str) -> None:
    wrong = []
    for path in sorted((PACKAGE / app).rglob("*.py")):
        for other, line in _imported_apps(path):
            if other != app and FLOOR_OF.get(other, -1) >= FLOOR_OF[app]:
                wrong.append(f"{path.relative_to(PACKAGE.parent)}:{line} imports {other}")
    assert not wrong, "imports that do not go down a floor:\n" + "\n".join(sorted(wrong))


def test_the_check_sees_imports_inside_functions(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text(
        "from tending.lib import env\n"
        "def f():\n"
        "    from tending.garden.home import home_context\n"
        "    import tending.notify.service\n"
        "from tending import bonds\n"
    )
    assert {app for app, _ in _imported_apps(module)} == {"lib", "garden", "notify", "bonds"}


def test_lib_holds_no_models() -> None:
    for path in (PACKAGE / "lib").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                bases = {ast.unparse(b) for b in node.bases}
                assert not bases & {"models.Model", "Model"}, f"{path}: {node.name}"


def test_local_time_goes_through_timeutil() -> None:
    """One clock: a person's wall-clock time is worked out in tending/lib/timeutil.py,
    from their own zone, never from whichever zone happens to be active."""
    direct = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path == PACKAGE / "lib" / "timeutil.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Attribute)
                and node.attr in {"localdate", "localtime"}
                and ast.unparse(node.value) == "timezone"
            ):
                direct.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}")
    assert not direct, "use tending.lib.timeutil instead:\n" + "\n".join(direct)


def test_views_that_switch_on_htmx_vary_on_it() -> None:
    """A view that answers htmx with a fragment and a browser with a page must say
    so in Vary, or a cache may hand the fragment to a full page load."""
    missing = []
    for path in sorted(PACKAGE.rglob("views.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.FunctionDef):
                continue
            reads_htmx = any(
                isinstance(n, ast.Constant) and n.value == "HX-Request" for n in ast.walk(node)
            )
            varies = any(
                ast.unparse(d) == "vary_on_headers('HX-Request')" for d in node.decorator_list
            )
            if reads_htmx and not varies:
                missing.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno} {node.name}")
    assert not missing, 'add @vary_on_headers("HX-Request") to:\n' + "\n".join(missing)
