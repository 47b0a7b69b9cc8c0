"""Reading configuration from environment variables.

Every variable read here must be documented in docs/configuration.md; a test
enforces it by collecting the names passed to these helpers.
"""

from __future__ import annotations

import os
import secrets
import tomllib
from collections.abc import Callable
from pathlib import Path

# Every name read through these helpers, so the documentation test can check them.
READ: set[str] = set()
# Values that could not be understood; reported by the system check tending.E001
# instead of a traceback at start-up. The default is used meanwhile.
PROBLEMS: list[str] = []

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def envstr(name: str, default: str = "") -> str:
    READ.add(name)
    return os.environ.get(name, default)


def envbool(name: str, default: str) -> bool:
    value = envstr(name, default).strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    PROBLEMS.append(f"{name} must be true or false, not {value!r}.")
    return default.strip().lower() in _TRUE


def envint(name: str, default: str) -> int:
    value = envstr(name, default).strip()
    try:
        return int(value)
    except ValueError:
        PROBLEMS.append(f"{name} must be a whole number, not {value!r}.")
        return int(default)


def envlist(name: str, default: str) -> list[str]:
    return [part.strip() for part in envstr(name, default).split(",") if part.strip()]


def envsecret(
    name: str, path: Path, make: Callable[[], str] = lambda: secrets.token_urlsafe(50)
) -> tuple[str, bool]:
    """Return (secret, generated).

    When the variable is unset, a random secret (`make()`) is created once in
    `path` and reused on every later start, so sessions survive restarts
    without any set-up. `generated` tells the caller the secret came from the
    file, not the operator.
    """
    value = envstr(name)
    if value:
        return value, False
    try:
        if path.exists():
            return path.read_text().strip(), True
        path.parent.mkdir(parents=True, exist_ok=True)
        value = make()
        # Owner-only permissions; never overwrite a file another process just wrote.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return path.read_text().strip(), True
    except OSError as e:
        PROBLEMS.append(
            f"{name} is not set and no key could be kept in {path} ({e.strerror}); "
            "set it, or make TENDING_DATA_DIR writable."
        )
        # A throwaway key lets the checks run and report the problem.
        return make(), True
    with os.fdopen(fd, "w") as f:
        f.write(value)
    return value, True


def default_data_dir(package: Path) -> Path:
    """Where Tending keeps its data when TENDING_DATA_DIR is unset.

    In a checkout (Tending's own pyproject.toml beside the package, as with
    `make run` and editable installs): `var/` in the checkout. Installed as a
    package: $XDG_DATA_HOME/tending, or ~/.local/share/tending when that is
    unset or not an absolute path. Never a folder inside the installed code."""
    checkout = package.parent
    try:
        with (checkout / "pyproject.toml").open("rb") as f:
            if tomllib.load(f).get("project", {}).get("name") == "tending":
                return checkout / "var"
    except (OSError, tomllib.TOMLDecodeError):
        pass
    xdg = envstr("XDG_DATA_HOME")
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".local" / "share"
    return base / "tending"


def new_vapid_key() -> str:
    """A fresh VAPID private key (ECDSA P-256), as Web Push tools write it: the
    32-byte private number in unpadded base64url."""
    import base64

    from cryptography.hazmat.primitives.asymmetric import ec

    number = ec.generate_private_key(ec.SECP256R1()).private_numbers().private_value
    return base64.urlsafe_b64encode(number.to_bytes(32, "big")).rstrip(b"=").decode()
