"""Rendering costs little: templates compiled once per process, the garden's
picture drawn once for the same plants, and the home's garden in small drawn
without the parts only the garden page shows (issue 15)."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

from django.core.cache import cache
from django.template import engines
from django.utils import timezone

from tending.bonds.privacy import Visibility
from tending.feelings.models import FeelingCheckin
from tending.garden import views as garden_views
from tests.conftest import client_for

HTMX = {"HX-Request": "true"}


def test_templates_are_compiled_once_per_process(settings) -> None:  # type: ignore[no-untyped-def]
    settings.DEBUG = False
    engine = engines["django"].engine
    (loader,) = engine.template_loaders
    assert loader.__class__.__module__ == "django.template.loaders.cached"
    assert "loaders" not in settings.TEMPLATES[0]["OPTIONS"]


def _drawn(client, url: str) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    with mock.patch.object(garden_views, "garden_svg", wraps=garden_views.garden_svg) as garden_svg:
        body = client.get(url, headers=HTMX).content.decode()
    start = body.index('<svg class="garden"')
    return garden_svg.call_count, body[start : body.index("</svg>", start)]


def test_the_garden_is_drawn_once_for_the_same_plants_and_again_when_they_change(
    bond, alice, bob
) -> None:  # type: ignore[no-untyped-def]
    cache.clear()
    # The picture is drawn for the viewer's own date: give bob alice's time zone, so the
    # two are on the same date at any hour (Berlin and New York differ for six a day).
    bob.time_zone = alice.time_zone
    bob.save(update_fields=["time_zone"])
    client = client_for(alice)
    url = f"/bonds/{bond.pk}/garden/"
    first_count, first = _drawn(client, url)
    again_count, again = _drawn(client, url)
    assert (first_count, again_count) == (1, 0)
    assert first == again and '<svg class="garden"' in again
    # The garden in small shows the same picture, without drawing it again.
    small_count, small = _drawn(client, f"/bonds/{bond.pk}/garden/preview/")
    assert small_count == 0 and '<svg class="garden"' in small
    # Bob's view of the same bond reads its own plants: same picture, same key.
    assert _drawn(client_for(bob), url)[0] == 0
    FeelingCheckin.objects.create(
        bond=bond,
        author=bob,
        family="glad",
        word="joyful",
        intensity=4,
        visibility=Visibility.SHARED,
        created_at=timezone.now() - timedelta(minutes=5),
    )
    changed_count, changed = _drawn(client, url)
    assert changed_count == 1 and changed != first


def test_the_garden_in_small_leaves_out_the_seasons(bond, alice) -> None:  # type: ignore[no-untyped-def]
    client = client_for(alice)
    with mock.patch.object(garden_views, "seasons_svg", wraps=garden_views.seasons_svg) as seasons:
        small = client.get(f"/bonds/{bond.pk}/garden/preview/", headers=HTMX)
        assert small.status_code == 200 and seasons.call_count == 0
        page = client.get(f"/bonds/{bond.pk}/garden/")
        assert page.status_code == 200 and seasons.call_count == 1
    assert 'class="seasons"' in page.content.decode()
