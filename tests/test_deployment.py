"""docs/deployment.md's examples are complete files, read from the page and
checked here, so the page cannot drift from the `tending` command: the systemd
units (by `systemd-analyze verify` where the machine has it, and always by
their keys), every `tending` command line against that command's own parser,
the environment file against the documented variables, and the Caddyfile's
structure. (Caddy itself is not run: Debian 12's Caddy, 2.6.2, predates the
`request_buffers` option the page uses.)"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import textwrap
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import get_commands, load_command_class

from tending.lib import env as tending_env
from tests.test_configuration import _env_names_in_source

ROOT = settings.BASE_DIR
PAGE = (ROOT / "docs" / "deployment.md").read_text()
CONFIGURATION = (ROOT / "docs" / "configuration.md").read_text()
# A file's path in backticks on its own line, ending with a colon, then its block.
_LABELLED = re.compile(r"^`(/etc/[^`]+)`[^\n]*:\n\n```\w+\n(.*?)\n```", re.M | re.S)
_BLOCK = re.compile(r"^( *)```(\w+)\n(.*?)\n\1```", re.M | re.S)
TENDING = "/opt/tending/bin/tending"

Unit = dict[str, dict[str, list[str]]]


def _files() -> dict[str, str]:
    found: dict[str, str] = {}
    for path, body in _LABELLED.findall(PAGE):
        assert path not in found, f"{path} is shown twice in docs/deployment.md"
        found[path] = body
    return found


FILES = _files()
UNITS = {Path(p).name: body for p, body in FILES.items() if p.startswith("/etc/systemd/")}


def _blocks(language: str) -> list[str]:
    return [textwrap.dedent(body) for _, lang, body in _BLOCK.findall(PAGE) if lang == language]


def _unit(text: str) -> Unit:
    sections: Unit = {}
    current: dict[str, list[str]] | None = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], {})
            continue
        assert current is not None and "=" in line, f"not a unit line: {raw!r}"
        key, value = line.split("=", 1)
        current.setdefault(key.strip(), []).append(value.strip())
    return sections


def _one(unit: Unit, section: str, key: str) -> str:
    values = unit.get(section, {}).get(key, [])
    assert len(values) == 1, f"[{section}] {key}: {values}"
    return values[0]


def _environment() -> dict[str, str]:
    (body,) = [b for b in _blocks("sh") if b.startswith("# /etc/tending/tending.env")]
    values: dict[str, str] = {}
    for line in body.splitlines():
        if line.strip() and not line.startswith("#"):
            key, value = line.split("=", 1)
            values[key] = shlex.split(value)[0]
    return values


def _check_command_line(args: list[str]) -> None:
    """Parse `tending ARGS` with the command's own parser, as the shell would run it."""
    if args == ["--version"]:
        return
    name, *options = args
    app = get_commands().get(name)
    assert app is not None, f"`tending {name}` is not a command"
    parser = load_command_class(app, name).create_parser("tending", name)
    parser.parse_args(options)  # raises CommandError on an unknown or bad option


def test_the_page_shows_every_file_to_copy() -> None:
    assert {
        "/etc/systemd/system/tending-web.service",
        "/etc/systemd/system/tending-worker@.service",
        "/etc/systemd/system/tending-backup.service",
        "/etc/systemd/system/tending-backup.timer",
        "/etc/caddy/Caddyfile",
        "/etc/nginx/sites-available/tending",
    } <= set(FILES)


@pytest.mark.parametrize("name", ["tending-web.service", "tending-worker@.service"])
def test_the_services_run_as_their_own_user_and_restart(name: str) -> None:
    unit = _unit(UNITS[name])
    data_dir = _environment()["TENDING_DATA_DIR"]
    assert _one(unit, "Service", "User") == _one(unit, "Service", "Group") == "tending"
    assert _one(unit, "Service", "EnvironmentFile") == "/etc/tending/tending.env"
    assert _one(unit, "Service", "Restart") in ("on-failure", "always")
    assert _one(unit, "Service", "WorkingDirectory") == data_dir
    assert _one(unit, "Service", "ReadWritePaths").split() == [data_dir]
    assert _one(unit, "Service", "ProtectSystem") == "strict"
    assert _one(unit, "Install", "WantedBy") == "multi-user.target"
    assert _one(unit, "Service", "ExecStart").startswith(f"{TENDING} ")


def test_the_nightly_backup_keeps_a_few() -> None:
    service = _unit(UNITS["tending-backup.service"])
    timer = _unit(UNITS["tending-backup.timer"])
    assert _one(service, "Service", "Type") == "oneshot"
    assert _one(service, "Service", "User") == "tending"
    assert _one(service, "Service", "EnvironmentFile") == "/etc/tending/tending.env"
    command = shlex.split(_one(service, "Service", "ExecStart"))
    assert command[:2] == [TENDING, "backup"]
    folder = command[2]
    assert int(command[command.index("--keep") + 1]) >= 7
    writable = _one(service, "Service", "ReadWritePaths").split()
    assert sorted(writable) == sorted([_environment()["TENDING_DATA_DIR"], folder])
    assert f"install -d -o tending -g tending -m 0700 {folder}" in PAGE
    assert _one(timer, "Timer", "OnCalendar")
    assert _one(timer, "Timer", "Persistent") == "true"
    assert _one(timer, "Install", "WantedBy") == "timers.target"
    if shutil.which("systemd-analyze"):
        calendar = subprocess.run(
            ["systemd-analyze", "calendar", _one(timer, "Timer", "OnCalendar")],
            capture_output=True,
            text=True,
        )
        assert calendar.returncode == 0, calendar.stderr


def test_every_tending_command_on_the_page_is_one_tending_understands() -> None:
    lines: list[list[str]] = []
    for body in UNITS.values():
        for section in _unit(body).values():
            for command in section.get("ExecStart", []):
                args = shlex.split(command)
                assert args[0] == TENDING, command
                lines.append(args[1:])
    for body in _blocks("sh"):
        for line in body.replace("\\\n", " ").splitlines():
            if line.startswith("tending-admin "):
                lines.append(shlex.split(line, comments=True)[1:])
    assert len(lines) >= 10, lines
    for args in lines:
        _check_command_line(args)


def test_the_units_pass_systemd_analyze(tmp_path: Path) -> None:
    if not shutil.which("systemd-analyze"):
        pytest.skip("systemd-analyze is not on this machine; the keys are checked above")
    # systemd checks that the program exists: stand in for the installed one.
    stub = tmp_path / "tending"
    stub.write_text("#!/bin/sh\n")
    stub.chmod(0o755)
    for name, body in UNITS.items():
        (tmp_path / name).write_text(body.replace(TENDING, str(stub)) + "\n")
    result = subprocess.run(
        ["systemd-analyze", "verify", *sorted(str(tmp_path / name) for name in UNITS)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout + result.stderr == "", result.stdout + result.stderr


def test_the_environment_file_sets_only_documented_variables() -> None:
    values = _environment()
    known = set(tending_env.READ) | _env_names_in_source()
    for name in values:
        assert f"`{name}`" in CONFIGURATION, f"{name} is not in docs/configuration.md"
        assert name in known, f"Tending does not read {name}"
    assert values["SITE_URL"].startswith("https://")
    assert values["TENDING_PRODUCTION"] == "true"


def _caddy_blocks(text: str) -> list[tuple[list[str], Any]]:
    """The Caddyfile as nested (tokens, children) pairs, one per directive."""
    stack: list[list[tuple[list[str], Any]]] = [[]]
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line == "}":
            assert len(stack) > 1, "a } closes nothing"
            stack.pop()
            continue
        tokens = line.split()
        children: list[tuple[list[str], Any]] = []
        if tokens[-1] == "{":
            tokens = tokens[:-1]
            stack[-1].append((tokens, children))
            stack.append(children)
        else:
            stack[-1].append((tokens, children))
    assert len(stack) == 1, "a { is never closed"
    return stack[0]


def _find(blocks: list[tuple[list[str], Any]], name: str) -> tuple[list[str], Any]:
    (found,) = [b for b in blocks if b[0][0] == name]
    return found


@pytest.mark.parametrize("caddyfile", _blocks("caddy"))
def test_each_caddyfile_serves_the_site_over_https_to_tending(caddyfile: str) -> None:
    host = _environment()["SITE_URL"].removeprefix("https://")
    web = shlex.split(_one(_unit(UNITS["tending-web.service"]), "Service", "ExecStart"))
    port = web[web.index("--port") + 1]
    ((address, site),) = _caddy_blocks(caddyfile)
    # A bare host name is what turns on Caddy's automatic HTTPS.
    assert address == [host]
    words = caddyfile.split()
    for off in ("auto_https", "tls", "header_up", "log"):
        assert off not in words, f"{off} in the Caddyfile"
    body = _find(site, "request_body")
    assert _find(body[1], "max_size")[0] == ["max_size", "60MB"]
    proxy, options = _find(site, "reverse_proxy")
    upstreams = proxy[1:]
    assert upstreams and all(u.endswith(f":{port}") for u in upstreams), upstreams
    assert _find(options, "request_buffers")[0] == ["request_buffers", "60MB"]


def test_nginx_proxies_to_the_web_unit() -> None:
    web = shlex.split(_one(_unit(UNITS["tending-web.service"]), "Service", "ExecStart"))
    nginx = FILES["/etc/nginx/sites-available/tending"]
    host = _environment()["SITE_URL"].removeprefix("https://")
    assert f"proxy_pass http://127.0.0.1:{web[web.index('--port') + 1]};" in nginx
    assert nginx.count(f"server_name {host};") == 2
    assert nginx.count("{") == nginx.count("}")
