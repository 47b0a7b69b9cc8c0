"""Notes and voice messages: delivered now, at a chosen time or as a surprise;
hidden from the recipient until they arrive; announced without their text;
reactions, keeping and deleting; voice files checked by content, kept under
the data directory and served to the bond's members only."""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tending.accounts.export import export_for
from tending.accounts.models import User
from tending.bonds.models import Bond
from tending.notes import jobs
from tending.notes.audio import NOT_AUDIO, VIDEO
from tending.notes.jobs import deliver_due, sweep_voice_files
from tending.notes.models import Note, Reaction, Timing
from tending.notify.models import EmailState, Notification
from tending.ops.jobs import STOP
from tests.test_notes_audio import SAMPLES

# Wednesday 10 June 2026, 15:00 UTC: 17:00 for alice in Berlin, 11:00 for bob
# in New York.
NOW = datetime(2026, 6, 10, 15, 0, tzinfo=UTC)
SECRET = "SECRET-meet-me-by-the-old-oak"


@pytest.fixture(autouse=True)
def _setup(settings, tmp_path: Path) -> object:  # type: ignore[no-untyped-def]
    settings.DATA_DIR = tmp_path
    with time_machine.travel(NOW, tick=False):
        yield


def _voice_files(settings) -> list[Path]:  # type: ignore[no-untyped-def]
    folder = Path(settings.DATA_DIR) / "voice"
    return sorted(folder.iterdir()) if folder.exists() else []


def _post(client: Client, bond: Bond, **fields: object) -> object:
    data: dict[str, object] = {"text": SECRET, "timing": "now"}
    data.update(fields)
    return client.post(reverse("notes:create", args=[bond.pk]), data)


def _note(bond: Bond, author: User, recipient: User, **fields: object) -> Note:
    values: dict[str, object] = {"text": SECRET, "deliver_at": NOW + timedelta(hours=2)}
    values.update(fields)
    return Note.objects.create(bond=bond, author=author, recipient=recipient, **values)


def _errors(response) -> str:  # type: ignore[no-untyped-def]
    return response.content.decode()


# Writing and delivering


def test_a_note_for_now_arrives_at_once_and_the_announcement_hides_its_text(
    as_alice: Client, as_bob: Client, bob: User, bond: Bond
) -> None:
    response = _post(as_alice, bond)
    assert response.status_code == 302
    note = Note.objects.get()
    assert note.delivered_at == NOW and note.recipient == bob and note.visibility == "shared"
    told = Notification.objects.get(user=bob)
    assert told.title == "Alice sent you a note" and told.topic == "notes"
    assert told.url == reverse("notes:detail", args=[bond.pk, note.pk])
    assert told.email_state == EmailState.PENDING
    assert SECRET not in told.title + told.url
    inbox = as_bob.get(reverse("notes:index", args=[bond.pk])).content.decode()
    assert "From Alice" in inbox and "new" in inbox
    assert SECRET not in inbox  # unopened: the text shows once he opens it
    page = as_bob.get(told.url).content.decode()
    assert SECRET in page
    note.refresh_from_db()
    assert note.opened_at == NOW


def test_a_note_at_a_chosen_time_on_their_clock_or_mine(as_alice: Client, bond: Bond) -> None:
    _post(as_alice, bond, timing="at", at_date="2026-06-11", at_time="08:00", at_zone="theirs")
    _post(as_alice, bond, timing="at", at_date="2026-06-11", at_time="08:00", at_zone="mine")
    theirs, mine = Note.objects.order_by("pk")
    assert theirs.deliver_at == datetime(2026, 6, 11, 12, 0, tzinfo=UTC)  # 08:00 New York
    assert mine.deliver_at == datetime(2026, 6, 11, 6, 0, tzinfo=UTC)  # 08:00 Berlin
    assert theirs.delivered_at is None and mine.delivered_at is None
    assert theirs.timing == Timing.AT


def test_a_surprise_lands_at_a_random_moment_inside_the_window_on_their_clock(
    as_alice: Client, bond: Bond
) -> None:
    for _ in range(12):
        response = _post(
            as_alice,
            bond,
            timing="surprise",
            surprise_date="2026-06-11",
            window_start="09:00",
            window_end="17:00",
        )
        assert response.status_code == 302
    start = datetime(2026, 6, 11, 13, 0, tzinfo=UTC)  # 09:00 in New York
    end = datetime(2026, 6, 11, 21, 0, tzinfo=UTC)  # 17:00 in New York
    moments = list(Note.objects.values_list("deliver_at", flat=True))
    assert all(start <= m < end for m in moments)
    assert len(set(moments)) > 1  # drawn at random, each time
    note = Note.objects.first()
    assert (note.window_start, note.window_end, note.timing) == (start, end, Timing.SURPRISE)
    page = as_alice.get(reverse("notes:index", args=[bond.pk])).content.decode()
    # alice sees the window as she typed it, on the clock she chose, never the moment itself
    # (issue 13: it was shown converted to her clock, 15:00 to 23:00, without saying so).
    assert "A surprise, some time between Thu 11 Jun, 09:00 and 17:00 on Bob's clock" in page


def test_a_surprise_window_already_under_way_starts_now(as_alice: Client, bond: Bond) -> None:
    # It is 11:00 in New York: today 09:00–17:00 can only be from now on.
    _post(
        as_alice,
        bond,
        timing="surprise",
        surprise_date="2026-06-10",
        window_start="09:00",
        window_end="17:00",
    )
    note = Note.objects.get()
    assert note.window_start == NOW and NOW <= note.deliver_at < NOW + timedelta(hours=6)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"text": "  "}, "Write a few words or add a voice message."),
        (
            {"timing": "at", "at_date": "2026-06-10", "at_time": "09:00", "at_zone": "theirs"},
            "That moment has already passed on that clock.",
        ),
        ({"timing": "at"}, "Choose a day and a time, or send it now."),
        (
            {"timing": "at", "at_date": "2031-01-01", "at_time": "09:00", "at_zone": "mine"},
            "Choose a day within the coming year.",
        ),
        (
            {
                "timing": "surprise",
                "surprise_date": "2026-06-11",
                "window_start": "17:00",
                "window_end": "09:00",
            },
            "The window should end after it starts.",
        ),
        (
            {
                "timing": "surprise",
                "surprise_date": "2026-06-09",
                "window_start": "09:00",
                "window_end": "17:00",
            },
            "That window has already passed on their clock.",
        ),
        ({"text": "x" * 1001}, "at most 1000 characters"),
    ],
    ids=["empty", "past", "no-time", "far", "backwards", "past-window", "long"],
)
def test_a_note_that_cannot_be_sent_says_why(
    as_alice: Client, bond: Bond, fields: dict[str, str], message: str
) -> None:
    response = _post(as_alice, bond, **fields)
    assert response.status_code == 400
    assert message in _errors(response).replace("&#x27;", "'")
    assert not Note.objects.exists()


def test_notes_need_two_people(as_charlie: Client, charlie_bond: Bond) -> None:
    assert as_charlie.get(reverse("notes:index", args=[charlie_bond.pk])).status_code == 404
    assert _post(as_charlie, charlie_bond).status_code == 404


# Before delivery the recipient sees nothing


def test_until_it_arrives_a_note_is_its_senders_alone(
    as_alice: Client, as_bob: Client, alice: User, bob: User, bond: Bond
) -> None:
    note = _note(bond, alice, bob)
    assert not Note.objects.visible_to(bob).exists()
    assert not note.is_visible_to(bob) and note.is_visible_to(alice)
    inbox = as_bob.get(reverse("notes:index", args=[bond.pk])).content.decode()
    assert SECRET not in inbox and "From Alice" not in inbox
    for name in ("notes:detail", "notes:voice"):
        assert as_bob.get(reverse(name, args=[bond.pk, note.pk])).status_code == 404
    for name in ("notes:react", "notes:keep", "notes:delete"):
        assert (
            as_bob.post(reverse(name, args=[bond.pk, note.pk]), {"reaction": "heart"}).status_code
            == 404
        )
    assert SECRET not in str(export_for(bob))
    assert SECRET in str(export_for(alice))
    page = as_alice.get(reverse("notes:index", args=[bond.pk])).content.decode()
    assert "Arrives Wed 10 Jun, 19:00 (your time)" in page


def test_the_worker_delivers_due_notes_once(alice: User, bob: User, bond: Bond) -> None:
    due = _note(bond, alice, bob, deliver_at=NOW - timedelta(minutes=1))
    later = _note(bond, bob, alice, deliver_at=NOW + timedelta(hours=1))
    assert deliver_due() == 1
    assert deliver_due() == 0
    due.refresh_from_db()
    later.refresh_from_db()
    assert due.delivered_at == NOW and due.claim == "" and later.delivered_at is None
    assert list(Notification.objects.values_list("user__display_name", "title")) == [
        ("Bob", "Alice sent you a note")
    ]
    assert Note.objects.received_by(bob).get() == due
    with time_machine.travel(NOW + timedelta(hours=1), tick=False):
        assert deliver_due() == 1
    assert Notification.objects.filter(user=alice, title="Bob sent you a note").count() == 1


def test_a_note_due_after_the_bond_ended_stays_with_its_sender(
    as_alice: Client, alice: User, bob: User, bond: Bond
) -> None:
    note = _note(bond, alice, bob, deliver_at=NOW - timedelta(minutes=1))
    bond.end(bob)
    deliver_due()
    note.refresh_from_db()
    assert note.delivered_at is None and note.deliver_at is None
    assert not Notification.objects.exists()
    assert deliver_due() == 0
    page = as_alice.get(reverse("notes:index", args=[bond.pk])).content.decode()
    assert "Not delivered: the bond ended before it was due." in page


def test_a_failed_delivery_rolls_back_and_is_retried(
    alice: User, bob: User, bond: Bond, monkeypatch: pytest.MonkeyPatch
) -> None:
    note = _note(bond, alice, bob, deliver_at=NOW - timedelta(minutes=1))

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("lost the connection")

    monkeypatch.setattr(jobs, "notify", broken)
    deliver_due()
    note.refresh_from_db()
    assert note.delivered_at is None and note.claim
    monkeypatch.undo()
    assert deliver_due() == 0  # still leased to the worker that failed
    with time_machine.travel(NOW + jobs.LEASE + timedelta(seconds=1), tick=False):
        assert deliver_due() == 1
    note.refresh_from_db()
    assert note.delivered_at is not None and Notification.objects.count() == 1


def test_asked_to_stop_the_worker_gives_notes_back(alice: User, bob: User, bond: Bond) -> None:
    for _ in range(3):
        _note(bond, alice, bob, deliver_at=NOW - timedelta(minutes=1))
    STOP.set()
    try:
        assert deliver_due() == 3
    finally:
        STOP.clear()
    assert not Note.objects.filter(delivered_at__isnull=False).exists()
    assert set(Note.objects.values_list("claim", "claimed_until")) == {("", None)}
    deliver_due()
    assert Note.objects.filter(delivered_at__isnull=False).count() == 3


# Reactions, keeping, deleting


def test_bob_reacts_and_alice_is_told_in_the_app_only(
    as_bob: Client, as_alice: Client, alice: User, bob: User, bond: Bond
) -> None:
    note = _note(bond, alice, bob, delivered_at=NOW)
    url = reverse("notes:react", args=[bond.pk, note.pk])
    as_bob.post(url, {"reaction": "heart"})
    shown = as_alice.get(reverse("notes:detail", args=[bond.pk, note.pk])).content.decode()
    assert "Bob sent a heart" in shown
    note.refresh_from_db()
    assert note.reaction == Reaction.HEART and note.reacted_at == NOW
    told = Notification.objects.get(user=alice)
    assert told.title == "Bob sent a heart for your note"
    assert told.email_state == EmailState.NONE
    fragment = as_bob.post(url, {"reaction": "made_my_day"}, HTTP_HX_REQUEST="true")
    assert "You told them it made your day." in fragment.content.decode()
    assert "<html" not in fragment.content.decode()
    assert Notification.objects.filter(user=alice).count() == 2
    as_bob.post(url, {"reaction": "made_my_day"})  # the same again: nothing new
    assert Notification.objects.filter(user=alice).count() == 2
    as_bob.post(url, {"reaction": ""})
    note.refresh_from_db()
    assert note.reaction == ""
    page = as_alice.get(reverse("notes:detail", args=[bond.pk, note.pk])).content.decode()
    assert "made their day" not in page and "sent a heart" not in page
    assert as_alice.post(url, {"reaction": "heart"}).status_code == 404  # not hers to react to


def test_keeping_a_note_puts_it_first(as_bob: Client, alice: User, bob: User, bond: Bond) -> None:
    older = _note(bond, alice, bob, text="older words", delivered_at=NOW - timedelta(days=2))
    _note(bond, alice, bob, text="newer words", delivered_at=NOW)
    for n in Note.objects.all():
        as_bob.get(reverse("notes:detail", args=[bond.pk, n.pk]))
    as_bob.post(reverse("notes:keep", args=[bond.pk, older.pk]))
    page = as_bob.get(reverse("notes:index", args=[bond.pk])).content.decode()
    assert page.index("older words") < page.index("newer words")
    assert "kept" in page
    as_bob.post(reverse("notes:keep", args=[bond.pk, older.pk]))
    older.refresh_from_db()
    assert older.kept_at is None


def test_either_of_them_can_delete_but_charlie_cannot(
    as_alice: Client, as_bob: Client, as_charlie: Client, alice: User, bob: User, bond: Bond
) -> None:
    first = _note(bond, alice, bob, delivered_at=NOW)
    second = _note(bond, alice, bob, delivered_at=NOW)
    assert as_charlie.post(reverse("notes:delete", args=[bond.pk, first.pk])).status_code == 404
    assert Client().post(reverse("notes:delete", args=[bond.pk, first.pk])).status_code == 302
    as_bob.post(reverse("notes:delete", args=[bond.pk, first.pk]))
    as_alice.post(reverse("notes:delete", args=[bond.pk, second.pk]))
    assert not Note.objects.exists()


def test_the_notes_page_keeps_its_queries_bounded(
    as_bob: Client, alice: User, bob: User, bond: Bond, django_assert_max_num_queries
) -> None:
    for i in range(30):
        _note(
            bond, alice, bob, delivered_at=NOW - timedelta(hours=i), kept_at=NOW if i % 3 else None
        )
        _note(bond, bob, alice, delivered_at=None)
    with django_assert_max_num_queries(12):
        response = as_bob.get(reverse("notes:index", args=[bond.pk]))
    assert response.content.decode().count("From Alice") == 30


# Voice messages


def _upload(client: Client, bond: Bond, name: str, data: bytes, **fields: object):  # type: ignore[no-untyped-def]
    payload: dict[str, object] = {
        "text": "",
        "timing": "now",
        "voice": SimpleUploadedFile(name, data, content_type="audio/mpeg"),
    }
    payload.update(fields)
    return client.post(reverse("notes:create", args=[bond.pk]), payload)


def test_a_recording_is_stored_privately_and_played_to_the_bond_only(
    settings, as_alice: Client, as_bob: Client, as_charlie: Client, bob: User, bond: Bond
) -> None:  # type: ignore[no-untyped-def]
    data = SAMPLES["ogg_opus"]
    response = _upload(as_alice, bond, "hello.ogg", data)
    assert response.status_code == 302
    note = Note.objects.get()
    assert note.voice_mime == "audio/ogg" and note.voice_seconds == pytest.approx(0.5, abs=0.05)
    assert Notification.objects.get(user=bob).title == "Alice sent you a voice message"
    [stored] = _voice_files(settings)
    assert re.fullmatch(r"[0-9a-f]{32}", stored.name) and stored.read_bytes() == data
    assert stored.stat().st_mode & 0o777 == 0o600
    assert "hello" not in note.voice_name
    url = reverse("notes:voice", args=[bond.pk, note.pk])
    for client in (as_alice, as_bob):
        played = client.get(url)
        assert played.status_code == 200
        assert b"".join(played.streaming_content) == data
        assert played["Content-Type"] == "audio/ogg"
        assert played["Cache-Control"] == "private, no-store"
    partial = as_bob.get(url, HTTP_RANGE="bytes=4-9")
    assert partial.status_code == 206 and partial.content == data[4:10]
    assert partial["Content-Range"] == f"bytes 4-9/{len(data)}"
    assert as_bob.get(url, HTTP_RANGE=f"bytes={len(data) + 5}-").status_code == 416
    assert as_charlie.get(url).status_code == 404
    assert Client().get(url).status_code == 404  # anonymous: not even a log-in page
    assert (
        "/voice/" not in settings.STATIC_URL
        and str(settings.DATA_DIR)
        not in as_bob.get(reverse("notes:detail", args=[bond.pk, note.pk])).content.decode()
    )


def test_another_bonds_member_cannot_fetch_it_through_their_own_bond(
    charlie: User, as_charlie: Client, alice: User, bob: User, bond: Bond, charlie_bond: Bond
) -> None:
    note = _note(bond, bob, alice, delivered_at=NOW, voice_name="a" * 32, voice_mime="audio/ogg")
    for pk in (bond.pk, charlie_bond.pk):
        assert as_charlie.get(reverse("notes:voice", args=[pk, note.pk])).status_code == 404


def test_a_renamed_file_that_is_not_audio_is_refused_clearly(
    settings, as_alice: Client, bond: Bond
) -> None:  # type: ignore[no-untyped-def]
    response = _upload(as_alice, bond, "our-song.mp3", b"Not a song at all, only text.\n" * 20)
    assert response.status_code == 400
    assert NOT_AUDIO.replace("'", "&#x27;") in response.content.decode()
    assert not Note.objects.exists() and _voice_files(settings) == []
    video = _upload(as_alice, bond, "clip.m4a", SAMPLES["video_mp4"])
    assert VIDEO in video.content.decode() and not Note.objects.exists()


def test_too_long_and_too_big_are_refused(settings, as_alice: Client, bond: Bond) -> None:  # type: ignore[no-untyped-def]
    from tests.test_notes_audio import make_wav

    long = _upload(as_alice, bond, "long.wav", make_wav(320))
    assert long.status_code == 400 and "runs 5:20" in long.content.decode()
    big = _upload(as_alice, bond, "big.wav", b"RIFF" + b"\x00" * (10 * 1024 * 1024 + 1))
    assert big.status_code == 400 and "larger than 10 MB" in big.content.decode()
    assert _voice_files(settings) == []


def test_the_recording_leaves_the_disk_with_its_note(
    settings,
    as_alice: Client,
    as_bob: Client,
    alice: User,
    bond: Bond,
    django_capture_on_commit_callbacks,
) -> None:  # type: ignore[no-untyped-def]
    for name in ("webm_live", "m4a_fragmented"):
        _upload(as_alice, bond, f"x.{name}", SAMPLES[name])
    first, second = Note.objects.order_by("pk")
    assert len(_voice_files(settings)) == 2
    with django_capture_on_commit_callbacks(execute=True):
        as_bob.post(reverse("notes:delete", args=[bond.pk, first.pk]))
    assert len(_voice_files(settings)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        alice.delete()  # an account deleted takes its notes and their recordings
    assert _voice_files(settings) == []


def test_files_left_behind_by_a_crash_are_swept(settings, as_alice: Client, bond: Bond) -> None:  # type: ignore[no-untyped-def]
    _upload(as_alice, bond, "a.ogg", SAMPLES["ogg_opus"])
    folder = Path(settings.DATA_DIR) / "voice"
    orphan = folder / ("b" * 32)
    orphan.write_bytes(b"left over")
    young = folder / ("c" * 32)
    young.write_bytes(b"being saved")
    old = (NOW - timedelta(hours=2)).timestamp()
    os.utime(orphan, (old, old))
    kept = folder / Note.objects.get().voice_name
    os.utime(kept, (old, old))
    assert sweep_voice_files() == 1
    assert not orphan.exists() and young.exists() and kept.exists()
