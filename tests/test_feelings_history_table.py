"""The feelings page's "last twelve weeks" table, whose cells the view makes (not the
template's filters): the same date in the viewer's own time zone, the same labels and the
same delete link for each check-in, only the viewer's own; and "shared with you" shows
the other's shared check-ins, never their private ones."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, datetime, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format

from tending.bonds.privacy import Visibility
from tending.feelings.models import FeelingCheckin
from tests.conftest import client_for


def _checkin(bond, author, visibility: str, when: datetime, word: str = "joyful"):  # type: ignore[no-untyped-def]
    return FeelingCheckin.objects.create(
        bond=bond,
        author=author,
        family="glad",
        word=word,
        intensity=4,
        visibility=visibility,
        created_at=when,
    )


def test_each_row_shows_the_date_in_the_viewers_zone_and_its_own_delete_link(
    bond, alice, bob
) -> None:  # type: ignore[no-untyped-def]
    # Late evening in UTC is the next morning in Berlin (alice's zone).
    moment = (timezone.now() - timedelta(days=3)).replace(hour=23, minute=40, tzinfo=UTC)
    mine = _checkin(bond, alice, Visibility.PRIVATE, moment)
    theirs = _checkin(bond, bob, Visibility.PRIVATE, moment - timedelta(hours=1), word="delighted")
    page = client_for(alice).get(reverse("feelings:index", args=[bond.pk])).content.decode()
    local = moment.astimezone(zoneinfo.ZoneInfo("Europe/Berlin"))
    delete = reverse("feelings:delete", args=[bond.pk, mine.pk])
    row = (
        f"<tr><td>{date_format(local, 'D j M, H:i')}</td><td>{mine.word_label}</td>"
        f"<td>{mine.intensity_label}</td><td>only me</td>"
    )
    assert row in page
    assert f'<form method="post" action="{delete}">' in page
    assert reverse("feelings:delete", args=[bond.pk, theirs.pk]) not in page
    assert "delighted" not in page  # bob's private check-in, nowhere on alice's page


def test_shared_with_you_shows_the_others_shared_checkins_only(bond, alice, bob) -> None:  # type: ignore[no-untyped-def]
    now = timezone.now()
    _checkin(bond, bob, Visibility.SHARED, now - timedelta(hours=2), word="delighted")
    _checkin(bond, bob, Visibility.PRIVATE, now - timedelta(hours=1), word="giddy")
    page = client_for(alice).get(reverse("feelings:index", args=[bond.pk])).content.decode()
    shared = page.split('id="shared-title"')[1].split("</section>")[0]
    assert "delighted" in shared
    assert "giddy" not in page


def test_the_short_date_is_djangos_own_for_every_weekday_and_month() -> None:
    from tending.feelings.views import _short_date

    when = _short_date()
    start = datetime(2026, 1, 1, 0, 5, tzinfo=UTC)
    for hours in range(0, 24 * 400, 37):  # every weekday and month, hours with one digit and two
        moment = start + timedelta(hours=hours)
        assert when(moment) == date_format(moment, "D j M, H:i")
