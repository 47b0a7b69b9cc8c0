"""Configuration: every environment variable is documented, bad values become
system check errors with ids, secure defaults follow SITE_URL, and production
refuses a weak SECRET_KEY. Start-up behaviour is tested in real subprocesses,
each with its own data folder, so nothing here touches the checkout's var/."""

from __future__ import annotations

import hashlib
import os
import re
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

import tending
from tending.accounts.models import User
from tending.bonds.models import Bond
from tending.lib import env as tending_env

from .conftest import client_for

ROOT = settings.BASE_DIR
DOCS = ROOT / "docs" / "configuration.md"
# Names a process reads from its environment, written as a string literal.
_ENV_USE = re.compile(
    r"""os\.(?:environ(?:\.(?:get|setdefault|pop))?\s*[\[(]|getenv\s*\()\s*["']([A-Za-z_][A-Za-z0-9_]*)["']"""
)
# Variables the test run itself may carry, which would change what a subprocess sees.
_OURS = ("DATABASE_URL", "SECRET_KEY", "DEBUG", "SITE_URL", "ALLOWED_HOSTS", "EMAIL_", "LOG_LEVEL")


def _env_names_in_source() -> set[str]:
    names: set[str] = set()
    for path in Path(tending.__file__).parent.rglob("*.py"):
        names.update(_ENV_USE.findall(path.read_text(encoding="utf-8")))
    return names


def _clean_env(tmp_path: Path, **env: str) -> dict[str, str]:
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(_OURS) and not k.startswith("TENDING_")
    }
    base.update(DJANGO_SETTINGS_MODULE="tending.settings", TENDING_DATA_DIR=str(tmp_path))
    base.update(env)
    return base


def _django(tmp_path: Path, *args: str, **env: str) -> tuple[int, str]:
    """Run `python -m django ARGS` with a clean configuration plus `env`;
    returns (exit code, stdout and stderr together)."""
    result = subprocess.run(
        [sys.executable, "-m", "django", *args],
        env=_clean_env(tmp_path, **env),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return result.returncode, result.stdout + result.stderr


# Documentation


def test_every_variable_is_documented() -> None:
    read = set(tending_env.READ)
    used = _env_names_in_source()
    # The collection itself must work, or this test could never fail.
    assert {"SECRET_KEY", "DATABASE_URL", "SITE_URL", "DEBUG"} <= read
    assert "FORWARDED_ALLOW_IPS" in used
    assert DOCS.exists(), "docs/configuration.md is missing"
    text = DOCS.read_text(encoding="utf-8")
    # Documented means named as code (`NAME`), as the tables there do.
    missing = sorted(n for n in read | used if f"`{n}`" not in text)
    assert missing == [], f"undocumented in docs/configuration.md: {missing}"


def test_the_source_scan_finds_every_form() -> None:
    sample = """
    os.environ.get("A_ONE", "x")
    os.environ["B_TWO"]
    os.getenv('C_THREE')
    os.environ.setdefault("D_FOUR", "y")
    os.environ.get(name)
    """
    assert set(_ENV_USE.findall(sample)) == {"A_ONE", "B_TWO", "C_THREE", "D_FOUR"}


# System checks


@pytest.mark.parametrize(
    ("env", "check_id", "words"),
    [
        ({"DEBUG": "maybe"}, "tending.E001", "DEBUG"),
        ({"LOGIN_LOCK_AFTER": "ten"}, "tending.E001", "LOGIN_LOCK_AFTER"),
        ({"SITE_URL": "ftp://x"}, "tending.E002", "SITE_URL"),
        ({"TENDING_PRODUCTION": "true", "SECRET_KEY": "short"}, "tending.E004", "SECRET_KEY"),
        ({"DATABASE_URL": "nonsense://"}, "tending.E001", "DATABASE_URL"),
        ({"EMAIL_USE_SSL": "true"}, "tending.E007", "EMAIL_USE_TLS"),
    ],
    ids=["debug", "int", "site-url", "weak-key", "database-url", "tls-and-ssl"],
)
def test_bad_values_are_check_errors(
    tmp_path: Path, env: dict[str, str], check_id: str, words: str
) -> None:
    code, output = _django(tmp_path, "check", **env)
    assert code != 0, output
    lines = [line for line in output.splitlines() if check_id in line]
    assert lines, output
    assert any(words in line for line in lines), output
    assert "Traceback" not in output


def test_default_configuration_has_no_issues(tmp_path: Path) -> None:
    code, output = _django(tmp_path, "check")
    assert code == 0, output
    assert "System check identified no issues" in output


def test_secret_key_file_is_created_private_and_reused(tmp_path: Path) -> None:
    show = (
        "import hashlib; from django.conf import settings as s; "
        "print(hashlib.sha256(s.SECRET_KEY.encode()).hexdigest(), s.SECRET_KEY_GENERATED)"
    )
    key_file = tmp_path / "secret_key"
    assert not key_file.exists()
    code, first = _django(tmp_path, "shell", "-v", "0", "-c", show)
    assert code == 0, first
    assert key_file.exists()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    stored = key_file.read_text().strip()
    assert len(stored) >= 50
    assert first.split() == [hashlib.sha256(stored.encode()).hexdigest(), "True"]
    code, second = _django(tmp_path, "shell", "-v", "0", "-c", show)
    assert code == 0, second
    assert second == first
    assert key_file.read_text().strip() == stored


def test_https_site_url_turns_on_secure_cookies_and_hsts(tmp_path: Path) -> None:
    show = (
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS)"
    )
    code, output = _django(
        tmp_path, "shell", "-v", "0", "-c", show, SITE_URL="https://tending.example.org"
    )
    assert code == 0, output
    session_secure, csrf_secure, hsts = output.split()
    assert (session_secure, csrf_secure) == ("True", "True")
    assert int(hsts) > 0
    code, plain = _django(
        tmp_path, "shell", "-v", "0", "-c", show, SITE_URL="http://127.0.0.1:8000"
    )
    assert plain.split() == ["False", "False", "0"]


def _until_refused(env: dict[str, str], *args: str) -> tuple[int, str]:
    """Run a `django` command that would serve forever if it started; its exit code
    and output once it refuses (a process group that started after all is killed)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "django", *args],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        output, _ = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    return process.returncode, output


def test_serve_prod_refuses_a_weak_secret_key(tmp_path: Path) -> None:
    env = _clean_env(tmp_path, SECRET_KEY="short", SITE_URL="https://tending.example.org")
    returncode, output = _until_refused(env, "serve", "--prod", "--port", "8765", "--workers", "1")
    assert returncode != 0, output
    assert "SECRET_KEY" in output
    assert "tending.E004" in output
    assert "is at http" not in output


# Security headers


def _pages(alice: User, bond: Bond) -> list[tuple[Client, str]]:
    anonymous, signed_in = Client(), client_for(alice)
    return [
        (anonymous, reverse("landing")),
        (anonymous, reverse("accounts:login")),
        (anonymous, reverse("accounts:signup")),
        (anonymous, reverse("accounts:password_reset")),
        (anonymous, "/bonds/join/not-a-token/"),
        (anonymous, "/no/such/page/"),
        (signed_in, reverse("bonds:home")),
        (signed_in, reverse("bonds:create")),
        (signed_in, bond.get_absolute_url()),
        (signed_in, reverse("accounts:account")),
        (signed_in, reverse("accounts:export")),
        (signed_in, reverse("accounts:delete")),
    ]


def test_every_page_has_a_strict_content_security_policy(alice: User, bond: Bond) -> None:
    for client, url in _pages(alice, bond):
        response = client.get(url)
        assert response.status_code in (200, 404), url
        policy = response.headers.get("Content-Security-Policy")
        assert policy, url
        directives = {
            part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()
        }
        scripts = directives.get("script-src", directives.get("default-src"))
        assert scripts is not None, url
        assert "'unsafe-inline'" not in scripts, url
        assert "'unsafe-eval'" not in scripts, url
        assert directives.get("object-src") == ["'none'"], url
        assert directives.get("frame-ancestors") == ["'none'"], url
        # The policy would block inline scripts, so the pages must not need any.
        assert not re.search(r"<script(?![^>]*\bsrc=)", response.content.decode()), url
