"""Every URL, requested as alice, bob, charlie and an anonymous visitor.

The URL configuration is walked, so a URL added later is covered without
touching this file. alice and bob share a bond full of entries of every kind,
each carrying a marker text; charlie, who is in no bond with them, must never
get anything but a redirect to log in, a 404 or a 405 for their bond's URLs,
and no response to anyone other than the author may contain a private marker.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tending.bonds.privacy import Entry, Visibility, entry_models
from tests.conftest import client_for
from tests.world import ENTRY_MAKERS


@dataclass(frozen=True)
class Route:
    name: str
    pattern: str
    params: tuple[str, ...]


def _walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> Iterator[Route]:
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace or ""
            full_ns = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from _walk(p.url_patterns, prefix + str(p.pattern), full_ns)
        elif isinstance(p, URLPattern) and p.name:
            name = f"{namespace}:{p.name}" if namespace else p.name
            pattern = prefix + str(p.pattern)
            params = tuple(re.findall(r"<(?:\w+:)?(\w+)>", pattern))
            yield Route(name, pattern, params)


ROUTES = [r for r in _walk(get_resolver().url_patterns) if not r.name.startswith("admin:")]


def _fill(route: Route, values: dict[str, Any]) -> str:
    path = route.pattern
    for param in route.params:
        path = re.sub(rf"<(?:\w+:)?{param}>", str(values.get(param, 1)), path, count=1)
    return "/" + path.lstrip("^").rstrip("$")


def test_every_entry_model_has_a_maker() -> None:
    missing = {m._meta.label for m in entry_models()} - set(ENTRY_MAKERS)
    assert not missing, f"add makers for {missing} in tests/world.py"


def test_routes_are_found() -> None:
    names = {r.name for r in ROUTES}
    assert {"landing", "accounts:signup", "bonds:detail", "bonds:invitation"} <= names


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_who_sees_what(db, world, route: Route) -> None:  # type: ignore[no-untyped-def]
    values = world.url_values()
    url = _fill(route, values)
    people: dict[str, Client] = {
        "alice": client_for(world.alice),
        "bob": client_for(world.bob),
        "charlie": client_for(world.charlie),
        "anonymous": Client(),
    }
    touches_bond = any(p in route.params for p in world.bond_params)
    for who, client in people.items():
        response = client.get(url)
        status = response.status_code
        assert status < 500, f"{who} GET {url} -> {status}"
        body = response.content.decode("utf-8", "replace") if status == 200 else ""
        # Private marks of alice never reach bob, charlie or anyone anonymous.
        if who != "alice":
            assert world.private_mark("alice") not in body, (
                f"{who} saw alice's private text at {url}"
            )
        if who != "bob":
            assert world.private_mark("bob") not in body, f"{who} saw bob's private text at {url}"
        if who in ("charlie", "anonymous"):
            assert world.shared_mark() not in body, f"{who} saw the bond's shared text at {url}"
            if touches_bond:
                assert status in (302, 404, 405, 410) or route.name in world.public_routes, (
                    f"{who} got {status} for {url}"
                )
                if status == 302:
                    assert "/accounts/login/" in response["Location"]
        if who == "anonymous" and status == 200:
            assert route.name in world.public_routes, f"anonymous could open {url}"


BOND_ROUTES = [
    r for r in ROUTES if any(p in r.params for p in ("pk", "bond")) and r.name != "bonds:invitation"
]


@pytest.mark.parametrize("route", BOND_ROUTES, ids=lambda r: r.name)
def test_outsiders_cannot_change_anything(db, world, route: Route) -> None:  # type: ignore[no-untyped-def]
    url = _fill(route, world.url_values())
    before = world.fingerprint()
    for client in (client_for(world.charlie), Client()):
        response = client.post(url, {"text": "intruder", "visibility": "shared"})
        assert response.status_code in (302, 403, 404, 405, 410), response.status_code
    assert world.fingerprint() == before


def test_makers_cover_each_visibility(db, world) -> None:  # type: ignore[no-untyped-def]
    for model in entry_models():
        seen = set(model.objects.filter(bond=world.bond).values_list("visibility", flat=True))
        assert Visibility.PRIVATE in seen or not _supports(model, Visibility.PRIVATE)


def _supports(model: type[Entry], visibility: str) -> bool:
    return visibility in getattr(model, "allowed_visibilities", (visibility,))
