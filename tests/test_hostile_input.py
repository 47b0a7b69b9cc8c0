"""Malformed and hostile data posted to every form Tending serves.

Each page is fetched as alice, its forms are read, and each form is posted with
every field set to overlong text, wrong types, markup, unknown ids and other
people's ids. No answer may be a server error, no markup may come back
unescaped, and nothing of charlie's may change."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.test import Client

from tests.conftest import client_for
from tests.test_url_access import ROUTES, Route, _fill

SCRIPT = "<script>alert('x')</script>"


class _Forms(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form":
            self.forms.append(
                {
                    "action": a.get("action") or "",
                    "method": (a.get("method") or "get").lower(),
                    "fields": {},
                }
            )
        elif tag in ("input", "textarea", "select") and self.forms and a.get("name"):
            if a.get("type") in ("submit", "button"):
                return
            self.forms[-1]["fields"][a["name"]] = a.get("value") or ""


def _hostile_values(world) -> list[str]:  # type: ignore[no-untyped-def]
    return [
        "x" * 100_000,
        SCRIPT,
        "-1",
        "99999999999999999999999",
        "3.5e10",
        "\x00\x01\x02",
        "' OR 1=1 --",
        str(world.charlie_bond.pk),
        "🙂" * 500,
        "",
    ]


def _page_routes() -> list[Route]:
    return [r for r in ROUTES if r.name not in ("accounts:logout",)]


@pytest.mark.parametrize("route", _page_routes(), ids=lambda r: r.name)
def test_forms_survive_hostile_posts(db, world, route: Route) -> None:  # type: ignore[no-untyped-def]
    url = _fill(route, world.url_values())
    client = client_for(world.alice)
    page = client.get(url)
    if page.status_code != 200 or "text/html" not in page.get("Content-Type", ""):
        forms = [{"action": url, "method": "post", "fields": {"text": "", "id": ""}}]
    else:
        parser = _Forms()
        parser.feed(page.content.decode())
        forms = [f for f in parser.forms if f["method"] == "post"] or [
            {"action": url, "method": "post", "fields": {"text": ""}}
        ]
    charlie_before = _charlie_state(world)
    for form in forms:
        action = form["action"] or url
        if not action.startswith("/") or "logout" in action:
            continue
        for value in _hostile_values(world):
            data = {name: value for name in form["fields"] if name != "csrfmiddlewaretoken"}
            data.setdefault("id", value)
            response = client.post(action, data)
            assert response.status_code < 500, (
                f"POST {action} with {value[:20]!r} -> {response.status_code}"
            )
            if response.status_code == 200:
                assert SCRIPT not in response.content.decode("utf-8", "replace")
            # Multi-valued and wrong-typed submissions too.
            response = client.post(action, {name: [value, value] for name in data})
            assert response.status_code < 500
    assert _charlie_state(world) == charlie_before


def _charlie_state(world):  # type: ignore[no-untyped-def]
    from tending.bonds.models import Bond, Membership

    return (
        list(Bond.objects.filter(pk=world.charlie_bond.pk).values()),
        list(Membership.objects.filter(user=world.charlie).values()),
    )


@pytest.mark.parametrize(
    "path", ["/bonds/abc/", "/bonds/999999/", "/bonds/join/%00/", "/bonds/join/" + "a" * 5000 + "/"]
)
def test_odd_paths_never_fail(db, world, path: str) -> None:  # type: ignore[no-untyped-def]
    for client in (client_for(world.alice), Client()):
        assert client.get(path).status_code in (302, 404, 410)


def test_forms_are_found(db, world) -> None:  # type: ignore[no-untyped-def]
    parser = _Forms()
    parser.feed(
        client_for(world.alice).get(f"/bonds/{world.bond.pk}/feelings/?family=low").content.decode()
    )
    names = {n for f in parser.forms for n in f["fields"]}
    assert {"family", "word", "intensity", "note"} <= names
    assert re.search(r"csrfmiddlewaretoken", " ".join(names))
