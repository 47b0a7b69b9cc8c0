"""Tending as a package: one version, from pyproject.toml, shown by `tending
--version`; and a data directory that is never inside the installed code."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

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
