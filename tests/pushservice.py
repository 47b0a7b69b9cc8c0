"""A small Web Push service on 127.0.0.1 for the tests: it checks each push's
VAPID token (ES256 signature with the key it names, `aud` is this service's
origin, `exp` in the next 24 hours), decrypts the aes128gcm body with the
test subscription's private key, and records what it read.

Every payload any test sends through it is checked for leak markers when the
test ends (`push_service` fixture), so no push can carry what someone wrote.
"""

from __future__ import annotations

import base64
import json
import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import http_ece
import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from tests.world import PRIVATE_MARK, SHARED_MARK

# Texts that tests write into entries; none may ever reach a push.
LEAK_MARKERS = [
    PRIVATE_MARK.format(who="alice"),
    PRIVATE_MARK.format(who="bob"),
    SHARED_MARK,
    "PUSH-SECRET-93d1",
]


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Subscription:
    """A browser's side of a subscription: its key pair and auth secret."""

    path: str
    private: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1())
    )
    auth: bytes = field(default_factory=lambda: os.urandom(16))

    @property
    def p256dh(self) -> str:
        return b64(
            self.private.public_key().public_bytes(
                serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
            )
        )

    def as_json(self, origin: str) -> dict[str, Any]:
        return {
            "endpoint": origin + self.path,
            "keys": {"p256dh": self.p256dh, "auth": b64(self.auth)},
        }


@dataclass
class Received:
    path: str
    status: int
    headers: dict[str, str]
    claims: dict[str, Any]
    payload: dict[str, Any]
    raw: bytes


class PushService:
    def __init__(self) -> None:
        self.subscriptions: dict[str, Subscription] = {}
        self.received: list[Received] = []
        self.problems: list[str] = []
        # path -> list of (status, extra headers) to answer, in turn; then 201.
        self.answers: dict[str, list[tuple[int, dict[str, str]]]] = {}
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.origin = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def subscribe(self, name: str) -> Subscription:
        sub = Subscription(f"/push/{name}")
        self.subscriptions[sub.path] = sub
        return sub

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def payloads(self) -> list[dict[str, Any]]:
        return [r.payload for r in self.received]

    def _check_vapid(self, authorization: str) -> dict[str, Any]:
        scheme, _, params = authorization.partition(" ")
        if scheme.lower() != "vapid":
            raise ValueError(f"not a vapid authorization: {scheme}")
        parts = dict(p.strip().split("=", 1) for p in params.split(","))
        token, key = parts["t"], parts["k"]
        header_b64, claims_b64, signature_b64 = token.split(".")
        header = json.loads(unb64(header_b64))
        if header.get("alg") != "ES256":
            raise ValueError(f"alg {header.get('alg')}")
        public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64(key))
        signature = unb64(signature_b64)
        r, s = int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
        try:
            public.verify(
                encode_dss_signature(r, s),
                f"{header_b64}.{claims_b64}".encode(),
                ec.ECDSA(hashes.SHA256()),
            )
        except InvalidSignature as e:
            raise ValueError("bad VAPID signature") from e
        claims = json.loads(unb64(claims_b64))
        if claims.get("aud") != self.origin:
            raise ValueError(f"aud {claims.get('aud')} is not {self.origin}")
        if not time.time() < claims["exp"] <= time.time() + 24 * 3600:
            raise ValueError("exp is not within the next 24 hours")
        if not str(claims.get("sub", "")).startswith(("mailto:", "https://")):
            raise ValueError("no sub")
        claims["k"] = key
        return claims

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        service = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                headers = {k.lower(): v for k, v in self.headers.items()}
                try:
                    sub = service.subscriptions[self.path]
                    claims = service._check_vapid(self.headers["Authorization"])
                    if self.headers.get("Content-Encoding") != "aes128gcm":
                        raise ValueError("not aes128gcm")
                    plain = http_ece.decrypt(
                        body, private_key=sub.private, auth_secret=sub.auth, version="aes128gcm"
                    )
                    payload = json.loads(plain)
                except Exception as e:  # recorded and refused, as a real service would
                    service.problems.append(f"{self.path}: {e!r}")
                    self.send_response(400)
                    self.end_headers()
                    return
                status, extra = 201, {}
                queue = service.answers.get(self.path)
                if queue:
                    status, extra = queue.pop(0)
                service.received.append(Received(self.path, status, headers, claims, payload, body))
                self.send_response(status)
                for k, v in extra.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", "0")
                self.end_headers()

        return Handler


def assert_no_leaks(service: PushService) -> None:
    for r in service.received:
        text = json.dumps(r.payload, ensure_ascii=False)
        for marker in LEAK_MARKERS:
            assert marker not in text, f"a push to {r.path} carried {marker!r}"
        assert set(r.payload) <= {"title", "body", "url", "tag"}, r.payload


@pytest.fixture
def push_service(settings) -> Iterator[PushService]:  # type: ignore[no-untyped-def]
    service = PushService()
    settings.PUSH_HTTP_HOSTS = ["127.0.0.1"]
    try:
        yield service
    finally:
        service.close()
    assert_no_leaks(service)
    assert not service.problems, service.problems
