"""Monthly indicators from a message stream, with a small deterministic
classifier standing in for the gentle-words coach."""

from __future__ import annotations

import json
import statistics
from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tending.insights.analysis import indicators
from tending.insights.analysis.indicators import Insights, fold, words_in
from tending.insights.analysis.tallies import CONVERSATION_GAP, REPLY_EDGES, Histogram
from tending.insights.chats.stream import Message


def labels(text: str) -> frozenset[str]:
    """A stand-in coach: a few fixed phrases per label."""
    lower = text.lower()
    found = set()
    if any(cue in lower for cue in ("pick up", "milk", "bread", "at 7")):
        found.add("logistics")
    if "i feel" in lower or "i miss" in lower:
        found.add("feeling")
    if "thank" in lower:
        found.add("appreciation")
    if "how was" in lower:
        found.add("curiosity")
    if "you never" in lower:
        found.add("criticism")
    if "whatever" in lower:
        found.add("stonewalling")
    if "sorry" in lower:
        found.add("repair")
    if "funny" in lower:
        found.add("humor")
    return frozenset(found)


def msg(
    when: datetime, sender: str | None, text: str = "hi", kind: str = "text", **extra: object
) -> Message:
    return Message(when, None, sender, text, kind if sender else "system", **extra)  # type: ignore[arg-type]


def month(result: dict, key: str) -> dict:
    return next(m for m in result["months"] if m["month"] == key)


T0 = datetime(2024, 3, 4, 9, 0)


def test_conversation_starts_after_the_named_gap() -> None:
    stream = [
        msg(T0, "Ana"),
        msg(T0 + timedelta(minutes=5), "Bruno"),
        msg(T0 + timedelta(minutes=5) + CONVERSATION_GAP - timedelta(minutes=1), "Ana"),
        msg(T0 + timedelta(minutes=5) * 2 + CONVERSATION_GAP * 2, "Bruno"),
        msg(T0 + timedelta(minutes=5) * 2 + CONVERSATION_GAP * 3, "Bruno"),
    ]
    result = fold(stream, labels)
    by_sender = month(result, "2024-03")["by_sender"]
    assert by_sender["Ana"]["starts"] == 1  # the very first message
    assert by_sender["Bruno"]["starts"] == 2  # after a gap of exactly six hours, and more
    assert month(result, "2024-03")["together"]["starts"] == 3


def test_reply_times_go_to_the_replier_and_skip_gaps_over_a_day() -> None:
    stream = [
        msg(T0, "Ana"),
        msg(T0 + timedelta(minutes=2), "Bruno"),  # Bruno replies after 120 s
        msg(T0 + timedelta(minutes=3), "Bruno"),  # same sender: not a reply
        msg(T0 + timedelta(minutes=13), "Ana"),  # Ana replies after 600 s
        msg(T0 + timedelta(hours=25), "Bruno"),  # over 24 h: not a reply
    ]
    figures = month(fold(stream, labels), "2024-03")["by_sender"]
    assert figures["Bruno"]["replies"] == 1 and figures["Ana"]["replies"] == 1
    assert 120 <= figures["Bruno"]["reply_median_seconds"] < 180
    assert 600 <= figures["Ana"]["reply_median_seconds"] < 900


def test_long_silences_count_their_empty_days_in_each_month() -> None:
    stream = [
        msg(datetime(2024, 1, 30, 22, 0), "Ana"),
        msg(datetime(2024, 2, 4, 8, 0), "Bruno"),  # Jan 31 and Feb 1-3 were silent
        msg(datetime(2024, 2, 6, 8, 0), "Ana"),  # two days: not a long silence
    ]
    result = fold(stream, labels)
    assert month(result, "2024-01")["together"]["silent_days"] == 1
    assert month(result, "2024-01")["together"]["silences"] == 1
    assert month(result, "2024-02")["together"]["silent_days"] == 3
    assert month(result, "2024-02")["together"]["silences"] == 0


def test_a_fully_silent_month_still_appears() -> None:
    stream = [msg(datetime(2024, 1, 20, 9, 0), "Ana"), msg(datetime(2024, 3, 2, 9, 0), "Bruno")]
    result = fold(stream, labels)
    assert [m["month"] for m in result["months"]] == ["2024-01", "2024-02", "2024-03"]
    february = month(result, "2024-02")["together"]
    assert february["messages"] == 0 and february["silent_days"] == 29


def test_logistics_only_share_and_labels() -> None:
    stream = [
        msg(T0, "Ana", "Can you pick up bread?"),
        msg(T0 + timedelta(minutes=1), "Bruno", "Thank you for the bread yesterday"),
        msg(T0 + timedelta(minutes=2), "Ana", "I feel tired, how was your day?"),
        msg(T0 + timedelta(minutes=3), "Bruno", "<Media omitted>", "media"),
    ]
    together = month(fold(stream, labels), "2024-03")["together"]
    assert together["texts"] == 3 and together["media"] == 1 and together["messages"] == 4
    assert together["logistics"] == 2 and together["logistics_only"] == 1
    assert together["logistics_share"] == pytest.approx(1 / 3, abs=1e-4)
    assert (together["feeling"], together["appreciation"], together["curiosity"]) == (1, 1, 1)


def test_laughter_is_counted_without_the_coach() -> None:
    texts = [
        "hahaha",
        "JAJAJA que bueno",
        "kkkkk",
        "mdr",
        "lol ok",
        "yes \U0001f602",
        "Sahara trip?",
        "ok",
    ]
    stream = [msg(T0 + timedelta(minutes=i), "Ana", text) for i, text in enumerate(texts)]
    stream.append(msg(T0 + timedelta(minutes=20), "Bruno", "Reacted \U0001f602 to your message "))
    stream.append(msg(T0 + timedelta(minutes=21), "Bruno", "Laughed at \u201cok\u201d"))
    stream.append(msg(T0 + timedelta(minutes=22), "Bruno", "Liked a message"))
    stream.append(
        msg(
            T0 + timedelta(minutes=23), "Ana", "that was funny", reactions=[("Bruno", "\U0001f923")]
        )
    )
    result = fold(stream, lambda _t: frozenset())
    figures = month(result, "2024-03")["by_sender"]
    assert figures["Ana"]["laughter"] == 6  # not "Sahara", not "ok", not "funny" without the coach
    assert figures["Ana"]["messages"] == 9
    # Reaction notices are reactions, not messages; two of the four laugh.
    assert figures["Bruno"]["messages"] == 0
    assert figures["Bruno"]["reactions"] == 4 and figures["Bruno"]["laughter"] == 3
    with_coach = month(fold(stream, labels), "2024-03")["by_sender"]
    assert with_coach["Ana"]["laughter"] == 7 and with_coach["Ana"]["humor"] == 1


def test_we_and_you_words() -> None:
    assert words_in("we should go, you and i. let's ask your mum!") == (2, 2, False)
    assert words_in("nós vamos? você vem") == (1, 1, False)
    assert words_in("youth yours truly, us-two") == (1, 1, False)
    assert words_in("hahah we 😂") == (1, 0, True)


def test_repair_episodes_and_time_to_repair() -> None:
    stream = [
        msg(T0, "Ana", "You never listen"),
        msg(T0 + timedelta(minutes=5), "Bruno", "whatever"),  # same episode, still open
        msg(T0 + timedelta(hours=2), "Ana", "I'm sorry, I was tired"),  # repaired after 2 h
        msg(T0 + timedelta(days=10), "Bruno", "You never call"),
        msg(T0 + timedelta(days=18), "Bruno", "sorry"),  # past the window: not a repair of it
    ]
    together = month(fold(stream, labels), "2024-03")["together"]
    assert together["conflict_episodes"] == 2 and together["repaired_episodes"] == 1
    assert together["repair_rate"] == 0.5
    assert 7200 <= together["repair_median_seconds"] < 14400
    assert together["harsh"] == 3 and together["criticism"] == 2 and together["stonewalling"] == 1
    assert together["repair"] == 2


def test_partial_first_and_last_months_are_marked() -> None:
    stream = [
        msg(datetime(2024, 1, 15, 9, 0), "Ana"),
        msg(datetime(2024, 2, 10, 9, 0), "Bruno"),
        msg(datetime(2024, 3, 10, 9, 0), "Ana"),
    ]
    result = fold(stream, labels)
    assert [(m["month"], m["partial"], m["covered_days"]) for m in result["months"]] == [
        ("2024-01", True, 17),
        ("2024-02", False, 29),
        ("2024-03", True, 10),
    ]
    assert any("January 2024" in note and "March 2024" in note for note in result["notes"])


def _month_of_messages(year: int, number: int, logistics: int, total: int = 40) -> list[Message]:
    start = datetime(year, number, 1, 8, 0)
    out = []
    for i in range(total):
        text = "Can you pick up milk" if i < logistics else f"how was the walk {i}"
        out.append(msg(start + timedelta(hours=i * 12), "Ana" if i % 2 else "Bruno", text))
    return out


def test_a_rising_share_of_logistics_is_explained_as_a_trend_without_verdicts() -> None:
    stream: list[Message] = []
    shares = [12, 12, 12, 14, 16, 20, 20, 20]  # of 40 messages a month: 30% -> 50%
    for offset, logistics in enumerate(shares):
        stream.extend(_month_of_messages(2024, 2 + offset, logistics))
    stream.append(msg(datetime(2024, 10, 1, 8, 0), "Ana", "milk"))  # last day 1: partial month
    result = fold(stream, labels)
    trend = next(t for t in result["trends"] if t["indicator"] == "logistics_share")
    assert trend["direction"] == "up" and trend["toward_warning_sign"] is True
    assert trend["from_months"] == ["2024-02", "2024-03", "2024-04"]
    assert trend["to_months"] == ["2024-07", "2024-08", "2024-09"]
    assert trend["text"] == (
        "Talk has become more transactional: the share of messages about logistics alone rose "
        "from 30% to 50% between February\u2013April 2024 and July\u2013September 2024."
    )
    assert trend["relates_to"] == "Talk has become transactional"
    curiosity = next(t for t in result["trends"] if t["indicator"] == "curiosity_share")
    assert curiosity["direction"] == "down"
    assert not any(t["indicator"] == "laughter_share" for t in result["trends"])
    words = json.dumps(result).lower()
    for verdict in ("divorce", "break up", "breakup", "will end", "fault", "blame", "doomed"):
        assert verdict not in words
    json.dumps(result)  # serialisable as it is


def test_steady_months_give_no_trend() -> None:
    stream: list[Message] = []
    for offset in range(6):
        stream.extend(_month_of_messages(2024, 2 + offset, 12))
    result = fold(stream, labels)
    assert result["trends"] == []
    assert any("none of the measures moved much" in note for note in result["notes"])


def test_without_the_coach_label_figures_are_left_out(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(indicators, "_coach_classifier", lambda: None)
    insights = Insights()
    for message in [msg(T0, "Ana", "haha can you pick up milk"), msg(T0, "Bruno", "sorry")]:
        insights.add(message)
    result = insights.result()
    assert result["labels_available"] is False
    assert any("coach was not available" in note for note in result["notes"])
    together = month(result, "2024-03")["together"]
    assert together["logistics"] == 0 and together["laughter"] == 1


def test_the_coach_is_the_default_classifier() -> None:
    classify = indicators._coach_classifier()
    if classify is None:
        pytest.skip("the coach is not importable in this checkout")
    assert Insights().classify is classify
    assert isinstance(classify("Can you pick up milk on the way home?"), frozenset)


def test_label_cache_stays_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(indicators, "CLASSIFIER_CACHE", 3)
    calls: list[str] = []

    def counting(text: str) -> frozenset[str]:
        calls.append(text)
        return labels(text)

    insights = Insights(counting)
    for i in range(10):
        insights.add(msg(T0 + timedelta(minutes=i), "Ana", f"thanks {i}"))
        insights.add(msg(T0 + timedelta(minutes=i, seconds=30), "Bruno", "thanks"))
        assert len(insights._labels) <= 3
    assert calls.count("thanks") < 10  # repeated short texts are classified once in a while
    assert month(insights.result(), "2024-03")["together"]["appreciation"] == 20


def test_system_lines_count_apart_from_messages() -> None:
    stream = [msg(T0, None, "Ana added Bruno"), msg(T0 + timedelta(minutes=1), "Ana", "hi")]
    result = fold(stream, labels)
    together = month(result, "2024-03")["together"]
    assert together["system"] == 1 and together["messages"] == 1
    assert result["participants"] == ["Ana"]


@settings(max_examples=60, deadline=None, database=None)
@given(st.lists(st.floats(min_value=0, max_value=86400, allow_nan=False), min_size=1, max_size=200))
def test_histogram_median_falls_in_the_bucket_of_the_true_median(values: list[float]) -> None:
    histogram = Histogram(REPLY_EDGES)
    for value in values:
        histogram.add(value)
    estimate = histogram.median()
    assert estimate is not None

    def bucket(value: float) -> tuple[int, int]:
        for low, high in zip(REPLY_EDGES, REPLY_EDGES[1:], strict=False):
            if low <= value < high:
                return low, high
        return REPLY_EDGES[-2], REPLY_EDGES[-1]

    low = bucket(statistics.median_low(values))[0]
    high = bucket(statistics.median_high(values))[1]
    assert low <= estimate <= high
