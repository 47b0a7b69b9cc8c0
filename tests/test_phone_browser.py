"""Tending on a 360 × 740 phone screen: no page scrolls sideways and no word is broken inside,
and the fixes from issue 13 (section 5) that only a browser can see.

What "a broken word" means here, concretely: a run of non-space characters in one text node
(a word, as the reader sees it) whose characters are laid out on more than one line. The
browser tells us exactly where each character went: a DOM Range over the word returns one
client rect per line box it occupies (`Range.getClientRects()`), so a word that wrapped inside
itself ("Disagre" / "e", the kind of break `overflow-wrap: anywhere` or `word-break` produces)
gives rects with two different tops. A word with its own hyphen, dash or slash may break
there by design and is not counted; neither is text the reader cannot see (hidden elements,
form controls). Sideways scrolling is `document.documentElement.scrollWidth > innerWidth`:
content that is wider than the screen outside a scroll box of its own.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from tending.notify.models import Notification
from tests.conftest import client_for, log_in_page
from tests.test_url_access import ROUTES, _fill
from tests.world import make_world

pytestmark = pytest.mark.browser

SCREEN = {"viewport": {"width": 360, "height": 740}, "device_scale_factor": 1}

# Returns a list of problems on the page (or under `root`, a CSS selector).
CHECK = """
(root) => {
  const problems = [];
  const top = root ? document.querySelector(root) : document.body;
  if (!root && document.documentElement.scrollWidth > window.innerWidth) {
    const wide = [...document.querySelectorAll("body *")]
      .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
      .filter((e) => !e.closest(".chart-scroll, .table-scroll"))
      .slice(-3)
      .map((e) => `<${e.tagName.toLowerCase()} class="${e.className}">`);
    problems.push(
      `scrolls sideways: ${document.documentElement.scrollWidth} > ${window.innerWidth} ${wide}`
    );
  }
  const skip = new Set(["SCRIPT", "STYLE", "TEXTAREA", "OPTION", "SELECT", "TITLE", "NOSCRIPT"]);
  const walker = document.createTreeWalker(top, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || skip.has(el.tagName) || el.closest("svg") || !el.getClientRects().length) continue;
    if (getComputedStyle(el).visibility === "hidden") continue;
    const words = /\\S+/g;
    for (let m = words.exec(node.data); m; m = words.exec(node.data)) {
      if (/[-\\u00ad\\u2010-\\u2014\\/]/.test(m[0])) continue;
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      const tops = new Set(
        [...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top))
      );
      if (tops.size > 1) {
        problems.push(`broken word "${m[0]}" in <${el.tagName.toLowerCase()} class="${el.className}">`);
      }
    }
  }
  return problems;
}
"""


def _problems(page: Any, root: str | None = None) -> list[str]:
    return page.evaluate(CHECK, root)


def _phone(browser: Any, live_server: Any, email: str | None = None) -> tuple[Any, Any]:
    context = browser.new_context(**SCREEN)
    page = context.new_page()
    if email:
        log_in_page(page, live_server, email)
    return context, page


def test_no_page_scrolls_sideways_or_breaks_a_word(live_server, browser) -> None:  # type: ignore[no-untyped-def]
    """Every page of the URL walk (tests/test_url_access.py) that alice can open, and the
    public ones, at 360 × 740."""
    world = make_world()
    values = world.url_values()
    found: dict[str, list[str]] = {}
    visited = 0
    context, page = _phone(browser, live_server)
    for path in ("/", "/accounts/signup/", "/accounts/login/", "/support/"):
        page.goto(live_server.url + path)
        if problems := _problems(page):
            found[path] = problems
    log_in_page(page, live_server, world.alice.email)
    client = client_for(world.alice)
    for route in ROUTES:
        url = _fill(route, values)
        # Pages only: what alice gets as a page (not a 405 for a form's target, a redirect,
        # a download or JSON), asked first without the browser.
        answer = client.get(url)
        if answer.status_code != 200 or "text/html" not in answer.get("Content-Type", ""):
            continue
        page.goto(live_server.url + url)
        if "/accounts/login/" in page.url and route.name not in world.public_routes:
            log_in_page(page, live_server, world.alice.email)  # a page that logs out
            page.goto(live_server.url + url)
        visited += 1
        if problems := _problems(page):
            found[url] = problems
    context.close()
    assert visited >= 40, visited  # the walk really walked
    assert not found, found


def test_a_chosen_check_up_answer_keeps_its_words_whole(live_server, browser) -> None:  # type: ignore[no-untyped-def]
    world = make_world()
    context, page = _phone(browser, live_server, world.alice.email)
    page.goto(live_server.url + reverse("checkup:take", args=[world.bond.pk]))
    first = page.locator("fieldset.item").first
    options = first.locator(".scale5 .opt")
    weights = set()
    for i in range(options.count()):
        options.nth(i).click()
        assert not _problems(page, "fieldset.item"), options.nth(i).inner_text()
        weights.add(options.nth(i).locator("span").evaluate("e => getComputedStyle(e).fontWeight"))
    # Chosen or not, a label keeps its weight, so its words keep their width.
    assert len(weights) == 1, weights
    context.close()


def test_an_insights_chart_opens_on_the_newest_month_and_says_it_scrolls(
    live_server, browser
) -> None:  # type: ignore[no-untyped-def]
    world = make_world()
    context, page = _phone(browser, live_server, world.alice.email)
    item = world.objects["chat_import"]
    page.goto(live_server.url + item.get_absolute_url())
    box = page.locator(".chart-scroll").first
    box.scroll_into_view_if_needed()
    edges = box.evaluate(
        """(e) => { const b = e.getBoundingClientRect(), s = e.querySelector("svg").getBoundingClientRect();
                    return {box: b.right, svg: s.right, wider: s.width > b.width + 1}; }"""
    )
    assert edges["wider"], edges  # the chart is wider than the phone...
    assert abs(edges["svg"] - edges["box"]) <= 1, edges  # ...and shows its right end, the newest
    assert page.locator(".chart-hint").first.is_visible()
    context.close()


def test_notifications_line_up_and_say_just_now(live_server, browser) -> None:  # type: ignore[no-untyped-def]
    world = make_world()
    long = "Bob answered today's question too. You can see both answers now, whenever you like."
    Notification.objects.create(user=world.alice, topic="daily", title=long, url="/bonds/")
    Notification.objects.create(user=world.alice, topic="daily", title=long)
    Notification.objects.create(
        user=world.alice, topic="bond", title=long, url="/bonds/", created_at=timezone.now()
    )
    context, page = _phone(browser, live_server, world.alice.email)
    page.goto(live_server.url + reverse("notify:inbox"))
    lefts = page.evaluate(
        """() => [...document.querySelectorAll(".notifications li")].map((li) => {
             const walker = document.createTreeWalker(li, NodeFilter.SHOW_TEXT);
             let n = walker.nextNode();
             while (n && !n.data.trim()) n = walker.nextNode();
             const r = document.createRange();
             r.setStart(n, n.data.indexOf(n.data.trim()[0]));
             r.setEnd(n, n.data.indexOf(n.data.trim()[0]) + 1);
             const rects = [...r.getClientRects()];
             // The second line of a wrapped title starts where the first did.
             const full = document.createRange(); full.selectNodeContents(n);
             const lines = [...full.getClientRects()].filter((x) => x.width > 0);
             return [Math.round(rects[0].left), Math.round(lines[lines.length - 1].left)];
           })"""
    )
    assert len(lefts) >= 3
    assert len({left for pair in lefts for left in pair}) == 1, lefts
    main = page.locator("main").inner_text()
    assert "just now" in main and "0 minutes" not in main
    context.close()


def test_the_new_bond_radio_buttons_are_all_one_size(live_server, browser) -> None:  # type: ignore[no-untyped-def]
    world = make_world()
    context, page = _phone(browser, live_server, world.alice.email)
    page.goto(live_server.url + reverse("bonds:create"))
    sizes = page.evaluate(
        """() => [...document.querySelectorAll("input[type=radio]")].map((e) => {
             const r = e.getBoundingClientRect(); return [Math.round(r.width), Math.round(r.height)];
           })"""
    )
    assert len(sizes) == 5 and len({tuple(s) for s in sizes}) == 1, sizes
    context.close()


def test_switching_turns_leaves_the_talking_timer_running(live_server, browser) -> None:  # type: ignore[no-untyped-def]
    world = make_world()
    context, page = _phone(browser, live_server, world.alice.email)
    page.clock.install()
    page.goto(live_server.url + reverse("prompts:conversation", args=[world.bond.pk]))
    page.clock.pause_at(timezone.now().timestamp() * 1000 + 60_000)
    face = page.locator("[data-timer-left]")
    toggle = page.locator("[data-timer-toggle]")
    toggle.click()
    page.clock.run_for(3000)
    assert face.inner_text() == "4:57"
    note = page.locator("#turn-note").inner_text()
    page.get_by_role("button", name="Switch turns").click()
    page.wait_for_function(
        "(before) => document.querySelector('#turn-note').innerText !== before", arg=note
    )
    # Whose turn changed; the timer neither reset nor stopped.
    assert face.inner_text() != "5:00" and toggle.inner_text() == "Pause"
    before = face.inner_text()
    page.clock.run_for(2000)
    assert face.inner_text() != before
    context.close()
