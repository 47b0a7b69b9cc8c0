"""Bad configuration, reported as Django system checks with ids and plain advice."""

from __future__ import annotations

import contextlib
import os
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Warning, register

from tending.lib.env import PROBLEMS


def secret_key_is_weak(key: str) -> bool:
    return len(key) < 40 or len(set(key)) < 12 or key.startswith("django-insecure")


@register()
def configuration(app_configs: Any, **kwargs: Any) -> list[Any]:
    errors: list[Any] = [
        Error(problem, hint="See docs/configuration.md.", id="tending.E001") for problem in PROBLEMS
    ]
    site = urlsplit(settings.SITE_URL)
    if site.scheme not in ("http", "https") or not site.netloc:
        errors.append(
            Error(
                f"SITE_URL must be the address people use, like https://tending.example.org, "
                f"not {settings.SITE_URL!r}.",
                id="tending.E002",
            )
        )
    data_dir = settings.DATA_DIR
    if not data_dir.exists():
        with contextlib.suppress(OSError):
            data_dir.mkdir(parents=True, exist_ok=True)
    if not (data_dir.is_dir() and os.access(data_dir, os.W_OK)):
        errors.append(
            Error(
                f"TENDING_DATA_DIR ({data_dir}) must be a folder Tending can write to.",
                id="tending.E003",
            )
        )
    if data_dir.resolve().is_relative_to(settings.PACKAGE_DIR):
        errors.append(
            Warning(
                f"TENDING_DATA_DIR ({data_dir}) is inside Tending's own code, which an upgrade "
                "replaces: people's data would go with it.",
                hint="Use a folder of its own, such as /var/lib/tending.",
                id="tending.W003",
            )
        )
    if settings.PRODUCTION:
        if secret_key_is_weak(settings.SECRET_KEY):
            errors.append(
                Error(
                    "SECRET_KEY is too weak for production: use at least 40 random characters.",
                    hint='For example: python -c "import secrets; print(secrets.token_urlsafe(50))"',
                    id="tending.E004",
                )
            )
        if settings.DEBUG:
            errors.append(
                Error(
                    "DEBUG must be off in production: debug pages show too much.",
                    id="tending.E005",
                )
            )
        if site.scheme != "https":
            errors.append(
                Warning(
                    "SITE_URL is not https: cookies will travel unencrypted. "
                    "Put Tending behind a reverse proxy with TLS.",
                    id="tending.W001",
                )
            )
        if settings.EMAIL_BACKEND.endswith("console.EmailBackend"):
            errors.append(
                Warning(
                    "EMAIL_HOST is not set: emails (sign-up links, password resets) are only "
                    "printed to the server's output.",
                    id="tending.W002",
                )
            )
    if not 0 < settings.EMAIL_PORT < 65536:
        errors.append(Error("EMAIL_PORT must be between 1 and 65535.", id="tending.E006"))
    if settings.EMAIL_USE_TLS and settings.EMAIL_USE_SSL:
        errors.append(
            Error(
                "EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be on: pick TLS for port 587, "
                "SSL for port 465.",
                id="tending.E007",
            )
        )
    return errors
