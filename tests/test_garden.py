"""The garden and today: growth from real records, privacy, bounded queries."""

from __future__ import annotations

import html
from datetime import date, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tending.bonds.privacy import Visibility
from tending.feelings.models import FeelingCheckin
from tending.garden.activity import HEALTHY_GROWTH, Recent, recent_for, scale
from tending.garden.models import TodayChoice
from tests.conftest import client_for


def _checkin(bond, author, when, visibility=Visibility.SHARED):  # type: ignore[no-untyped-def]
    return FeelingCheckin.objects.create(
        bond=bond,
        author=author,
        family="calm",
        word="calm",
        intensity=3,
        visibility=visibility,
        created_at=when,
    )


def test_a_healthy_rhythm_blooms_and_an_empty_garden_rests() -> None:
    today = date(2026, 11, 25)
    # Three check-ins a week, every week, for twelve weeks: the healthy rhythm.
    days = {today - timedelta(days=d): 1 for d in range(0, 84) if d % 7 in (0, 2, 4)}
    steady = Recent(today, {"inner_world": days}, {"inner_world": today})
    assert steady.growth("inner_world") == pytest.approx(HEALTHY_GROWTH, abs=0.08)
    empty = Recent(today, {}, {})
    assert empty.growth("inner_world") == 0
    assert scale("repair") > 0


def test_growth_fades_gently_and_recovers() -> None:
    today = date(2026, 11, 25)
    days = {today - timedelta(days=d): 1 for d in range(20, 84) if d % 2 == 0}
    faded = Recent(today, {"inner_world": days}, {}).growth("inner_world")
    fresh = Recent(today, {"inner_world": {**days, today: 2}}, {}).growth("inner_world")
    older = Recent(today + timedelta(days=14), {"inner_world": days}, {}).growth("inner_world")
    assert 0 < older < faded < fresh


def test_private_entries_grow_only_their_authors_garden(bond, alice, bob) -> None:  # type: ignore[no-untyped-def]
    now = timezone.now()
    for d in range(10):
        _checkin(bond, alice, now - timedelta(days=d), Visibility.PRIVATE)
    today = timezone.localdate()
    assert recent_for(bond, alice, today).growth("inner_world") > 0.3
    assert recent_for(bond, bob, today).growth("inner_world") == 0


def test_garden_page_for_members_only(bond, alice, bob, charlie) -> None:  # type: ignore[no-untyped-def]
    _checkin(bond, alice, timezone.now())
    url = f"/bonds/{bond.pk}/garden/"
    for person in (alice, bob):
        page = client_for(person).get(url)
        assert page.status_code == 200
        body = page.content.decode()
        assert "<svg" in body and 'role="group"' in body
        assert "It's never too late" in body or "never too late" in body
        for practice in ("conversation", "rituals", "inner_world", "repair", "curiosity"):
            assert f'id="about-{practice}"' in body
    assert client_for(charlie).get(url).status_code == 404
    assert client_for(None).get(url).status_code == 302


def _page(client, url: str) -> str:  # type: ignore[no-untyped-def]
    return html.unescape(client.get(url).content.decode())


def _queries(client, url: str) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_same_number_of_queries_for_a_week_and_for_five_years(bond, alice, bob) -> None:  # type: ignore[no-untyped-def]
    client = client_for(alice)
    garden, home = f"/bonds/{bond.pk}/garden/", f"/bonds/{bond.pk}/"
    now = timezone.now()
    for d in range(7):
        _checkin(bond, alice, now - timedelta(days=d))
        _checkin(bond, bob, now - timedelta(days=d, hours=3))
    client.get(home)  # the first visit creates the last-seen row
    week = (_queries(client, garden), _queries(client, home))
    FeelingCheckin.objects.bulk_create(
        FeelingCheckin(
            bond=bond,
            author=author,
            family="calm",
            word="calm",
            intensity=2,
            visibility=Visibility.SHARED,
            created_at=now - timedelta(days=d, hours=h),
        )
        for d in range(7, 5 * 365)
        for author, h in ((alice, 1), (bob, 5))
    )
    years = (_queries(client, garden), _queries(client, home))
    assert week == years


def test_today_offers_a_step_and_another_idea(bond, alice) -> None:  # type: ignore[no-untyped-def]
    client = client_for(alice)
    page = client.get(f"/bonds/{bond.pk}/").content.decode()
    assert 'id="today-title"' in page
    key = page.split('name="key" value="')[1].split('"')[0]
    client.post(f"/bonds/{bond.pk}/today/", {"key": key, "choice": "another"})
    after = client.get(f"/bonds/{bond.pk}/").content.decode()
    assert f'name="key" value="{key}"' not in after
    assert TodayChoice.objects.filter(user=alice, key=key, done=False).exists()


def test_done_is_kept_for_the_day_only(bond, alice) -> None:  # type: ignore[no-untyped-def]
    client = client_for(alice)
    with time_machine.travel("2026-11-25 10:00Z", tick=False):
        key = (
            client.get(f"/bonds/{bond.pk}/")
            .content.decode()
            .split('name="key" value="')[1]
            .split('"')[0]
        )
        client.post(f"/bonds/{bond.pk}/today/", {"key": key, "choice": "done"})
        assert f'value="{key}"' not in client.get(f"/bonds/{bond.pk}/").content.decode()
    with time_machine.travel("2026-11-27 10:00Z", tick=False):
        assert 'id="today-title"' in client.get(f"/bonds/{bond.pk}/").content.decode()


def test_bob_sees_only_that_alice_shared_something(bond, alice, bob) -> None:  # type: ignore[no-untyped-def]
    client_for(bob).get(f"/bonds/{bond.pk}/")
    _checkin(bond, alice, timezone.now(), Visibility.SHARED)
    _checkin(bond, alice, timezone.now(), Visibility.PRIVATE)
    page = _page(client_for(bob), f"/bonds/{bond.pk}/")
    assert "Alice shared 1 feeling" in page


def test_new_since_last_look_and_only_the_last_four_weeks_after_a_long_absence(
    bond, alice, bob
) -> None:  # type: ignore[no-untyped-def]
    now = timezone.now()
    _checkin(bond, alice, now - timedelta(weeks=6))
    _checkin(bond, alice, now - timedelta(weeks=1))
    _checkin(bond, alice, now - timedelta(days=1))
    page = _page(client_for(bob), f"/bonds/{bond.pk}/")
    assert "Shared with you in the last four weeks" in page
    assert "Alice shared 2 feelings" in page
    # Looked just now: nothing is new until Alice shares again.
    page = _page(client_for(bob), f"/bonds/{bond.pk}/")
    assert "Alice shared" not in page
    _checkin(bond, alice, timezone.now())
    page = _page(client_for(bob), f"/bonds/{bond.pk}/")
    assert "New since you last looked" in page and "Alice shared 1 feeling" in page
    # Back after two months: the last four weeks again, not everything since.
    with time_machine.travel(now + timedelta(weeks=9), tick=False):
        _checkin(bond, alice, timezone.now())
        page = _page(client_for(bob), f"/bonds/{bond.pk}/")
    assert "Shared with you in the last four weeks" in page and "Alice shared 1 feeling" in page


def test_weeds_grow_where_a_sent_repair_waits_more_than_a_week(bond, alice, bob, charlie) -> None:  # type: ignore[no-untyped-def]
    from tending.garden.plants import unresolved_ruptures, weeds_for
    from tending.repair.models import Rupture

    old = timezone.now() - timedelta(days=9)
    sent = Rupture.objects.create(
        bond=bond,
        author=alice,
        visibility=Visibility.SHARED,
        message="x",
        sent_at=old,
        created_at=old,
    )
    Rupture.objects.create(bond=bond, author=alice, message="draft", created_at=old)  # private
    Rupture.objects.create(
        bond=bond,
        author=bob,
        visibility=Visibility.SHARED,
        message="y",
        sent_at=timezone.now(),
        created_at=timezone.now(),
    )
    assert (
        weeds_for(unresolved_ruptures(bond, alice)) == 2
    )  # her sent one and her own private draft
    assert weeds_for(unresolved_ruptures(bond, bob)) == 1  # never alice's private draft
    assert weeds_for(unresolved_ruptures(bond, charlie)) == 0
    garden = client_for(bob).get(f"/bonds/{bond.pk}/garden/").content.decode()
    assert "There is one weed" in garden
    sent.mark_resolved(alice)
    sent.mark_resolved(bob)
    assert weeds_for(unresolved_ruptures(bond, bob)) == 0


def test_today_puts_a_waiting_repair_first(bond, alice, bob) -> None:  # type: ignore[no-untyped-def]
    from tending.repair.models import Rupture

    rupture = Rupture.objects.create(
        bond=bond, author=alice, visibility=Visibility.SHARED, message="m", sent_at=timezone.now()
    )
    page = _page(client_for(bob), f"/bonds/{bond.pk}/")
    assert "Alice would like to repair something" in page
    assert f"/repair/{rupture.pk}/" in page
    assert (
        "would like to repair" not in client_for(alice).get(f"/bonds/{bond.pk}/").content.decode()
    )


def test_today_offers_the_first_step_of_a_recent_checkup(bond, alice) -> None:  # type: ignore[no-untyped-def]
    from tending.checkup.models import CheckupResult
    from tending.checkup.scoring import current_version, load, score

    questionnaire = load(current_version())
    answers = {item.id: 2 for item in questionnaire.items}
    result = score(answers, current_version())
    CheckupResult.objects.create(
        bond=bond,
        author=alice,
        version=current_version(),
        answers=answers,
        scores=result.to_dict(),
        overall=result.overall,
    )
    client = client_for(alice)
    seen = []
    for _ in range(12):  # other suggestions (daily question, resting plants) come first
        page = _page(client, f"/bonds/{bond.pk}/")
        seen.append(page)
        if "A small step for" in page:
            break
        key = page.split('name="key" value="')[1].split('"')[0]
        client.post(f"/bonds/{bond.pk}/today/", {"key": key, "choice": "another"})
    assert "A small step for" in seen[-1]


def test_today_shows_the_daily_question_and_then_the_answers(bond, alice, bob) -> None:  # type: ignore[no-untyped-def]
    from tending.prompts.models import DailyAnswer, PromptState

    client_for(alice).get(f"/bonds/{bond.pk}/daily/")  # creates the bond's prompt state
    day = PromptState.objects.get(bond=bond).today()
    assert "Today's question" in _page(client_for(bob), f"/bonds/{bond.pk}/")
    DailyAnswer.objects.create(
        bond=bond,
        author=alice,
        visibility=Visibility.SEALED,
        seal=f"daily:{day}",
        day=day,
        prompt_id="cur-001",
        text="mine",
    )
    assert "Alice answered today's question" in _page(client_for(bob), f"/bonds/{bond.pk}/")
    DailyAnswer.objects.create(
        bond=bond,
        author=bob,
        visibility=Visibility.SEALED,
        seal=f"daily:{day}",
        day=day,
        prompt_id="cur-001",
        text="his",
    )
    assert "You both answered" in _page(client_for(bob), f"/bonds/{bond.pk}/")


def test_progress_shows_charts_with_tables_and_only_my_own_ratings(
    bond, alice, bob, charlie
) -> None:  # type: ignore[no-untyped-def]
    from tending.prompts.models import Conversation, UnderstoodRating

    now = timezone.now()
    for w in range(3):
        c = Conversation.objects.create(
            bond=bond,
            week=w,
            week_start=(now - timedelta(weeks=w)).date(),
            held_at=now - timedelta(weeks=w),
        )
        UnderstoodRating.objects.create(bond=bond, author=alice, conversation=c, score=4)
        UnderstoodRating.objects.create(bond=bond, author=bob, conversation=c, score=2)
    _checkin(bond, alice, now)
    url = f"/bonds/{bond.pk}/progress/"
    page = _page(client_for(alice), url)
    assert "Weekly conversations held" in page and "<table>" in page and "<svg" in page
    assert page.count("<td>4</td>") == 3 and "<td>2</td>" not in page
    assert client_for(charlie).get(url).status_code == 404


def test_progress_costs_the_same_whatever_the_history(bond, alice) -> None:  # type: ignore[no-untyped-def]
    client = client_for(alice)
    url = f"/bonds/{bond.pk}/progress/"
    _checkin(bond, alice, timezone.now())
    short = _queries(client, url)
    FeelingCheckin.objects.bulk_create(
        FeelingCheckin(
            bond=bond,
            author=alice,
            family="calm",
            word="calm",
            intensity=2,
            visibility=Visibility.SHARED,
            created_at=timezone.now() - timedelta(days=d),
        )
        for d in range(1, 5 * 365)
    )
    assert _queries(client, url) == short


def test_rituals_notes_and_touch_grow_the_garden_and_fill_today(bond, alice, bob) -> None:  # type: ignore[no-untyped-def]
    from tending.notes.models import Note
    from tending.rituals.models import Completion, Ritual, weekday_mask

    today = timezone.localdate()
    ritual = Ritual.objects.create(
        bond=bond, author=alice, name="Morning coffee", weekdays=weekday_mask(range(7))
    )
    page = _page(client_for(bob), f"/bonds/{bond.pk}/")
    assert "Today: Morning coffee" in page
    for d in range(1, 12):
        Completion.objects.create(
            ritual=ritual,
            day=today - timedelta(days=d),
            recorded_by=alice,
            recorded_at=timezone.now() - timedelta(days=d),
        )
    Note.objects.create(
        bond=bond,
        author=alice,
        recipient=bob,
        visibility=Visibility.SHARED,
        text="hello",
        delivered_at=timezone.now(),
    )
    assert recent_for(bond, bob, today).growth("rituals") > 0.5
    page = _page(client_for(bob), f"/bonds/{bond.pk}/")
    # Issue 13: a waiting note is now today's one thing on the home, opened right there.
    assert "Alice left you a note" in page
    # Touch: a partner bond offers one idea a day; done counts for the touch plant.
    client = client_for(bob)
    for _ in range(12):  # issue 13: the waiting note is a step too now, one more before touch
        page = _page(client, f"/bonds/{bond.pk}/")
        key = page.split('name="key" value="')[1].split('"')[0]
        if key.startswith("touch:"):
            client.post(f"/bonds/{bond.pk}/today/", {"key": key, "choice": "done"})
            break
        client.post(f"/bonds/{bond.pk}/today/", {"key": key, "choice": "another"})
    assert recent_for(bond, bob, today).growth("touch") > 0


def test_every_source_is_read_through_an_index_on_bond_and_its_moment() -> None:
    """Each source reads one bond's last weeks; an index led by (bond, moment)
    keeps that read a few pages long however many years the bond has."""
    from tending.garden.sources import SOURCES

    for source in SOURCES:
        leads = [tuple(index.fields[:2]) for index in source.model._meta.indexes]
        assert ("bond", source.time_field) in leads, source.label


def test_the_home_shows_today_at_once_and_the_garden_picture_follows(bond, alice, charlie) -> None:  # type: ignore[no-untyped-def]
    home = _page(client_for(alice), f"/bonds/{bond.pk}/")
    preview = f"/bonds/{bond.pk}/garden/preview/"
    # No picture in the page itself: a link to the garden that htmx swaps for it.
    assert 'id="today-title"' in home and "<svg" not in home
    assert f'hx-get="{preview}"' in home and "Open your garden" in home
    fetched = client_for(alice).get(preview, headers={"HX-Request": "true"})
    assert fetched.status_code == 200
    assert '<svg class="garden"' in fetched.content.decode()
    assert "HX-Request" in fetched["Vary"]
    # Opened directly, it leads to the garden; outsiders learn nothing.
    direct = client_for(alice).get(preview)
    assert direct.status_code == 302 and direct["Location"] == f"/bonds/{bond.pk}/garden/"
    assert client_for(charlie).get(preview, headers={"HX-Request": "true"}).status_code == 404


def test_today_reads_the_garden_only_when_a_step_needs_it(bond, alice, bob) -> None:  # type: ignore[no-untyped-def]
    def garden_read(client):  # type: ignore[no-untyped-def]
        with CaptureQueriesContext(connection) as asked:
            page = _page(client, f"/bonds/{bond.pk}/")
        # The garden's one query over every source, conversations among them.
        held = '"prompts_conversation"."held_at"'
        return any(held in q["sql"] for q in asked.captured_queries), page

    client = client_for(alice)
    read, page = garden_read(client)
    assert "Today's question" in page and not read
    # Set the question aside: a resting practice is next, and only now is the garden read.
    key = next(line for line in page.splitlines() if 'name="key"' in line).split('value="')[1]
    client.post(f"/bonds/{bond.pk}/today/", {"key": key.split('"')[0], "choice": "another"})
    read, page = garden_read(client)
    assert read and "Tend the" in page


def test_progress_counts_the_rituals_kept(bond, alice, bob) -> None:  # type: ignore[no-untyped-def]
    """The panel once looked its model up by a name that no longer existed and
    quietly vanished; the garden now imports what it reads."""
    from tending.rituals.models import Completion, Ritual, weekday_mask

    today = timezone.localdate()
    ritual = Ritual.objects.create(
        bond=bond, author=alice, name="Evening walk", weekdays=weekday_mask(range(7))
    )
    for d in (1, 2, 9):
        Completion.objects.create(
            ritual=ritual,
            day=today - timedelta(days=d),
            recorded_by=bob,
            recorded_at=timezone.now() - timedelta(days=d),
        )
    page = _page(client_for(alice), f"/bonds/{bond.pk}/progress/")
    assert "Rituals kept" in page
    section = page.split("Rituals kept", 1)[1]
    assert "No ritual marked as done yet." not in section.split("</section>", 1)[0]


def test_a_ritual_is_due_only_on_its_days_and_until_it_is_done(bond, alice, bob) -> None:  # type: ignore[no-untyped-def]
    from tending.rituals.models import Completion, Ritual, weekday_mask

    today = timezone.localdate()
    tomorrow = (today.weekday() + 1) % 7
    Ritual.objects.create(
        bond=bond, author=alice, name="Not today", weekdays=weekday_mask([tomorrow])
    )
    kept = Ritual.objects.create(
        bond=bond, author=alice, name="Tea together", weekdays=weekday_mask([today.weekday()])
    )
    due = Ritual.objects.visible_in(bob, bond).due_on(today)
    assert [r.name for r in due] == ["Tea together"]
    Completion.objects.create(ritual=kept, day=today, recorded_by=alice)
    assert not Ritual.objects.visible_in(bob, bond).due_on(today).exists()
    assert "Today: Tea together" not in _page(client_for(bob), f"/bonds/{bond.pk}/")
