"""The coach's rewrites (tending.coach.rewrite): meaning kept, speaker's claim kept,
person and tense kept, gentle, varied and deterministic."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from tending.coach.analysis import NEGATIVE, analyse, rephrase
from tending.coach.rewrite import HARSH, suggestions
from tending.coach.rewrite.facts import reasons, situation, topic

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tending" / "coach" / "data" / "corpus"


def _harsh_messages() -> list[tuple[str, str]]:
    """(text, label) for every training message whose primary label is harsh."""
    rows = []
    for label in HARSH:
        for line in (CORPUS / f"{label}.jsonl").read_text("utf-8").splitlines():
            row = json.loads(line)
            if row["labels"][0] == label:
                rows.append((row["text"], label))
    return rows


HARSH_MESSAGES = _harsh_messages()


def _gentle(text: str) -> bool:
    return NEGATIVE.isdisjoint(analyse(text).labels)


@pytest.fixture(scope="module")
def rewritten() -> list[tuple[str, str, list[str]]]:
    return [(text, label, suggestions(text, label, keep=_gentle)) for text, label in HARSH_MESSAGES]


# --- variety -------------------------------------------------------------------------


def test_no_line_is_used_for_more_than_3_percent_of_harsh_messages(rewritten) -> None:
    assert len(rewritten) >= 1000
    used = Counter(line for _, _, lines in rewritten for line in set(lines))
    line, count = used.most_common(1)[0]
    assert count <= 0.03 * len(rewritten), (line, count, len(rewritten))


def test_each_label_gets_its_own_variety(rewritten) -> None:
    for label in HARSH:
        lines = [line for _, lab, out in rewritten if lab == label for line in out]
        assert len(set(lines)) >= 0.5 * len(lines), label


def test_a_message_gets_three_different_suggestions(rewritten) -> None:
    # Up to three: a general line beside lines that keep the message's own words is left
    # out rather than shown (about 2 % of these messages get one or two lines).
    assert all(rewritten_lines for _, _, rewritten_lines in rewritten)
    full = [out for _, _, out in rewritten if len(out) == 3]
    assert len(full) >= 0.95 * len(rewritten)
    for out in full:
        assert len(set(out)) == 3
        # Not the same sentence with one word swapped: the openings differ.
        assert len({line.split(" ")[0:3].__repr__() for line in out}) >= 2, out


@pytest.mark.parametrize(
    ("text", "label", "kept"),
    [
        # Samples 25 and 22 (graded partial for it): the general line went beside two that
        # keep the speaker's account.
        (
            "mate I put fuel in it didn't I? not my fault the tyre was already stuffed before I took it",
            "defensiveness",
            "tyre",
        ),
        (
            "it's not my fault the bus never came, what was I supposed to do, walk from Tallaght?",
            "defensiveness",
            "bus",
        ),
        # New wordings of the same shapes.
        (
            "not my fault the printer jammed before my shift even started",
            "defensiveness",
            "printer",
        ),
        ("do what you want, i'm not arguing about the caravan again", "stonewalling", "caravan"),
        ("sure, you were 'at the gym' for four hours", "contempt", "gym"),
    ],
)
def test_no_general_line_beside_lines_that_keep_the_message(text, label, kept) -> None:
    out = suggestions(text, label, keep=_gentle)
    assert out
    assert all(kept in line.lower() for line in out), out


def test_general_lines_stay_when_no_line_can_keep_the_message() -> None:
    # Nothing to keep: a bare shutdown still gets its three ways to ask for a break.
    assert len(suggestions("k.", "stonewalling", keep=_gentle)) == 3
    assert len(suggestions("you're pathetic", "contempt", keep=_gentle)) == 3


# --- gentle, and well formed ---------------------------------------------------------


def test_every_suggestion_the_coach_shows_is_gentle() -> None:
    shown = 0
    for text, _ in HARSH_MESSAGES:
        for suggestion in rephrase(text):
            shown += 1
            assert _gentle(suggestion), (text, suggestion)
    assert shown >= 1000


def test_suggestions_are_gentle_by_design_not_only_by_the_filter() -> None:
    # The coach drops a flagged line and takes a spare; that should be rare.
    changed = sum(
        suggestions(text, label) != suggestions(text, label, keep=_gentle)
        for text, label in HARSH_MESSAGES
    )
    assert changed <= 0.02 * len(HARSH_MESSAGES)


def test_suggestions_are_well_formed(rewritten) -> None:
    for text, _, out in rewritten:
        for line in out:
            assert line[0].isupper(), (text, line)
            assert line[-1] in ".?!", (text, line)
            assert "  " not in line and " ," not in line and " ." not in line, (text, line)
            assert "{" not in line and "}" not in line, (text, line)
            assert not re.search(r"\b(\w+) \1\b", line, re.I), (text, line)
            assert re.search(r"\b(?:I(?:'m|'ve|'d|'ll)?|[Mm]e|[Mm]y)\b", line), (text, line)


def test_other_labels_get_no_rewrite() -> None:
    for label in ("none", "logistics", "repair", "humor", ""):
        assert suggestions("you never listen to me", label) == []


# --- the issue's three poor examples -------------------------------------------------


def test_a_bare_noun_is_never_made_the_topic() -> None:
    # Was: "Could we make a plan for the toilet seat together?"
    for text in (
        "how hard is it to put the toilet seat down. you never do it",
        "ur so messy omg the bathroom",
        "the toilet seat. seriously.",
    ):
        for line in suggestions(text, "criticism"):
            assert not re.search(r"\b(?:for|about|on) the (?:toilet seat|bathroom)\b", line)
            if "toilet seat" in line:
                assert "put the toilet seat down" in line, line


@pytest.mark.parametrize(
    "text",
    [
        "you only care about your phone",
        "you care more about your phone than me",
        "you only ever care about your phone",
    ],
)
def test_caring_about_the_phone_is_not_reversed(text: str) -> None:
    # Was: "I feel worried when you care about your phone."
    out = suggestions(text, "criticism")
    assert out
    for line in out:
        assert not re.search(r"when you care about", line, re.I), line
        assert "worried" not in line, line
    assert any("phone" in line for line in out)


@pytest.mark.parametrize(
    "text",
    [
        "it's not my fault the train was late",
        "not my fault the car broke down",
        "it wasn't my fault, the store was out",
        "i didn't do anything wrong",
        "i'm not the one who forgot the tickets",
        "don't look at me, i didn't touch it",
    ],
)
def test_a_denial_is_never_turned_into_an_admission(text: str) -> None:
    # Was: "I can see my part in this, and I'm sorry…"
    out = suggestions(text, "defensiveness")
    assert 1 <= len(out) <= 3
    admissions = re.compile(
        r"\bmy (?:part|fault|mistake|bad)\b|\bI was wrong\b|\bI should have\b|\bI messed up\b"
        r"|\bI'm sorry (?:I|for what I)\b|(?<!think )\bI (?:did|broke|forgot|touched) (?:it|that)\b",
        re.I,
    )
    for line in out:
        assert not admissions.search(line), line


def test_the_train_message_keeps_the_speakers_account() -> None:
    out = suggestions("it's not my fault the train was late", "defensiveness")
    out_of_hands = re.compile(
        r"out of my hands|couldn't (?:have )?(?:changed|control)|wasn't (?:up to me|something I could control)"
    )
    # Every line keeps both the train and that it was out of the speaker's hands (the
    # general "It was out of my hands, but I still want to help." is no longer beside them).
    assert out
    assert all("the train was late" in line and out_of_hands.search(line) for line in out), out


# --- person and tense ----------------------------------------------------------------

PERSON_AND_TENSE = [
    # (text, label, a line must contain, no line may contain)
    ("you never listen to me", "criticism", "listen to me", "listen to you"),
    ("you didn't even wait for me", "criticism", "didn't wait for me", "don't wait"),
    # a habit stays in the present: no "the last time" re-telling of it (graders of samples
    # 6-8 found those lines stiff or broken)
    ("you always leave your dishes everywhere", "criticism", "leave your dishes", "the last time"),
    (
        "you always leave your dishes everywhere",
        "criticism",
        "when you leave your dishes",
        "I leave",
    ),
    ("we never go out anymore", "criticism", "we go out", "you go out"),
    ("u never remember anything i tell u", "criticism", "the things I tell you", "you tell me"),
    (
        "why do you always have to be on your phone when i'm talking",
        "criticism",
        "on your phone when I'm talking",
        "when I was talking",
    ),
    ("you forgot my birthday", "criticism", "you forgot my birthday", "you forget"),
    ("nobody told me the plan changed", "defensiveness", "the plan changed", "plan changes"),
    ("i was busy ok??", "defensiveness", "I was tied up", "you were"),
    (
        "not my fault u didn't check the calendar",
        "defensiveness",
        "you'd check the calendar",
        "I'd check",
    ),
    (
        "well you forgot my birthday last year so",
        "defensiveness",
        "you forgot my birthday",
        "I forgot",
    ),
    ("i did ring them, they just didn't answer", "defensiveness", "I rang them", "ringed"),
    ("i'm going to bed", "stonewalling", "bed", "tonight"),
    ("oh great you lost the keys again", "contempt", "you lost the keys again", "I lost"),
    (
        'lmao ok sure you\'ll "clean it tomorrow"',
        "contempt",
        "you'll clean it tomorrow",
        "I'll clean",
    ),
]


@pytest.mark.parametrize(("text", "label", "present", "absent"), PERSON_AND_TENSE)
def test_person_and_tense_are_kept(text: str, label: str, present: str, absent: str) -> None:
    out = suggestions(text, label)
    assert any(present in line for line in out), out
    assert not any(absent in line for line in out), out


def test_stonewalling_always_asks_for_a_break_with_a_time_to_come_back(rewritten) -> None:
    when = re.compile(
        r"\b(?:minutes|hour|tonight|tomorrow|morning|evening|breakfast|dinner|lunchtime|"
        r"later today|eight|when I'm back|when I get back|once I'm home|first thing)\b"
    )
    for text, label, out in rewritten:
        if label == "stonewalling":
            for line in out:
                assert when.search(line), (text, line)


def test_contempt_names_a_feeling(rewritten) -> None:
    feeling = re.compile(r"\bI(?:'m| am)? (?:feel|felt|feeling)\b|\bI'm (?:upset|\w+ed)\b")
    for text, label, out in rewritten:
        if label == "contempt":
            assert sum(bool(feeling.search(line)) for line in out) >= 2, (text, out)


# --- determinism ---------------------------------------------------------------------


def test_the_same_message_gets_the_same_suggestions() -> None:
    for text, label in HARSH_MESSAGES[::25]:
        assert suggestions(text, label) == suggestions(text, label)


def test_suggestions_do_not_depend_on_the_process() -> None:
    texts = [text for text, _ in HARSH_MESSAGES[::97]]
    script = (
        "import json, sys\n"
        "from tending.coach.rewrite import suggestions\n"
        "texts = json.loads(sys.stdin.read())\n"
        "print(json.dumps([suggestions(t, 'criticism') for t in texts]))\n"
    )
    runs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", script],
            input=json.dumps(texts),
            capture_output=True,
            text=True,
            check=True,
            env=env,
            cwd=ROOT,
        )
        runs.append(json.loads(done.stdout))
    assert runs[0] == runs[1] == [suggestions(t, "criticism") for t in texts]


# --- failure classes found on the dev set (tending/coach/data/rewrite_dev.jsonl) -----
# Each case is a new wording of a class, not a dev message itself, so the test checks
# the general fix rather than one sentence.

DEV_FAILURE_CLASSES = [
    # (text, label, a line must contain, no line may contain)
    # a clause after "how"/"what" is the object, not cut off as a new clause
    ("you never ask how my week went", "criticism", "ask how my week went", "ask how."),
    # "be the one who books" is the chore itself, not a doubled "the one who"
    (
        "why am i always the one who cleans the bathroom",
        "criticism",
        "clean the bathroom",
        "the one who has to be",
    ),
    (
        "why do i always have to be the one who sorts the bills",
        "criticism",
        "sort the bills",
        "be the one who",
    ),
    # chat "ur out" is "you're out"
    ("u never answer when ur out with your sister", "criticism", "when you're out", "your out"),
    # "so late doing X" is a situation, not a dropped trait
    ("why are you always so late collecting the kids", "criticism", "late collecting the kids", ""),
    # "why is there X" names the fact
    ("why is there always mud on the stairs", "criticism", "mud on the stairs", "always"),
    # the complaint after "and never" wins, with its object
    (
        "you took my headphones and never gave them back",
        "criticism",
        "give my headphones back",
        "when you took",
    ),
    # one occasion of a habit is told in the plain past
    ("you keep forgetting to book the vet", "criticism", "forgetting to book the vet", "kept forg"),
    ("you always walk off when i mention money", "criticism", "when I mention money", "mentioned"),
    # "never once" and "you said you'd" are read whole
    ("you never once thanked me for the lifts", "criticism", "thank me for the lifts", "once th"),
    ("you said you'd fix the shelf", "criticism", "fix the shelf", "didn't you'd"),
    # a stated fact loses its "always"
    ("the sink is always full of pans", "criticism", "sink is full of pans", "always"),
    ("it's always your job that matters", "criticism", "your job comes first", ""),
    # defences keep their own words
    ("you told me to get the big one", "defensiveness", "get the big one.", "get the big."),
    ("it's not like i wanted to be late", "defensiveness", "want to be late", "a bit differently"),
    (
        "i only went to the pub for an hour",
        "defensiveness",
        "I only went to the pub for an hour",
        "wented",
    ),
    (
        "how was i meant to know you'd invited them",
        "defensiveness",
        "you'd invited them",
        "a bit differently",
    ),
    # what the other said stays theirs; the speaker is not made to claim a hurt
    ("you're the one who said it was fine", "defensiveness", "it was fine", "hurt too"),
    ("i didn't lie to you, ask anyone", "defensiveness", "lie", "a bit differently"),
    # mocked remembering is about feeling forgotten, not about chores
    ("oh you remembered my name, congrats", "contempt", "forgotten", "work"),
    # going to one's room is not going out, and a night away is not bedtime
    ("i'm going to my room, bye", "stonewalling", "room", "when I get back"),
    ("staying at my sister's for the night", "stonewalling", "tonight", "going to bed"),
    # "every time i X you Y": the other's reaction, tied to what the speaker does
    (
        "every time i bring up money you walk out",
        "criticism",
        "walk out when I bring up money",
        "",
    ),
    ("u said ud call at lunch", "criticism", "call at lunch", " ud "),
    # an apology said in other words is still "I've said sorry"
    ("i told you i was sorry, what more", "defensiveness", "sorry", "mentioned"),
    # "at least i came" is the speaker's own account, not a counter-charge
    ("at least i came to the party", "defensiveness", "I came to the party", "similar"),
    # the cause after "because" is the reason, not the event it explains
    (
        "the milk went off because the fridge was broken",
        "defensiveness",
        "the fridge was broken",
        "the milk went off",
    ),
    ("i've apologised already, drop it", "defensiveness", "apologised", "a bit differently"),
    # a bare "it didn't go through" leaves "it" unclear; the speaker's own act is kept
    ("i did call you, it just didn't connect", "defensiveness", "I called you", ""),
    # the 'when' tail of one past occasion is past too
    (
        "you always go quiet when my parents visit",
        "criticism",
        "when my parents visit",
        "the last time",
    ),
    ("putting my phone away now", "stonewalling", "phone", ""),
    # from the last dev batch: what the speaker didn't know or wasn't asked stays theirs
    ("i didn't know the plumber was coming", "defensiveness", "the plumber was coming", ""),
    ("you never asked me to book it", "defensiveness", "book it", "you'd asked me"),
    ("i already fed the cat this morning", "defensiveness", "I fed the cat this morning", ""),
    ("i was only ten minutes late", "defensiveness", "ten minutes late", "it was only"),
    # after "forgot" the clause is what was forgotten
    (
        "you forgot my sister was staying over",
        "criticism",
        "forgot my sister was staying over",
        "",
    ),
    # a promise is the complaint, ahead of the habit around it
    (
        "you promised to fix my bike and you keep putting it off",
        "criticism",
        "fix my bike",
        "putting it off",
    ),
    # a danger gets a feeling and a need about safety
    ("you left the hob on again", "criticism", "safe", "share the load"),
    # "leaving it there" ends the topic; it is not going out
    ("ok i'm leaving it there", "stonewalling", "", "going out"),
    # "i never said X, i said Y" keeps Y
    (
        "i never said you were rude, i said the joke was rude",
        "defensiveness",
        "the joke was rude",
        "a bit differently",
    ),
    ("i just haven't done it yet", "defensiveness", "yet", "a bit differently"),
    ("i only borrowed your jacket for the night", "defensiveness", "borrowed your jacket", ""),
    ("you keep promising to fix the gate and never do", "criticism", "fix the gate", ""),
    ("thanks for remembering, oh wait", "contempt", "remembered", "work"),
    # the speaker's own time to come back is kept
    ("talk tmrw", "stonewalling", "tomorrow", "twenty minutes"),
    ("don't call me tonight", "stonewalling", "tomorrow", "in an hour"),
    # something missed is said plainly, without "as far as I know"
    ("i didn't see your text", "defensiveness", "I didn't see your text", "as far as I know"),
    ("i don't always forget", "defensiveness", "every time", "a bit differently"),
    ("you never asked what i thought", "defensiveness", "asked what I thought", "mention"),
    # intensifiers do not hide a cue
    ("thanks for really nothing", "contempt", "", "kindness between us"),
    # "you said yes" is not "you never said": nothing turned into "I didn't know"
    ("i did ask you first and you said yes", "defensiveness", "I asked you first", "didn't know"),
    ("if you'd told me i would have come", "defensiveness", "", "realise I would"),
    ("i'm not rude, my head's been pounding", "defensiveness", "my head's been pounding", ""),
    ("i've got a lot on at work", "defensiveness", "ork", "a bit differently"),
    ("it's not like you never forget anything", "defensiveness", "", "a bit differently"),
    # scare quotes around the other's act are doubt, not a fact to name
    ('oh sure, you "lost" it', "contempt", "", "When you lost it"),
    ("i've had enough for tonight", "stonewalling", "tomorrow", "half an hour"),
    ("i'm sorting it out myself", "stonewalling", "myself", ""),
    # what was missed once is asked for "next time" without its one occasion
    (
        "you didn't wave when you drove off this morning",
        "criticism",
        "wave when you drive off",
        "drove off this morning next",
    ),
    ("i only forgot it once", "defensiveness", "once", "a bit differently"),
    (
        "you always talk over me when people ask me things",
        "criticism",
        "when people ask me things",
        "reach you",
    ),
    # "the whole party" keeps "whole": without it the phrase breaks
    (
        "you ignored me the whole evening",
        "criticism",
        "the whole evening",
        "ignored me the evening",
    ),
    (
        "why do you always have to sing in the car",
        "criticism",
        "you sing in the car",
        "have to sing",
    ),
    ("i was with the baby, what do you expect", "defensiveness", "with the baby", "with the."),
    ("i already said i'd ring her", "defensiveness", "ring her", "a bit differently"),
    ("i'll call you later", "stonewalling", "later", ""),
    # a scornful apology and a slammed door name those hurts
    ("you call that an apology? wow", "contempt", "hurt", "work"),
]


@pytest.mark.parametrize(("text", "label", "present", "absent"), DEV_FAILURE_CLASSES)
def test_dev_set_failure_classes_stay_fixed(
    text: str, label: str, present: str, absent: str
) -> None:
    out = suggestions(text, label)
    assert len(out) == 3, out
    assert any(present in line for line in out), out
    if absent:
        assert not any(absent in line for line in out), out


def test_the_dev_set_is_well_formed_and_apart_from_the_frozen_sets() -> None:
    dev = [
        json.loads(line)
        for line in (ROOT / "tending/coach/data/rewrite_dev.jsonl").read_text("utf-8").splitlines()
    ]
    assert len(dev) >= 200
    assert {row["label"] for row in dev} == set(HARSH)
    frozen = {
        json.loads(line)["text"].lower()
        for path in (ROOT / "tending/coach/data").glob("frozen*/*.jsonl")
        for line in path.read_text("utf-8").splitlines()
    }
    assert not frozen.intersection(row["text"].lower() for row in dev)
    # The later dev batches too: work on the rewrites never reads a frozen text.
    for path in (ROOT / "tending/coach/data").glob("rewrite_dev?*.jsonl"):
        later = [json.loads(line)["text"].lower() for line in path.read_text("utf-8").splitlines()]
        assert later and not frozen.intersection(later), path.name
    for row in dev:
        out = suggestions(row["text"], row["label"])
        assert 1 <= len(out) <= 3, row


# --- failure classes found in the independent sample 4 (docs/coach.md) --------------
# New wordings of each class, none of them a sample-4 message. Each case: (text, label,
# every line must contain one of these, no line may contain any of these).

SAMPLE4_CLASSES = [
    # 1. a trait is never the request; the concrete act beside it is kept
    (
        "you bought another game without asking. you just don't think about money",
        "criticism",
        ("game",),
        ("think about money", "care about"),
    ),
    (
        "half an hour late AGAIN. you don't care about anyone's plans",
        "criticism",
        ("late",),
        ("care about",),
    ),
    # ...and a verdict on motives becomes a wish for contact
    (
        "you only ever ring me when you want money",
        "criticism",
        ("ring", "talk", "catch up"),
        ("only ring when", "when you want money"),
    ),
    # ...and a broken-promise habit keeps the promise
    (
        "always the same, saying you'll help and then forgetting",
        "criticism",
        ("help",),
        ("When you're",),
    ),
    # 2. no dangling "it" where the chore is readable; habits get no "this weekend"
    ("it's always me driving everyone around", "criticism", ("drive",), ("help with it",)),
    (
        "every night you leave the hob on",
        "criticism",
        ("hob",),
        ("this weekend", "today?"),
    ),
    # 3. a put-down with no hurt under it: no invented hurt, nothing that faults the reader
    (
        "lol 29 and still can't boil an egg",
        "contempt",
        ("I'm feeling", "I feel"),
        ("disrespected", "hurt", "kindly, even now", "let down"),
    ),
    # ...and scorn for a job done is about how it was done, not the speaker's own work
    (
        "you call that tidying? my nan could do better",
        "contempt",
        ("done",),
        ("noticed",),
    ),
    # ...and "listen to yourself" is a disagreement, said as one
    (
        "can you hear yourself right now. embarrassing",
        "contempt",
        ("disagree", "differently", "explain why", "hear each other out"),
        ("disrespected",),
    ),
    # ...and a jab at the other's workload is about help, not honesty
    (
        "oh must be hard, two meetings a day",
        "contempt",
        ("help", "load", "work", "granted", "carrying", "noticed"),
        ("believe you", "honest"),
    ),
    # 4. a defence keeps its reason or amount; a flat denial stays flat
    (
        "i was stuck on the motorway, i couldn't exactly answer",
        "defensiveness",
        ("stuck on the motorway",),
        ("differently", "different view"),
    ),
    (
        "i didn't eat that much, chill",
        "defensiveness",
        ("eat that much",),
        ("differently",),
    ),
    (
        "it wasn't me who finished the milk",
        "defensiveness",
        ("wasn't me who finished the milk",),
        ("I don't think", "pretty sure", "don't believe"),
    ),
    # 5. stonewalling keeps what the speaker is busy with, and the topic refused
    (
        "not now. i'm cooking dinner",
        "stonewalling",
        ("cooking dinner",),
        ("heated", "after a walk"),
    ),
    (
        "mum i'm not discussing my exams again",
        "stonewalling",
        ("my exams",),
        ("twenty minutes", "half an hour", "in an hour"),
    ),
    # 6. register: no counsellor phrases in a child's message to a parent
    (
        "Dad I was going to tidy my room, you didn't even wait",
        "defensiveness",
        ("tidy my room",),
        ("how it felt for you", "You're allowed to be upset", "landed badly"),
    ),
]


def _holds(
    text: str,
    label: str,
    *,
    each: tuple[str, ...] = (),
    absent: tuple[str, ...] = (),
    some: tuple[str, ...] = (),
) -> None:
    """One to three suggestions; every line holds one of `each`, none holds any of
    `absent`, and some line holds one of `some`."""
    out = suggestions(text, label, keep=_gentle)
    assert 1 <= len(out) <= 3, out
    for line in out:
        assert not each or any(word in line for word in each), (line, out)
        assert not any(word in line for word in absent), (line, out)
    assert not some or any(word in line for line in out for word in some), out


@pytest.mark.parametrize(("text", "label", "each", "absent"), SAMPLE4_CLASSES)
def test_sample4_failure_classes_stay_fixed(
    text: str, label: str, each: tuple[str, ...], absent: tuple[str, ...]
) -> None:
    _holds(text, label, each=each, absent=absent)


def test_a_weak_reading_gives_fewer_lines_never_none(rewritten) -> None:
    # Fewer, safe lines are allowed; an empty list for a harsh message is not.
    assert all(out for _, _, out in rewritten)
    assert suggestions("can we not, i'm watching the film", "stonewalling", keep=_gentle)


def test_what_comes_first_is_named_without_the_always() -> None:
    out = suggestions("his work always comes first", "criticism", keep=_gentle)
    assert any("his work" in line for line in out), out
    assert not any("always" in line for line in out), out


# Sample 5's failure classes, each with wordings of our own (not sample 5's messages):
# (text, label, words no line may contain, words at least one line must contain).
SAMPLE5_CLASSES = [
    # blame words in the act are never quoted back
    (
        "why do you always have to pull your sister into every argument we have",
        "criticism",
        ("every", "pull"),
        (),
    ),
    # a name that addresses the reader is not glued into a clause
    (
        "You always cancel on me at the last minute Tomasz.",
        "criticism",
        ("Tomasz",),
        ("cancel on me",),
    ),
    # "it" with nothing to refer to is not quoted
    (
        "You're so vague. Another weekend booked and you didn't even ask me about it.",
        "criticism",
        ("ask me about it",),
        (),
    ),
    # a verdict that only looks like an act ("you've got zero respect") is not quoted
    (
        "You've got zero consideration for anyone else in this flat.",
        "criticism",
        ("zero", "you got", "you to in", "could in", "you'd in"),
        (),
    ),
    # a child who wants privacy is not asked to stay in touch
    (
        "Dad you keep going through my messages when I'm out, it's so invasive",
        "criticism",
        ("stay in touch", "reach you", "hear from you", "quick message"),
        (),
    ),
    # a denial of saying something stays a flat denial, never an admission
    (
        "I never said that about your sister, stop putting words in my mouth",
        "defensiveness",
        ("meant", "remember it differently", "memory"),
        (),
    ),
    # a trait "at" a task keeps the task as the topic
    (
        "you're rubbish at getting the baby to sleep",
        "criticism",
        ("rubbish",),
        ("getting the baby to sleep",),
    ),
    # a vague "it's always me making the effort" gives way to the concrete act beside it
    (
        "you never plan our date nights anymore, it's always me making the effort",
        "criticism",
        (),
        ("plan our date nights",),
    ),
    # lateness given in minutes is read as lateness, not dropped for a verdict
    (
        "Classic. 25 minutes late and no call. You've got no regard for anyone.",
        "criticism",
        ("regard", "you got"),
        ("late",),
    ),
    # the reason given for a denial is kept, without the blame
    (
        "not my fault we missed the train, you were the one who had the tickets",
        "defensiveness",
        ("you were the one", "you had"),
        ("I didn't have the tickets", "who had the tickets"),
    ),
    # "I do loads for this house" is the speaker's claim and is kept
    (
        "oh so I'm the villain now? I do loads for this house and nobody sees it",
        "defensiveness",
        ("villain", "nobody"),
        ("for this house",),
    ),
    # a jibe at a skill invents no load carried by the speaker
    (
        "no wonder your dad still fixes your bike, you can't even pump up a tyre",
        "contempt",
        ("carrying it all", "sharing the load", "alone with the work", "split things"),
        (),
    ),
    # an amount spent is the topic, not a dangling "it"
    (
        "You're hopeless with money. Another £45 on phone games and you never said a word about it.",
        "criticism",
        ("hopeless", "said a word about it"),
        ("£45 on phone games",),
    ),
    # a rare kindness mocked is not read as being forgotten
    (
        "Wow you actually cooked dinner, wonders never cease",
        "contempt",
        ("slipped your mind", "forgotten", "remembered"),
        ("rare", "often", "count on it", "normal between us"),
    ),
    # a refused topic after "nothing more to say about" is named
    (
        "I've got nothing more to say about the holiday plans",
        "stonewalling",
        (),
        ("the holiday plans",),
    ),
    # "it was one beer" is said plainly, not "on my end"
    (
        "it was one glass of wine, stop making out i'm a drunk",
        "defensiveness",
        ("On my end", "What happened for me"),
        ("one glass of wine",),
    ),
    # a concrete claim beats a bare "not my fault"; a condition is not slotted as a fact
    (
        "I did call you! Not my fault if you left your phone in the car.",
        "defensiveness",
        ("that if", "pain that if"),
        ("I called you", "I did call you"),
    ),
]


@pytest.mark.parametrize(("text", "label", "absent", "some"), SAMPLE5_CLASSES)
def test_sample5_failure_classes_stay_fixed(
    text: str, label: str, absent: tuple[str, ...], some: tuple[str, ...]
) -> None:
    _holds(text, label, absent=absent, some=some)


def test_the_past_doubles_a_final_consonant() -> None:
    from tending.coach.rewrite.words import _past

    assert _past("drag the bags upstairs") == "dragged the bags upstairs"


# Failure classes from sample 6 and the second dev batch (rewrite_dev2.jsonl), each on
# a new wording: (text, label, words every line must hold one of, words no line may hold).
SAMPLE6_CLASSES = [
    # the concrete fact said beside the blame is kept, not only the habit or a feeling
    (
        "ur so messy. the towels have been on the floor since monday",
        "criticism",
        ("towels",),
        ("messy",),
    ),
    (
        "you're always late, i stood outside the cinema for half an hour",
        "criticism",
        ("outside the cinema",),
        ("always",),
    ),
    (
        "ugh you're gross, the fridge smells like old cheese",
        "contempt",
        ("fridge",),
        ("gross",),
    ),
    # a put-down about a thing names the thing; mock praise of a skill names the skill
    (
        "lol tell me again how the thermostat works",
        "contempt",
        ("the thermostat",),
        (),
    ),
    (
        "wow what an amazing driver you are, only clipped the kerb twice",
        "contempt",
        ("the driving",),
        ("amazing",),
    ),
    # a defence keeps the speaker's own account
    (
        "oh so i'm the bad guy for picking your mum up from the airport?",
        "defensiveness",
        ("picking your mum up from the airport",),
        ("bad guy",),
    ),
    ("well at least i still cook for everyone", "defensiveness", ("cook for everyone",), ()),
    ("i didn't blank you, something came up at work", "defensiveness", ("came up",), ()),
    # one named occasion beats the habit around it; a second act joined by "and" is kept
    (
        "you're always on the ipad, even at grandma's birthday you were playing games",
        "criticism",
        ("grandma's birthday",),
        ("always",),
    ),
    (
        "you took my charger and left it at your mate's house. so selfish",
        "criticism",
        ("left it at your mate's house",),
        ("selfish",),
    ),
    # a refused topic is talked about later, never "come back to" (a place or a person)
    ("not talking about the wedding again tonight", "stonewalling", (), ("come back to the",)),
]


def test_a_named_hurt_still_says_what_it_is_about() -> None:
    out = suggestions("lol tell me again how the thermostat works, professor", "contempt")
    assert sum("the thermostat" in line for line in out) >= 2, out
    assert not any("professor" in line for line in out), out


@pytest.mark.parametrize(("text", "label", "each", "absent"), SAMPLE6_CLASSES)
def test_sample6_failure_classes_stay_fixed(
    text: str, label: str, each: tuple[str, ...], absent: tuple[str, ...]
) -> None:
    _holds(text, label, each=each, absent=absent)


# --- what a message says happened (rewrite/facts.py) ---------------------------------


@pytest.mark.parametrize(
    ("text", "fact"),
    [
        ("you're so messy. the towels have been on the floor since monday", "the towels have"),
        ("ur always late, i stood outside the cinema for half an hour", "i stood outside"),
        ("you never listen. the school rang twice about the trip", "the school rang twice"),
        (
            "You're hopeless. Another £30 on scratch cards this week.",
            "there's been another £30 on scratch",
        ),
    ],
)
def test_a_plain_fact_is_read(text: str, fact: str) -> None:
    from tending.coach.rewrite.facts import facts

    assert any(found.text.startswith(fact) for found in facts(text)), facts(text)


@pytest.mark.parametrize(
    "text",
    [
        "the kitchen is a disgrace",  # a verdict, not a fact
        "i do it every night",  # "it" points outside the clause
        "was the bin even emptied?",  # a question
        "the big man's decided to grace us with his presence",  # mockery
        "i feel like nobody listens",  # a feeling, said by the frames instead
        "you bought a new bike without telling me",  # the other's act: only when asked
    ],
)
def test_what_is_not_a_fact_is_not_read(text: str) -> None:
    from tending.coach.rewrite.facts import facts

    assert facts(text) == []


def test_the_others_act_is_a_fact_only_for_criticism() -> None:
    from tending.coach.rewrite.facts import facts

    text = "you bought a new bike without telling me"
    assert [f.text for f in facts(text, yours=True)] == [text]
    assert facts("you've got zero respect for my time", yours=True) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("lol tell me again how the boiler works", "the boiler"),
        ("such a great cook you are, even the dog said no", "the cooking"),
        ("oh wow you emptied the dishwasher, shall i call the newspapers", "the dishwasher"),
        ("omg you hoovered, alert the papers", ""),
        ("you're the worst brother", ""),
        ("did the cat look at u funny", ""),
    ],
)
def test_a_put_downs_topic_is_named_only_when_plain(text: str, expected: str) -> None:
    assert topic(text) == expected


# Failure classes from sample 7 (graded at 416676e), each on a new wording.
SAMPLE7_CLASSES = [
    # an emoji ends a clause; a joke told as an event is not said back as a fact
    (
        "that's not lasagne that's soup. even the cat left 😂 stick to cereal",
        "contempt",
        (),
        ("cat left", "stick to"),
    ),
    # what will happen is not a fact ("the neighbours will be thrilled")
    ("oh great plan, your aunt will be thrilled", "contempt", (), ("thrilled",)),
    # "the time we ended up…" names no subject
    (
        "sure let you book the hotel, like the time we ended up above a nightclub. genius",
        "contempt",
        (),
        ("The time we",),
    ),
    # "N minutes late to X and not even a call": the act, without the dangling tail
    (
        "an hour late to my dad's retirement do and not even a call. so rude",
        "criticism",
        ("an hour late to my dad's retirement do",),
        ("and not",),
    ),
    # the emphatic "one penny" goes, the act stays
    (
        "you haven't put one penny towards the gas bill",
        "criticism",
        ("towards the gas bill",),
        ("one penny",),
    ),
    # a bare "busy" is the reason; "not over text" is a wish to talk in person
    ("can't chat. busy", "stonewalling", ("busy",), ("upset", "heated", "limit")),
    ("not doing this over text", "stonewalling", (), ("over text?",)),
]


@pytest.mark.parametrize(("text", "label", "some", "absent"), SAMPLE7_CLASSES)
def test_sample7_failure_classes_stay_fixed(
    text: str, label: str, some: tuple[str, ...], absent: tuple[str, ...]
) -> None:
    _holds(text, label, each=some, absent=absent)


def test_not_over_text_asks_to_talk_in_person() -> None:
    out = suggestions("not doing this over text", "stonewalling", keep=_gentle)
    assert any(re.search(r"in person|face to face|sit down", line) for line in out), out


def test_a_stated_reason_beats_a_protest_beside_it() -> None:
    out = suggestions(
        "ok but the bus broke down and my phone died, i can't win with you", "defensiveness"
    )
    assert all("the bus broke down" in line.lower() for line in out), out


def test_an_admission_is_said_as_one_and_keeps_its_reason() -> None:
    out = suggestions(
        "yeah i snapped at you but i've been on nights all week. you try it", "defensiveness"
    )
    assert all("I snapped at you" in line for line in out), out
    assert all("on nights all week" in line for line in out), out
    assert not any(line.startswith(("For what it's worth", "From my side")) for line in out), out


def test_a_complaint_about_loyalty_asks_for_support_not_help_with_chores() -> None:
    out = suggestions(
        "your sister laughed at my job in front of everyone and you just smiled", "criticism"
    )
    assert not any(re.search(r"share the load|a hand|split things", line) for line in out), out


def test_mocking_a_failure_as_genius_does_not_put_the_mocker_down() -> None:
    out = suggestions("wow you burnt the rice again, what a genius", "contempt")
    assert not any("talked down to" in line or "talk as equals" in line for line in out), out


# Classes from sample 9 (graded at 5ad95ef), on new wordings: a question tag is not part of
# the act, "where I'd like to go" keeps its wish, and "I only said X" keeps what was said.
@pytest.mark.parametrize(
    ("text", "label", "each", "absent"),
    [
        (
            "ye never once wash the car, can ye even find the sponge",
            "criticism",
            (),
            ("can ye", "can you."),
        ),
        (
            "you never once asked what i'd like for my birthday",
            "criticism",
            ("what I'd like for my birthday",),
            ("I'd.",),
        ),
        (
            "i only said the soup needed salt, i was being helpful",
            "defensiveness",
            ("the soup needed salt",),
            ("only said.",),
        ),
    ],
)
def test_sample9_failure_classes_stay_fixed(
    text: str, label: str, each: tuple[str, ...], absent: tuple[str, ...]
) -> None:
    _holds(text, label, each=each, absent=absent)


# After sample 9 (so not counted): a complaint keeps the whole sentence that tells what
# happened, a defence keeps the reason beside its claim, and no defence's closer concedes
# a fault. New wordings of each.
def test_a_complaint_keeps_the_sentence_that_tells_what_happened() -> None:
    _holds(
        "the recycling has been overflowing since monday and u still havent taken it down. "
        "you never lift a finger",
        "criticism",
        each=("overflowing since Monday and you still haven't taken it down",),
        absent=("never", "lift a finger"),
    )
    # The "I" a text leaves off is put back.
    _holds(
        "got home to the washing still sat in the machine. you never do anything unless i nag",
        "criticism",
        each=("I got home to the washing still sat in the machine",),
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "the dog has been barking since 6am and you're asleep. typical",
            "the dog has been barking since 6am and you're asleep",
        ),
        ("came home to the hob still on. you're a danger", "i came home to the hob still on"),
        # Done to the speaker, so the other's act, its "you" left off.
        (
            "you never think. forgot my mum's 60th and went to the match instead",
            "you forgot my mum's 60th and went to the match instead",
        ),
        (
            "typical. booked the flights for the week of my exams, cheers",
            "you booked the flights for the week of my exams",
        ),
        # Sarcasm, a pointer, a verdict, a question, a quote, a single sentence: nothing.
        ("your results came in the post and i'm not surprised. you never work", None),
        ("thats the 3rd time this month. you're so selfish", None),
        ("you left the gate open again you absolute muppet", None),
        ("you've been 'working late' 4 nights this week. sure", None),
        ("why did you spend 90 quid on trainers on tuesday? you're hopeless", None),
        ("you only ring when you need money. that's it", None),
    ],
)
def test_the_situation_sentence_is_read_only_when_plain(text: str, expected: str | None) -> None:
    fact = situation(text)
    assert (fact.text if fact else None) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "i was at the gym till 8, my phone was in the locker",
            ["i was at the gym till 8", "my phone was in the locker"],
        ),
        ("not my fault, the courier left it at number 12", ["the courier left it at number 12"]),
        # A counter-charge, a denial, a guess or an oath is not a reason.
        ("you were the one who took the keys, i didn't do it", []),
        ("i think you're overreacting, i swear i locked it", []),
    ],
)
def test_a_defenders_reasons_are_read(text: str, expected: list[str]) -> None:
    assert [fact.text for fact in reasons(text)] == expected


def test_a_defence_keeps_its_reason_beside_the_claim() -> None:
    _holds(
        "i didnt ignore you, i was on a night shift and my phone was in my locker. "
        "why do u always assume the worst",
        "defensiveness",
        each=("I was on a night shift and my phone was in my locker",),
        absent=("always", "the worst"),
    )


@pytest.mark.parametrize(
    "text",
    [
        "i never said i'd host christmas, you made that up",
        "it's not my fault the parcel went missing, the courier left it at number 12",
        "i DID hoover the stairs, just not the landing",
    ],
)
def test_a_defences_closer_never_concedes_a_fault(text: str) -> None:
    _holds(
        text,
        "defensiveness",
        absent=("next time", "differently", "happening again", "stop this"),
    )


# Mock praise or a mock title says scorn, not what it is about: it names the load or a
# lecture only beside words of them. New wordings of sample 9's classes.
@pytest.mark.parametrize(
    "text",
    [
        "amazing reversing into the bollard, round of applause 👏",
        "another brilliant plan to buy a boat, genius",
        "oh your majesty has finally chosen a paint colour for the hall",
    ],
)
def test_mock_praise_without_its_context_invents_no_hurt(text: str) -> None:
    _holds(
        text,
        "contempt",
        absent=("load", "more help", "taken for granted", "talked down to", "as equals"),
    )


def test_mock_praise_of_a_chore_still_reads_as_the_load() -> None:
    _holds(
        "wow you hoovered the stairs, round of applause",
        "contempt",
        some=("load", "help", "unappreciated", "noticed", "taken for granted", "the work"),
    )


def test_a_lecturer_mocked_as_expert_still_reads_as_talked_down_to() -> None:
    _holds(
        "ok einstein, explain the thermostat to me again",
        "contempt",
        some=("talked down to", "dismissed", "brushed aside", "listened", "count", "equals"),
    )


def test_a_things_topic_drops_the_word_thing() -> None:
    assert topic("not explaining the pension thing twice, just sign it") == "the pension"


# A decision the speaker stated in a shutdown is kept: an opt-out and a hand-over (sample
# 9's landlord and wedding, on new wordings).
@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("whatever. count me out of the whole christening thing", "the christening"),
        ("not discussing it. ring the council urself", "the council"),
        ("sort it out with ur dad yourself, i'm done", "your dad"),
    ],
)
def test_a_shutdowns_decision_is_kept(text: str, kept: str) -> None:
    _holds(text, "stonewalling", each=(kept,))


# A theme's feeling and need fit what the message is about: not listening asks to be
# heard, drinking is said as worry, a teenager's revision as wanting to help, and a fact
# before "and every time…" is kept without the sweep. New wordings.
@pytest.mark.parametrize(
    ("text", "some", "absent"),
    [
        (
            "you never listen. i told you twice the plumber was coming at 8 and you went out",
            ("heard", "hear each other", "listening"),
            ("close to you", "just us"),
        ),
        (
            "you were hammered again at the pub quiz, came home at 3 and woke the baby. "
            "you're a mess",
            ("worried", "drinking", "count on you", "honest", "way through"),
            ("just us", "full attention"),
        ),
        (
            "we haven't been out just the two of us in 5 months and every time i suggest it "
            "you're busy. you're so cold",
            ("5 months",),
            ("every time",),
        ),
    ],
)
def test_a_themes_feeling_fits_what_it_is_about(
    text: str, some: tuple[str, ...], absent: tuple[str, ...]
) -> None:
    _holds(text, "criticism", some=some, absent=absent)


# Lateness and cancelling let the speaker down; not knowing where someone is worries them.
# Graders of samples 19-21 marked "uneasy", "stressed" and "I relax more when I know
# what's happening" as feelings that did not fit a cancelled plan or a late arrival.
_WORRY = ("worried", "uneasy", "anxious", "on edge", "stressed", "relax more", "mind at rest")


@pytest.mark.parametrize(
    "text",
    [
        "half an hour late to the school play. every single time with you",
        "you bailed on the cinema an hour before AGAIN. you never follow through",
    ],
)
def test_lateness_and_cancelling_are_not_given_worry(text: str) -> None:
    _holds(text, "criticism", absent=_WORRY)


@pytest.mark.parametrize(
    ("text", "some", "absent"),
    [
        # the other's own health is a worry, said with care for it
        (
            "you've skipped your inhaler all week and you never listen to the doctor",
            ("scared", "worried", "anxious", "helpless"),
            ("feel heard",),
        ),
        # someone else's health is not the other's: no "I want you to be well"
        (
            "you never visit dad in hospital or ask about his meds, so selfish",
            (),
            ("your health", "be well"),
        ),
        # thanks for what the speaker does
        (
            "you never say thanks when i make your lunch. so ungrateful",
            ("noticed", "appreciated", "taken for granted", "thank you would"),
            ("share the load",),
        ),
        # effort in bed is about closeness, not thanks
        (
            "it's always me putting in the effort in bed, you never bother",
            (),
            ("thank you would", "noticed", "appreciated"),
        ),
        # the speaker's own exam is not a worry about the other's studying
        ("you never once asked how my exams went", (), ("feel ready", "routine")),
        # a need said as a question is never joined on with "and"
        ("you left the hob on AGAIN. you never think", (), (", and can we", ", and could we")),
    ],
)
def test_the_theme_fits_whose_it_is(
    text: str, some: tuple[str, ...], absent: tuple[str, ...]
) -> None:
    _holds(text, "criticism", some=some, absent=absent)


@pytest.mark.parametrize(
    "text", ["u promised ud stop. ur still at it every night", "you said you'd visit. not once"]
)
def test_a_broken_promise_is_not_told_as_the_promise(text: str) -> None:
    # "When you said you'd quit, I felt hurt" put the hurt on the promise (sample 21)
    _holds(text, "criticism", absent=("When you said", "after you said", "when you promised"))


def test_what_was_forgotten_is_named_when_it_comes_first() -> None:
    # "Our anniversary and you forgot." was told as "when you forgot again" (sample 21)
    _holds(
        "my 30th and u forgot. AGAIN. u only remember things that matter to u",
        "criticism",
        each=("forgot my 30th",),
        absent=("on my own", "same side", "sidelined"),
    )


def test_not_knowing_where_someone_is_is_given_worry() -> None:
    _holds(
        "you never let me know you got home safe. not once",
        "criticism",
        some=("worried", "uneasy", "anxious", "on edge"),
    )


# A mocked quote of the other's promise or claim is said back plainly, its pronouns turned
# round (sample 9's "'i'll pay you back friday'", on new wordings).
@pytest.mark.parametrize(
    ("text", "said"),
    [
        (
            "'i'll fix the shower this weekend' lol. which weekend, 2030?",
            "You said you'd fix the shower this weekend",
        ),
        ("ah yes, 'i'm on my way' 50 minutes ago. sure", "You said you were on your way"),
        (
            "'i'll pay you back when i'm paid' 🤡 three months now",
            "You said you'd pay me back when you're paid",
        ),
    ],
)
def test_a_mocked_promise_is_said_back_plainly(text: str, said: str) -> None:
    _holds(text, "contempt", some=(said,), absent=("lol", "🤡", "2030"))


# Classes from sample 10 (graded at a491dc7), on new wordings.
@pytest.mark.parametrize(
    ("text", "label", "each", "absent"),
    [
        # a bare amount is said as the spending it stands for, never as a fragment
        (
            "200 quid on a new phone case. TWO hundred. you're hopeless with money",
            "criticism",
            ("spent 200 quid on a new phone case",),
            ("that 200", "hopeless", "attention"),
        ),
        # "how many times do I have to tell you" is the speaker's own account
        (
            "how many times do i have to ask you to shut the gate?? you never listen",
            "criticism",
            ("shut the gate",),
            ("never", "how many times"),
        ),
        # the jab after "and then you…" is not part of what happened
        (
            "you had 5 pints at the christening before the cake and then you wonder why i "
            "left early. you can never just have one",
            "criticism",
            ("5 pints at the christening",),
            ("wonder why", "never"),
        ),
        # a texter's "your" before "still" is "you're"; a time keeps its colon
        (
            "its 11:30 and your still not back. you said 10. typical",
            "criticism",
            ("11:30 and you're still not back",),
            ("typical",),
        ),
        # a defence keeps what the speaker said they would do, and its reason
        (
            "Dad stop nagging I SAID I'd mow the lawn after lunch, it's still wet anyway",
            "defensiveness",
            ("mow the lawn after lunch",),
            ("nagging",),
        ),
        # a closing Singapore English "what" is not kept
        (
            "eh I didn't miss it lah, the bus broke down. the receipt is in my wallet what",
            "defensiveness",
            (),
            ("wallet what",),
        ),
        # a shutdown about a topic said "again" is enough for now, not a promise of twenty
        # minutes; a thing handed over is kept
        (
            "not talking about the car loan again. done.",
            "stonewalling",
            ("the car loan",),
            ("twenty minutes", "half an hour"),
        ),
        (
            "sort the school run rota out yourselves, i'm out",
            "stonewalling",
            ("the school run rota",),
            (),
        ),
    ],
)
def test_sample10_failure_classes_stay_fixed(
    text: str, label: str, each: tuple[str, ...], absent: tuple[str, ...]
) -> None:
    _holds(text, label, each=each, absent=absent)


def test_a_put_down_about_backing_reads_as_wanting_support() -> None:
    _holds(
        "your brother had a go at my cooking and you just sat there nodding. spineless",
        "contempt",
        some=("on my side", "back me up", "team", "unsupported"),
        absent=("load", "more help", "split things"),
    )


def test_scorn_called_embarrassing_is_not_the_speakers_embarrassment() -> None:
    _holds(
        "you sulked all day over a scratch on the bumper. honestly embarrassing",
        "contempt",
        absent=("in front of other people", "how we act around others", "self-conscious"),
    )


# Classes from sample 11 (graded at b61cd8a), on new wordings.
@pytest.mark.parametrize(
    ("text", "label", "each", "absent"),
    [
        # "not once in 5 years" in another sentence does not reverse the act
        (
            "you spent the whole bank holiday at the golf club and left me with the kids and "
            "the painting. you never pull your weight, not once in 5 years",
            "criticism",
            ("you spent the whole bank holiday at the golf club",),
            ("didn't spend", "could you spend"),
        ),
        # "I shouldn't have to ask you twice" is the speaker's account
        (
            "I shouldn't have to ask you twice to put the seat down, let alone 6 times. "
            "you don't respect a word I say",
            "criticism",
            ("put the seat down",),
            ("respect the things", "respect a word"),
        ),
        # an amount a jibe is about is said plainly
        (
            "wow £60 on a scented candle set. clearly the budgeting expert of the house 🙄",
            "contempt",
            (),
            ("the budgeting expert",),
        ),
        # a stated plan to pay back is the speaker's own act, "you" and all
        (
            "i was going to pay u back the £50, the bank held my wages till tuesday",
            "defensiveness",
            ("pay you back the £50",),
            (),
        ),
        # a shutdown keeps where the speaker goes and what they leave to the other
        ("I'm going to my sister's. Don't ring.", "stonewalling", (), ()),
        ("do what you want with the caravan, i'm done", "stonewalling", ("the caravan",), ()),
    ],
)
def test_sample11_failure_classes_stay_fixed(
    text: str, label: str, each: tuple[str, ...], absent: tuple[str, ...]
) -> None:
    _holds(text, label, each=each, absent=absent)


def test_a_mock_title_is_never_a_topic() -> None:
    assert topic("clearly ur the financial genius in this house") == ""


def test_an_amount_mocked_is_said_plainly() -> None:
    _holds(
        "wow £60 on a scented candle set. clearly the budgeting expert of the house 🙄",
        "contempt",
        some=("You spent £60 on a scented candle set", "you spent £60 on a scented candle set"),
    )


def test_where_the_speaker_goes_is_kept() -> None:
    _holds("I'm going to my sister's. Don't ring.", "stonewalling", some=("my sister's",))


def test_a_name_with_its_s_keeps_its_capital() -> None:
    _holds(
        "ok yes i had a few at Priya's but i was home by 12, calm down",
        "defensiveness",
        some=("Priya's",),
        absent=("priya's",),
    )


def test_a_long_paste_is_rewritten_from_its_opening() -> None:
    from tending.coach.rewrite import READ_CHARS, _opening

    long = "you never listen to a word i say. the bins were due out on tuesday. " * 100
    opening = _opening(long)
    # cut after the last sentence that ends within the limit, never mid-word
    assert len(opening) <= READ_CHARS and opening.endswith("tuesday.")
    assert suggestions(long, "criticism") == suggestions(opening, "criticism")
    unpunctuated = "i was at work " * 2000
    cut = _opening(unpunctuated)
    assert len(cut) <= READ_CHARS and unpunctuated.startswith(cut)
    assert unpunctuated[len(cut)] == " "  # a whole word last
    assert 1 <= len(suggestions(unpunctuated, "defensiveness")) <= 3


# Contempt classes from samples 10-12 that lost their point to a general hurt, on new
# wordings: the other's upset mocked, a late reply mocked, mock praise of one small act.
@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("lol ur sulking over a board game?? unbelievable 🙄", "the board game"),
        (
            "poor thing got offended because i said the curry was too salty lol",
            "I said the curry was too salty",
        ),
        ("omg you're crying about me not texting back for an hour", "I didn't text back"),
        (
            "a grown man sulking for two days cos his sister didnt like the birthday card",
            "your sister didn't like the birthday card",
        ),
        ("is someone in a huff about not getting the front seat again 😂", "the front seat"),
    ],
)
def test_a_mocked_upset_names_what_it_is_about(text: str, kept: str) -> None:
    _holds(text, "contempt", each=(kept,), absent=("hurt myself", "stretched too thin"))


def test_a_mocked_upset_is_only_the_others() -> None:
    # The speaker's own hurt, or a contrast that is the real point, is no mocked upset.
    for text in (
        "i was hurt that you left and now you laugh at me? wow",
        "you cried at a dog food advert but not one tear at my dad's funeral. heart of gold",
    ):
        assert not any("upset you" in line for line in suggestions(text, "contempt", keep=_gentle))


@pytest.mark.parametrize(
    ("text", "wait"),
    [
        ("look who finally texted back after two days, the queen herself", "two days"),
        ("wow u actually answered within 5 hrs, what an honour", "5 hours"),
    ],
)
def test_a_mocked_late_reply_says_the_wait(text: str, wait: str) -> None:
    _holds(text, "contempt", each=(wait, wait.capitalize()))


@pytest.mark.parametrize(
    ("text", "act"),
    [
        (
            "oh wow you remembered to water the plants, someone call the papers 🙄",
            "water the plants",
        ),
        ("hoovering the stairs once and now u want a trophy lol", "hoovered the stairs"),
    ],
)
def test_mock_praise_of_one_small_act_names_the_act(text: str, act: str) -> None:
    _holds(text, "contempt", some=(act,), absent=("medal", "trophy"))


def test_a_small_act_done_as_a_habit_is_not_read_as_once() -> None:
    lines = suggestions("such a hero, hoovering the stairs once a month", "contempt", keep=_gentle)
    assert not any("hoovered the stairs" in line for line in lines)


# Broken text from sample 13 (graded at 60e2f9a), on new wordings.
def test_a_2_that_counts_stays_a_number() -> None:
    _holds("i only spent 2 hours at the match, dont exaggerate", "defensiveness", some=("2 hours",))
    _holds("i was going 2 ring u back, i swear", "defensiveness", absent=(" 2 ",))


def test_a_name_after_a_preposition_is_not_cut_as_a_vocative() -> None:
    _holds(
        "i was going to pick up the cake for Amara, u didnt give me a chance",
        "defensiveness",
        some=("for Amara",),
        absent=("for.",),
    )


def test_going_to_a_place_is_not_a_plan_to_do_something() -> None:
    _holds(
        "i was going to the gym anyway, stop making it a thing",
        "defensiveness",
        absent=("planning to the", "in mind to the", "meant to the"),
    )


def test_a_dropped_copula_is_put_back() -> None:
    _holds(
        "eh u late again for dinner, 30 min leh. u never care about anyone's time",
        "criticism",
        some=("you were late again for dinner",),
        absent=("Eh ", "eh you"),
    )


def test_a_sentence_with_a_character_word_is_never_the_situation() -> None:
    text = "forgot to renew the car tax AGAIN. u so careless, every month is the same story"
    assert situation(text) is None or "careless" not in situation(text).text
    _holds(text, "criticism", absent=("careless", "same story"))


# Defences in sample 13 that lost the speaker's own reason, on new wordings.
@pytest.mark.parametrize(
    ("text", "kept"),
    [
        (
            "Femi was the one driving it that night, dont pin the scratch on me",
            "was the one driving it",
        ),
        (
            "i work 10 hr nights at the depot, what more do u want from me",
            "10 hour nights at the depot",
        ),
        ("its not my fault the 07:15 to Brighton got cancelled, what was i meant to do", "07:15"),
        ("how was i meant to know the boiler needed servicing, nobody told me", "Nobody told me"),
    ],
)
def test_a_defence_keeps_the_reason_it_gives(text: str, kept: str) -> None:
    _holds(text, "defensiveness", some=(kept,))


def test_a_sarcastic_self_verdict_is_no_reason() -> None:
    _holds(
        "oh great, so I'm the worst dad in the world now, happy?",
        "defensiveness",
        absent=("worst",),
    )


def test_a_bare_things_is_never_the_topic() -> None:
    for text in (
        "u never organise anything, i always end up booking it all",
        "you never tell me anything about your day, it's like living with a stranger",
    ):
        for line in suggestions(text, "criticism", keep=_gentle):
            # "tell me things about your day" has a topic; "organise things." has none
            assert not re.search(r"\b(?:organise|tell me|tell) things\b(?! about)", line), line


def test_nothing_said_after_an_act_is_no_sweep() -> None:
    _holds(
        "you scratched the new table and didnt even mention anything. typical",
        "criticism",
        some=("you scratched the new table", "You scratched the new table"),
    )


def test_belittled_feelings_get_no_invented_hurt() -> None:
    # "poor baby", "drama queen": the speaker is out of patience, not hurt themselves.
    for text in (
        "ugh here we go, the drama queen again",
        "oh poor baby, did the barista spell your name wrong",
    ):
        for line in suggestions(text, "contempt", keep=_gentle):
            assert "hurt myself" not in line and "talk about both" not in line, line


def test_a_small_act_told_in_the_past_is_named() -> None:
    _holds(
        "wow such a sacrifice, u washed the car once this year. alert the neighbours",
        "contempt",
        some=("washed the car", "washing the car"),
        absent=("let down", "stressed that"),
    )


def test_a_missed_occasion_gets_its_own_feeling_and_no_next_time() -> None:
    text = "you pulled out of Tom's baby shower an hour before. you always flake on my friends"
    _holds(text, "criticism", absent=("help with the kids", "share this more evenly"))
    lines = suggestions(
        "you didnt come to my graduation and you promised. typical", "criticism", keep=_gentle
    )
    assert lines and not any(line.startswith("Next time") for line in lines), lines


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        (
            "wow u remembered my birthday 4 days late, what an honour",
            "remembered my birthday 4 days late",
        ),
        ("oh look who decided to turn up at 10pm, the guest of honour", "at 10pm"),
        (
            "congrats on finally unloading the dishwasher, only took a week. medal's in the post",
            "unload",
        ),
    ],
)
def test_a_put_down_keeps_how_late_or_what_was_done(text: str, kept: str) -> None:
    _holds(text, "contempt", some=(kept, kept.capitalize()))


def test_a_mock_discovery_is_not_named_as_the_act() -> None:
    lines = suggestions(
        "congrats on discovering the iron exists, took u 3 years", "contempt", keep=_gentle
    )
    assert not any("discovered the iron" in line.lower() for line in lines), lines


def test_a_holiday_left_to_the_other_is_named() -> None:
    _holds(
        "do what u want about easter at ur dads. i'm done",
        "stonewalling",
        some=("Easter at your dad's",),
    )


def test_having_to_remind_is_the_speakers_account() -> None:
    _holds(
        "I shouldn't have to remind you four times to book the MOT. honestly useless",
        "criticism",
        some=("book the MOT", "book the mot"),
    )


def test_a_plain_blunder_beside_an_insult_is_named() -> None:
    _holds(
        "ur actually so dense. u reversed into the gatepost AGAIN",
        "contempt",
        some=("gatepost",),
        absent=("dense",),
    )


# Broken text from sample 14 (graded at 14ee694), on new wordings.
def test_broken_fills_from_sample14_stay_fixed() -> None:
    _holds(
        "omg cry about the parking fine some more, must be so hard being u",
        "contempt",
        absent=("fine more", "fine some"),
    )
    _holds(
        "of course u booked the dodgiest hotel in Lagos for the wedding. classy 🙄",
        "contempt",
        absent=("the dodgiest",),
    )
    _holds(
        "I shouldn't have to remind a 40 year old woman to pay her own phone bill. useless",
        "criticism",
        absent=("40 year old", "shouldn't have to"),
    )
    _holds(
        "you always do like that one lah, say yes then cancel", "criticism", absent=("that one",)
    )
    for text in (
        "ok einstein, explain it to me then",
        "sure, because you're the expert on gardening now",
    ):
        for line in suggestions(text, "contempt", keep=_gentle):
            assert not re.search(r"frustration.*frustrated", line), line


def test_a_scare_quoted_act_is_doubted_not_done() -> None:
    lines = suggestions(
        "you've been 'painting' the fence since June. you never finish anything",
        "criticism",
        keep=_gentle,
    )
    assert lines and not any("when you were painting" in line.lower() for line in lines), lines


@pytest.mark.parametrize(
    "text",
    [
        "I did nothing wrong. You are the one who went through my phone, not me",
        "look i did nothing wrong, i was at work all day",
        "yeah i said nothing to ur sister, she guessed it herself",
    ],
)
def test_a_denial_with_nothing_is_never_turned_into_an_admission(text: str) -> None:
    # "nothing" becomes "something" only after "never" in a complaint, never in the
    # speaker's own account.
    _holds(text, "defensiveness", absent=("did something", "said something"))


def test_an_act_with_only_something_left_is_not_quoted() -> None:
    # "never remember nothing" (a double negative) is not "remember something".
    _holds(
        "bins full since monday. yuh never remember nothing unless it have to do with yuhself",
        "criticism",
        absent=("remember something",),
    )


def test_a_texting_yourself_is_what_you_want() -> None:
    _holds(
        "u never remember nothing unless its about urself, so careless",
        "criticism",
        absent=("urself",),
        some=("what you want",),
    )


def test_a_manner_is_not_dropped_to_leave_a_bare_verb() -> None:
    # "drove like a maniac" is not "when you drove".
    for line in suggestions(
        "you drove like a maniac on the motorway again, you never think of anyone else",
        "criticism",
        keep=_gentle,
    ):
        assert not re.search(r"\byou drove(?: again)?[.,]", line), line


@pytest.mark.parametrize(
    "text",
    [
        "oh wow team supervisor 🙄 should we throw a parade? get the badge framed while ur at it",
        "omg the poor princess got a papercut. alert the media",
    ],
)
def test_mock_celebration_of_no_chore_invents_no_load(text: str) -> None:
    # "parade", "alert the media" mock a promotion or an upset as readily as a chore: the
    # load hurt needs a chore in the message.
    _holds(text, "contempt", absent=("carrying it all", "split things", "alone with the work"))


def test_a_list_after_a_comma_is_kept_whole() -> None:
    _holds(
        "oh poor you, so tired. meanwhile i did dinner, homework and two loads of washing 🙄",
        "contempt",
        some=("dinner, homework and two loads of washing",),
    )


def test_round_the_clock_is_a_sweep_not_a_number() -> None:
    for line in suggestions("you're on that laptop 24/7 and it's so rude", "criticism"):
        assert not re.search(r"\b24\b", line), line


def test_a_bare_told_you_gives_way_to_the_reason() -> None:
    _holds(
        "Mum I told you already, work is mad this month. what do you want me to do",
        "defensiveness",
        absent=("I told you",),
        some=("work is mad this month", "Work is mad this month"),
    )


def test_a_named_persons_thing_is_a_reason() -> None:
    _holds(
        "i did text u i'd be late?? tom's car broke down, what was i meant to do",
        "defensiveness",
        some=("Tom's car broke down",),
    )


def test_like_before_the_thing_that_comes_first_is_not_the_thing() -> None:
    # "it's like your work is more important than…" is about "your work", not "it's".
    for line in suggestions(
        "you're always late. it's like your time is more important than mine", "criticism"
    ):
        assert "it's come" not in line and "balance it's" not in line, line


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("you never clean a single dish, you just leave them 'soaking'. so lazy", "a single"),
        ("you cannot go one day without buying something online. so irresponsible", "one day"),
    ],
)
def test_a_challenge_or_a_single_is_not_quoted_as_the_act(text: str, absent: str) -> None:
    _holds(text, "criticism", absent=(absent,))


def test_a_consequence_is_not_read_as_an_act() -> None:
    _holds(
        "u spend every weekend at the pub. this is why we never have money",
        "criticism",
        absent=("have money from now on", "wishing we'd have money"),
    )


@pytest.mark.parametrize(
    "text",
    [
        "Dad I'm not discussing my job with you. Bye.",
        "not talking about my body again. done.",
    ],
)
def test_a_boundary_about_ones_own_life_is_not_reopened(text: str) -> None:
    # The time to come back is for anything else: the matter the speaker keeps to
    # themselves is not put back on the table.
    out = suggestions(text, "stonewalling", keep=_gentle)
    assert out, out
    for line in out:
        assert not re.search(r"(?<!not )talk about my|come back to it|pick (?:this|it) up", line)
    assert any("rather not talk about my" in line or "to myself" in line for line in out), out


def test_a_topic_refused_over_text_keeps_the_topic_without_the_medium() -> None:
    for line in suggestions("not discussing our money over text. done", "stonewalling"):
        assert "over text" not in line, line


def test_a_decision_stays_in_every_line() -> None:
    _holds(
        "whatever. I won't be hosting christmas, end of discussion",
        "stonewalling",
        each=("won't be hosting Christmas",),
    )


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("right. not saying another word about the caravan", "the caravan"),
        ("I can't do this whole school fees argument again tonight", "the school fees"),
        ("not having the christmas at your parents conversation again", "at your parents'"),
    ],
)
def test_a_refused_topic_is_named_however_the_refusal_is_put(text: str, topic: str) -> None:
    _holds(text, "stonewalling", each=(topic,), absent=("when I can give it proper attention",))


@pytest.mark.parametrize(
    ("text", "choice"),
    [
        ("fine. pick what you want, I'm past caring", "what you pick"),
        ("ok ma, as you wish. i won't say anything more on the wedding date", "the wedding date"),
        ("up to you guys, i'm not fussed", "decide"),
    ],
)
def test_a_decision_left_to_the_other_is_kept_and_not_reopened(text: str, choice: str) -> None:
    # "do what you want" leaves it to the other: the lines say so, and the time given is
    # to catch up, never to take the decision back up.
    _holds(
        text,
        "stonewalling",
        absent=("come back to it", "pick this up", "talk it through", "carry on"),
        some=(choice,),
    )
    for line in suggestions(text, "stonewalling", keep=_gentle):
        assert re.search(r"decide|decision|call on this one|go along", line), line


def test_where_the_speaker_is_going_stays_beside_the_refused_topic() -> None:
    _holds(
        "not getting into the mortgage again. going for a run",
        "stonewalling",
        each=("going out", "heading out", "stepping out"),
        some=("the mortgage",),
    )


@pytest.mark.parametrize("text", ["whatever. it is what it is", "do what u like, I'm past caring"])
def test_resignation_is_not_given_a_heated_feeling(text: str) -> None:
    _holds(
        text, "stonewalling", absent=("heated", "too upset", "wound up", "worked up", "spinning")
    )


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        # beside "not on purpose", a bare claim
        ("i was in meeting all the morning, its not like i ignored you on purpose", "all morning"),
        # after the one spoken to
        ("Papa I am working 10 hours a day, when will I find time to call?", "10 hours a day"),
        # the whole account, not only its state ("flat out")
        ("i've been flat out at uni all week, when was i meant to book the vet", "at uni all week"),
        # a purpose after "so" judges no one
        (
            "I'm doing overtime so we can pay off the car, what more do you want from me",
            "so we can pay off the car",
        ),
        # "to my sister" is who the call was with, not someone spoken to
        ("i was on the phone to my sister, i couldn't pick up", "to my sister"),
        # a time keeps its minutes
        (
            "it's not my fault, the bus got to the station at 7:15. what was i supposed to do",
            "7:15",
        ),
    ],
)
def test_a_defenders_reason_is_kept_whole(text: str, reason: str) -> None:
    _holds(text, "defensiveness", some=(reason,))


@pytest.mark.parametrize(
    ("text", "thing"),
    [
        ("oh wonderful, another motorbike. bet the college fund loves that", "the new motorbike"),
        ("ugh curry again. third night. you really are a chef", "the curry"),
        ("a trampoline. in our tiny garden. genius", "the trampoline"),
    ],
)
def test_what_a_put_down_mocks_is_named(text: str, thing: str) -> None:
    _holds(text, "contempt", some=(thing,))


@pytest.mark.parametrize(
    "text", ["oh look who finally remembered she has a son", "look who's alive lol. 3 weeks mate"]
)
def test_a_mocked_silence_is_said_as_not_hearing_from_them(text: str) -> None:
    # "I'd really value a heads-up" did not fit (samples 6 and 20)
    _holds(text, "contempt", each=("hear", "in touch"), absent=("heads-up",))


@pytest.mark.parametrize(
    ("text", "act"),
    [
        (
            "lol imagine being 40 and still getting ur dad to ring the council for u",
            "ring the council yourself",
        ),
        ("a grown woman who can't pay her own phone bill. sad", "pay your own phone bill"),
        ("imagine being 25 and not knowing how to change a fuse", "learn to change a fuse"),
    ],
)
def test_what_is_done_for_the_other_is_asked_of_them(text: str, act: str) -> None:
    _holds(text, "contempt", each=(act,))


def test_a_mocked_skill_is_not_asked_for() -> None:
    _holds("wow, a grown man who can't boil an egg", "contempt", absent=("boil an egg yourself",))


# Failure classes of sample 22, on new wordings.
SAMPLE22_CLASSES = [
    # a sweep is nothing to be upset about: no "the everything it's…"
    (
        "you sulk about literally everything its exhausting",
        "contempt",
        (),
        ("the everything", "everything it"),
    ),
    # idioms of the sweep are said as the act
    (
        "you never lift a finger round here, so lazy",
        "criticism",
        ("help out",),
        ("lift a finger",),
    ),
    (
        "you never listen to a word anyone says in this family",
        "criticism",
        ("listen to us",),
        ("a word",),
    ),
    # "did not ring once" is not a request to ring once
    ("your nan had her operation and you did not visit once", "criticism", (), ("visit once",)),
    # a weekday that has passed is not asked for next time
    (
        "you said you'd drive me to the airport friday and you didn't",
        "criticism",
        (),
        ("airport Friday?",),
    ),
    # a reason after the one spoken to
    ("Dad my bus broke down, I couldn't call you", "defensiveness", ("My bus broke down",), ()),
    # "nobody tell me" is told as "nobody told me", without the demand after it
    (
        "how i supposed to know? nobody tell me nothing so don't shout",
        "defensiveness",
        ("Nobody told me",),
        ("shout",),
    ),
    # a decision left to the other, in Filipino English
    (
        "ikaw bahala. not discussing the reunion anymore",
        "stonewalling",
        ("decide", "decision", "go along"),
        (),
    ),
    # a promise, "and then nothing"
    (
        "you promise to fix the gate and then nothing. every time",
        "criticism",
        ("fix the gate",),
        (),
    ),
    # an errand mocked as beneath the other
    (
        "oh sorry is the big man too busy to collect his own daughter from ballet",
        "contempt",
        ("collect your daughter from ballet",),
        ("your own",),
    ),
    # a missed event, told plainly
    (
        "wow didn't even make it to his graduation. amazing dad",
        "contempt",
        ("you couldn't make it to his graduation",),
        (),
    ),
    # what is owed is named with the debt
    ("new trainers but not the £60 you owe me. nice", "contempt", ("you owe me",), ()),
    # a name before the other's act is the one spoken to, and the act is told
    (
        "Ama you have not paid your share of the electric bill. always you leave it to others",
        "criticism",
        ("not paid your share of the electric bill",),
        ("leave it to others",),
    ),
    # a chore mocked as a servant's job
    (
        "the dishwasher won't empty itself, princess",
        "contempt",
        ("needs emptying",),
        ("princess",),
    ),
]


# Failure classes of sample 23, on new wordings.
SAMPLE23_CLASSES = [
    # a refused topic keeps no dangling word, and "on this" is no topic
    (
        "I'm not talking about the wedding with any of you again",
        "stonewalling",
        ("the wedding",),
        ("wedding with",),
    ),
    (
        "fine. I'm not going to argue on this anymore",
        "stonewalling",
        (),
        ("about on this", "over on this"),
    ),
    # "don't message me about X again" is a boundary, never reopened
    (
        "Please do not text me about the house sale again.",
        "stonewalling",
        ("the house sale",),
        ("go through it properly", "talk it through", "keep the house sale to myself"),
    ),
    # going out and leaving the decision, without a second break
    (
        "whatever you want. i'm going out",
        "stonewalling",
        ("decide", "call on this one", "decision"),
        ("step away",),
    ),
    # "not doing this again tonight" comes back tomorrow, not at the weekend
    ("not doing this again tonight.", "stonewalling", ("tomorrow",), ("weekend",)),
    # Singlish's question-final "one"
    (
        "why you always finish my milk one? so selfish",
        "criticism",
        ("finish my milk",),
        ("milk one",),
    ),
    # "why must I be the one to…" is doing it alone
    (
        "why must i always be the one to book the vet? so lazy",
        "criticism",
        ("book the vet",),
        (),
    ),
    # "every second of the day" is a sweep, not a fact to repeat
    (
        "you're on that laptop every second of the day. so selfish",
        "criticism",
        (),
        ("every second",),
    ),
    # "find some excuse not to come" is said as not coming
    (
        "you always find some excuse not to come to my gigs",
        "criticism",
        ("don't come to my gigs",),
        ("excuse",),
    ),
    # a cleft ("is you who…") is no act to quote
    ("is you who wanted the cat and now is me feeding it", "criticism", (), ("you who",)),
    # a reason whose verb is "sat", told with "me phone"
    (
        "not on purpose, the bus sat in traffic for an hour and me phone died",
        "defensiveness",
        ("my phone died",),
        (),
    ),
    # "already got OT" is overtime, said as such
    (
        "i told you already got OT tonight, not my fault",
        "defensiveness",
        ("I've got overtime tonight",),
        (),
    ),
]


# Failure classes of sample 24, on new wordings.
SAMPLE24_CLASSES = [
    # a claim is never read as the thing denied: "I'm not a child, not eating properly"
    (
        "Mum I AM studying, I'm not a baby. stop checking on me",
        "defensiveness",
        ("I'm studying",),
        ("not studying",),
    ),
    ("i'm sleeping fine, i'm not ill. leave it", "defensiveness", (), ("not sleeping fine",)),
    # a denial is said flatly, never hedged as "I really don't think I'm…"
    ("i'm not ignoring you, i'm driving", "defensiveness", (), ("really don't think",)),
    # "before I ever" is no sweep, and the one spoken to at the end is left out
    (
        "that scratch was there before i ever borrowed the car boy",
        "defensiveness",
        ("before I borrowed the car",),
        ("car boy", "ever"),
    ),
    # the sweep's object says nothing of the act
    (
        "you just don't plan ahead about nothin",
        "criticism",
        (),
        ("about something", "about nothin"),
    ),
    # a perfect with its participle is something that happened; an acronym keeps its capitals
    (
        "she's come home with no PE bag again. u never check anything",
        "criticism",
        ("come home with no PE bag",),
        (),
    ),
    # "every time" before a plain telling is said as "when"
    (
        "every time they stay at yours they come back at 10pm with no dinner. you never think",
        "criticism",
        ("When they stay at yours", "when they stay at yours"),
        ("every time",),
    ),
    # "it's me running up and down for…" is doing it alone: chasing it
    (
        "every month its me running up and down for the rent. so useless",
        "criticism",
        ("chase the rent",),
        ("run up.",),
    ),
    # "i shouldn't have to ask twice for…" is what the speaker asked for
    (
        "i shouldn't have to ask twice for the car keys back. ur useless",
        "criticism",
        ("asked you twice for the car keys back",),
        (),
    ),
    # going somewhere without "out"
    (
        "Heading down the pub. Don't wait up.",
        "stonewalling",
        ("heading out", "going out", "stepping out", "when I'm back", "when I get back"),
        (),
    ),
]


# Failure classes of sample 25, on new wordings.
SAMPLE25_CLASSES = [
    # an animal's tablets are not the other's health
    (
        "you never remember the cat's insulin, so careless",
        "criticism",
        (),
        ("be well", "your health"),
    ),
    # "late on the gas" is a bill paid late, not an arrival
    (
        "ur late on the gas again. every month",
        "criticism",
        ("late with the gas",),
        ("plans change", "expect you"),
    ),
    # "gone and booked it" is the booking
    (
        "you've gone and sold the bike without asking me",
        "criticism",
        ("sold the bike",),
        ("you went",),
    ),
    # a capitalised little word in a name does not capitalise it elsewhere
    (
        "ooh Little Miss Know-It-All is too busy to help her own nan wash up. fed up of it",
        "contempt",
        (),
        ("Up", "Fed"),
    ),
    # "never ring me unless you're looking for something" wants calls for their own sake
    (
        "you never call me unless you're after money",
        "criticism",
        ("just to", "catch up", "for no reason"),
        ("reach you",),
    ),
    # money given for a time is not money spent
    ("wow £30 for the whole week. so generous", "contempt", (), ("spent £30",)),
    # a denial with a verb of damage is kept
    (
        "I did not dent your bike. it was like that already",
        "defensiveness",
        ("didn't dent your bike",),
        (),
    ),
    # "I told you" is said as telling, not hedged
    (
        "I told you I was on nights this week, what do you want",
        "defensiveness",
        (),
        ("fairly sure", "I thought I'd mentioned"),
    ),
    # "do wha ya want" leaves the decision to the other
    (
        "I done wid this. do wha ya want.",
        "stonewalling",
        ("decide", "decision", "call on this one"),
        (),
    ),
]


@pytest.mark.parametrize(
    ("text", "label", "some", "absent"),
    SAMPLE22_CLASSES + SAMPLE23_CLASSES + SAMPLE24_CLASSES + SAMPLE25_CLASSES,
)
def test_failure_classes_of_samples_22_to_25_stay_fixed(
    text: str, label: str, some: tuple[str, ...], absent: tuple[str, ...]
) -> None:
    _holds(text, label, some=some, absent=absent)


def test_a_doubted_claim_is_not_named_as_a_thing_to_be_annoyed_about() -> None:
    _holds("sure, your 'migraine' again", "contempt", absent=("about your migraine",))


def test_the_load_is_named_beside_a_mock_cue_not_inside_it() -> None:
    # "get a real job": "job" is the jibe's own word, not a chore the speaker carries
    _holds(
        "a youtube channel. sure. get a real job",
        "contempt",
        absent=("sharing the load", "split things", "alone with the work", "carrying it all"),
    )


def test_a_dropped_am_before_a_reason_is_put_back() -> None:
    _holds(
        "eh i working night shift this week you know, how to go pick up the kids",
        "defensiveness",
        some=("I'm working night shift this week",),
    )


# Contempt that mocks how late someone was, or one chore done as if it were a feat, names
# it plainly (samples 8, 14, 23 and 25 got general lines for these). New wordings.
@pytest.mark.parametrize(
    ("text", "each"),
    [
        ("wow only 35 mins late, a new record 👏", ("You were 35 minutes late",)),
        (
            "look who made it, just 3 hrs late to my mum's 70th. legend",
            ("3 hours late to my mum's 70th",),
        ),
        (
            "thanks for remembering my birthday only 4 days late, best husband ever",
            ("my birthday 4 days late",),
        ),
        (
            "omg you wiped ONE counter, someone call the papers",
            ("wiped a counter", "wiping a counter"),
        ),
        ("wow a whole pan washed. alert the media 🙄", ("washed a pan", "washing a pan")),
        (
            "oh look you emptied the bins, should i throw you a parade",
            ("emptied the bins", "emptying the bins"),
        ),
    ],
)
def test_contempt_names_how_late_or_the_one_chore(text: str, each: tuple[str, ...]) -> None:
    _holds(text, "contempt", each=each, absent=(" one ", " ONE ", "whole", "only"))


def test_a_mocked_chore_is_not_read_from_a_spell_of_time() -> None:
    # "you took one minute": a time, not a chore done
    out = suggestions("wow you took one minute to reply, should i call the papers", "contempt")
    assert not any("Taking one minute" in line or "took a minute" in line for line in out), out


# Failure classes of sample 26 (docs/coach.md), each on new wordings: (text, label, some
# line holds one of these, no line holds any of these).
SAMPLE26_CLASSES = [
    # a word of a two-word name ("Western Union") that the writer also wrote in lower case
    (
        "I sent the money on Monday. not my fault Western Union held the money for three days",
        "defensiveness",
        ("Western Union", "the money"),
        ("the Money", "western union"),
    ),
    # a tag after the claim ("is it", "ok") is tone, not part of it
    (
        "not my fault the lift wasn't working is it. what was i meant to do",
        "defensiveness",
        ("the lift wasn't working",),
        ("working is it",),
    ),
    (
        "I work nights all week ok. what more do you want",
        "defensiveness",
        ("I work nights all week",),
        ("week ok",),
    ),
    # Scots "the nite" is tonight: the time to come back is not this evening
    (
        "not daein this wi ye the nite",
        "stonewalling",
        ("tomorrow",),
        ("this evening", "after dinner", "twenty minutes"),
    ),
    # "ye've", and a "man" at the end of a sentence, are texting
    (
        "ye've lost the house keys again man. every week its summat",
        "criticism",
        ("lost the house keys",),
        ("ye've", "again man", "summat"),
    ),
    # a quoted promise keeps "me" for "ya"
    (
        "'i'll ring ya tonight' 😂 yeah course ya will",
        "contempt",
        ("ring me tonight",),
        ("ring ya",),
    ),
    # what the other is upset over, named with its article
    (
        "omg ur seriously sulking over lasagne?? grow up",
        "contempt",
        ("the lasagne",),
        ("that lasagne really", "I can tell lasagne"),
    ),
    # a mocked late reply with no length given
    (
        "oh look who finally texted back. what an honour",
        "contempt",
        ("hear back", "reply", "hear from you"),
        ("heads-up",),
    ),
    # "you is the laziest person" is a verdict, never the situation
    (
        "every weekend you does sleep till noon. you is the laziest person in this house",
        "criticism",
        ("sleep till noon",),
        ("laziest", "you is", "you does"),
    ),
    # what was not said is kept, flatly
    (
        "I never said I'm not going to your mum's, stop twisting it",
        "defensiveness",
        ("I didn't say I wasn't going to your mum's",),
        ("don't think",),
    ),
    (
        "i never agreed to drive everyone to the airport",
        "defensiveness",
        ("I didn't agree to drive everyone to the airport",),
        ("don't think", "As I remember"),
    ),
    # a long counter-charge is still said as the speaker's own hurt
    (
        "well you spent 500 on the new telly without asking me so don't start about my trainers",
        "defensiveness",
        ("when you spent 500 on the new telly without asking me",),
        ("something similar", "something on my side"),
    ),
    # reminding the other to do something is a wish that they did it unasked
    (
        "why is it always me who has to remind you to renew the car insurance",
        "criticism",
        ("renew the car insurance without a reminder",),
        ("remind you to renew", "more often"),
    ),
    # money owed is the point of a put-down, whatever mock title comes with it
    (
        "look at you flexing in Ibiza with money you borrowed from me. big man",
        "contempt",
        ("the money you borrowed from me",),
        ("talk as equals", "listened to"),
    ),
    # "too busy for" a family day is the day missed
    (
        "oh here she is, too important for mum's 60th. hope the meeting was worth it",
        "contempt",
        ("you couldn't make it to mum's 60th",),
        ("the meeting",),
    ),
    # how late, for whom, without "this time"
    (
        "only 25 mins late for the kids this time, well done",
        "contempt",
        ("25 minutes late for the kids",),
        ("this time",),
    ),
    # what the speaker meant to do comes before the counter-charge beside it
    (
        "i was gonna empty the dishwasher, you never gave me a chance. and you left the hob on yesterday",
        "defensiveness",
        ("to empty the dishwasher",),
        ("left the hob on",),
    ),
    # somewhere to go keeps its time to come back, even when the speaker is done talking
    (
        "done talking. off out.",
        "stonewalling",
        ("when I'm back", "when I get back", "once I'm home"),
        ("this week",),
    ),
]


@pytest.mark.parametrize(("text", "label", "some", "absent"), SAMPLE26_CLASSES)
def test_failure_classes_of_sample_26_stay_fixed(
    text: str, label: str, some: tuple[str, ...], absent: tuple[str, ...]
) -> None:
    _holds(text, label, some=some, absent=absent)


def test_no_line_says_the_same_three_words_twice(rewritten) -> None:
    repeats = re.compile(r"(?i)\b(\w+(?:'\w+)? \w+ \w+)\b.*\b\1\b")
    assert not [line for _, _, out in rewritten for line in out if repeats.search(line)]


# Failure classes of sample 27 (docs/coach.md), each on new wordings: (text, label, some
# line holds one of these, no line holds any of these).
SAMPLE27_CLASSES = [
    # the cause beside a claim is kept ("cos the 86 was rammed")
    (
        "i was only 15 mins late cos the tram broke down, not my fault",
        "defensiveness",
        ("The tram broke down",),
        (),
    ),
    # a stranger's act is a plain reason, and the last word of a shop's name is no name
    (
        "I didn't scratch it, someone clipped it in the car park at Marks and Spencer.",
        "defensiveness",
        ("Someone clipped it in the car park",),
        (),
    ),
    # a tag on the speaker's own claim goes
    (
        "i said i'd sort the gutters when it stops raining, i've not been sat on it have i",
        "defensiveness",
        ("sort the gutters",),
        ("have I", "have i"),
    ),
    # what the speaker said they would do is their own word, not a supposition
    (
        "i literally said i was gonna hoover after my shift?? why is it always on me",
        "defensiveness",
        ("hoover after my shift",),
        (),
    ),
    # the other's word about the speaker is never said back as the speaker's understanding
    (
        "you said i was going to cook tonight, i never agreed",
        "defensiveness",
        (),
        ("understood that I", "understanding was that I", "agreed that I"),
    ),
    # "love" said to the other at the end of a clause is no part of it; Yorkshire "owt"
    (
        "you never finish owt love, never",
        "criticism",
        ("finish",),
        ("through love", "owt", "affection"),
    ),
    # a promise told back with "will"
    (
        "you said you will collect nana from the station and you forgot again",
        "criticism",
        ("collect nana from the station",),
        ("said you will",),
    ),
    # one chore mocked as a feat, with no "you" and in the present
    (
        "lol finally wash one pan and want a medal",
        "contempt",
        ("washed a pan", "washing a pan"),
        ("one pan",),
    ),
    # too grand to drive up for a family day is the day missed
    ("too posh to drive down for nan's 80th now are we", "contempt", ("nan's 80th",), ()),
    # "you actually answered", mocked, is a long wait
    ("wow you actually answered. miracle", "contempt", ("reply", "hear back", "hear from you"), ()),
]


@pytest.mark.parametrize(("text", "label", "some", "absent"), SAMPLE27_CLASSES)
def test_failure_classes_of_sample_27_stay_fixed(
    text: str, label: str, some: tuple[str, ...], absent: tuple[str, ...]
) -> None:
    _holds(text, label, some=some, absent=absent)


# Sample 28 (docs/coach.md): a promise with its "you" left off was told back as the
# speaker's own ("I said you'd do it"), and how often the speaker asked was read as an act
# ("when you three times to pay"). New wordings.
@pytest.mark.parametrize(
    ("text", "some", "absent"),
    [
        (
            "said you'd fix the gate back in march and the gate's still hanging off. you never finish anything",
            ("you said you'd fix the gate",),
            ("I said you'd",),
        ),
        (
            "I shouldn't have to ask you four times to put your bike in the shed. every time",
            ("I've asked you four times to put your bike in the shed",),
            ("when you four times",),
        ),
    ],
)
def test_a_promise_keeps_its_maker_and_asking_is_the_speakers(
    text: str, some: tuple[str, ...], absent: tuple[str, ...]
) -> None:
    out = suggestions(text, "criticism", keep=_gentle)
    assert any(s.lower() in line.lower() for line in out for s in some), out
    assert not any(a in line for line in out for a in absent), out


# Sample 28: a put-down that mocks what was given as too little names it with what it was
# for, not a general line ("500 pesos for Tatay's medicine"). New wordings; money given
# for a stretch of time keeps its own reading.
@pytest.mark.parametrize(
    ("text", "some"),
    [
        ("wow R50 for Gogo's tombstone fund, so generous 🙄", "the R50 for Gogo's tombstone"),
        (
            "three bottles of juice for the whole wedding. big man",
            "the three bottles of juice for the wedding",
        ),
        # a gift for a family day is not a share of the house's running
        (
            "£15 towards our Jade's christening, don't strain yourself",
            "£15 towards our Jade's christening",
        ),
    ],
)
def test_a_gift_mocked_as_too_little_is_named_with_its_occasion(text: str, some: str) -> None:
    _holds(text, "contempt", some=(some,), absent=("whole", "running of the house", "jobs"))


def test_money_given_for_a_month_keeps_its_reading() -> None:
    _holds(
        "lol $30 for the whole month. generous",
        "contempt",
        some=("You gave $30 for the whole month",),
    )


# Sample 28: a mocked act whose "you" is left off ("so smart ah, booked the flight on wrong
# day") or told as a gerund after mock praise ("mother of the year, sending him to school
# with no coat", "makes up for missing Mama's 60th") is named, not left for a general line.
# New wordings; a question ("sold any yet?") and an order ("put a coat on") are not acts.
@pytest.mark.parametrize(
    ("text", "some", "absent"),
    [
        (
            "wow genius, locked the keys in the car with the engine running. proud of u",
            "you locked the keys in the car with the engine running",
            (),
        ),
        (
            "aunty of the year, bringin the kids home at midnight on a school night",
            "you brought the kids home at midnight on a school night",
            (),
        ),
        (
            "you reckon a takeaway makes up for forgetting our anniversary? cute",
            "you forgot our anniversary",
            ("frustrated", "annoyed"),
        ),
        ("look at mr punctual, missed his own train", "you missed your own train", ("his own",)),
    ],
)
def test_a_mocked_act_with_its_you_left_off_is_named(
    text: str, some: str, absent: tuple[str, ...]
) -> None:
    out = suggestions(text, "contempt", keep=_gentle)
    assert any(some in line for line in out), out
    assert not any(a in line for line in out for a in absent), out


@pytest.mark.parametrize(
    "text",
    [
        "the great chef. hows the bakery going, sold any cakes yet? we're all so impressed",
        "oh is someone cold. put a jumper on like a grown man",
    ],
)
def test_a_question_or_an_order_is_not_read_as_a_mocked_act(text: str) -> None:
    out = suggestions(text, "contempt", keep=_gentle)
    assert not any(re.search(r"\byou (?:sold|put)\b", line) for line in out), out


# Sample 28: criticism keeps a left-off "you" where the speaker comes in later as someone
# else, cuts a fragment spliced on with a comma, and never pastes a sentence the tidying
# cannot make standard ("mi come home an di pot dem still dutty"). New wordings.
@pytest.mark.parametrize(
    ("text", "some", "absent"),
    [
        (
            "you've done it again. lost the house keys at the gym and now i have to wait for "
            "the locksmith. you never think",
            ("You lost the house keys at the gym",),
            ("Lost the house keys",),
        ),
        (
            "you parked the van across the drive all morning, nobody could get out. you never "
            "think of anyone",
            ("you parked the van across the drive all morning",),
            ("nobody could get out",),
        ),
        (
            "Mi reach home an di floor dutty an di dog nuh feed. Yuh neva lift a finger inna "
            "dis house",
            (),
            (" di ", "dutty", "inna"),
        ),
    ],
)
def test_criticism_says_its_sentence_in_a_form_a_line_can_carry(
    text: str, some: tuple[str, ...], absent: tuple[str, ...]
) -> None:
    out = suggestions(text, "criticism", keep=_gentle)
    assert all(any(s.lower() in line.lower() for line in out) for s in some), out
    assert not any(a in line for line in out for a in absent), out
    assert out, text


# Sample 29, contempt: a mocked act after "thanks for" or "well done on", a telling the
# speaker comes into, and a mishap beside an outraged "actually" are named; a lone noun
# that is not the house's shared running is not made the topic. New wordings.
@pytest.mark.parametrize(
    ("text", "some"),
    [
        (
            "oh thanks for ditching my sister's engagement party to go fishing. real classy",
            "you ditched my sister's engagement party",
        ),
        ("well done on breaking the kettle, genius", "you broke the kettle"),
        (
            "big mouth. told the whole office I was pregnant before I even told my mum. proud?",
            "you told the whole office I was pregnant before I told my mum",
        ),
        (
            "omg so you actually wore my new boots to the festival and lost one. proper classy",
            "you wore my new boots to the festival",
        ),
    ],
)
def test_sample_29_mocked_acts_are_named(text: str, some: str) -> None:
    _holds(text, "contempt", some=(some,))


def test_a_lone_noun_is_not_made_the_topic_of_a_put_down() -> None:
    _holds(
        "oh ar, proper clever, never touch nothing down the allotment again ay",
        "contempt",
        absent=("about the allotment",),
    )


# Sample 29, criticism: "you've let … bounce", "always me that has to", asking three
# times, "I asked you ONE thing, <the thing>", a state with its "is" left off, and "you
# was supposed to". New wordings.
@pytest.mark.parametrize(
    ("text", "some"),
    [
        (
            "you've let the car insurance lapse again. how hard is one direct debit",
            "you let the car insurance lapse",
        ),
        (
            "It's always me that has to take Granda to the clinic. You'd never put yourself out.",
            "take Granda to the clinic",
        ),
        (
            "ive asked u four times to fix the shower n its still not done. never see owt through",
            "I've asked you four times to fix the shower",
        ),
        (
            "i asked you ONE thing, put the recycling out friday, and you couldn't even do that",
            "I asked you to put the recycling out Friday",
        ),
        (
            "the hallway covered in your muddy boots AGAIN. every single day. so selfish",
            "The hallway is covered in your muddy boots",
        ),
        (
            "you was supposed to collect the cake saturday and now the shop's shut. typical you",
            "collect the cake",
        ),
    ],
)
def test_sample_29_criticism_keeps_its_situation(text: str, some: str) -> None:
    _holds(text, "criticism", some=(some,))


# Sample 29, defences and shutdowns: a denial kept before the account, a second reason
# kept, past forms said as the standard's, the article texts leave off, the creole
# article, and a decision left to the other with what it is about. New wordings.
@pytest.mark.parametrize(
    ("text", "label", "some", "absent"),
    [
        (
            "i didnt forget, the bus was cancelled and i was at work til 8, what was i meant to "
            "do?? and you're one to talk",
            "defensiveness",
            ("I didn't forget", "the bus was cancelled"),
            (),
        ),
        (
            "stop nagging I SAID I'd fix it. I been working doubles all week and you start the "
            "second I'm in",
            "defensiveness",
            ("I've been working doubles",),
            ("I been",),
        ),
        (
            "I locked the porch, I knows I did. don't be blamin me cause the parcel got took",
            "defensiveness",
            ("got taken",),
            ("got took",),
        ),
        (
            "Arre I was in meeting whole afternoon, how I will call at 3 sharp? Don't make it "
            "like I did it on purpose",
            "defensiveness",
            ("in a meeting the whole afternoon",),
            (),
        ),
        ("Mi nuh di talk bout da car loan again.", "stonewalling", ("the car loan",), (" da ",)),
        (
            "fine. buy the van if u want. whatever u say.",
            "stonewalling",
            ("what you decide about buying the van",),
            (),
        ),
    ],
)
def test_sample_29_defences_and_shutdowns_keep_their_words(
    text: str, label: str, some: tuple[str, ...], absent: tuple[str, ...]
) -> None:
    out = suggestions(text, label, keep=_gentle)
    assert all(any(s in line for line in out) for s in some), out
    assert not any(a in line for line in out for a in absent), out


# Sample 29, the Black Country and the Midlands: "yow" is "you", a possessive "me" after a
# particle is "my", "an" before a consonant is "and", and "again" belongs to the act it
# follows. "when I lend you something" names no act of the other's. New wordings.
def test_a_black_country_put_down_names_the_act() -> None:
    out = suggestions(
        "oh ar, yow chucked out me plants cuz yow thought they was dead. proper clever. doh "
        "touch nothin in the garden again",
        "contempt",
        keep=_gentle,
    )
    assert any("you chucked out my plants" in line for line in out), out
    assert not any("plants again" in line for line in out), out


def test_lending_names_no_act_of_the_other() -> None:
    out = suggestions(
        "every time I lend yow summat it comes back wuss than it went. yow doh think of nobody",
        "criticism",
        keep=_gentle,
    )
    assert not any("you something" in line for line in out), out


def test_not_knowing_how_is_asked_as_the_act() -> None:
    _holds(
        "every single time theres your plates on the side, yow just dunno how to wash up do ya",
        "criticism",
        absent=("know how to",),
    )


# Sample 30: taking what is the speaker's with the "you" left off ("ate my whole lasagne"),
# mock thanks before the act and name-calling after it; a lecture stays a lecture beside
# "can't even". New wordings.
@pytest.mark.parametrize(
    ("text", "some"),
    [
        (
            "oh cheers mate 👏 drank all my oat milk i bought for the week. proper leech you are",
            "you drank all my oat milk",
        ),
        (
            "cheers for bringing the van back on empty ya absolute genius. dont bother asking again",
            "you brought the van back on empty",
        ),
    ],
)
def test_sample_30_taking_and_mock_thanks_are_named(text: str, some: str) -> None:
    _holds(text, "contempt", some=(some,), absent=("genius",))


def test_a_lecture_beside_cant_even_is_still_a_lecture() -> None:
    out = suggestions(
        "yuh cyaan even fry a egg an yuh a lecture me bout cooking? sit down", "contempt"
    )
    assert not any("rather help than tease" in line for line in out), out


# Sample 30, defences and shutdowns: Bahamian "da" and a left-off "was", Indian English
# "told na" and "in office till 9.30", the West Country's object "I", a short reason after
# "because", an own decision before a decision left to the other, and a hand-over said
# as an order. New wordings.
@pytest.mark.parametrize(
    ("text", "label", "some", "absent"),
    [
        (
            "how dat my fault?? da ferry late comin from Nassau, i cyah control no weather",
            "defensiveness",
            ("the ferry was late coming from Nassau",),
            ("da ferry",),
        ),
        (
            "Appa why you are always blaming me only?? I told na I was in office till 8.45, how I "
            "will go to bank at that time",
            "defensiveness",
            ("till 8:45",),
            (" na ", "till 8."),
        ),
        (
            "not my fault, some woman in the tesco car park backed into I while i was loading up",
            "defensiveness",
            ("backed into me",),
            ("into I",),
        ),
        (
            "why you angry me? I send money to my brother because he sick, what I should do",
            "defensiveness",
            ("He's sick",),
            (),
        ),
        (
            "Ok. Do whatever. I am not coming for the Kochi engagement function. Don't call.",
            "stonewalling",
            ("I won't be coming for the Kochi engagement function",),
            ("what you decide",),
        ),
        (
            "fine. you host christmas. im not doing this with you again",
            "stonewalling",
            ("Christmas",),
            (),
        ),
    ],
)
def test_sample_30_defences_and_shutdowns_keep_their_words(
    text: str, label: str, some: tuple[str, ...], absent: tuple[str, ...]
) -> None:
    out = suggestions(text, label, keep=_gentle)
    assert all(any(s in line for line in out) for s in some), out
    assert not any(a in line for line in out for a in absent), out


# Sample 30: letters that are no word of ours keep their capitals ("the BPL money", "the
# ESB"), a shout does not ("AGAIN"); a currency written before its amount and a cut-off
# supply are money; someone named ("Emma's orthodontist") is not the other's own health;
# Norfolk spellings; where a promise was made is not the act. New wordings.
def test_an_abbreviation_keeps_its_capitals_and_a_shout_does_not() -> None:
    out = suggestions(
        "da water cut off AGAIN. you had da JPS money since monday. you never pay nothing on time",
        "criticism",
        keep=_gentle,
    )
    assert any("the JPS money" in line for line in out), out
    assert not any("AGAIN" in line or "da " in line for line in out), out


def test_a_currency_before_its_amount_is_money() -> None:
    _holds(
        "Kumbe the rent is due Friday and you spent K2,000 at the bar with your friends. You "
        "never think about this family",
        "criticism",
        absent=("included", "left out", "share the load"),
    )


def test_someone_named_is_not_the_others_own_health() -> None:
    _holds(
        "you forgot Zoe's inhaler at home AGAIN. you never think",
        "criticism",
        some=("Zoe's inhaler",),
        absent=("your health", "be well"),
    )


def test_where_a_promise_was_made_is_not_the_act() -> None:
    _holds(
        "the gas board were on to me about the bill. ye told me ye'd paid it, ye said it sittin "
        "in the car. ye never follow through",
        "criticism",
        absent=("said it sitting", "said it sittin"),
    )


def test_norfolk_spellings_are_read() -> None:
    _holds(
        "boy you never dew nothin round here. i arst you to water the plants one mornin an thass "
        "too much for ya",
        "criticism",
        absent=("dew", "arst", "thass"),
    )


# Sample 30: Scots "ma" before a thing is "my" ("ma exam"); a mum stays a mum ("me ma
# said", "Ma my phone died"). New wordings.
@pytest.mark.parametrize(
    ("text", "norm"),
    [
        ("you forgot ma graduation", "my graduation"),
        ("me ma said you'd be late", "me mum said"),
        ("Ma my phone died", "mum my phone died"),
    ],
)
def test_scots_ma_is_my_before_a_thing(text: str, norm: str) -> None:
    from tending.coach.rewrite.words import _read

    assert norm in _read(text).norm


# Sample 31: accents come off for reading and go back on in the lines; Yorkshire "t'",
# "tha" and "I weren't"; a dropped g after "been"; Caribbean "it dey"; "ya mother's";
# a one-off fundraiser takes no "next time". New wordings.
def test_accented_words_are_read_whole_and_said_as_written() -> None:
    out = suggestions(
        "cuz u said youd bring the kūmara up for the marae fundraiser and u never showed. u "
        "always do this",
        "criticism",
        keep=_gentle,
    )
    assert any("the kūmara up for the marae fundraiser" in line for line in out), out
    assert not any("Next time" in line or "k mara" in line for line in out), out


@pytest.mark.parametrize(
    ("text", "norm"),
    [
        ("i weren't late t'wedding, t'train never come", "i wasn't late to the wedding"),
        ("the train never come", "the train never came"),
        ("i been workin doubles all week", "i've been working doubles"),
        ("leavin it dey on de table since monday", "leaving it there on the table"),
        ("left the pram at ya sister's again", "at your sister's"),
        ("wrecked after one whole day", "after one whole day"),
    ],
)
def test_sample_31_dialect_is_read_as_the_standard(text: str, norm: str) -> None:
    from tending.coach.rewrite.words import _read

    assert norm in _read(text).norm


# Sample 31: shutdowns keep what the decision left to the other is about ("your mama
# comin for thanksgivin", "go to ur mothers then", "do as tha likes wi t'allotment"), and
# "I am not saying anything more" is a shutdown, not a decision. Defences keep what was
# told ("i told youse the tickets were non refundable") and the state of the thing ("it
# was already loose", "they weren't even labelled"). New wordings.
@pytest.mark.parametrize(
    ("text", "label", "some", "absent"),
    [
        (
            "it is what it is. ain't fixin to fight about your sister movin in. do what you want",
            "stonewalling",
            ("your sister moving in",),
            (),
        ),
        ("whatever hon. go to ur sisters then.", "stonewalling", ("going to your sister's",), ()),
        (
            "aye fine. do as tha likes wi t'caravan. am off out",
            "stonewalling",
            ("the caravan",),
            ("tha ",),
        ),
        (
            "ok. you do whatever you want for the wedding flowers. I am not saying anything more.",
            "stonewalling",
            ("the wedding flowers",),
            ("I won't be saying",),
        ),
        (
            "so its my fault now? i told youse the gig tickets were non refundable BEFORE u said "
            "yes. dont put this on me",
            "defensiveness",
            ("I told you the gig tickets were non refundable",),
            (),
        ),
        (
            "why you are shouting? I only borrowed your headphones, I didn't break them. it was "
            "already loose. always you are blaming me",
            "defensiveness",
            ("It was already loose",),
            (),
        ),
        (
            "oi i didnt eat ur yoghurt on purpose, they wernt even labelled. hows that my fault",
            "defensiveness",
            ("They weren't labelled",),
            (),
        ),
    ],
)
def test_sample_31_shutdowns_and_defences_keep_their_words(
    text: str, label: str, some: tuple[str, ...], absent: tuple[str, ...]
) -> None:
    out = suggestions(text, label, keep=_gentle)
    assert all(any(s in line for line in out) for s in some), out
    assert not any(a in line for line in out for a in absent), out


def test_a_put_down_names_no_noun_it_cannot_vouch_for() -> None:
    for text in (
        "wile clever so ye are, petrol in the diesel van. genius stuff. £300 to drain it",
        "a candle thing from the garage for our anniversary. wow. you really went all out 🙄",
    ):
        out = suggestions(text, "contempt", keep=_gentle)
        assert not any(
            re.search(r"about (?:the diesel van|our anniversary)\b", line) for line in out
        ), out


# Sample 31, contempt: a telling of the speaker's news ("you told the whole family that I
# lost my job") is named with a let-down, however long; an upset mocked "for" a thing names
# the thing; a family day skipped and a late return are told plainly; "put thought into
# things" is sarcasm, not a mishap. New wordings.
@pytest.mark.parametrize(
    ("text", "some"),
    [
        (
            "wah, very nice, you told the whole street at Eid that I failed my driving test. "
            "such a big mouth",
            "you told the whole street at Eid that I failed my driving test",
        ),
        (
            "so sorry your majesty. crying like a baby for one tiny dent on the car",
            "the dent on the car",
        ),
        ("too posh for sunday lunch at Nana's now are we. go on then", "Sunday lunch at Nana's"),
        ("oh look who decided to waltz in at 2am. so important", "2am"),
    ],
)
def test_sample_31_put_downs_are_named(text: str, some: str) -> None:
    _holds(text, "contempt", some=(some,))


def test_put_thought_into_things_is_not_a_mishap() -> None:
    _holds(
        "Oh lovely, another gift from the garage. You really put thought into things don't you",
        "contempt",
        absent=("you put thought",),
    )


# Samples 32 and 33: a refused topic's "no more", a decision handed over as "X then", "do
# what you want about someone's thing", "not doing this over X"; "finally remembered my
# birthday, only 3 days late"; "late with the child support"; one chore shoveled; the
# second act after "and"; a late notice; a denial asked as a question; what the speaker was
# told; Hawaiian "wen"; Scots "a" and "ma mam's"; "keep nuh promise". New wordings.
@pytest.mark.parametrize(
    ("text", "label", "some", "absent"),
    [
        (
            "yeah you right. whatever. not gonna fuss about the boat no more. I'm going out",
            "stonewalling",
            ("the boat",),
            ("no more",),
        ),
        (
            "whatever. sell the caravan then. i dont care",
            "stonewalling",
            ("selling the caravan",),
            (),
        ),
        (
            "grand. do what ye want about nan's bungalow. I'm saying nothing more about it.",
            "stonewalling",
            ("nan's bungalow",),
            (),
        ),
        (
            "not doing this over the concert tickets. going for a drive",
            "stonewalling",
            ("the concert tickets",),
            (),
        ),
        (
            "Ssebo congratulations, you have finally remembered our anniversary, only 2 days late",
            "contempt",
            ("our anniversary 2 days late",),
            (),
        ),
        (
            "look who remembered he has a son 🙄 2 months late with the maintenance money",
            "contempt",
            ("2 months late with the maintenance money",),
            ("in touch",),
        ),
        (
            "wow you raked ONE corner of the lawn. do you want a medal?",
            "contempt",
            ("raked a corner of the lawn",),
            (),
        ),
        (
            "borrowed me bike for 'one ride to the shops' and brought it back with a flat 😂 sound",
            "contempt",
            ("brought it back with a flat",),
            (),
        ),
        (
            "oh great, thanks for telling me the party was off AFTER I bought the dress and the "
            "shoes 🙄 proper organised you are",
            "contempt",
            ("you told me the party was off after I bought the dress",),
            (),
        ),
        (
            "kwani its me who finished the sugar? i was at work the whole day",
            "defensiveness",
            ("wasn't me who finished the sugar",),
            ("something I said", "weren't my words"),
        ),
        (
            "eh eh how dat is my fault? is YOU who tell me the party was Sunday, not me",
            "defensiveness",
            ("I was told the party was Sunday",),
            (),
        ),
        (
            "brah wasn't me. da dent was already dea when I wen take da car",
            "defensiveness",
            ("the dent was already there when I took the car",),
            (),
        ),
    ],
)
def test_samples_32_and_33_keep_their_words(
    text: str, label: str, some: tuple[str, ...], absent: tuple[str, ...]
) -> None:
    out = suggestions(text, label, keep=_gentle)
    assert all(any(s in line for line in out) for s in some), out
    assert not any(a in line for line in out for a in absent), out


@pytest.mark.parametrize(
    ("text", "norm"),
    [
        ("did yer feelins get hurt cos a asked ye tae dae the dishes", "because i asked you to do"),
        ("ye've forgotten ma mam's anniversary", "my mam's anniversary"),
        ("yuh cyaan keep nuh promise", "keep no promise"),
        ("the landlord said the boiler gonna be fixed friday", "the boiler was going to be fixed"),
    ],
)
def test_samples_32_and_33_dialect_is_read_as_the_standard(text: str, norm: str) -> None:
    from tending.coach.rewrite.words import _read

    assert norm in _read(text).norm


# Samples 34 and 35: "ma birthday" in a sentence told back; "said u'd sorted it" with its
# base; "I never said a word" is keeping quiet; a reason before a counter-charge; "the plot
# in Mukono"; "your mother house"; "last month itself". New wordings.
@pytest.mark.parametrize(
    ("text", "label", "some", "absent"),
    [
        (
            "ye've been on that phone the hale o ma anniversary dinner. every time we go oot",
            "criticism",
            ("my anniversary dinner",),
            ("mum anniversary",),
        ),
        (
            "gas bill come again. RED one. u said u'd paid it back in june. u never do owt u say",
            "criticism",
            ("pay it",),
            ("didn't paid", "could paid", "Next time"),
        ),
        (
            "I bought ONE jacket with my own money, where's the crime? you spent two hundred on "
            "golf and I never said a word",
            "defensiveness",
            ("I bought one jacket with my own money",),
            ("weren't my words", "something I said", "didn't say that"),
        ),
        (
            "how is it my fault? There was a power cut the whole evening. You are the one who "
            "forgot to charge it so don't put this on me",
            "defensiveness",
            ("there was a power cut the whole evening",),
            ("when you forgot",),
        ),
        (
            "Okay. Do what you want with the shop in Kampala. I have gone out.",
            "stonewalling",
            ("the shop in Kampala",),
            (),
        ),
        (
            "ok lor. you want go your sister house for Raya then go lah. i don't want to talk",
            "stonewalling",
            ("your sister's house",),
            (),
        ),
        (
            "you promised you'll pay the school fees last month itself. always like this no?",
            "criticism",
            ("pay the school fees",),
            ("itself",),
        ),
    ],
)
def test_samples_34_and_35_keep_their_words(
    text: str, label: str, some: tuple[str, ...], absent: tuple[str, ...]
) -> None:
    out = suggestions(text, label, keep=_gentle)
    assert all(any(s.lower() in line.lower() for line in out) for s in some), out
    assert not any(a in line for line in out for a in absent), out


# Samples 34 and 35, contempt: both acts joined by "and" ("ate my leftovers AND put the
# empty container back"), something given back spoiled ("thanks for giving my dress back
# with fake tan down it"), "dinted da's jeep", and one chore as a gerund "for once" beside
# a local paper named. New wordings.
@pytest.mark.parametrize(
    ("text", "some"),
    [
        (
            "bro you ate my last samosas AND put the empty box back in the cupboard?? what an egg",
            "you ate my last samosas and put the empty box back in the cupboard",
        ),
        (
            "oh wow thanks for giving my jacket back with curry all down the sleeve babe, SO classy",
            "you gave my jacket back with curry all down the sleeve",
        ),
        ("ye dinted da's van and now ye're moanin? wise up", "you dented dad's van"),
        (
            "ooh look at u washin a mug for once, shall i ring the Evening Post?? 🙄",
            "washed a mug",
        ),
    ],
)
def test_samples_34_and_35_put_downs_are_named(text: str, some: str) -> None:
    _holds(text, "contempt", some=(some,), absent=("mug for",))


# Samples 36 and 37: a decision left to the other in many shapes ("invite who you want to
# the braai", "book the holiday wherever ye want", "spend the wedding money how u want", "u
# choose the kindy") names what it is about rather than reopening it. New wordings.
@pytest.mark.parametrize(
    ("text", "some"),
    [
        (
            "fine. invite who you want to the christening. I'm done",
            "who to invite to the christening",
        ),
        ("whatever. book the flights whenever ye want. am away out", "booking the flights"),
        ("not arsed. spend the bonus how u want", "spending the bonus"),
        (
            "Do the engagement party anyhow you like. I have nothing more to say.",
            "the engagement party",
        ),
        ("ok lor u decide the Deepavali menu urself. dowan talk", "the Deepavali menu"),
        ("fine u choose the school. im done", "the school"),
    ],
)
def test_a_decision_left_to_the_other_names_what_it_is_about(text: str, some: str) -> None:
    out = suggestions(text, "stonewalling", keep=_gentle)
    assert any(f"what you decide about {some}" in line for line in out), out


# Samples 38 and 39: shutdowns that keep the speaker's own decision or plan, the topic a
# clause ends on, and defences that keep their reason in shapes the readings had cut. New
# wordings: (text, label, some line holds one of these, no line holds any of these).
SAMPLES_38_39_CLASSES = [
    # a decision said in a few words is kept in every line
    (
        "fine. the trip's cancelled.",
        "stonewalling",
        ("The trip's cancelled",),
        ("tomorrow evening",),
    ),
    ("ok no sleepover tonight. bye", "stonewalling", ("a no on the sleepover",), ()),
    (
        "whatever. i'll text the plumber myself. done",
        "stonewalling",
        ("I'll text the plumber myself",),
        (),
    ),
    # where the speaker is going, said without "I'm", or "going by" someone's
    ("ok. heading up to the lake.", "stonewalling", ("to the lake",), ("after a walk",)),
    (
        "do what you like about the garden. I'm going by my sister's",
        "stonewalling",
        ("my sister's",),
        (),
    ),
    # the topic a shutdown's clause ends on
    (
        "I got nothing more to say to you bout the van. bye",
        "stonewalling",
        ("about the van",),
        (),
    ),
    (
        "can't with the wedding stuff rn. later",
        "stonewalling",
        ("about the wedding",),
        ("stuff rn",),
    ),
    ("not discussing the business again", "stonewalling", ("the business",), ("about the for",)),
    ("Not talking about this Daddy. Night.", "stonewalling", ("I'm",), ("about the daddy",)),
    # a filler "like" before an amount is no break
    (
        "i was on my phone for like five minutes, it's not like i ignored you",
        "defensiveness",
        ("on my phone for five minutes",),
        ("phone for.",),
    ),
    # the Indian English "only" after a time, the South African "now now", tags
    (
        "I reached home by 8 only, how is it late",
        "defensiveness",
        ("home by 8",),
        ("8 only",),
    ),
    (
        "i didn't lose it, i'll bring your drill back now now",
        "defensiveness",
        ("back soon",),
        ("now now",),
    ),
    (
        "not my fault, the train got cancelled at Leeds didn't it",
        "defensiveness",
        ("the train got cancelled at Leeds",),
        ("didn't it",),
    ),
    # a reason about the speaker is their own account, not a pain for the other
    (
        "not my fault the coach dropped me from the team, half the squad got dropped",
        "defensiveness",
        ("the coach dropped me from the team",),
        ("was a pain that the coach", "frustrating that the coach"),
    ),
    # the speaker's own account beside "you never reminded me", a vocative after it left out
    (
        "i was at the hospital with dad all day maid, you never reminded me about the dinner",
        "defensiveness",
        ("I was at the hospital with dad all day",),
        ("maid",),
    ),
]


@pytest.mark.parametrize(("text", "label", "some", "absent"), SAMPLES_38_39_CLASSES)
def test_samples_38_and_39_keep_their_words(
    text: str, label: str, some: tuple[str, ...], absent: tuple[str, ...]
) -> None:
    _holds(text, label, some=some, absent=absent)


@pytest.mark.parametrize(
    ("clause", "said"),
    [
        ("you only texts when you needs a lift", "you only text when you need a lift"),
        ("i told you them concert tickets was cheap", "those concert tickets were cheap"),
        ("i ain't even touch your charger", "i didn't even touch your charger"),
        ("i left office on time only", "i left the office on time"),
        ("i'll drop the keys round now now", "drop the keys round soon"),
        ("do it ya sen then", "do it yourself then"),
    ],
)
def test_more_dialect_is_said_as_the_standard(clause: str, said: str) -> None:
    from tending.coach.rewrite.words import standard

    assert said in standard(clause)
