"""How many queries each bond page asks, pinned: for a new bond and for one with
a history of every kind of entry (tests.world). A page that starts asking more
fails here first; when a change asks fewer, lower the number.

Each page is visited once first, as a returning member would: the first visit
of the day writes a few rows (today's question, "last seen") that later visits
only read. The counts include the session, the user and the header's unread
notifications, as a real request does; they are not timings (see bench/)."""

from __future__ import annotations

import pytest

from tests.conftest import client_for

PAGES = {
    "home": "/bonds/{pk}/",
    "daily": "/bonds/{pk}/daily/",
    "garden": "/bonds/{pk}/garden/",
    "preview": "/bonds/{pk}/garden/preview/",
}
HTMX = {"HX-Request": "true"}

# page -> (new bond, bond with history). Before issue 15: home 19, daily 18,
# garden and preview 9.
# Issue 15 brought the home to 16 and the daily question to 9. Issue 13 then raised the home
# by four on purpose: today's step is done right on the home (today's question and this
# person's choice for it, 2), a waiting note is a step (1), and up to three next steps follow
# without reading the garden (the touch setting, 1).
# perf-15c then read the viewer's safety, the unread count and the bond's touch setting with
# the bond (3 fewer on each page), the prompt state once on the home, and left out the
# savepoints around the "last seen" UPDATE, one statement that needs none.
# perf-15d read everything the home asks before choosing today's step in one statement
# (tending.lib.plans.Bundle): this person's choices, the last visit, the conversation slot,
# the prompt state and the providers' reads (ruptures, a waiting note, rituals, the check-up),
# 6 queries then; the home is session, user, bond, that read, the daily question's answers,
# "shared since" and the "last seen" write.
QUERIES = {
    "home": (7, 7),
    "daily": (7, 7),
    "garden": (5, 5),
    "preview": (5, 5),
}


def _count(client, url: str, django_assert_num_queries, expected: int) -> None:  # type: ignore[no-untyped-def]
    assert client.get(url, headers=HTMX).status_code == 200  # the day's first visit
    with django_assert_num_queries(expected):
        page = client.get(url, headers=HTMX)
    assert page.status_code == 200


@pytest.mark.parametrize("page", sorted(PAGES))
def test_queries_for_a_new_bond(page, bond, alice, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    url = PAGES[page].format(pk=bond.pk)
    _count(client_for(alice), url, django_assert_num_queries, QUERIES[page][0])


@pytest.mark.parametrize("page", sorted(PAGES))
def test_queries_for_a_bond_with_history(page, world, db, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    url = PAGES[page].format(pk=world.bond.pk)
    _count(client_for(world.alice), url, django_assert_num_queries, QUERIES[page][1])
