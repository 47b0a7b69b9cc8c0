"""The insights app keeps its layout (see tending/insights/__init__.py): the
parsers stand alone, the analysis builds only on them, nothing the web runs
imports the command line's corner, and no two modules import each other.
Imports inside functions count."""

from __future__ import annotations

import ast
from pathlib import Path

import tending.insights

APP = Path(tending.insights.__file__).parent
PACKAGE = "tending.insights"
CLI_ONLY = (f"{PACKAGE}.cli", f"{PACKAGE}.management")


def _module(path: Path) -> str:
    parts = path.relative_to(APP).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join((PACKAGE, *parts))


def _imports(path: Path) -> set[str]:
    """Every module a file names in an import statement; for `from a import b`
    both `a` and `a.b` (b may be a module)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def _graph() -> dict[str, set[str]]:
    modules = {
        _module(path): path
        for path in APP.rglob("*.py")
        if "migrations" not in path.relative_to(APP).parts
    }
    return {name: _imports(path) for name, path in modules.items()}


def _inside(name: str, *packages: str) -> bool:
    return any(name == p or name.startswith(p + ".") for p in packages)


def test_the_parsers_use_nothing_else_of_insights_and_no_django() -> None:
    for module, imported in _graph().items():
        if _inside(module, f"{PACKAGE}.chats"):
            ours = {name for name in imported if _inside(name, PACKAGE)}
            assert all(_inside(name, f"{PACKAGE}.chats") for name in ours), module
            assert not any(_inside(name, "django") for name in imported), module


def test_the_analysis_builds_only_on_the_parsers_and_uses_no_django() -> None:
    allowed = (f"{PACKAGE}.chats", f"{PACKAGE}.analysis")
    for module, imported in _graph().items():
        if _inside(module, f"{PACKAGE}.analysis"):
            ours = {name for name in imported if _inside(name, PACKAGE)}
            assert all(_inside(name, *allowed) for name in ours), module
            assert not any(_inside(name, "django") for name in imported), module


def test_the_web_path_never_imports_the_command_lines_corner() -> None:
    for module, imported in _graph().items():
        if not _inside(module, *CLI_ONLY):
            assert not [n for n in imported if _inside(n, *CLI_ONLY)], module


def test_no_two_insights_modules_import_each_other_even_round_about() -> None:
    graph = _graph()
    edges = {m: {n for n in imported if n in graph and n != m} for m, imported in graph.items()}

    def reaches(start: str, goal: str) -> bool:
        seen, todo = set(), [start]
        while todo:
            here = todo.pop()
            if here == goal:
                return True
            if here not in seen:
                seen.add(here)
                todo.extend(edges[here])
        return False

    for module, imported in edges.items():
        for other in imported:
            assert not reaches(other, module), f"{module} -> {other} -> ... -> {module}"
