"""Two machines, one Tending: two `tending serve --prod` processes, each with a
data directory of its own, sharing one PostgreSQL database (created for this
test), one S3 endpoint (moto, on 127.0.0.1) and one Redis cache, plus a
`tending worker` with a third data directory. What one node takes in, the
other serves: a voice message uploaded through node A plays through node B, an
export uploaded through A is read by the worker and shown through B, a log-in
session from A holds on B, and so does a log-in lock reached on A."""

from __future__ import annotations

import http.cookiejar
import os
import re
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

import dj_database_url
import psycopg
import pytest
from django.urls import reverse

from tests.conftest import PASSWORD, S3_KEYS, free_port, new_bucket, s3_client
from tests.test_insights_web import whatsapp_chat
from tests.test_notes_audio import SAMPLES

# The nodes share a PostgreSQL database of their own whichever database the suite
# uses, so the test runs once per `make test`: in its PostgreSQL pass.
pytestmark = [
    pytest.mark.nodes,
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
        reason="runs once per make test, in the PostgreSQL pass",
    ),
]

TENDING = Path(sys.executable).parent / "tending"
SETUP = f"""
from tending.accounts.models import User
from tending.bonds.models import Bond, Kind, Membership
alice = User.objects.create_user("alice@example.org", {PASSWORD!r}, display_name="Alice")
bob = User.objects.create_user("bob@example.org", {PASSWORD!r}, display_name="Bob")
bond = Bond.objects.create(kind=Kind.PARTNER, created_by=alice)
Membership.objects.create(bond=bond, user=alice)
Membership.objects.create(bond=bond, user=bob)
print("BOND", bond.pk)
"""


def _server_url() -> str:
    """The PostgreSQL server: the suite's own when it runs on PostgreSQL, else the local one."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        parts = dj_database_url.parse(url)
        auth = parts["USER"] + (f":{parts['PASSWORD']}" if parts["PASSWORD"] else "")
        return f"postgresql://{auth}@{parts['HOST'] or '127.0.0.1'}:{parts['PORT'] or 5432}"
    return "postgresql://postgres@127.0.0.1:5432"


@pytest.fixture
def shared_database() -> Iterator[str]:
    """A PostgreSQL database of its own, dropped afterwards."""
    server = _server_url()
    name = f"tending_nodes_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{server}/{name}"
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Process(NamedTuple):
    popen: subprocess.Popen[bytes]
    log: Path


class Cluster(NamedTuple):
    a: str
    b: str
    bond: int
    database: str
    bucket: str
    endpoint: str
    data_dirs: list[Path]


def _environment(database: str, endpoint: str, bucket: str, data_dir: Path) -> dict[str, str]:
    keep = ("PATH", "LANG", "LC_ALL", "TZ", "HOME")
    env = {k: v for k, v in os.environ.items() if k in keep}
    env.update(
        DJANGO_SETTINGS_MODULE="tending.settings",
        TENDING_DATA_DIR=str(data_dir),
        DATABASE_URL=database,
        SECRET_KEY=SHARED_KEY,
        SITE_URL="http://127.0.0.1",
        FILE_STORAGE="s3",
        S3_BUCKET=bucket,
        S3_ENDPOINT_URL=endpoint,
        S3_REGION="us-east-1",
        S3_ACCESS_KEY_ID=S3_KEYS["access_key"],
        S3_SECRET_ACCESS_KEY=S3_KEYS["secret_key"],
        CACHE_URL="redis://127.0.0.1:6379/7",
        CACHE_KEY_PREFIX=f"tending-nodes-{bucket}",
        LOGIN_LOCK_AFTER="6",
        WORKER_IDLE_SECONDS="1",
        PYTHONUNBUFFERED="1",
    )
    return env


SHARED_KEY = "two-nodes-" + secrets.token_urlsafe(40)


def _run(args: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, f"{args}\n{done.stdout}\n{done.stderr}"
    return done.stdout


def _start(args: list[str], env: dict[str, str], log: Path) -> Process:
    with log.open("wb") as out:
        popen = subprocess.Popen(
            args, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    return Process(popen, log)


def _wait_until_up(url: str, process: Process) -> None:
    deadline = time.monotonic() + 180
    while True:
        assert process.popen.poll() is None, process.log.read_text()
        try:
            with urllib.request.urlopen(f"{url}/accounts/login/", timeout=5) as page:  # noqa: S310
                assert page.status == 200
                return
        except OSError:
            assert time.monotonic() < deadline, process.log.read_text()
            time.sleep(0.5)


def _stop(process: Process) -> None:
    if process.popen.poll() is None:
        os.killpg(process.popen.pid, signal.SIGTERM)
        try:
            process.popen.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.popen.pid, signal.SIGKILL)
            process.popen.wait()


@pytest.fixture
def cluster(
    shared_database: str, s3_endpoint: str, tmp_path: Path
) -> Iterator[tuple[Cluster, list[Process]]]:
    bucket = new_bucket(s3_endpoint)
    dirs = [tmp_path / name for name in ("node-a", "node-b", "worker")]
    envs = [_environment(shared_database, s3_endpoint, bucket, d) for d in dirs]
    _run([str(TENDING), "migrate", "--noinput", "-v", "0"], envs[0])
    bond = int(re.search(r"BOND (\d+)", _run([str(TENDING), "shell", "-c", SETUP], envs[0]))[1])
    ports = [free_port(), free_port()]
    processes = [
        _start(
            [str(TENDING), "serve", "--prod", "--port", str(port), "--workers", "1"],
            env,
            tmp_path / f"node-{name}.log",
        )
        for port, env, name in zip(ports, envs, "ab", strict=False)
    ]
    processes.append(_start([str(TENDING), "worker"], envs[2], tmp_path / "worker.log"))
    try:
        urls = [f"http://127.0.0.1:{port}" for port in ports]
        for url, process in zip(urls, processes, strict=False):
            _wait_until_up(url, process)
        yield (
            Cluster(urls[0], urls[1], bond, shared_database, bucket, s3_endpoint, dirs),
            processes,
        )
    finally:
        for process in processes:
            _stop(process)


class _Keep(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # let the test see the 302 itself


class Person:
    """A browser of sorts: its own cookies, CSRF tokens taken from the page."""

    def __init__(self) -> None:
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _Keep()
        )

    def request(
        self, url: str, data: bytes | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        request = urllib.request.Request(url, data=data, headers=headers or {})  # noqa: S310
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()

    def token(self, url: str) -> str:
        status, _, body = self.request(url)
        assert status == 200, (url, status)
        found = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        assert found, body[:2000]
        return found[1].decode()

    def post(
        self,
        form: str,
        url: str,
        fields: dict[str, str],
        upload: tuple[str, str, bytes] | None = None,
    ) -> tuple[int, dict[str, str], bytes]:
        """Post to `url` with the CSRF token of the page at `form`, as a browser would."""
        fields = {"csrfmiddlewaretoken": self.token(form), **fields}
        if upload is None:
            body = urllib.parse.urlencode(fields).encode()
            kind = "application/x-www-form-urlencoded"
        else:
            body, kind = _multipart(fields, upload)
        return self.request(url, body, {"Content-Type": kind})

    def log_in(self, node: str, email: str, password: str = PASSWORD) -> tuple[int, bytes]:
        page = f"{node}/accounts/login/"
        status, _, body = self.post(page, page, {"email": email, "password": password})
        return status, body


def _multipart(fields: dict[str, str], upload: tuple[str, str, bytes]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        for k, v in fields.items()
    ]
    field, filename, data = upload
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{filename}"'
        "\r\nContent-Type: application/octet-stream\r\n\r\n".encode()
        + data
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def _one(database: str, query: str) -> Any:
    with psycopg.connect(database) as connection:
        row = connection.execute(query).fetchone()
    return row[0] if row else None


def test_two_nodes_share_files_sessions_and_log_in_locks(
    cluster: tuple[Cluster, list[Process]],
) -> None:
    nodes, processes = cluster
    a, b, bond = nodes.a, nodes.b, nodes.bond
    alice, bob = Person(), Person()
    assert alice.log_in(a, "alice@example.org")[0] == 302
    assert bob.log_in(b, "bob@example.org")[0] == 302

    # alice's session, begun on A, holds on B (one database, one secret key).
    status, _, page = alice.request(b + reverse("notes:index", args=[bond]))
    assert status == 200 and reverse("notes:create", args=[bond]).encode() in page

    # A voice message uploaded through A plays through B.
    recording = SAMPLES["ogg_opus"]
    notes = a + reverse("notes:index", args=[bond])
    status, headers, _ = alice.post(
        notes,
        a + reverse("notes:create", args=[bond]),
        {"text": "", "timing": "now"},
        ("voice", "hello.ogg", recording),
    )
    assert status == 302, headers
    note = _one(nodes.database, "SELECT id FROM notes_note ORDER BY id DESC LIMIT 1")
    voice = reverse("notes:voice", args=[bond, note])
    status, headers, played = bob.request(b + voice)
    assert status == 200 and played == recording
    assert headers["Content-Type"] == "audio/ogg"
    assert headers["Cache-Control"] == "private, no-store"
    assert Person().request(b + voice)[0] == 404  # nobody logged in: nothing to see
    keys = s3_client(nodes.endpoint).list_objects_v2(Bucket=nodes.bucket).get("Contents", [])
    assert [k["Key"].split("/")[0] for k in keys] == ["voice"]
    # Nothing of it was written to either node's data directory.
    for data_dir in nodes.data_dirs:
        assert not (data_dir / "voice").exists() and not (data_dir / "imports").exists()

    # An export uploaded through A is read by the worker and shown through B.
    insights = a + reverse("insights:index", args=[bond])
    status, headers, _ = alice.post(
        insights,
        a + reverse("insights:upload", args=[bond]),
        {"format": "auto"},
        ("file", "chat.txt", whatsapp_chat()),
    )
    assert status == 302, headers
    detail = urllib.parse.urlsplit(headers["Location"]).path
    deadline = time.monotonic() + 180
    while True:
        status, _, page = alice.request(b + detail)
        assert status == 200
        if b"Who is who?" in page:
            break
        assert processes[2].popen.poll() is None, processes[2].log.read_text()
        assert time.monotonic() < deadline, processes[2].log.read_text()
        time.sleep(0.5)
    keys = s3_client(nodes.endpoint).list_objects_v2(Bucket=nodes.bucket).get("Contents", [])
    assert [k["Key"].split("/")[0] for k in keys] == ["voice"]  # the export is gone

    # A log-in lock reached on A holds on B: the counts live in the database.
    mallory = Person()
    failures = 0
    deadline = time.monotonic() + 120
    while failures < 6:
        _, body = mallory.log_in(a, "bob@example.org", "not the password at all")
        if b"don&#x27;t match" in body or b"don't match" in body:
            failures += 1
        else:  # slowed down: this attempt did not count; try again shortly
            assert b"please wait" in body, body[:2000]
            assert time.monotonic() < deadline
            time.sleep(0.5)
    status, body = Person().log_in(b, "bob@example.org")  # the right password, on B
    assert status == 200 and b"please wait 15 minutes" in body
    assert _one(nodes.database, "SELECT count(*) FROM accounts_clientthrottle") == 1

    for process in processes:
        assert b"Traceback" not in process.log.read_bytes(), process.log.read_text()
