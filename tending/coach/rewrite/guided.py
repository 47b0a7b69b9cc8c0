"""Suggestions built from the writer's own answers, for when the coach cannot tell
what a complaint or a put-down is about.

Independent samples show where the readings fail: "omg ur so thick. u put diesel in a
PETROL car" gets a line that says nothing of the diesel, or one about "the coupon" when
the point was a $70 fine. Guessing harder does not fix that (see docs/coach.md), so the
composer can ask instead: what happened, how it left you, and what you would like to ask
for. The answers are the writer's own words, so nothing is guessed; this module only
tidies them (texting spellings, sweeps such as "always" and "never", a subject a text
leaves off) and sets them in a few frames from data/rewrite.json ("guided").

Every answer is optional. An answer that holds a verdict on the person is left out, a line
the coach's own check (`keep`) would flag is dropped, and `Guided.vetoed` says so, so the
composer can say why.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from tending.coach.rewrite.facts import _DONE_TO_ME, _TOLD_PAST, _VERB
from tending.coach.rewrite.words import (
    _BASE_OF_PAST,
    _DATA,
    _INSULTS,
    _OWN_VOCABULARY,
    _PARTICIPLE,
    _PAST,
    _TRAIT_WORDS,
    _WHENEVER,
    _YOUR_IS_YOURE,
    MAX_SUGGESTIONS,
    PARENT_WORDS,
    _alt,
    _base,
    _capitalise,
    _Filler,
    _finish,
    _looks_past,
    _Message,
    _read,
    _spelled,
    plain_letters,
)

_WORDS = _DATA["guided"]
# An answer is a few words; a long paste is cut, never read in full.
ANSWER_CHARS = 200
# The labels whose rewrite is a situation plus a feeling and a wish.
LABELS = frozenset(_WORDS["labels"])

_TOKEN = re.compile(r"\d{1,2}:\d\d\b|[£$€]?[\w]+(?:['.,][0-9]+)?(?:['’-][\w]+)*%?|[.!?;,]")
_MORE_SPELLING: dict[str, str] = _WORDS["spelling"]
_DROP = re.compile(r"\b" + _alt(_WORDS["drop"]) + r"\b(?!') ?")
_LEAD = re.compile(r"^(?:" + _alt(_WORDS["lead"]) + r")\b[ ,]*")
_FEEL_LEAD = re.compile(r"^(?:" + _alt(_WORDS["feel_lead"]) + r")\b[ ,]*")
_ASK_LEAD = re.compile(r"^(?:" + _alt(_WORDS["ask_lead"]) + r")\b[ ,]*")
_ASK_MINE = re.compile(r"^(?:i|i'd|i'm|i'll|i've|my|it would|it'd)\b")
_ASK_WE = re.compile(r"^(?:can we|could we|we|us to|for us to|let's)\b ?")
_ASK_YOU = re.compile(r"^(?:you|you'd|for you to|you to)\b ?")
# "buy the big pack its ur turn": not "if it's under a quarter", "when it's your day"
_GLUED_REASON = re.compile(
    r"(?<!\bif)(?<!\bwhen)(?<!\bonce)(?<!\bunless)(?<!\buntil)(?<!\bbefore)(?<!\bafter)(?<!\bas)"
    r",? (?:it's|its|it is|cos|because) .*$"
)
_PLEASE = re.compile(r"\b(?:please|pls|plz|abeg|na)\b")
_ASK_NOT = re.compile(r"^(?:don't|do not|never|not to|not)\b ?")
_NOUN_START = re.compile(r"^(?:" + _alt(_WORDS["noun_starts"]) + r")\b")
_ASK_VERBS = frozenset(_WORDS["ask_verbs"])
_NEVER = re.compile(r"\b(?:never once|never ever|never)\b (\w+)")
_NOT_ONCE = re.compile(r"\bnot once\b")
_SUBJECT_VERB = re.compile(
    r"\b(?:i|you|we|they)(?:'re|'m)?(?: (?:\w+ly|still|just|also|even))? ([\w']+)"
)
_LONE = re.compile(r"^(?:" + _alt(_WORDS["lone"]) + r")$")
# "if ur running late", "ur coming back": "your" before a verb in -ing and what only a verb
# takes ("your cooking is great" stays).
_YOUR_DOING = re.compile(
    r"\byour (?=[a-z]{2,}ing (?:late|behind|out|away|off|home|back|me|us|it|them|a|an|the|to)\b"
    r"|(?:home|back|free|here|there|able|allowed|coming|meant|done|finished|ready|sure)\b)"
)
_DAYS = {
    "mon": "monday",
    "tue": "tuesday",
    "tues": "tuesday",
    "wed": "wednesday",
    "weds": "wednesday",
    "thu": "thursday",
    "thur": "thursday",
    "thurs": "thursday",
    "fri": "friday",
    "sat": "saturday",
    "sun": "sunday",
}
# "since tues", "on weds": a day, written short
_SHORT_DAY = re.compile(
    r"\b((?:since|on|last|this|next|till|until|by|before|from) )(" + "|".join(_DAYS) + r")\b"
)
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


# A verdict on the person in an answer ("ur so selfish", "stop being so lazy"): that
# answer is left out, and the writer is told why.
_TRAITS = re.compile(
    r"\b"
    + _alt([w for w in _TRAIT_WORDS if " " not in w and w not in _WORDS["not_traits"]])
    + r"\b"
)
_VERDICT = re.compile(r"\b(?:" + "|".join(_WORDS["verdicts"]) + r")\b")


def _blames(said: str) -> bool:
    # Imported here: the coach's analysis imports the rewrites.
    from tending.coach.analysis import lexicon_labels

    return bool(
        _INSULTS.search(said)
        or _TRAITS.search(said)
        or _VERDICT.search(said)
        or "contempt" in lexicon_labels(said)
    )


@dataclass(frozen=True)
class Answers:
    """What the writer typed into the composer's three questions; any may be blank."""

    what: str = ""
    feel: str = ""
    ask: str = ""

    @classmethod
    def of(cls, what: str = "", feel: str = "", ask: str = "") -> Answers:
        return cls(*(" ".join((value or "")[:ANSWER_CHARS].split()) for value in (what, feel, ask)))

    def __bool__(self) -> bool:
        return bool(self.what or self.feel or self.ask)


@dataclass(frozen=True)
class Guided:
    lines: tuple[str, ...]
    # True when an answer or a line was left out because it still read as blame.
    vetoed: bool


def _words(text: str) -> str:
    """`text` lower-cased and tokenised like a message, with texting spellings spelled
    out and the sweeps and intensifiers taken out."""
    folded = text.replace("’", "'").replace("‘", "'").lower()
    folded = re.sub(r"\bw/o\b", "without", folded)
    folded = re.sub(r"\bw/(?=\s)", "with", folded)
    found = _TOKEN.findall(folded)
    tokens = [
        _MORE_SPELLING.get(tok) or (_spelled(found, i) if tok != "2" else tok)
        for i, tok in enumerate(found)
    ]
    joined = _YOUR_IS_YOURE.sub("you're ", " ".join(tokens))
    # "was ill for a month": ill, not "i'll"
    joined = re.sub(
        r"\b(was|were|is|are|am|been|be|fell|feeling|felt|so|very|really|bit|got) i'll\b",
        r"\1 ill",
        joined,
    )
    joined = _YOUR_DOING.sub("you're ", joined)
    joined = re.sub(r"\b(he|she)s\b", r"\1's", joined)
    joined = re.sub(r"\bhed\b", "he'd", joined)
    joined = re.sub(r"\blike (?=\d)", "", joined)
    joined = _SHORT_DAY.sub(lambda m: m[1] + _DAYS[m[2]], joined)
    joined = _WHENEVER.sub("when ", joined)
    joined = _NOT_ONCE.sub("didn't", joined)
    joined = _NEVER.sub(lambda m: ("didn't " if _looks_past(m[1]) else "don't ") + m[1], joined)
    joined = re.sub(r"\bdidn't (\w+)", lambda m: "didn't " + _base_word(m[1]), joined)
    # "didn't pay back or mentioned it": every verb after the "didn't"
    joined = re.sub(
        r"(\bdidn't \w+(?: \w+){0,3}? (?:or|nor) )(\w+ed)\b",
        lambda m: m[1] + _base_word(m[2]),
        joined,
    )
    joined = _DROP.sub("", joined)
    joined = re.sub(r"\s+([.!?;,])", r"\1", joined)
    return re.sub(r"\s+", " ", joined).strip(" ,;")


def _base_word(word: str) -> str:
    """'didn't asked' (from "never asked") -> 'didn't ask': the words module's own base
    form, for a word that can only be past ('need' and 'feed' are not)."""
    return _base(word) if word in _BASE_OF_PAST or _looks_past(word) else word


@dataclass(frozen=True)
class _What:
    text: str  # lower-case, no closing full stop
    shape: str  # "clause", "sentences" or "thing"
    past: bool


# Told to the app, an answer often speaks of the other in the third person ("he hasn't
# called mummy in 2 weeks", "on his phone the whole lunch"); the line speaks to them.
_HE = {
    "he": "you",
    "him": "you",
    "his": "your",
    "himself": "yourself",
    "heself": "yourself",
    "he's": "you're",
    "he'd": "you'd",
    "he'll": "you'll",
}
_SHE = {
    "she": "you",
    "her": "you",
    "hers": "yours",
    "herself": "yourself",
    "sheself": "yourself",
    "she's": "you're",
    "she'd": "you'd",
    "she'll": "you'll",
}
_FIRST_CLAUSE = re.compile(r"^[^,;.]*?(?=,|;|\.| and | but | when | while | then |$)")
_AGREE = {
    "is": "are",
    "was": "were",
    "has": "have",
    "does": "do",
    "doesn't": "don't",
    "hasn't": "haven't",
    "isn't": "aren't",
    "wasn't": "weren't",
}
_ADVERB = r"(?:still|also|just|then|never|always|even|only|really|now) "
_AFTER_YOU = re.compile(rf"\byou ({_ADVERB})?([a-z']+)\b")
_AND_VERB = re.compile(rf"(, | and | then )({_ADVERB})?([a-z]+s)\b")
# What the speaker plainly does, told without its "I": "had to remind him 3 times",
# "waited 40 mins". Anything else without a subject is the other's act ("forgot my
# birthday", "cancelled 20 mins before").
_MINE_FIRST = frozenset(_WORDS["mine_first"])
_NOT_FIRST = re.compile(
    r"^(?:didn't|hasn't|haven't|won't|wouldn't|can't|couldn't|doesn't|don't|never|still|keeps?|"
    r"forgets?|forgot)\b"
)
_WHERE_FIRST = re.compile(r"^(?:on|at|in|out|glued to|stuck on) (?:your|the|a)\b")
_ALWAYS_ME = re.compile(
    r"^(?:it's|it is|its) (?:always |only |just )?me (?:who |that )?(?:always )?"
    r"(?P<has>has to |have to )?(?P<does>doing |does |do )?(?P<rest>.+)$"
)
_FAMILY = PARENT_WORDS | frozenset(
    {"nan", "nana", "gran", "granny", "grandma", "grandad", "grandpa"}
)
# A note that starts with a bare noun: a word that is none of the words a sentence starts
# with otherwise, followed by a verb or a place ("ute was on empty", "bin overflowing").
_BARE_NOUN_START = re.compile(
    r"^(?!(?:i|you|we|they|he|she|it|there|this|that|these|those|my|your|our|his|her|their|"
    r"the|a|an|no|not|some|any|every|all|one|two|three|another|other|so|and|but|then|when|"
    r"what|why|how|just|only|still|also|never|always|again|today|yesterday|tonight|last|"
    r"next|me|us|him|them)\b)[a-z]{3,}(?: [a-z]{3,})? (?=(?:was|were|is|are|has|had|still|got|"
    r"kept|keeps|[a-z]+ed|[a-z]+ing|at|on|in|from|for|with|again)\b)"
)
_PERFECT = re.compile(r"\b(?:have|has|haven't|hasn't|'ve|been)\b|\b(?:i|you|we)'ve\b")
_CLAUSE_START = re.compile(r"^(?:i|you|we|they|he|she|it|there|my|your|our|the|his|her|their)\b")


_NOT_VERBS_S = frozenset(
    {
        "is",
        "was",
        "has",
        "does",
        "us",
        "this",
        "yes",
        "less",
        "always",
        "sometimes",
        "as",
        "its",
        "his",
        "hers",
        "yours",
        "ours",
        "theirs",
        "thus",
        "plus",
        "across",
        "unless",
    }
)


def _verb_base(word: str) -> str:
    """After "you", a verb as "you" takes it: 'wants' -> 'want', 'goes' -> 'go',
    'tries' -> 'try', 'is' -> 'are'; other words as they are."""
    if word in _AGREE:
        return _AGREE[word]
    if (
        not word.endswith("s")
        or word in _NOT_VERBS_S
        or word.endswith(("ss", "'s"))
        or len(word) < 4
    ):
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "xes", "oes", "sses", "zzes")):
        return word[:-2]
    return word[:-1]


def _turn_of(said: str, names: frozenset[str]) -> dict[str, str] | None:
    """The pronouns that stand for the other person in an answer: those its first
    clause uses ("he hasn't called mummy… and she keeps asking me": he, not she)."""
    first = _FIRST_CLAUSE.match(said)
    words = first[0].split() if first else []
    for i, word in enumerate(words):
        turn = _HE if word in _HE else _SHE if word in _SHE else None
        if turn is not None:
            return None if _someone_before(words[:i]) else turn
    # "card declined at the store, he bought more headphones", "the dog waited all day, he
    # didn't walk her": the first "he" or "she" later on, when nobody it could stand for
    # is named before it
    words = re.findall(r"[a-z']+", said)
    if (
        words
        and words[0] not in _MINE_FIRST
        and (_looks_past(words[0]) or words[0] in _DONE_TO_ME or words[0] in _TOLD_PAST)
    ):
        # "forgot to get mia from swimming, she waited 30 mins": the note opens with the
        # other's own act, so a "she" later on is someone else
        return None
    for i, word in enumerate(words):
        turn = _HE if word in _HE else _SHE if word in _SHE else None
        if turn is not None:
            return None if _someone_before(words[:i], names) else turn
    return None


_YOU_WORDS = frozenset({"you", "u", "ur", "your", "you're", "ya", "yours"})


def _someone_before(words: list[str], names: frozenset[str] = frozenset()) -> bool:
    """Whether a "he"/"she" after `words` may stand for someone other than the other
    person: a relative or someone named comes first ("didn't call mummy on her
    birthday"), or the other is "you" already ("saw u liked her pic again")."""
    return any(w in _FAMILY or w in _KIN or w in names or w in _YOU_WORDS for w in words)


def _to_you(said: str, turn: dict[str, str] | None, names: frozenset[str]) -> str:
    """`said` with the other person, spoken of in the third person (by `turn`'s
    pronouns or by their own name, `names`), spoken to, and the verbs after them agreed
    ("Ollie wants to borrow again, still owes £200" -> "you want to borrow again, still
    owe £200")."""
    if turn is not None:
        # "my brother got mum to ring the dentist for him", said to the brother
        said = _KIN_FIRST.sub("you ", said, count=1)
        # "my sister's started another diet" has; "roommate's half of rent" owns
        said = re.sub(
            r"^you ?'s (?=(?:started|been|got|gone|done|taken|left|had|made|bought)\b)",
            "you've ",
            said,
        )
        said = re.sub(r"^you ?'s ", "your ", said)
    tokens = said.split()
    named = False
    for i, tok in enumerate(tokens):
        bare = tok.rstrip(".,;!?")
        if bare in names:
            tokens[i], named = "you" + tok[len(bare) :], True
        elif bare.endswith("'s") and bare[:-2] in names:
            tokens[i], named = "your" + tok[len(bare) :], True
    if named:
        # "my ate asked to borrow again", "ma son hasn't phoned": "my" went with the name
        said = " ".join(tokens)
        said = re.sub(r"\b(?:my|our|me|ma|mih|the) you(?=\b)(?!')", "you", said)
        said = re.sub(r"\b(?:my|our|me|ma|mih|the) your\b", "your", said)
        tokens = said.split()
    if turn is None and not named:
        return said
    out = []
    for i, tok in enumerate(tokens):
        bare = tok.rstrip(".,;!?")
        tail = tok[len(bare) :]
        if turn is not None and bare in turn:
            if bare == "her":
                # "her phone" is hers, "asked her to" is her
                nxt = tokens[i + 1].rstrip(".,;!?") if i + 1 < len(tokens) else ""
                owns = bool(nxt) and not tail and nxt not in _NOT_OWNED
                bare = "your" if owns else "you"
            else:
                bare = turn[bare]
        out.append(bare + tail)
    said = " ".join(out)
    # "he's been on fortnite", "she's got": that "'s" was "has"
    said = re.sub(r"\byou're (been|got|had|gone|done|left|taken|made)\b", r"you've \1", said)
    # "he's put a fiver in", "he's only hoovered once": that "'s" was "has" too, where a
    # past form is followed by what it was done to ("he's tired", "she's worried about it"
    # stay as they are)
    said = _HAS_DONE.sub(r"you've \1", said)
    said = _AFTER_YOU.sub(lambda m: "you " + (m[1] or "") + _verb_base(m[2]), said)
    return _AND_VERB.sub(lambda m: m[1] + (m[2] or "") + _verb_base(m[3]), said)


_PARTICIPLES = frozenset(_BASE_OF_PAST) | frozenset(_PARTICIPLE.values())
_HAS_DONE = re.compile(
    r"\byou're ((?:only |just |already |never |not |still )?(?:[a-z]+ed|"
    + _alt(sorted(_PARTICIPLES - {"been", "got", "had", "gone", "done", "left", "taken", "made"}))
    + r"))(?= (?!(?:about|of|with|that|to|and|or|but|because|cos|by|at|for|so|when|out|up|off|"
    r"sick|again)\b)[a-z0-9£$])"
)


_KIN = frozenset(
    {
        "brother",
        "sister",
        "son",
        "daughter",
        "aunt",
        "auntie",
        "uncle",
        "cousin",
        "niece",
        "nephew",
        "boss",
        "teacher",
        "friend",
        "neighbour",
        "neighbor",
        "landlord",
        "baby",
    }
)
# What people call a brother or a sister in the Englishes of the samples: "sis book the trip",
# "the brither booked the cottage", "akka compared the results", "thambi took my bike"
_OTHER_ROLES = "sis|bro|brither|dada|akka|anna|thambi|bhai|didi|kuya|ate|cuz|bestie"
_KIN_FIRST = re.compile(
    r"^(?:(?:my|our|the|me|ma|mih) (?:little |big |older |younger )?(?:brother|sister|husband|wife|"
    r"partner|boyfriend|girlfriend|son|daughter|flatmate|housemate|roommate|mate|friend|fiance|"
    r"fiancee|bf|gf|hubby|kid|ex|sister-in-law|brother-in-law|daughter-in-law|son-in-law|"
    + _OTHER_ROLES
    + r")|(?:roommate|housemate|flatmate|ex|sister-in-law|brother-in-law|daughter-in-law|son-in-law|"
    r"hubby|bf|gf|son|daughter|brother|sister|husband|wife|" + _OTHER_ROLES + r"))\b"
    # "my sister in Lusaka": where they are is no part of who they are
    r"(?: in [a-z]+(?= (?!and\b)[a-z']+))? ?"
)
# Whom a role that opens an answer stands for, when the answer speaks of the other only so
# ("my sister started another diet", "roommate didn't pay"): their pronouns after it.
_ROLE_TURN = {
    **dict.fromkeys(
        (
            "brother",
            "husband",
            "boyfriend",
            "son",
            "bro",
            "brither",
            "dada",
            "anna",
            "thambi",
            "bhai",
            "kuya",
            "bf",
            "hubby",
            "fiance",
            "brother-in-law",
            "son-in-law",
        ),
        "he",
    ),
    **dict.fromkeys(
        (
            "sister",
            "wife",
            "girlfriend",
            "daughter",
            "sis",
            "akka",
            "didi",
            "ate",
            "gf",
            "fiancee",
            "sister-in-law",
            "daughter-in-law",
        ),
        "she",
    ),
}
_ADDRESSED = re.compile(r"\b(?:you|u|ur|your|you're|ye|ya|yuh|yu)\b")
_MOCKED_THIRD = re.compile(
    r"\b(?:he|she|him|his|himself|herself|madam|sir|mister|mr|his lordship|her ladyship)\b"
)


def _spoken_of(
    said: str, text: str, names: frozenset[str]
) -> tuple[dict[str, str] | None, frozenset[str]]:
    """The other, when an answer opens by speaking of them in the third person by role
    ("my sister's started another diet", "roommate didn't pay"), and the message speaks to
    them: (their pronouns, the names they go by)."""
    lower = text.lower()
    # "there he is. mr big shot…", "madam finally decided to reply": a put-down that mocks
    # the other in the third person is still sent to them
    if not text or _ADDRESSED.search(said):
        return None, names
    # "some of us actually pay the hydro bill princess": sent to someone all the same,
    # when the message speaks of nobody else
    if not (_ADDRESSED.search(lower) or _MOCKED_THIRD.search(lower)) and (
        _THIRD.search(lower) or (_KIN_FIRST.match(said) or _ASKED_KIN.search(said)) is None
    ):
        return None, names
    if (m := _ASKED_KIN.search(said)) is not None:
        # "i had to call my brother 3 times before he sent his share", "asked my son to
        # unload the dishwasher": the one the speaker asked is the one the message is for
        role = m["role"]
        pronoun = _ROLE_TURN.get(role)
        if pronoun is None and (later := re.search(r"\b(he|she)\b", said[m.end() :])):
            pronoun = later[1]
        turn = _HE if pronoun == "he" else _SHE if pronoun == "she" else {}
        return turn, names | {role}
    if (m := _KIN_FIRST.match(said)) is not None:
        role = re.sub(r" in [a-z]+$", "", m[0].strip()).split()[-1]
        pronoun = _ROLE_TURN.get(role)
        return (_HE if pronoun == "he" else _SHE if pronoun == "she" else {}), names
    # A name that opens the answer is not turned: "Francis was in hospital" was the
    # other's father, "Grandad came round" someone else again.
    return None, names


_THIRD = re.compile(r"\b(?:he|she|him|her|his|hers)\b")
# What the speaker did to the other, told of them by role: "had to call my brother",
# "asked my son to…", "lent my brother the ute"
_ASKED_KIN = re.compile(
    r"(?:^|\bi |\band |, )(?:had to |have to |kept |keep |had to keep )?(?:ask|asked|call|called|"
    r"remind|reminded|tell|told|beg|begged|chase|chased|text|texted|message|messaged|ring|rang|"
    r"phone|phoned|warn|warned|lend|lent|gave|give|pay|paid|wait for|waited for) "
    r"(?:my|our|me|ma|mih) (?:little |big |older |younger |eldest |youngest |best )?"
    r"(?P<role>brother|sister|son|daughter|husband|wife|partner|boyfriend|girlfriend|bf|gf|"
    r"hubby|flatmate|housemate|roommate|cousin|friend|mate|fiance|fiancee|sis|bro)\b"
)


# "Kayla hasn't called in 3 weeks", "Rhys still in bed at 2pm", "lent Ciarán 200 in march",
# "Dale ain't come up once": told to the app, the other by their name, acting or acted on
_ACT_AFTER_NAME = (
    r"(?:didn't|hasn't|haven't|ain't|won't|wouldn't|never|only|still|keeps|kept|forgot|took|"
    r"borrowed|booked|said|told|left|spent|bought|ate|broke|came|went|got|posted|called|phoned|"
    r"texted|skipped|missed|[a-z]+ed)\b"
)
_NAME_OF = re.compile(
    # the name acting: at the start, after "and", "but" or a full stop
    r"(?:^(?:(?:our|my|me) )?|(?<=\band )|(?<=\bbut )|(?<=[.!?,;] ))"
    r"(?P<name>[A-Z][a-z\u00c0-\u024f]{2,})(?= " + _ACT_AFTER_NAME + r")"
    # the name acted on by the speaker: "lent Ciarán 200", "lent our Shauna my dress"
    r"|\b(?:lent|gave|paid|asked|told|reminded|called|rang|texted|messaged|begged|bought) "
    r"(?:(?:our|my) )?(?P<object>[A-Z][a-z\u00c0-\u024f]{2,})\b"
)
_NOT_NAMES = _FAMILY | frozenset(
    {
        "i",
        "im",
        "the",
        "my",
        "our",
        "when",
        "then",
        "after",
        "before",
        "today",
        "yesterday",
        "mamaw",
        "papaw",
        "aunty",
        "auntie",
        "uncle",
    }
)


def _named_other(
    answer: str, text: str, said: str, names: frozenset[str] = frozenset()
) -> tuple[dict[str, str], str] | None:
    """When an answer speaks of the other by a name the message never uses in the third
    person ("Kayla hasn't called in 3 weeks" for "haven't heard a word from you"): their
    pronouns (none when the answer uses none) and the name; None when there is no such
    name, or a "he" or "she" in the first clause comes before it."""
    lower = text.lower()
    if _ADDRESSED.search(said) or not (_ADDRESSED.search(lower) or _MOCKED_THIRD.search(lower)):
        return None
    m = _NAME_OF.search(plain_letters(answer))
    if m is None:
        return None
    name = (m["name"] or m["object"]).lower()
    first = _FIRST_CLAUSE.match(said)
    pronoun = re.search(r"\b(?:he|she|him|her|his)\b", first[0]) if first else None
    if pronoun is not None and said.find(name) > pronoun.start():
        return None
    if (
        name in _NOT_NAMES
        or name in _DAYS.values()
        # "School emailed", "Landlord rang": a word of ours with a capital, no name
        or name in _OWN_VOCABULARY
        or re.search(rf"\b{re.escape(name)}\b", lower)
        # the message calls the other by another name ("…first, David")
        or names
    ):
        return None
    later = re.search(r"\b(he|his|him|she|her)\b", said[said.find(name) :])
    if later is None:
        return {}, name
    return (_HE if later[1] in ("he", "his", "him") else _SHE), name


_NOT_OWNED = frozenset(
    {
        "twice",
        "once",
        "again",
        "so",
        "too",
        "what",
        "how",
        "why",
        "when",
        "if",
        "not",
        "never",
        "always",
        "two",
        "three",
        "four",
        "five",
        "several",
        "many",
        "every",
        "all",
        "over",
        "off",
        "i",
        "you",
        "we",
        "they",
        "he",
        "she",
        "it",
        "that",
        "this",
        "me",
        "to",
        "about",
        "and",
        "a",
        "an",
        "the",
        "for",
        "at",
        "in",
        "on",
        "with",
        "back",
        "out",
        "up",
    }
)


# Notes people type into "What happened?", said as a clause: "45 min late no text" is "you
# were 45 minutes late and didn't text"; "came home 11pm, no call" is "came home at 11pm and
# didn't call"; "no thanks for dinner" is "you didn't say thanks for dinner".
_NOTE_LATE = re.compile(
    r"^(?:you (?:were )?)?(?P<n>(?:an? |half an |\d+(?:\.\d+)? )(?:minutes?|hours?)) late\b"
)
_NOTE_NO = {
    "text": "text",
    "call": "call",
    "message": "message",
    "reply": "reply",
    "warning": "warn me",
    "heads up": "give me a heads up",
    "notice": "give me any notice",
    "thanks": "say thanks",
    "thank you": "say thank you",
    "sorry": "say sorry",
    "apology": "apologise",
    "help": "help",
}
_NO_WHAT = "|".join(sorted(map(re.escape, _NOTE_NO), key=len, reverse=True))
# mid-note, only where the note ends or a time follows: "no call needed" is not "didn't call"
_NOTE_NO_MID = re.compile(
    rf"(?<!with)(?<!without)(?:,? and|,)? no (?P<x>{_NO_WHAT})(?= *(?:$|[,.]|again\b|all (?:day|night|evening|"
    rf"morning|afternoon|week)\b|at all\b|back\b|either\b))"
)
_NOTE_NO_FIRST = re.compile(
    rf"^no (?P<x>{_NO_WHAT})(?= *(?:$|[,.]|(?:for|from|with|about|again|all|back|on|after|"
    rf"when|at all)\b))"
)
_NOTE_AT = re.compile(
    r"\b(came|got|come|get|walked|rolled) (home|back|in) (\d{1,2}(?::\d\d)? ?(?:am|pm)\b)"
)


_SEEN = frozenset(
    {
        "caught",
        "found",
        "saw",
        "seen",
        "heard",
        "noticed",
        "spotted",
        "watched",
        "left",
        "kept",
        "had",
        "got",
        "see",
        "catch",
        "find",
        "hear",
        "notice",
        "watch",
        "keep",
        "leave",
        "have",
    }
)
_ARRIVED = re.compile(
    r"^(?:came|got|walked|woke)(?: up)?(?: (?:home|back|in|downstairs|up))?(?: (?:at|around) \S+)?"
    r" (?:to\b|and (?=(?:the|my|your|his|her|their|our|there|it|everything|nothing|nobody|no one|"
    r"all|both|dishes|kids|washing|laundry)\b))"
)


def _from_note(said: str) -> str:
    said = _NOTE_LATE.sub(lambda m: f"you were {m['n']} late", said)
    said = _NOTE_NO_FIRST.sub(lambda m: f"you didn't {_NOTE_NO[m['x']]}", said)
    if not said.startswith("you didn't"):
        # the text, the call, the thanks not given are always the other's
        said = _NOTE_NO_MID.sub(lambda m: f" and you didn't {_NOTE_NO[m['x']]}", said)
    return _NOTE_AT.sub(r"\1 \2 at \3", said)


def _what(
    answer: str, turn: dict[str, str] | None, names: frozenset[str] = frozenset()
) -> _What | None:
    said = _LEAD.sub("", _words(answer)).strip(" .!?,")
    if not re.search(r"[a-z0-9]", said):
        return None
    sentences = [
        s.strip(" .!?,")
        for s in _SENTENCE.split(said)
        if s.strip(" .!?,") and not _LONE.match(s.strip(" .!?,"))
    ]
    if not sentences:
        return None
    said = _from_note(_to_you(". ".join(sentences), turn, names))
    # "Rhys still in bed at 2pm", said to him: "you were still in bed at 2pm"
    said = re.sub(r"^you ((?:still|only|now) )?(?=(?:in|at|on|out) )", r"you were \1", said)
    # "you asking for money again": a texter's dropped "are"
    # ("caught you smoking", "saw you texting": the "-ing" is what was seen, no "are")
    said = re.sub(
        r"(\b[a-z']+ )?\byou (?=[a-z]{3,}ing\b)",
        lambda m: m[0] if m[1] and m[1].strip() in _SEEN else f"{m[1] or ''}you're ",
        said,
    )
    if (m := _ALWAYS_ME.match(said)) is not None:
        # "it's always me doing the kids' lunches": what the speaker has been doing
        rest = m["rest"]
        first = rest.split()[0]
        if m["does"]:
            said = f"i've been doing {rest}"
        elif not m["has"] and first.endswith("ing") and len(first) > 5:
            said = f"i've been {rest}"
        else:
            said = f"i've been the one who has to {rest}"
    first = said.split()[0]
    if _CLAUSE_START.match(said) is None:
        later = set(re.findall(r"[a-z']+", said)[1:])
        if _WHERE_FIRST.match(said):
            # "on his phone the whole lunch"
            said = f"you were {said}"
        elif _NOT_FIRST.match(said):
            # "didn't answer my message all morning"
            said = f"you {said}"
        elif _ARRIVED.match(said):
            # "came home and the sink full of his stuff", "got home to the kids still up":
            # what the speaker came home to
            said = f"i {said}"
        elif (first in _MINE_FIRST and not later & {"me", "my", "myself"}) or re.match(
            r"^[a-z]+ (?:for |on |to )?you\b(?!')", said
        ):
            # "had to remind him 3 times", "asked him to do the shop and he moaned":
            # the speaker's own act, its "I" left off
            said = f"i {said}"
        elif first in ("borrowed", "used", "wore") and re.match(r"^[a-z]+ your\b", said):
            # "borrowed his air forces for the festival": one borrows what is not one's own
            said = f"i {said}"
        elif _looks_past(first) or first in _DONE_TO_ME or first in _TOLD_PAST:
            # "forgot my birthday", "came home at 1am no text": the other's act
            said = f"you {said}"
    if said.startswith("you "):
        # "got a C in maths and wants a party": every verb of the other's agreed
        said = _AND_VERB.sub(lambda m: m[1] + (m[2] or "") + _verb_base(m[3]), said)
    if not said.startswith("i "):
        # "3 weeks of talking about jake and never asked about me once"
        said = re.sub(
            r"(\b(?:and|but|then)|,) (?=(?:didn't|never|hasn't|haven't|won't|forgot)\b)",
            r"\1 you ",
            said,
        )
        # "…and hasn't returned it", now "…and you hasn't": the verb agreed
        said = re.sub(
            r"\byou (hasn't|has|isn't|wasn't|doesn't)\b", lambda m: "you " + _AGREE[m[1]], said
        )
    if _BARE_NOUN_START.match(said) and said.split()[0] not in names | _FAMILY:
        # "ute was on empty", "teacher emailed again", "karaoke at 2am on a work night":
        # a note's dropped article
        said = f"the {said}"
    # "the dog not walked since morning", "the heating left on all day": a note's
    # dropped "hasn't been" and "was"
    said = re.sub(r"^(the [a-z]+(?: [a-z]+)?) not ([a-z]+ed)\b", r"\1 hasn't been \2", said)
    said = re.sub(
        r"^(the [a-z]+(?: (?!(?:was|were|is|are|has|had|been|got)\b)[a-z]+)?) "
        r"(left|put|kept|switched|turned) (on|off|out|open|in)\b",
        r"\1 was \2 \3",
        said,
    )
    # "you forgot to get mia from swimming, she waited 30 mins": a comma splice joined
    said = re.sub(r", (?=(?:i|you|we|he|she|they|it)\b)", ", and ", said)
    past = not _is_now(said) and not _PERFECT.search(said)
    spliced = re.search(r", (?!and\b|but\b|so\b|because\b)", said) is not None
    if len(sentences) > 1 or spliced or _PERFECT.search(said) or not _CLAUSE_START.match(said):
        # told in sentences of its own: "When …" would not read ("When I've driven mam
        # to every appointment since June", "When 3 weeks of talking about jake")
        if _VERB.search(said) is None and len(sentences) == 1:
            return _What(said, "thing", past)
        return _What(said, "sentences", past)
    if _VERB.search(said) is None:
        return _What(said, "thing", past)
    return _What(said, "clause", past)


def _is_now(said: str) -> bool:
    """Whether the first thing told of "I", "you" or "we" is said of now ("you leave
    your towels on the floor", "you're on your phone", "you want to borrow again");
    an answer to "what happened?" is otherwise past ("you put diesel in it")."""
    m = _SUBJECT_VERB.search(said)
    if m is None:
        return False
    verb = m[1]
    if verb in ("'re", "'m") or re.match(r"(?:you're|i'm|we're)\b", said[m.start() :]):
        return True
    was = _looks_past(verb) or verb in _PAST_FORMS or (verb in _PAST and _PAST[verb] == verb)
    return not was


_PAST_FORMS = frozenset(
    {
        "didn't",
        "wasn't",
        "weren't",
        "had",
        "did",
        "was",
        "were",
        "hadn't",
        "couldn't",
        "wouldn't",
        "never",
    }
)


_FEEL_JOIN = re.compile(r"\s*[.!?;,]+ +(?P<rest>\S.*)$")


# Words that name a feeling, or lead into one ("like I'm an ATM"); a word ending in "-ed"
# ("disappointed", "ignored") counts too.
_FEELING_WORDS = re.compile(
    r"^(?:(?:a bit|a little|bit|really|so|very|quite|rather|kind of|kinda|pretty|just|totally|proper) )?"
    r"(?:" + _alt(_WORDS["feelings"]) + r"|(?!(?:already|need|bed|red|booked|shed)\b)[a-z]+ed)\b"
)


_NOT_FEELING = re.compile(r"^(?:" + _alt(_WORDS["not_feelings"]) + r")\b")


def _join_feeling(m: re.Match[str]) -> str:
    rest = m["rest"]
    # "frustrated, feel like i can't say no": "like…" carries the feeling
    rest = re.sub(r"^(?:i )?(?:feel|feels|feeling|felt) (?=like\b|as if\b)", "", rest)
    if re.match(r"(?:like|as if|as though)\b", rest):
        return f", {rest}"
    if re.match(r"(?:was|were|had|got|kept|have|couldn't|didn't|can't)\b", rest):
        return f", because i {rest}"
    if re.match(r"(?:i|we|people|they|he|she|it|everyone|nobody|no one|because|that was)\b", rest):
        return f", because {rest}" if not rest.startswith("because") else f", {rest}"
    rest = re.sub(r"^and ", "", rest)
    if _NOT_FEELING.match(rest) or (len(rest.split()) > 2 and not _FEELING_WORDS.match(rest)):
        # "raging. and skint till friday", "annoyed, me cleaning": what follows is no
        # feeling, and pasted after one it reads as a fragment
        return ""
    return f", and {rest}"


def _feel(answer: str, turn: dict[str, str] | None, names: frozenset[str]) -> str:
    said = _words(answer).strip(" .!?,")
    for _ in range(3):
        said = _FEEL_LEAD.sub("", said).strip(" ,")
    # "annoyed that was my lunch": the reason, after "because"
    said = re.sub(
        r"^([a-z]+(?: and [a-z]+)?) that (?=(?:was|is|it|i|we)\b)", r"\1, because that ", said
    )
    # "left out. again": the sweep alone is left out
    said = re.sub(r"[.!?,;]+ *(?:" + _alt(_WORDS["lone"]) + r")$", "", said).strip(" .!?,")
    # "vexed. tired of covering for him", "stressed, ppl kept asking me": one feeling and
    # what is behind it, said in one breath
    said = _FEEL_JOIN.sub(_join_feeling, said, count=1)
    said = re.sub(r"[.!?;]+ +", ", and ", said)
    said = re.sub(r"\band(?:,? and)+\b", "and", said)
    said = _to_you(said, turn, names) if turn is not None else said
    # "ignored, like wasn't worth your time": the "I" a texter leaves off
    said = re.sub(
        r"\blike (?=(?:wasn't|was|am|don't|didn't|can't|couldn't|have to|had to|need|needed|"
        r"mean|meant|matter|mattered|do|did)\b)",
        "like i ",
        said,
    )
    # "stupid and worried" with the word that is dropped left out: not "and worried"
    said = re.sub(r"^(?:and|but|or)\b[ ,]*", "", said)
    # "worried and bit hurt": the "a" a texter drops
    said = re.sub(r"(?<!\ba )\bbit (?=[a-z])", "a bit ", said)
    # "late and mad": a word that is no feeling gives way to the one that is
    if (m := re.fullmatch(r"([a-z]+) and ([a-z]+)", said)) and _NOT_FEELING.match(m[1]):
        said = m[2]
    if re.match(r"not\b", said):
        # "not a priority tbh" -> "like I'm not a priority"
        said = f"like i'm {said}"
    return said if re.search(r"[a-z]", said) else ""


_ASK_THEM = re.compile(
    r"^(?:i (?:want|need|wish) |for )?(?P<who>he|she|him|her)\b(?! (?:mum|dad|own)\b)"
)


_OBJECT_HIM = re.compile(
    r"\b(?:him|her)\b(?=\s*(?:$|[,.!?;]|(?:today|tonight|now|back|up|out|about|to|for|with|at|on|"
    r"in|and|or|when|if|that|again|first|please|pls|too|yourself|myself)\b))"
)
_WANT_THEM = re.compile(r"\b(?:want|need|like|for|get|ask|asked) (?:him|her) to\b|^(?:him|her)\b")
# The verbs a request starts with ("fill it up", "bell me", "set a timer"): what a wish
# is asked for in, not the helpers ("be", "can") a condition leans on.
_REQUEST_VERBS = (
    frozenset(_PAST) | frozenset(_WORDS["ask_verbs"]) | frozenset(_WORDS["request_verbs"])
) - frozenset({"be", "is", "are", "am", "has", "does", "can", "will"})
_ASK_IF_START = re.compile(
    r"^(?:if|when|whenever) (?:you|you're|we|we're|it|it's|there's|i|i'm|i've|they|they're|he|"
    r"he's|she|she's)\b"
)
# A condition leans on a helper before its own verb: "if you can't come", "if you're going to"
_LEANS = frozenset(
    {
        "can't",
        "cannot",
        "won't",
        "don't",
        "can",
        "will",
        "are",
        "aren't",
        "is",
        "isn't",
        "do",
        "have",
        "haven't",
        "was",
        "were",
        "to",
        "going",
        "gonna",
        "want",
        "wanna",
        "need",
        "not",
        "you",
        "we",
        "i",
        "they",
        "he",
        "she",
        "could",
        "couldn't",
        "would",
        "should",
        "and",
        "or",
        "but",
        "so",
    }
)
_REQUEST_LEAD = frozenset({"just", "please", "then", "pls", "kindly"})
# What a texter tacks on after a request: "fill it up, that's it", "sit down together can"
_ASK_TAIL = re.compile(
    r"(?<!\bis)(?<!\bbe)(?<!'s),? (?:that's it|that's all|thats all|that is all|is all|all i ask|nothing more|simple|"
    r"can|can or not|ok|okay|la|lah|lor|leh|eh|nah|innit|yeah|ya|yh|aye|hey)$"
)
# "next time we cook together", "sunday sit down and do the budget", "tomorrow morning you
# do the balcony": when, then the wish
_DAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
_ASK_WHEN = re.compile(
    r"^(?P<when>(?:next time|from now on|in future|in the future|going forward|tomorrow|"
    r"tonight|this (?:week|weekend|evening|time|month)|(?:on |at )?weekends|every (?:day|night|"
    rf"week|weekend|month|morning|evening|{_DAY})|(?:on )?{_DAY}s?|after (?:school|work|dinner|"
    r"tea)|before (?:school|work|bed|dinner))(?: (?:morning|night|evening|afternoon))?),? "
    r"(?P<rest>.+)$"
)
# "for family functions can you stay till dinner", "next time can we both check": the
# request asked partway through
_ASK_INSIDE = re.compile(
    r"^(?P<front>(?!(?:i|i'm|i'd|i've|we|you|and|but|so|or)\b)[a-z0-9' ]+?),? "
    r"(?:can|could|will|would) (?P<who>you|we) (?:please |just )?(?P<rest>[a-z].*)$"
)


def _split_if(said: str) -> tuple[str, str] | None:
    """'if you can't do it tell me by 12' -> ('if you can't do it', 'tell me by 12'): the
    condition, then the request, at the first verb of a request after the condition's own
    verb; None when no such verb is found."""
    if _ASK_IF_START.match(said) is None:
        return None
    tokens = said.split(" ")
    # the condition holds at least its subject and one more word ("if you're late")
    for k in range(3, len(tokens)):
        word = tokens[k].strip(",")
        lead = k
        while word in _REQUEST_LEAD and lead + 1 < len(tokens):
            lead += 1
            word = tokens[lead].strip(",")
        before = tokens[k - 1].strip(",")
        if word not in _REQUEST_VERBS:
            continue
        if before == "you" and k > 3 and not tokens[k - 2].endswith(","):
            # "when you have people over you clean up the same night": the request
            # told with its own "you"
            return " ".join(tokens[: k - 1]).rstrip(","), " ".join(tokens[lead:])
        if before not in _LEANS and not before.endswith(("'ll", "'d")):
            return " ".join(tokens[:k]).rstrip(","), " ".join(tokens[lead:])
    return None


def _ask(
    answer: str, turn: dict[str, str] | None = None, names: frozenset[str] = frozenset()
) -> tuple[str, str] | None:
    """The wish as (kind, words): 'you' for what the other could do ("check with me
    before booking"), 'we' for what the two could do, 'thing' for what is wanted ("an
    apology"), 'mine' for a sentence of the speaker's own ("i need a heads up")."""
    said = _PLEASE.sub("", _words(answer)).strip(" .!?,")
    # "book it this week. PLEASE": one request
    said = re.sub(r"\s*[.!?;]+\s*", ", ", said).strip(" ,")
    # "buy the big pack its ur turn": the request, without the reason glued on ("cook
    # together so its not on her alone": the "so" that led into it too)
    said, glued = _GLUED_REASON.subn("", said)
    if glued:
        said = re.sub(r" so$", "", said)
    if not re.search(r"[a-z]", said):
        return None
    for _ in range(3):
        said = _ASK_LEAD.sub("", said).strip(" ,")
    # "stop buying stuff without telling me i guess": the hedge after a request goes
    said = re.sub(r",? (?:i guess|i suppose|idk|tbh|lol)$", "", said)
    if not said:
        return None
    if turn is None and (m := re.match(r"(?:for )?(he|she|him|her) (?=to |should |needs? )", said)):
        # "idk. for him to want me": the other, once the hedge before it is gone
        turn = _HE if m[1] in _HE else _SHE
    if turn is not None:
        # "just ring him today": "him" after a verb is someone else (the request is already
        # said to the other); only "he…", "i want him to…" or "keep him opinions" is them
        kept = not _WANT_THEM.search(said)
        if kept:
            said = _OBJECT_HIM.sub(lambda m: "\x00" + m[0], said)
        # "he cook two nights a week", "i want him to want me": said to him
        said = _to_you(said, turn, names)
        if kept:
            said = said.replace("\x00", "")
        said = re.sub(r"^you (?:should|need to|needs to|must|has to|have to|ought to) ", "", said)
        said = re.sub(r"^you (?=[a-z]+\b)(?!(?:to|not|don't|dont|didn't|won't|can't)\b)", "", said)
    # "can he just own the school stuff", once said to him: "own the school stuff"
    said = re.sub(
        r"^(?:can|could|will|would) (?:you|he|she|they) (?:just |please )?(?=[a-z]+ )", "", said
    )
    said = re.sub(r" and$", "", _ASK_TAIL.sub("", said)).strip(" ,")
    # "if late tell me early", "if cannot come say early": the condition's "you" left off
    said = re.sub(r"^(if|when) (late|running late)\b", r"\1 you're \2", said)
    said = re.sub(r"^(if|when) (cannot|can't|can not|won't|don't|not)\b", r"\1 you \2", said)
    said = re.sub(r"^(if|when) your (?=[a-z]+ing\b)", r"\1 you're ", said)
    said = re.sub(r"^(?:at least|jus|just|atleast) ", "", said)
    if not said:
        return None
    if (m := _ASK_INSIDE.match(said)) is not None and len(m["front"].split()) <= 8:
        # "for family functions can you stay till dinner": the front, then the request
        front, rest = m["front"], m["rest"]
        if m["who"] == "we" or _together(rest):
            return "we_if", f"{_when(front)}\t{_as_base(rest)}"
        return "you_if", f"{_when(front)}\t{_as_base(rest)}"
    if (split := _split_if(said)) is not None:
        # "if you cant come just say early": the condition, then what to do in it
        cond, req = split
        return "you_if", f"{cond}\t{_as_base(req)}"
    if (m := _ASK_NOT.match(said)) is not None and len(said) > m.end():
        # "dont say it in front of ppl": a request not to
        return "you_not", said[m.end() :]
    if _ASK_MINE.match(said):
        return "mine", said
    if (m := _ASK_WE.match(said)) is not None and len(said) > m.end():
        return "we", _as_base(said[m.end() :])
    if (m := _ASK_YOU.match(said)) is not None and len(said) > m.end():
        return "you", _as_base(said[m.end() :])
    if (m := _ASK_WHEN.match(said)) is not None:
        when, rest = _when(m["when"]), m["rest"]
        if (w := _ASK_WE.match(rest)) is not None and len(rest) > w.end():
            return "we_if", f"{when}\t{_as_base(rest[w.end() :])}"
        rest = re.sub(r"^you (?!(?:to|not|don't)\b)", "", rest)
        if rest.split()[0] in _REQUEST_VERBS:
            kind = "we_if" if _together(rest) else "you_if"
            return kind, f"{when}\t{_as_base(rest)}"
        return "mine", said
    words = said.split()
    if _NOUN_START.match(said) or (len(words) == 1 and words[0] not in _ASK_VERBS):
        return "thing", said
    first = words[0]
    if first in _REQUEST_VERBS or first == "be" or _looks_past(first):
        return ("we" if _together(said) else "you"), _as_base(said)
    if _CLAUSE_INSIDE.search(said):
        # "anything over 200 quid we talk about first", "either he chips in or…": the
        # writer's own sentence, as it is
        return "mine", said
    if _THING_START.match(said):
        # "headphones after midnight on weeknights", "one night a week no laptop"
        return "thing", said
    return "you", _as_base(said)


_TOGETHER = re.compile(r"\b(?:together|both of us|the two of us|as a team)\b")
_THING_START = re.compile(
    r"^(?:(?:a|an|some|more|less|one|two|no|any|the)\b|[a-z]{3,}s\b|[£$€]?\d)"
)


def _together(vp: str) -> bool:
    """Whether a wish is for both: "together" in its first part, and no "us" or "we" of
    its own ("agree together on anything over 100", not "let us sit… together" or "put
    it back and we agree… together")."""
    first = re.split(r",| or | and (?=(?:we|us|let|i|i'll|you)\b)", vp)[0]
    return _TOGETHER.search(first) is not None and not re.search(r"\b(?:us|we)\b", first)


_CLAUSE_INSIDE = re.compile(r"\b(?:i|you|we|he|she|they|it|somebody|someone|anyone|everyone)\b")


def _when(front: str) -> str:
    """'sunday' -> 'on sunday': a bare day said as a time."""
    return re.sub(rf"^(?={_DAY}s?\b)", "on ", front)


_FAMILY_CALLED = re.compile(
    r"(?:^|[.!?,] |\bok |\bokay |\bsorry |\bthanks )(mum|mom|mam|mummy|mommy|mama|ma|dad|daddy|"
    r"papa|pa)\b(?=[ ,.!?]|$)"
)


_NAME_FIRST = re.compile(r"^([A-Z][a-z]+),? (?:you|u|ur|your|you're|ye|ya)\b")


def _names(text: str) -> frozenset[str]:
    """The names `text` calls the other person by ("You're 27 Ollie, grow up")."""
    if not text:
        return frozenset()
    # Imported here: the package's entry point imports this module.
    from tending.coach.rewrite import _vocatives

    names = set(_vocatives(_read(text)))
    # "Chidi you are a whole 28", "Wei you're late": a name that opens the message
    if (m := _NAME_FIRST.match(text)) is not None:
        names.add(m[1].lower())
    # "lol ok mum.", "dad you never listen": a parent called by what they are
    names.update(m[1] for m in _FAMILY_CALLED.finditer(text.lower()))
    return frozenset(names)


def _as_base(vp: str) -> str:
    """'asked me first' -> 'ask me first': a wish is asked for in the base form."""
    verb, _, rest = vp.partition(" ")
    return f"{_base_word(verb)} {rest}".strip()


def guided(
    answers: Answers, label: str, keep: Callable[[str], bool] | None = None, text: str = ""
) -> Guided:
    """Up to three lines that say the writer's own answers gently, for a message `text`
    read as `label`; none for a label without a situation to tell or for blank answers.
    The message is read only for the name it calls the other person by."""
    if label not in LABELS or not answers:
        return Guided((), False)
    text = plain_letters(text)
    answers = Answers(
        *(plain_letters(value) for value in (answers.what, answers.feel, answers.ask))
    )
    names = _names(text)
    said = _LEAD.sub("", _words(answers.what)).strip(" .!?,")
    # "Kayla hasn't called in 3 weeks", "…with BP. Chanda never visited": the other by a
    # name the message never uses in the third person
    other = _named_other(answers.what, text, said, names)
    if other is not None:
        turn, name = other
        names = names | {name}
    else:
        turn = _turn_of(said, names)
    if turn is None:
        turn, names = _spoken_of(said, text, names)
    what = _what(answers.what, turn, names)
    feel = _feel(answers.feel, turn, names)
    ask_said = _LEAD.sub("", _words(answers.ask)).strip(" .!?,")
    # In the request alone only "he…"/"she…" at its start, or "i want him to…", stands for
    # the other: "call her today", "walk him tonight" are about someone else.
    ask_turn = turn
    if ask_turn is None and (m := _ASK_THEM.match(ask_said)) is not None:
        ask_turn = _HE if m["who"] in _HE else _SHE
    ask = _ask(answers.ask, ask_turn, names)
    if what is None and not feel and ask is None:
        return Guided((), False)
    blamed = False
    if what is not None and _blames(what.text):
        what, blamed = None, True
    if ask is not None and _blames(ask[1]):
        ask, blamed = None, True
    if feel and _blames(feel):
        feel, blamed = "", True
    message = _read(" . ".join(a for a in (answers.what, answers.feel, answers.ask) if a))
    filler = _Filler(message, f"guided-{label}")
    vetoed = blamed
    # When an answer still carries blame ("ur so selfish"), the lines are built again
    # from the other answers, so what can be said gently still is.
    for w, a in ((what, ask), (None, ask), (what, None), (None, None)):
        if w is None and not feel and a is None:
            continue
        lines, dropped = _lines(w, feel, a, message, filler, keep)
        vetoed = vetoed or dropped
        if lines:
            return Guided(lines, vetoed)
    return Guided((), vetoed)


def _lines(
    what: _What | None,
    feel: str,
    ask: tuple[str, str] | None,
    message: _Message,
    filler: _Filler,
    keep: Callable[[str], bool] | None,
) -> tuple[tuple[str, ...], bool]:
    past = what.past if what is not None else False
    asks = _ask_lines(ask, filler)
    ask_text = " ".join(asks).lower()
    frames = _WORDS["frames"][_frame_key(what, feel)]
    out: list[str] = []
    vetoed = False
    for index, variants in enumerate(frames):
        for round_ in range(len(variants)):
            template = filler.spread(f"guided{index}", variants, round_)
            if "," in feel and "{feel} when" in template:
                # "I felt annoyed, because that was my lunch when…" does not read
                continue
            line = template.format(
                what=what.text if what is not None else "",
                What=_capitalise(what.text) if what is not None else "",
                feel=feel,
                felt="felt" if past else "feel",
                ask=asks[index % len(asks)],
            )
            line = _finish(line, message)
            if line in out or len(re.findall(r"\bwhen\b", line, re.I)) > 1 + ("when" in ask_text):
                continue
            if keep is not None and not keep(line):
                vetoed = True
                continue
            out.append(line)
            break
    return tuple(out[:MAX_SUGGESTIONS]), vetoed


def _frame_key(what: _What | None, feel: str) -> str:
    if what is None:
        return "feel" if feel else "ask"
    return f"{what.shape}_feel" if feel else what.shape


def _ask_lines(ask: tuple[str, str] | None, filler: _Filler) -> list[str]:
    if ask is None:
        pool = _WORDS["asks"]["none"]
        return [filler.spread("guided-ask", pool, i) for i in range(MAX_SUGGESTIONS)]
    kind, said = ask
    if kind == "mine":
        # "can somebody text me when…" stays the question it was
        asked = re.match(r"(?:can|could|will|would|shall) ", said) is not None
        return [_capitalise(said) + ("?" if asked else ".")]
    if kind in ("you_if", "we_if"):
        cond, req = said.split("\t")
        return [
            template.format(cond=cond, Cond=_capitalise(cond), ask=req)
            for template in _WORDS["asks"][kind]
        ]
    return [template.format(ask=said, Ask=_capitalise(said)) for template in _WORDS["asks"][kind]]
