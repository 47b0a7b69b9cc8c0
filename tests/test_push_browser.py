"""Push notifications in Chromium, end to end with two phones.

bob allows notifications on his phone (a persistent profile) with one tap;
alice answers today's question on hers; the worker sends bob's push to the
local push service (tests/pushservice.py), which checks its VAPID token and
decrypts it; that very payload is then delivered to bob's real service worker
with the DevTools protocol (ServiceWorker.deliverPushMessage), which shows the
notification; opening it brings bob to today's question.

What is covered, honestly: the server's subscription handling, encryption,
signature and payload (against the local push service), and the service
worker's push and notificationclick handlers with that payload. Chromium's
own push service (FCM) is not reachable here, so the browser's
`pushManager.subscribe` is replaced by one that returns the local push
service's subscription; and a notification cannot be tapped in headless
Chromium, so the test dispatches a notificationclick event in the worker
with the shown notification (the handler navigates the open app window; the
branch that opens a new window when none is open is not exercised).
"""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from tending.notify import push
from tending.notify.models import Device, Preferences
from tests.conftest import Pair, controlled, log_in_page, until
from tests.pushservice import PushService, Subscription

pytestmark = pytest.mark.browser

# Stands in for the browser's push service: the subscription the local push
# service made, and a count of permission questions.
STUB = """
(() => {
  const sub = %s;
  window.__asked = 0;
  const ask = Notification.requestPermission.bind(Notification);
  Notification.requestPermission = () => { window.__asked += 1; return ask(); };
  const fake = { endpoint: sub.endpoint, toJSON: () => sub };
  PushManager.prototype.subscribe = function () { return Promise.resolve(fake); };
  PushManager.prototype.getSubscription = function () { return Promise.resolve(null); };
})();
"""


NOTIFICATIONS = """navigator.serviceWorker.ready
    .then(r => r.getNotifications())
    .then(list => list.map(n => ({title: n.title, body: n.body, tag: n.tag, data: n.data})))
    .then(list => list.length ? list : null)"""


def _allow_on_this_phone(context, page, live_server, sub: Subscription, origin: str) -> None:  # type: ignore[no-untyped-def]
    context.add_init_script(STUB % json.dumps(sub.as_json(origin)))
    context.grant_permissions(["notifications"], origin=live_server.url)
    page.goto(live_server.url + reverse("notify:devices"))
    allow = page.get_by_role("button", name="Allow notifications on this phone")
    allow.wait_for()
    assert page.evaluate("window.__asked") == 0  # never asked on page load
    allow.click()
    page.get_by_text("this phone", exact=True).wait_for()
    assert page.evaluate("window.__asked") == 0  # the page reloaded: a fresh count


def _registration_id(cdp, page, live: str) -> str:  # type: ignore[no-untyped-def]
    found: dict[str, str] = {}

    def seen(event: dict) -> None:  # type: ignore[type-arg]
        for r in event["registrations"]:
            if r["scopeURL"] == live + "/" and not r["isDeleted"]:
                found["id"] = r["registrationId"]

    cdp.on("ServiceWorker.workerRegistrationUpdated", seen)
    cdp.send("ServiceWorker.enable")
    for _ in range(50):
        if "id" in found:
            return found["id"]
        page.wait_for_timeout(100)
    raise AssertionError("no service worker registration reported")


def test_alice_answers_and_bobs_phone_shows_a_push_that_opens_todays_question(  # type: ignore[no-untyped-def]
    live_server, phones, pair: Pair, push_service: PushService
) -> None:
    Preferences.objects.filter(user__in=[pair.alice, pair.bob]).delete()
    for user in (pair.alice, pair.bob):
        Preferences.objects.create(user=user, quiet_start=None, quiet_end=None)
    bob_phone, alice_phone = phones(), phones()
    bob = bob_phone.new_page()
    log_in_page(bob, live_server, "bob@example.org")
    controlled(bob)
    sub = push_service.subscribe("bob-phone")
    _allow_on_this_phone(bob_phone, bob, live_server, sub, push_service.origin)
    [device] = Device.objects.filter(user=pair.bob)
    assert device.endpoint == push_service.origin + "/push/bob-phone"

    bob.goto(live_server.url + reverse("bonds:home"))
    controlled(bob)
    cdp = bob_phone.new_cdp_session(bob)
    registration = _registration_id(cdp, bob, live_server.url)

    alice = alice_phone.new_page()
    log_in_page(alice, live_server, "alice@example.org")
    daily = live_server.url + reverse("prompts:daily", args=[pair.bond.pk])
    alice.goto(daily)
    alice.locator("textarea").first.fill("PUSH-SECRET-93d1 my answer")
    alice.locator("main form button[type=submit]").first.click()
    alice.wait_for_load_state()

    assert push.send_due_pushes() == 1  # what the worker does next
    [received] = push_service.received
    assert received.path == "/push/bob-phone"
    assert "answered today's question" in received.payload["body"]

    shown = None
    for _ in range(3):
        # On a loaded machine a push handed over while the worker is being
        # started has now and then been lost (seen only in full-suite runs);
        # it is handed over again, and what is shown is still checked below.
        cdp.send(
            "ServiceWorker.deliverPushMessage",
            {
                "origin": live_server.url,
                "registrationId": registration,
                "data": json.dumps(received.payload),
            },
        )
        try:
            shown = until(bob, NOTIFICATIONS, tries=150)
            break
        except AssertionError:
            continue
    assert shown == [
        {
            "title": "Tending",
            "body": received.payload["body"],
            "tag": f"daily-{pair.bond.pk}",
            "data": {"url": reverse("prompts:daily", args=[pair.bond.pk])},
        }
    ]

    # Opening it: the worker's notificationclick handler, given the notification.
    [worker] = [w for w in bob_phone.service_workers if w.url.endswith("/sw.js")]
    worker.evaluate(
        """self.registration.getNotifications().then(([n]) =>
             self.dispatchEvent(new NotificationEvent("notificationclick", {notification: n})))"""
    )
    bob.wait_for_url(daily)
    bob.get_by_role("heading", level=1).wait_for()
    assert "answered" in bob.text_content("main")
