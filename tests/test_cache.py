"""CACHES comes from the environment: each process's own memory by default,
the local Redis (127.0.0.1:6379) when CACHE_URL names it, shared by every
process. Bad storage and cache settings are check errors, not tracebacks."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from django.core.cache import caches

from tests.test_configuration import _django

REDIS = "redis://127.0.0.1:6379/7"
SHOW = "from django.conf import settings; print(settings.CACHES['default'])"


def test_without_cache_url_each_process_caches_in_its_own_memory(tmp_path: Path) -> None:
    code, output = _django(tmp_path, "shell", "-c", SHOW, CACHE_URL="")
    assert code == 0, output
    assert "LocMemCache" in output and "Redis" not in output


def test_the_redis_cache_is_shared_between_processes(settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    prefix = f"tending-test-{uuid.uuid4().hex}"  # this run's keys only
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS,
            "KEY_PREFIX": prefix,
        }
    }
    cache = caches["default"]
    try:
        # Another process, configured only through the environment, writes...
        code, output = _django(
            tmp_path,
            "shell",
            "-c",
            SHOW + "; from django.core.cache import cache; cache.set('garden', 'drawn', 60)",
            CACHE_URL=REDIS,
            CACHE_KEY_PREFIX=prefix,
        )
        assert code == 0, output
        assert "RedisCache" in output and REDIS in output
        # ...and this one reads it.
        assert cache.get("garden") == "drawn"
        cache.set("count", 1, 60)
        assert cache.incr("count") == 2
    finally:
        cache.delete_many(["garden", "count"])
    assert cache.get("garden") is None


@pytest.mark.parametrize(
    ("env", "words"),
    [
        ({"FILE_STORAGE": "nowhere"}, "FILE_STORAGE must be folder or s3"),
        ({"FILE_STORAGE": "s3"}, "S3_BUCKET must name the bucket"),
        ({"S3_BUCKET": "files"}, "FILE_STORAGE is not s3"),
        (
            {"FILE_STORAGE": "s3", "S3_BUCKET": "b", "S3_ENDPOINT_URL": "minio:9000"},
            "S3_ENDPOINT_URL must look like",
        ),
        (
            {"FILE_STORAGE": "s3", "S3_BUCKET": "b", "S3_ACCESS_KEY_ID": "only-half"},
            "set together",
        ),
        ({"CACHE_URL": "memcached://127.0.0.1:11211"}, "CACHE_URL must be a Redis URL"),
    ],
    ids=["storage", "no-bucket", "bucket-alone", "endpoint", "half-keys", "cache-url"],
)
def test_bad_storage_and_cache_settings_are_check_errors(
    tmp_path: Path, env: dict[str, str], words: str
) -> None:
    code, output = _django(tmp_path, "check", **env)
    assert code != 0, output
    assert any("tending.E001" in line and words in line for line in output.splitlines()), output
    assert "Traceback" not in output


def test_s3_settings_make_private_s3_storages(tmp_path: Path) -> None:
    show = "from django.conf import settings; print(settings.STORAGES['voice']['BACKEND'], settings.STORAGES['imports']['OPTIONS']['location'])"
    code, output = _django(
        tmp_path, "shell", "-c", show, FILE_STORAGE="s3", S3_BUCKET="b", S3_PREFIX="/prod/"
    )
    assert code == 0, output
    assert "tending.lib.s3.PrivateS3Storage prod/imports" in output
    code, output = _django(tmp_path, "shell", "-c", show.replace("['OPTIONS']['location']", ""))
    assert code == 0 and "tending.lib.files.PrivateFileStorage" in output, output
