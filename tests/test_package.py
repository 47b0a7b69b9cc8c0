"""Tending as a package: one version, from pyproject.toml, shown by `tending
--version`; a data directory that is never inside the installed code; and the
wheel itself, built with `python -m build`, installed into a new virtual
environment and run from another folder: migrate, serve in production mode
with its styles and without a system-check warning, and run the worker."""

from __future__ import annotations

import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import tomllib
import zipfile
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from django.conf import settings

import tending
from tending.lib.env import default_data_dir

ROOT = settings.BASE_DIR
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]


def test_the_version_comes_from_pyproject() -> None:
    assert tending.__version__ == VERSION


def test_tending_version_prints_it() -> None:
    script = Path(sys.executable).parent / "tending"
    result = subprocess.run([script, "--version"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"tending {VERSION}\n"


def test_in_a_checkout_the_data_directory_is_var(tmp_path: Path) -> None:
    package = tmp_path / "checkout" / "tending"
    package.mkdir(parents=True)
    (package.parent / "pyproject.toml").write_text('[project]\nname = "tending"\n')
    assert default_data_dir(package) == tmp_path / "checkout" / "var"


def test_installed_the_data_directory_is_the_users_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "site-packages" / "tending"
    package.mkdir(parents=True)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    home_default = tmp_path / "home" / ".local" / "share" / "tending"
    assert default_data_dir(package) == home_default
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert default_data_dir(package) == tmp_path / "xdg" / "tending"
    # The XDG specification ignores a relative path; so does Tending.
    monkeypatch.setenv("XDG_DATA_HOME", "relative/data")
    assert default_data_dir(package) == home_default
    # Another project's pyproject.toml beside the package does not make a checkout.
    (package.parent / "pyproject.toml").write_text('[project]\nname = "something-else"\n')
    assert default_data_dir(package) == home_default


# The wheel, built and installed as a self-hoster would: once per test session.

_NOT_SOURCE = shutil.ignore_patterns(
    ".git", ".venv", "var", "build", "dist", "*.egg-info", "__pycache__", "*.pyc", ".*_cache"
)


class Installed(NamedTuple):
    wheel: Path
    venv: Path


def _run(args: list[str | Path], **options: Any) -> str:
    result = subprocess.run(
        args, capture_output=True, text=True, timeout=600, check=False, **options
    )
    assert result.returncode == 0, f"{args}\n{result.stdout}\n{result.stderr}"
    return result.stdout + result.stderr


@pytest.fixture(scope="session")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    """`python -m build` on a copy of the checkout (an sdist, then the wheel from
    it), and the wheel installed into a new virtual environment."""
    base = tmp_path_factory.mktemp("package")
    source = base / "source"
    shutil.copytree(ROOT, source, ignore=_NOT_SOURCE)
    _run([sys.executable, "-m", "build", "--outdir", base / "dist", source])
    (wheel,) = (base / "dist").glob("tending-*.whl")
    venv = base / "venv"
    _run([sys.executable, "-m", "venv", venv])
    _run([venv / "bin" / "pip", "install", "-q", "--disable-pip-version-check", wheel])
    return Installed(wheel, venv)


def _site_env(home: Path, **extra: str) -> dict[str, str]:
    """A user's environment with none of this test run's configuration."""
    keep = ("PATH", "LANG", "LC_ALL", "TZ", "SYSTEMROOT")
    env = {k: v for k, v in os.environ.items() if k in keep}
    env.update(HOME=str(home), **extra)
    return env


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.package
def test_the_wheel_holds_every_file_the_package_has(installed: Installed) -> None:
    with zipfile.ZipFile(installed.wheel) as wheel:
        shipped = set(wheel.namelist())
    package = ROOT / "tending"
    ours = {
        path.relative_to(ROOT).as_posix()
        for path in package.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }
    assert ours - shipped == set()
    # The site-wide templates and assets among them, and every migration.
    assert {"tending/templates/base.html", "tending/static/css/tending.css"} <= shipped
    assert any(name.endswith("/migrations/0001_initial.py") for name in shipped)
    assert not any(name.startswith(("tests/", "bench/", "var/")) for name in shipped)


@pytest.mark.package
def test_the_installed_package_migrates_serves_and_works(
    installed: Installed, tmp_path: Path
) -> None:
    tending_command = installed.venv / "bin" / "tending"
    home, site = tmp_path / "home", tmp_path / "elsewhere"
    home.mkdir()
    site.mkdir()
    env = _site_env(
        home,
        SECRET_KEY="package-test-" + "Zq8wLx3v" * 6,
        SITE_URL="https://tending.example.org",
        EMAIL_HOST="smtp.example.org",
    )
    where = _run(
        [installed.venv / "bin" / "python", "-c", "import tending; print(tending.__file__)"],
        cwd=site,
        env=env,
    )
    assert where.startswith(str(installed.venv)), where
    assert _run([tending_command, "--version"], cwd=site, env=env) == f"tending {VERSION}\n"
    migrated = _run([tending_command, "migrate", "--noinput"], cwd=site, env=env)
    assert "WARNINGS" not in migrated, migrated
    # Installed, the data lives in the user's data folder, never beside the code.
    data_dir = home / ".local" / "share" / "tending"
    assert (data_dir / "tending.sqlite3").is_file()
    assert not list(installed.venv.rglob("tending.sqlite3"))

    port = _free_port()
    log_path = tmp_path / "serve.log"
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            [tending_command, "serve", "--prod", "--port", str(port), "--workers", "1"],
            cwd=site,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        page = _get_when_up(port, server, log_path)
        stylesheet = re.search(r'<link rel="stylesheet" href="([^"]+)"', page)
        assert stylesheet, page
        status, content_type, body = _get(port, stylesheet[1])
        assert status == 200 and content_type.startswith("text/css")
        assert len(body) > 1000
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    output = log_path.read_text()
    assert "System check identified no issues" in output, output
    assert "WARNINGS" not in output and "Traceback" not in output, output

    worker = _run([tending_command, "worker", "--once"], cwd=site, env=env)
    assert "worker stopped" in worker and "WARNINGS" not in worker, worker


def _get(port: int, path: str) -> tuple[int, str, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type", ""), response.read()
    finally:
        connection.close()


def _get_when_up(port: int, server: subprocess.Popen[bytes], log_path: Path) -> str:
    """The home page, once the server answers; it must answer 200."""
    deadline = time.monotonic() + 90
    while True:
        assert server.poll() is None, log_path.read_text()
        try:
            status, _, body = _get(port, "/")
        except OSError:
            assert time.monotonic() < deadline, log_path.read_text()
            time.sleep(0.3)
            continue
        assert status == 200, f"/ answered {status}\n{log_path.read_text()}"
        return body.decode()


def test_a_data_directory_inside_the_code_is_warned_about(settings: Any) -> None:
    from tending.ops.checks import configuration

    settings.DATA_DIR = settings.PACKAGE_DIR / "lib"  # exists, so nothing is created
    ids = [message.id for message in configuration(None)]
    assert "tending.W003" in ids
    settings.DATA_DIR = settings.BASE_DIR / "var"
    assert "tending.W003" not in [message.id for message in configuration(None)]
