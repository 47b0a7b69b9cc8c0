"""Push notifications beside email: devices, per-topic channels, quiet hours,
and delivery by the worker to a real (local) push service that checks the
VAPID signature and decrypts every payload."""

from __future__ import annotations

import json
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse

from tending.accounts.models import User
from tending.bonds.models import Bond
from tending.notes.jobs import deliver_notes
from tending.notify import push
from tending.notify.jobs import close_interrupted_pushes, send_notification_emails
from tending.notify.models import (
    Device,
    EmailState,
    Notification,
    Preferences,
    PushDelivery,
    PushState,
)
from tending.notify.service import notify
from tending.notify.topics import TOPICS, Topic
from tests.pushservice import LEAK_MARKERS, PushService

SECRET = "PUSH-SECRET-93d1 the thing I never said"
assert LEAK_MARKERS[-1] in SECRET


def _utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def _add_device(client: Client, service: PushService, name: str, ua: str = "") -> Device:
    sub = service.subscribe(name)
    response = client.post(
        reverse("notify:device_add"),
        json.dumps(sub.as_json(service.origin)),
        content_type="application/json",
        HTTP_USER_AGENT=ua,
    )
    assert response.status_code == 201, response.content
    return Device.objects.get(pk=response.json()["id"])


def _no_quiet_hours(*users: User) -> None:
    for user in users:
        Preferences.objects.update_or_create(
            user=user, defaults={"quiet_start": None, "quiet_end": None}
        )


def _drain() -> None:
    while deliver_notes() or push.send_due_pushes() or send_notification_emails():
        pass


# Topics and channels


def test_every_topic_declares_its_channels_and_push_is_on_for_your_turn_moments() -> None:
    assert TOPICS["daily"].push and TOPICS["notes"].push and TOPICS["repair"].push
    assert not TOPICS["conversation"].push and TOPICS["conversation"].email
    assert not TOPICS["checkup"].push and TOPICS["checkup"].email
    assert all(t.app for t in TOPICS.values())
    with pytest.raises(ValueError):
        Topic("x", "X", urgency="now")


def test_docs_list_every_topic_with_its_defaults() -> None:
    """docs/notifications.md's table of topics is the one people read: it names every topic
    and gives the same defaults as the code."""
    docs = (Path(__file__).resolve().parent.parent / "docs" / "notifications.md").read_text()
    rows = {}
    for line in docs.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("| `") and len(cells) == 7:
            rows[cells[0].strip("`")] = cells[2:6]
    on = {True: "on", False: "off"}
    assert rows == {t.key: [on[t.app], on[t.push], on[t.email], t.urgency] for t in TOPICS.values()}


def test_a_person_chooses_channels_per_topic_on_the_settings_page(
    as_alice: Client, alice: User
) -> None:
    page = as_alice.get(reverse("notify:settings")).content.decode()
    assert 'name="push_topics" value="daily" checked' in page
    assert 'name="push_topics" value="conversation">' in page
    response = as_alice.post(
        reverse("notify:settings"),
        {
            "app_topics": list(TOPICS),
            "push_topics": ["notes"],
            "email_topics": ["conversation", "daily"],
            "quiet_start": "22:00",
            "quiet_end": "07:00",
        },
    )
    assert response.status_code == 302
    prefs = Preferences.objects.get(user=alice)
    assert prefs.wants("notes", "push") and not prefs.wants("daily", "push")
    assert prefs.wants("daily", "email") and not prefs.wants("notes", "email")
    assert "notes" in prefs.muted_topics and "daily" not in prefs.muted_topics
    # Without the app channel a notification still exists, but is not listed.
    as_alice.post(reverse("notify:settings"), {"app_topics": ["notes"], "push_topics": []})
    n = notify(alice, topic="daily", title="Bob answered today's question.")
    assert not n.in_app and n.email_state == EmailState.NONE
    assert "Bob answered" not in as_alice.get(reverse("notify:inbox")).content.decode()


def test_quiet_hours_hold_back_push_exactly_as_email(
    as_alice: Client, alice: User, push_service: PushService
) -> None:
    _add_device(as_alice, push_service, "alice-phone")
    # 21:30 UTC is 23:30 in Berlin: quiet until 07:00 there (05:00 UTC).
    with time_machine.travel(_utc(2026, 6, 10, 21, 30), tick=False):
        n = notify(alice, topic="notes", title="Bob sent you a note")
        assert push.send_due_pushes() == 0
    [delivery] = PushDelivery.objects.filter(notification=n)
    assert delivery.due_at == n.email_due_at == _utc(2026, 6, 11, 5, 0)
    with time_machine.travel(_utc(2026, 6, 11, 5, 0, 1), tick=False):
        assert push.send_due_pushes() == 1
    assert len(push_service.received) == 1


# Delivery


def test_a_push_is_signed_encrypted_and_says_only_that_something_happened(
    as_alice: Client, as_bob: Client, alice: User, bob: User, bond: Bond, push_service: PushService
) -> None:
    _no_quiet_hours(alice, bob)
    phone = _add_device(
        as_bob, push_service, "bob-phone", "Mozilla/5.0 (Linux; Android 14) Chrome/130"
    )
    laptop = _add_device(as_bob, push_service, "bob-laptop")
    assert phone.name == "Android phone, Chrome"
    response = as_alice.post(
        reverse("notes:create", args=[bond.pk]), {"text": SECRET, "timing": "now"}
    )
    assert response.status_code == 302
    _drain()
    got = {r.path: r for r in push_service.received}
    assert set(got) == {"/push/bob-phone", "/push/bob-laptop"}  # once per device
    for r in got.values():
        assert r.payload["title"] == "Tending"
        assert r.payload["body"] == "Alice sent you a note"
        assert r.payload["url"].startswith(f"/bonds/{bond.pk}/")
        assert r.headers["ttl"] == str(int(TOPICS["notes"].ttl.total_seconds()))
        assert r.headers["urgency"] == "normal"
        assert r.headers["topic"] == f"notes-{bond.pk}" == r.payload["tag"]
        assert r.claims["aud"] == push_service.origin
        assert r.claims["k"] == push.public_key()
        assert SECRET.encode() not in r.raw
    assert set(PushDelivery.objects.values_list("state", flat=True)) == {PushState.SENT}
    assert Device.objects.get(pk=laptop.pk).last_sent_at is not None
    _drain()
    assert len(push_service.received) == 2  # never twice
    # The email went out as before, beside the pushes.
    assert [m.subject for m in mail.outbox] == ["Alice sent you a note"]


def test_every_push_of_a_day_together_carries_no_written_words(
    as_alice: Client, as_bob: Client, alice: User, bob: User, bond: Bond, push_service: PushService
) -> None:
    """Notes, the daily question and a repair message, each written with a
    leak marker: every payload is decrypted and checked (also by the fixture)."""
    from tending.prompts import library

    _no_quiet_hours(alice, bob)
    _add_device(as_alice, push_service, "alice-phone")
    _add_device(as_bob, push_service, "bob-phone")
    as_alice.post(reverse("notes:create", args=[bond.pk]), {"text": SECRET, "timing": "now"})
    daily = reverse("prompts:daily", args=[bond.pk])
    for client in (as_alice, as_bob):
        prompt: library.Prompt = client.get(daily).context["prompt"]
        client.post(
            reverse("prompts:daily_answer", args=[bond.pk]), {"prompt": prompt.id, "text": SECRET}
        )
    _drain()
    bodies = sorted(p["body"] for p in push_service.payloads())
    assert len(bodies) >= 3, bodies
    assert any("answered today's question" in b for b in bodies)
    for payload in push_service.payloads():
        for marker in LEAK_MARKERS:
            assert marker not in json.dumps(payload)


def test_a_gone_subscription_removes_the_device(
    as_bob: Client, bob: User, push_service: PushService
) -> None:
    _no_quiet_hours(bob)
    device = _add_device(as_bob, push_service, "old-phone")
    push_service.answers["/push/old-phone"] = [(410, {})]
    notify(bob, topic="notes", title="Alice sent you a note")
    assert push.send_due_pushes() == 1
    assert not Device.objects.filter(pk=device.pk).exists()
    assert not PushDelivery.objects.exists()
    assert Notification.objects.filter(user=bob).count() == 1  # still in the app


def test_busy_push_services_are_retried_honouring_retry_after(
    as_bob: Client, bob: User, push_service: PushService
) -> None:
    _no_quiet_hours(bob)
    _add_device(as_bob, push_service, "phone")
    push_service.answers["/push/phone"] = [
        (429, {"Retry-After": "600"}),
        (503, {}),
        (201, {}),
    ]
    start = _utc(2026, 6, 10, 12, 0)
    with time_machine.travel(start, tick=False):
        notify(bob, topic="daily", title="Alice answered today's question.")
        assert push.send_due_pushes() == 1
    d = PushDelivery.objects.get()
    assert d.state == PushState.PENDING and d.attempts == 1
    assert d.due_at == start + timedelta(minutes=10)  # Retry-After beat the 2-minute pause
    with time_machine.travel(d.due_at - timedelta(seconds=1), tick=False):
        assert push.send_due_pushes() == 0
    with time_machine.travel(d.due_at, tick=False):
        assert push.send_due_pushes() == 1
    second = d.due_at
    d.refresh_from_db()
    assert d.attempts == 2 and d.due_at == second + timedelta(minutes=4)
    with time_machine.travel(d.due_at, tick=False):
        assert push.send_due_pushes() == 1
    d.refresh_from_db()
    assert d.state == PushState.SENT
    assert [r.status for r in push_service.received] == [429, 503, 201]
    assert all(r.headers["urgency"] == "normal" for r in push_service.received)


def test_retry_after_as_a_date_and_a_refusal_that_is_not_retried(
    as_bob: Client, bob: User, push_service: PushService
) -> None:
    _no_quiet_hours(bob)
    _add_device(as_bob, push_service, "phone")
    push_service.answers["/push/phone"] = [
        (500, {"Retry-After": "Wed, 10 Jun 2026 13:00:00 GMT"}),
        (413, {}),
    ]
    start = _utc(2026, 6, 10, 12, 0)
    with time_machine.travel(start, tick=False):
        notify(bob, topic="notes", title="t")
        push.send_due_pushes()
    d = PushDelivery.objects.get()
    assert d.due_at == _utc(2026, 6, 10, 13, 0)
    with time_machine.travel(d.due_at, tick=False):
        push.send_due_pushes()
    d.refresh_from_db()
    assert d.state == PushState.FAILED


def test_an_unreachable_push_service_is_retried_then_given_up(bob: User, settings) -> None:  # type: ignore[no-untyped-def]
    settings.PUSH_HTTP_HOSTS = ["127.0.0.1"]
    _no_quiet_hours(bob)
    Device.objects.create(
        user=bob,
        name="x",
        endpoint="http://127.0.0.1:9/push/none",
        p256dh=_a_key(),
        auth="AAAAAAAAAAAAAAAAAAAAAA",
    )
    moment = _utc(2026, 6, 10, 12, 0)
    with time_machine.travel(moment, tick=False):
        notify(bob, topic="notes", title="t")
    for _ in range(push.MAX_ATTEMPTS):
        d = PushDelivery.objects.get()
        with time_machine.travel(d.due_at, tick=False):
            assert push.send_due_pushes() == 1
    assert PushDelivery.objects.get().state == PushState.FAILED


def _a_key() -> str:
    from tests.pushservice import Subscription

    return Subscription("/unused").p256dh


def test_a_worker_that_died_mid_push_never_sends_it_again(
    as_bob: Client, bob: User, push_service: PushService
) -> None:
    _no_quiet_hours(bob)
    _add_device(as_bob, push_service, "phone")
    now = _utc(2026, 6, 10, 12, 0)
    with time_machine.travel(now, tick=False):
        notify(bob, topic="notes", title="t")
        PushDelivery.objects.update(
            state=PushState.SENDING, claim="dead", claimed_until=now + push.LEASE
        )
        close_interrupted_pushes()
        assert PushDelivery.objects.get().state == PushState.SENDING  # its lease still runs
    with time_machine.travel(now + push.LEASE + timedelta(seconds=1), tick=False):
        close_interrupted_pushes()
        assert push.send_due_pushes() == 0
    assert PushDelivery.objects.get().state == PushState.INTERRUPTED
    assert push_service.received == []


def test_two_workers_racing_push_each_device_once(
    as_bob: Client, bob: User, push_service: PushService, monkeypatch: pytest.MonkeyPatch
) -> None:
    _no_quiet_hours(bob)
    _add_device(as_bob, push_service, "phone")
    for i in range(3):
        notify(bob, topic="notes", title=f"Note {i}")
    real = push._post
    raced: list[bool] = []

    def post_while_another_worker_runs(d: PushDelivery):  # type: ignore[no-untyped-def]
        if not raced:
            raced.append(True)
            assert push.send_due_pushes() == 0  # the batch is claimed
        return real(d)

    monkeypatch.setattr(push, "_post", post_while_another_worker_runs)
    assert push.send_due_pushes() == 3
    assert sorted(p["body"] for p in push_service.payloads()) == ["Note 0", "Note 1", "Note 2"]


# Devices


def test_devices_are_listed_renamed_and_removed_by_their_owner_only(
    as_alice: Client, as_bob: Client, alice: User, push_service: PushService
) -> None:
    first = _add_device(as_alice, push_service, "a1")
    second = _add_device(as_alice, push_service, "a2")
    page = as_alice.get(reverse("notify:devices")).content.decode()
    assert "Allow notifications on this phone" in page and first.name in page
    assert "this phone" in page  # the one this session added
    assert f'data-vapid-key="{push.public_key()}"' in page
    rename = reverse("notify:device_rename", args=[first.pk])
    remove = reverse("notify:device_remove", args=[second.pk])
    assert as_bob.post(rename, {f"d{first.pk}-name": "mine now"}).status_code == 404
    assert as_bob.post(remove).status_code == 404
    assert Device.objects.filter(user=alice).count() == 2
    as_alice.post(rename, {f"d{first.pk}-name": "  Kitchen   tablet "})
    assert Device.objects.get(pk=first.pk).name == "Kitchen tablet"
    response = as_alice.post(rename, {f"d{first.pk}-name": "   "}, follow=True)
    assert "Please give this device a name." in response.content.decode()
    as_alice.post(remove)
    assert list(Device.objects.filter(user=alice)) == [first]
    assert "Bob" not in as_bob.get(reverse("notify:devices")).content.decode()
    assert "Kitchen tablet" not in as_bob.get(reverse("notify:devices")).content.decode()


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        "[]",
        '{"endpoint": "ftp://x/y", "keys": {"p256dh": "abc", "auth": "abc"}}',
        '{"endpoint": "http://push.example.org/x", "keys": {"p256dh": "abc", "auth": "abc"}}',
        '{"endpoint": "https://push.example.org/x", "keys": {"p256dh": "a b", "auth": "abc"}}',
        '{"endpoint": "https://push.example.org/x", "keys": {}}',
        '{"endpoint": "https://10.0.0.7/x", "keys": {"p256dh": "abc", "auth": "abc"}}',
        '{"endpoint": "https://[::1]:8443/x", "keys": {"p256dh": "abc", "auth": "abc"}}',
        '{"endpoint": "https://localhost/x", "keys": {"p256dh": "abc", "auth": "abc"}}',
        '{"endpoint": "https://user:pw@push.example.org/x", "keys": {"p256dh": "abc", "auth": "abc"}}',
    ],
)
def test_a_subscription_that_cannot_be_used_is_refused_plainly(
    as_alice: Client, alice: User, body: str
) -> None:
    response = as_alice.post(reverse("notify:device_add"), body, content_type="application/json")
    assert response.status_code == 400
    assert "could not be read" in response.json()["error"]
    assert not Device.objects.exists()


def test_a_shared_phone_moves_to_who_subscribed_last_and_log_out_stops_it(
    as_alice: Client, as_bob: Client, alice: User, bob: User, push_service: PushService
) -> None:
    sub = push_service.subscribe("shared")
    body = json.dumps(sub.as_json(push_service.origin))
    as_alice.post(reverse("notify:device_add"), body, content_type="application/json")
    moved = as_bob.post(reverse("notify:device_add"), body, content_type="application/json")
    assert moved.status_code == 200
    assert list(Device.objects.values_list("user", flat=True)) == [bob.pk]
    as_bob.post(reverse("accounts:logout"))
    assert not Device.objects.exists()


def test_vapid_keys_are_generated_once_into_the_data_folder(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tending.lib.env import envsecret, new_vapid_key

    path = tmp_path / "vapid_private_key"
    key, generated = envsecret("TENDING_TEST_UNSET_VAPID", path, new_vapid_key)
    assert generated and path.read_text() == key and len(key) == 43
    assert envsecret("TENDING_TEST_UNSET_VAPID", path, new_vapid_key) == (key, True)
    assert oct(path.stat().st_mode & 0o777) == "0o600"


def test_the_quiet_hours_form_and_defaults_keep_working(as_alice: Client, alice: User) -> None:
    response = as_alice.post(
        reverse("notify:settings"),
        {"email_topics": list(TOPICS), "quiet_start": "21:00", "quiet_end": ""},
    )
    assert "Please give both a start and an end" in response.content.decode()
    prefs = Preferences.objects.get(user=alice)
    assert prefs.quiet_start == time(22, 0) and prefs.channels == {}
