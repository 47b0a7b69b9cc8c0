"""Gentler rewrites of a harsh message that keep what the speaker meant.

One strategy per harsh label:
- criticism: one situation plus a need ("I feel worn out when you leave your dishes
  out. I need us to share the load."). The situation comes from the message's own
  words: what the other person does, doesn't do, did, or a plain fact ("the bins have
  been full for days"). When no situation can be read reliably, the suggestion names
  none rather than a wrong one.
- contempt: names the hurt under it ("I'm feeling taken for granted"), naming the event
  only when the message states one plainly (sarcasm is never read as a fact).
- defensiveness: hears the other out and keeps the speaker's own account ("I know it's
  frustrating that the train was late. It was out of my hands."), never an admission
  the speaker did not make.
- stonewalling: a break with a time to come back, keeping the speaker's own plan
  (bed, going out, phone off) where they said one.

All wording lives in data/rewrite.json. Choices among equally good wordings come from
a stable hash of the message, so the same message always gets the same suggestions and
many messages spread over many lines.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from tending.coach.lexicon import DATA_DIR

_DATA = json.loads((DATA_DIR / "rewrite.json").read_text(encoding="utf-8"))
HARSH = ("criticism", "contempt", "defensiveness", "stonewalling")
MAX_SUGGESTIONS = 3
# A verb phrase longer than this is more likely a run-on than one situation.
_MAX_VP_WORDS = 10


def _alt(words: list[str] | tuple[str, ...]) -> str:
    return "(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + ")"


# --- normalising ---------------------------------------------------------------------

_SPELLING: dict[str, str] = _DATA["spelling"]
_TOKEN = re.compile(r"[a-z0-9]+(?:['-][a-z0-9]+)*|[.,!?;:\"]")
_QUOTED = re.compile(r"(?<![\w])'([^'\n]{1,40}?)'(?!\w)")
_JOINS = (
    (re.compile(r"\byou are\b"), "you're"),
    (re.compile(r"\bwe are\b"), "we're"),
    (re.compile(r"\bi am\b"), "i'm"),
    (re.compile(r"\bdo not\b"), "don't"),
    (re.compile(r"\bdid not\b"), "didn't"),
    (re.compile(r"\bdoes not\b"), "doesn't"),
    (re.compile(r"\b(?:can not|cannot)\b"), "can't"),
    (re.compile(r"\bwill not\b"), "won't"),
    (re.compile(r"\bis not\b"), "isn't"),
    (re.compile(r"\bwas not\b"), "wasn't"),
    (re.compile(r"\bit is\b"), "it's"),
    (re.compile(r"\b(you're|you) aye\b"), r"\1 always"),
    (re.compile(r"\bthat is\b"), "that's"),
    (re.compile(r"\byou have (?=\w+(?:ed|en)\b)"), "you've "),
)
_TRAIT_WORDS = [w for group in _DATA["traits"] for w in group["words"]]
# "ur so lazy", "your always late": here "your" means "you're".
_YOUR_IS_YOURE = re.compile(
    r"\byour (?=(?:so|such|always|never|being|a|an|just|really|literally|actually|not|too|"
    r"very|completely|totally|constantly|forever|on|in|at|late|going|doing|acting|making|"
    r"getting|trying|the one|lazy|selfish|rude|mean|useless|pathetic|stupid|annoying|messy|"
    r"careless|thoughtless|inconsiderate|hopeless|impossible|unbelievable|ridiculous)\b)"
)
_FILLERS = re.compile(r"\b" + _alt(_DATA["fillers"]) + r"\b ?")
_LIKE_FILLER = re.compile(
    r"\blike (?=(?:never|always|don't|didn't|constantly)\b)|^it's like |^i feel like "
    r"|(?:^|(?<=[.,!?] ))seriously\b ?|\bseriously (?=you\b)|^(?:look|listen),? "
)
_FLAGS = {name: re.compile(r"\b" + _alt(words) + r"\b") for name, words in _DATA["flags"].items()}
_SPACES = re.compile(r"\s+")
_WHENEVER = re.compile(r"\bevery (?:single )?time (?=(?:we|you|i|they|he|she|it)\b)")
_KEEP_CASE = re.compile(r"^[A-Z][a-z]+$")
_MID_SENTENCE_WORD = re.compile(r"(?<=[\w,;'\"] )[A-Za-z]+")
_CAPITAL_WORDS = {w.lower(): w for w in _DATA["capitalised"]}


@dataclass
class _Message:
    text: str
    norm: str  # lowercase, chat spellings expanded, fillers kept
    plain: str  # norm without fillers
    clauses: list[str]
    flags: set[str]
    case: dict[str, str] = field(default_factory=dict)


def _read(text: str) -> _Message:
    folded = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    # Names keep their capitals ("Mama", "Friday"); a capital that only starts a
    # sentence does not count.
    case = {
        m[0].lower(): m[0]
        for m in _MID_SENTENCE_WORD.finditer(folded)
        if _KEEP_CASE.match(m[0]) and m[0].lower() not in ("i", "you", "ok")
    }
    folded = _QUOTED.sub(r'"\1"', folded.lower()).replace("-", " ")
    words = [_SPELLING.get(tok, tok) for tok in _TOKEN.findall(folded)]
    norm = " ".join(words)
    for pattern, joined in _JOINS:
        norm = pattern.sub(joined, norm)
    norm = _YOUR_IS_YOURE.sub("you're ", norm)
    unpunctuated = re.sub(r" [.,!?;:]", "", norm)
    flags = {name for name, pattern in _FLAGS.items() if pattern.search(unpunctuated)}
    norm = _WHENEVER.sub("when ", norm)
    norm = re.sub(r"\b(?:morning ,? noon and night|day and night|day in day out)\b", "", norm)
    plain = _SPACES.sub(" ", _FILLERS.sub("", _LIKE_FILLER.sub("", norm))).strip()
    # Scare quotes ("you've "forgotten"") are kept for contempt, which reads them,
    # and dropped for the rest.
    plain = _SPACES.sub(" ", re.sub(r'(?<=\w) " (?=\w)|(?<=\w) "(?= \w)', " ", plain))
    clauses = [c.strip(' "') for c in re.split(r"\s*[.,!?;:]+\s*", plain) if c.strip(' "')]
    return _Message(text, norm, plain, clauses, flags, case)


def _seed(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "big")


def _pick(seed: int, salt: str, pool: list[str]) -> str:
    mixed = hashlib.blake2b(f"{seed}:{salt}".encode(), digest_size=4).digest()
    return pool[int.from_bytes(mixed, "big") % len(pool)]


# --- verbs ---------------------------------------------------------------------------

_VERBS = _DATA["verbs"]
_PAST: dict[str, str] = _VERBS["past"]
_BASE_OF_PAST = {
    past: base for base, past in _PAST.items() if base not in ("is", "am", "are", "has", "does")
}
_BASE_OF_PAST.update({"was": "be", "were": "be"})
_PARTICIPLE: dict[str, str] = _VERBS["participle"]
_PAST_OF_PARTICIPLE = {pp: past for past, pp in _PARTICIPLE.items()}
_DOUBLE = frozenset(_VERBS["double_final"])
_E_BASES = frozenset(_VERBS["e_bases"])
_VOWELS = "aeiou"


def _past(vp: str) -> str:
    if vp.startswith("only "):
        return "only " + _past(vp[5:])
    verb, _, rest = vp.partition(" ")
    if verb in _PAST:
        past = _PAST[verb]
    elif verb in _DOUBLE:
        past = verb + verb[-1] + "ed"
    elif verb.endswith("e"):
        past = verb + "d"
    elif verb.endswith("y") and len(verb) > 2 and verb[-2] not in _VOWELS:
        past = verb[:-1] + "ied"
    else:
        past = verb + "ed"
    return f"{past} {rest}".strip()


def _looks_past(word: str) -> bool:
    """A past form that is not also a present one ('let', 'put' and 'hurt' are both)."""
    if word in _PAST:
        return False
    return word in _BASE_OF_PAST or (
        word.endswith("ed") and len(word) > 4 and word not in ("need", "feed", "speed", "bleed")
    )


def _base(vp: str) -> str:
    """'offered to cook' -> 'offer to cook'."""
    verb, _, rest = vp.partition(" ")
    if verb in _BASE_OF_PAST:
        base = _BASE_OF_PAST[verb]
    elif verb.endswith("ied"):
        base = verb[:-3] + "y"
    elif verb.endswith("ed"):
        stem = verb[:-2]
        if stem + "e" in _E_BASES:
            base = stem + "e"
        elif len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] in "bdgmnprt":
            base = stem[:-1]
        elif verb[:-1] in _E_BASES:
            base = verb[:-1]
        else:
            base = stem
    else:
        base = verb
    return f"{base} {rest}".strip()


_PLURAL = re.compile(r"(?<!s)(?<!u)(?<!i)s$|\b(?:and|people|children|kids)\b")
_TAIL_PAST = (
    (re.compile(r"\bi'm\b"), "i was"),
    (re.compile(r"\byou're\b"), "you were"),
    (re.compile(r"\bwe're\b"), "we were"),
    (re.compile(r"\b(?:it's|he's|she's)\b"), lambda m: m[0][:-2] + " was"),
    (
        re.compile(r"\b(i|you|we|they) (need|want|ask|call|text|get|come|go|say|tell)\b"),
        lambda m: f"{m[1]} {_past(m[2])}",
    ),
    (
        re.compile(r"\b(it|he|she|someone|somebody) ([a-z]+[^aeious])s\b"),
        lambda m: f"{m[1]} {_past(m[2])}",
    ),
)


def _past_tail(vp: str) -> str:
    """Put a 'when ...' tail in the past too: 'when i'm talking' -> 'when i was talking'."""
    head, sep, tail = vp.partition(" when ")
    if not sep:
        return vp
    for pattern, repl in _TAIL_PAST:
        tail = pattern.sub(repl, tail)
    return f"{head}{sep}{tail}"


def _participle(vp: str) -> str:
    past = _past(vp)
    verb, _, rest = past.partition(" ")
    return f"{_PARTICIPLE.get(verb, verb)} {rest}".strip()


# --- reading a complaint -------------------------------------------------------------

_BREAK = re.compile(r"\s\b" + _alt(_DATA["clause_breaks"]) + r"\b.*$")
_SWAP: dict[str, str] = _DATA["swap"]
_THE_THINGS = re.compile(r"\banything (?=(?:i|you|we|they|he|she)\b)")
_WANT = re.compile(r"^(?:want to|like to|wish to|bother to|try to|even try to) ")
_EMPTY = frozenset(_DATA["empty_actions"])
_CHARACTER = re.compile(r"^" + _alt(_DATA["character_verbs"]) + r"\b")
_TRAILERS = re.compile(
    r"(?:\s(?:isn't it|aren't you|don't you|do you|huh|ok|or what|or something|"
    r"please|though|honestly|now|man|yeah|tho|eh|innit|one|ah|na|bro|mate|either|too|anymore|again))+$"
)
_INSULTS = re.compile(
    r"\b(?:idiot|stupid|dumb|moron|lazy|useless|pathetic|selfish|loser|hate|"
    r"shit|crap|fuck\w*|damn|hell|bitch|ass|asshole|jerk|prick|dick|sucks?|wtf)\b"
)
_YOU_WE = r"(?P<subj>you|we)"
_NEG_HABIT = r"(?:(?:can|could|will|would) never|never|don't|can't|won't|doesn't)"
_NEG_PAST = r"(?:didn't|couldn't|wouldn't|never once)"
_HABIT = (
    r"(?P<habit>always|keep|constantly|continually|forever|only|consistently|regularly|usually)"
)


_NEXT_CLAUSE = re.compile(
    r" (?:my|his|her|their|our|the) \w+ (?:made|was|were|had|said|told|kept|is|got|called|died)\b.*$"
)


def _clean_vp(vp: str, swap: bool = True) -> str:
    """The verb phrase up to the next clause, tidied; with `swap`, the negative words
    that only make sense after "never" become positive ones ("anything" -> "things")."""
    vp = re.split(r"[.,!?;:]", vp, maxsplit=1)[0]
    if not vp.startswith(("my ", "the ", "his ", "her ", "our ", "their ")):
        vp = _NEXT_CLAUSE.sub("", vp)
    vp = _BREAK.sub("", " " + vp).strip()
    vp = _WANT.sub("", vp)
    vp = _TRAILERS.sub("", vp).strip()
    vp = _THE_THINGS.sub("the things ", vp)
    words = [_SWAP.get(w, w) for w in vp.split()] if swap else vp.split()
    words = [w for i, w in enumerate(words) if i == 0 or w != words[i - 1]]
    vp = " ".join(words).strip(' "')
    if "things" in words:  # "put anything back where it belongs"
        vp = re.sub(r"\bit (belongs|goes)\b", lambda m: "they " + m[1][: -1 - (m[1] == "goes")], vp)
    return vp


_SINGLE_VERBS = frozenset(_DATA["single_verbs"])
# "Could you value my time tonight?" reads oddly: these verbs take no time of day.
_STATIVE = frozenset(_DATA["stative_verbs"])
_STATE_WORDS = frozenset(_DATA["state_words"])


def _usable(vp: str) -> bool:
    words = vp.split()
    return (
        bool(words)
        and (len(words) > 1 or words[0] in _SINGLE_VERBS)
        and vp not in _EMPTY
        and len(words) <= _MAX_VP_WORDS
        and _INSULTS.search(vp) is None
        and _CHARACTER.match(vp) is None
        and not re.search(r"\b(?:never|always)\b", vp)
        and words[0]
        not in (
            "a",
            "an",
            "the",
            "to",
            "so",
            "that",
            "it",
            "i",
            "this",
            "your",
            "you're",
            "why",
            "what",
            "how",
        )
    )


@dataclass(frozen=True)
class _Complaint:
    kind: str
    subj: str = "you"
    vp: str = ""
    extra: str = ""


_WHY_HABIT = re.compile(
    rf"\bwhy (?:do|does) {_YOU_WE} (?:(?P<habit>always|keep|constantly) )?(?P<vp>.+)"
)
_WHY_NEG = re.compile(
    rf"\bwhy (?:(?P<aux>can't|won't|don't|didn't|couldn't|wouldn't)|(?:do|does|is it that|did) "
    rf"(?P<subj2>you|we) (?P<neg>{_NEG_HABIT}|{_NEG_PAST})) ?(?P<subj>you|we)? ?(?P<vp>.+)"
)
_WHY_ARE = re.compile(
    rf"\bwhy (?:are|were) {_YOU_WE} (?:(?P<habit>always|never|constantly|forever) )?(?P<rest>.+)"
)
_ASKED = re.compile(
    r"\bhow many times (?:have i|do i have to|did i|must i) (?:asked|told|ask|tell|reminded|remind)"
    r" you (?P<not>not )?to (?P<vp>.+)"
)
_HOW_HARD = re.compile(
    r"\b(?:how hard is it to|would it kill you to|is it too much to ask (?:you |for you )?to|"
    r"is it so hard to|how difficult is it to|why is it so hard for you to|is it that hard to|"
    r"how hard is it for you to) (?P<vp>.+)"
)
_NEG = re.compile(rf"\b{_YOU_WE}(?:'ve| have)? (?P<neg>{_NEG_HABIT}|{_NEG_PAST}) (?P<vp>.+)")
_REPEATED = re.compile(rf"\b{_YOU_WE} {_HABIT} (?P<vp>.+)")
_STATE = re.compile(
    r"\b(?P<subj>you're|we're) (?P<habit>always|never|constantly|forever) (?P<rest>.+)"
)
_TRAIT = re.compile(
    r"\b(?:you're|you've been|you are|you were|you're being|you act|you're acting) "
    r"(?:being |acting |so+ |such an? |an? |very |really |too |completely |totally )*(?P<rest>.+)"
)
_ABOUT = re.compile(
    r"\b(?:(?:it's )?always (?P<np4>your \w+(?: \w+)?) first|"
    r"(?P<np3>.+?) (?:is|are|comes?) more important"
    r"(?: to you)? than|it's (?:always |all )?about|everything's about|everything is about|"
    r"(?:you )?only (?:ever )?care about|(?:you )?only (?:ever )?think about|"
    r"it's (?:always|all) about) (?P<np>.+)"
)
_MORE_ABOUT = re.compile(
    r"\byou(?:'ve)? (?:always )?car(?:e|ed) more about (?P<np>.+?)(?: than .*)?$"
    r"(?P<np3>)(?P<np4>)"
)
_FEELS = re.compile(r"\byou (?:always )?make me feel (?P<feels>(?:like )?.+)")
_PRESENT = re.compile(r"\b(?P<subj>you) (?P<vp>\w+.*)")
# "a normal person would have called": what the speaker wanted from the other.
_OTHERS = re.compile(
    r"\b(?:a normal person|any normal person|most people|a decent person|real friends|"
    r"other people|normal people|anyone else|everyone else|a grown adult|a grown man|"
    r"a grown woman|an adult) (?:should be able to |)(?P<aux>would have|would've|manage to|"
    r"don't|would|can|should|)(?: )?(?P<vp>.+)"
)
_PROMISED = re.compile(r"\byou (?:promised|said you'd|said you would|swore) (?:to )?(?P<vp>.+)")
_LATE = re.compile(r"\b(?:late|running late) again\b|\balways late\b|\blate every\b")
_TOPIC = re.compile(
    r"\b(?:tell|ask|remind|told|asked|reminded) you about (?P<np>(?:the|your|my|our) [\w' -]+)"
)
_ALONE = re.compile(
    r"\b(?:(?:it's )?always me who (?:has|have) to|why do i (?:always )?have to|"
    r"i'm (?:always )?the one who (?:has|have) to|i (?:always )?(?:end up|get stuck) "
    r"(?:doing|having to)|why am i the one who has to) (?P<vp>.+)"
)
_ALONE_PLAIN = re.compile(
    r"\b(?:i'll do it myself|i'll just do it|i do (?:it|everything) myself|"
    r"i do everything|it's always on me|always on me|it's all on me|i'm the only one|"
    r"the only adult|always me \w+ing|i'm the one \w+ing|being your (?:mother|mum|mom|maid|cleaner)|"
    r"the only one who|i'm doing [\w, ]+ again|i'm always the one \w+ing)\b"
)
_NOT_PRESENT = frozenset(_DATA["not_present"])
_GO_AGAIN = re.compile(r"\bthere you go(?: again)?\s*,?\s*(?P<rest>\w+ing\b.*)")
_ALL_YOU = re.compile(
    r"\ball you (?:ever )?(?:think about|care about|talk about) is (?P<np>.+)"
    r"|\ball you (?:ever )?do is (?P<vp>.+)"
)
_DID = re.compile(rf"\b{_YOU_WE}(?:(?P<have>'ve| have) | )(?P<vp>\w+\b.*)")
# Before "you did X", these make X something that did not happen.
_UNREAL = re.compile(r"\b(?:not once|never|if|would|should|could|like|as if|when)\b|^have $")
_WHY_IS = re.compile(
    r"^why is (?P<np>(?:the|your|our|my) [\w'-]+) (?:always )?(?P<rest>(?:on|in|at|so|still|left|"
    r"full|empty|covered|out)\b.+)"
)
_SITUATION = re.compile(
    r"^(?P<np>(?:the|my|our|this|that|these|those|your|his|her|their) "
    r"(?!(?:your|my|our|his|her|their|the)\b)[\w'-]+(?: [\w'-]+)?) "
    r"(?P<verb>is|are|was|were|has|have|had|hasn't|haven't|isn't|aren't|wasn't|weren't|keeps|"
    r"smells|still|been|sat|sits|got|gets)\b(?P<rest>.*)"
    r"|^(?:there's|there are|there were|there was|there is) (?P<what>.+)"
)
_MISHAPS = re.compile(
    r"^(?:forgot|locked|lost|broke|left|missed|ruined|burned|burnt|dropped|spilled|spilt|wasted|"
    r"ignored|spent|crashed|slammed|interrupted|yelled|shouted|embarrassed|cancelled|canceled|"
    r"bailed|flaked|ate|finished|used|took|woke|forgotten|scratched|dented|blew|ditched|"
    r"skipped|deleted|stood|made|said|told|invited|booked|sold|gave|threw)\b"
)
# Words that turn a stated event into its opposite ("like you've ever done the laundry").
_SARCASM = re.compile(r"\b(?:like you|as if|for once|actually|finally|should i|want a|ever)\b")


_TRAIT_ABOUT = re.compile(
    r"\b(?:with|about|around) (?P<np>(?:the |your |our |my )?(?:money|car|kids|house|bills|"
    r"cash|food|time|chores|dishes|laundry|phone|work|family|friends|budget|plans))\b"
    r"|\b(?P<when>on weekends|at weekends|in the mornings|at night|at home|in public)\b"
)


def _trait_about(rest: str) -> str:
    """' when it comes to money' for 'selfish with money', '' when the trait stands alone."""
    m = _TRAIT_ABOUT.search(rest)
    if m is None:
        return ""
    return f" when it comes to {m['np']}" if m["np"] else f" {m['when']}"


def _trait_group(text: str) -> dict[str, list[str]] | None:
    for group in _DATA["traits"]:
        if re.search(r"\b" + _alt(group["words"]) + r"\b", text):
            return group
    return None


def _complaint(message: _Message) -> _Complaint:
    """The most specific reading of a criticism, clause by clause."""
    found: list[tuple[int, _Complaint]] = []
    # Read on the text with its fillers: "make me feel stupid" keeps "stupid".
    if m := _FEELS.search(message.norm):
        feels = re.split(r"[.,!?;:]| and | but | because | so ", m["feels"])[0].strip(' "')
        if feels and len(feels.split()) <= 9:
            found.append((1, _Complaint("feels", extra=feels)))
    if m := _GO_AGAIN.search(message.plain):
        found.extend(_state_readings("you're", "always", m["rest"]))
    for clause in message.clauses:
        for rank, complaint in _readings(clause, message.flags):
            found.append((rank, complaint))
    if not found:
        return _Complaint("plain")
    return min(found, key=lambda pair: pair[0])[1]


def _readings(clause: str, flags: set[str]) -> Iterator[tuple[int, _Complaint]]:  # noqa: C901
    if m := _ASKED.search(clause):
        vp = _clean_vp(m["vp"])
        if _usable(vp):
            yield 0, _Complaint("repeated" if m["not"] else "missing", "you", vp)
    if m := _HOW_HARD.search(clause):
        vp = _clean_vp(m["vp"])
        if _usable(vp):
            yield 0, _Complaint("missing", "you", vp)
    if m := _ALONE.search(clause):
        vp = _clean_vp(m["vp"])
        vp = vp[8:] if vp.startswith("be the ") and False else vp
        yield 0, _Complaint("alone", "you", vp) if _usable(vp) else _Complaint("alone_plain")
    elif _ALONE_PLAIN.search(clause):
        yield 1, _Complaint("alone_plain")
    if m := _TOPIC.search(clause):
        np = _clean_vp(m["np"])
        if 2 <= len(np.split()) <= 4:
            yield 3, _Complaint("topic", extra=np)
    if _LATE.search(clause) or (
        re.search(r"\blate\b", clause) and flags.intersection(("again", "habit"))
    ):
        yield 3, _Complaint("state", "you", "late")
    if (m := _ABOUT.search(clause)) or (m := _MORE_ABOUT.search(clause)):
        np = _clean_vp(m["np4"] or m["np3"] or m["np"] or "")
        np = re.sub(r"^(?:you|i feel) (?:care about |think )?", "", np) if m["np3"] else np
        np = {"yourself": "what you want", "you": "what you want", "me": ""}.get(np, np)
        if np and len(np.split()) <= 4 and not np.startswith(("how", "what i")):
            yield 1, _Complaint("about", extra=np)
        return
    if m := _WHY_NEG.search(clause):
        subj = m["subj"] or m["subj2"] or "you"
        neg = m["aux"] or m["neg"] or ""
        vp = _clean_vp(m["vp"])
        if neg in ("didn't", "couldn't", "wouldn't") and _usable(vp):
            yield 1, _Complaint("missed", subj, vp)
        elif _usable(vp):
            yield 1, _Complaint("missing", subj, vp)
    elif m := _WHY_HABIT.search(clause):
        for _, complaint in _habit_readings(m["subj"], m["habit"] or "", _clean_vp(m["vp"])):
            yield 1, complaint
    if m := _WHY_ARE.search(clause):
        yield from _state_readings(m["subj"] + "'re", m["habit"] or "always", m["rest"])
    if m := _NEG.search(clause):
        vp = _clean_vp(m["vp"])
        neg = m["neg"]
        if neg == "never once" or (neg == "never" and _looks_past(vp.split(" ", 1)[0])):
            vp = _base(vp)
            neg = "didn't"
        if vp.startswith("have to "):
            vp = vp[8:]
        if _usable(vp):
            kind = "missed" if neg in ("didn't", "couldn't", "wouldn't") else "missing"
            yield 2, _Complaint(kind, m["subj"], vp)
    if m := _REPEATED.search(clause):
        yield from _habit_readings(m["subj"], m["habit"], _clean_vp(m["vp"]))
    if m := _STATE.search(clause):
        yield from _state_readings(m["subj"], m["habit"], m["rest"])
    elif "habit" in flags and (m := re.search(r"\b(?P<subj>you're|we're) (?P<rest>.+)", clause)):
        yield from _state_readings(m["subj"], "always", m["rest"])
    if m := _ALL_YOU.search(clause):
        if m["np"]:
            yield 1, _Complaint("about", extra=_clean_vp(m["np"]))
        elif _usable(vp := _clean_vp(m["vp"])):
            yield 2, _Complaint("repeated", "you", vp)
    if m := _WHY_IS.match(clause):
        yield 3, _Complaint("situation", extra=f"{m['np']} is {_clean_vp(m['rest'], swap=False)}")
    if m := _SITUATION.match(clause):
        if m["what"]:
            situation = f"there's {_clean_vp(m['what'], swap=False)}"
        else:
            rest = _clean_vp(m["rest"] or "", swap=False)
            situation = f"{m['np']} {m['verb']} {rest}"
        words = situation.split()
        if 3 <= len(words) <= 12 and _INSULTS.search(situation) is None:
            yield 3, _Complaint("situation", extra=situation.strip())
    if m := _OTHERS.search(clause):
        vp = _clean_vp(m["vp"])
        if m["aux"] in ("would have", "would've"):
            vp = _base(vp)
        if _usable(vp):
            kind = {"would have": "missed", "would've": "missed", "don't": "repeated"}
            yield 2, _Complaint(kind.get(m["aux"], "missing"), "you", vp)
    if m := _PROMISED.search(clause):
        vp = _clean_vp(m["vp"])
        if _usable(vp):
            yield 2, _Complaint("missed", "you", vp)
    if (m := _DID.search(clause)) and not _UNREAL.search(clause[: m.start()] + " "):
        vp = _clean_vp(m["vp"])
        verb = vp.split(" ", 1)[0]
        if m["have"]:
            verb = _PAST_OF_PARTICIPLE.get(verb, verb)
            vp = " ".join([verb, *vp.split()[1:]])
        single_past = " " not in vp and verb not in _PAST
        if (
            _looks_past(verb)
            and verb not in ("were", "was", "had", "did")
            and (_usable(vp) or single_past)
        ):
            if "negated" in flags:  # "not once have you offered to help"
                yield 4, _Complaint("missed", m["subj"], _base(vp))
            else:
                yield 4, _Complaint("did", m["subj"], vp)
    if "habit" in flags and (m := _PRESENT.search(clause)):
        vp = _clean_vp(m["vp"])
        first = vp.split(" ", 1)[0]
        if _usable(vp) and not _looks_past(first) and first not in _NOT_PRESENT:
            yield 3, _Complaint("repeated", m["subj"], vp)
    if m := _TRAIT.search(clause):
        group = _trait_group(m["rest"])
        if group is not None:
            yield (
                5,
                _Complaint(
                    "trait", extra=str(_DATA["traits"].index(group)), vp=_trait_about(m["rest"])
                ),
            )
    elif (group := _trait_group(clause)) is not None:
        yield 6, _Complaint("trait", extra=str(_DATA["traits"].index(group)))


def _habit_readings(subj: str, habit: str, vp: str) -> Iterator[tuple[int, _Complaint]]:
    """'you always VP': something the other person does again and again."""
    if vp.startswith("have to be ") and habit != "only" and not _CHARACTER.match(vp):
        yield from _state_readings(subj + "'re", "always", vp[11:])
        return
    if vp.split(" ", 1)[0] in _STATE_WORDS:
        yield from _state_readings(subj + "'re", "always", vp)
        return
    if vp.startswith(("were ", "was ")):
        yield from _state_readings(subj + "'re", "always", vp.split(" ", 1)[1])
        return
    if habit in ("keep", "only"):
        vp = f"{habit} {vp}"
    if _usable(vp) and not (habit == "only" and _CHARACTER.match(vp)):
        yield 2, _Complaint("repeated", subj, vp)


def _state_readings(subj: str, habit: str, rest: str) -> Iterator[tuple[int, _Complaint]]:
    rest = _clean_vp(rest)
    group = _trait_group(rest)
    if rest.startswith(("so ", "such ")) or (group is not None and rest in group["words"]):
        if group is not None:
            yield 5, _Complaint("trait", extra=str(_DATA["traits"].index(group)))
        return
    if not rest or len(rest.split()) > 8 or _INSULTS.search(rest) or rest in _EMPTY:
        return
    subject = "we" if subj.startswith("we") else "you"
    yield 2, _Complaint("state_missing" if habit == "never" else "state", subject, rest)


# --- filling -------------------------------------------------------------------------


def _theme(message: _Message) -> dict[str, list[str]]:
    best, best_hits = _DATA["default_theme"], 0
    padded = f" {message.plain} "
    for theme in _DATA["themes"]:
        hits = sum(1 for w in theme["words"] if f" {w} " in padded)
        if hits > best_hits:
            best, best_hits = theme, hits
    return best


def _capitalise(sentence: str) -> str:
    return sentence[:1].upper() + sentence[1:] if sentence else sentence


_I_WORDS = re.compile(r"\bi(?=\b|')")
_SENTENCE_START = re.compile(r"([.?!] )([a-z])")


def _finish(line: str, message: _Message) -> str:
    line = _SPACES.sub(" ", line).strip()
    line = _I_WORDS.sub("I", line)
    words = line.split(" ")
    for i, word in enumerate(words):
        bare = word.strip(".,?!")
        key = bare.lower()
        proper = message.case.get(key) or _CAPITAL_WORDS.get(key)
        if proper and bare == key:
            words[i] = word.replace(bare, proper)
    line = " ".join(words)
    line = _SENTENCE_START.sub(lambda m: m[1] + m[2].upper(), line)
    line = re.sub(r"\s+([.,?!])", r"\1", line).replace("..", ".").replace("?.", "?")
    return _capitalise(line)


class _Filler:
    """Fills frames for one message: slot values picked by the message's hash, and a
    different feeling and need for each frame where the pool allows."""

    def __init__(self, message: _Message, label: str) -> None:
        self.message = message
        self.seed = _seed(f"{label}\n{message.text}")

    def pick(self, salt: str, pool: list[str]) -> str:
        return _pick(self.seed, salt, pool)

    def spread(self, salt: str, pool: list[str], index: int) -> str:
        start = int.from_bytes(
            hashlib.blake2b(f"{self.seed}:{salt}".encode(), digest_size=4).digest(), "big"
        )
        return pool[(start + index) % len(pool)]


class _Slots(dict[str, str]):
    def __missing__(self, key: str) -> str:
        raise KeyError(key)


def _fill(template: str, slots: dict[str, str]) -> str | None:
    try:
        return template.format_map(_Slots(slots))
    except KeyError:
        return None


def _frames(
    filler: _Filler, frames: list[list[str]], slots_for: Callable[[int], dict[str, str]]
) -> Iterator[str]:
    """The chosen variant of each frame in turn, then the other variants as spares. A
    spare gets its own slot values (feeling, need, wording), so that when the coach
    vetoes a line its replacement is not the same sentence with a word changed."""
    chosen: list[tuple[int, list[str]]] = []
    for index, variants in enumerate(frames):
        first = filler.spread(f"frame{index}", variants, 0)
        rest = [v for v in variants if v != first]
        chosen.append((index, [first, *rest]))
    for round_ in range(max(len(v) for _, v in chosen)):
        for index, variants in chosen:
            if round_ < len(variants):
                line = _fill(variants[round_], slots_for(index + 7 * round_))
                if line is not None:
                    yield line


def _criticism(message: _Message, filler: _Filler) -> Iterator[str]:
    data = _DATA["criticism"]
    complaint = _complaint(message)
    theme = _theme(message)
    subj = complaint.subj

    stative = complaint.vp.split(" ", 1)[0] in _STATIVE

    def slots(index: int) -> dict[str, str]:
        need = filler.spread("need", theme["needs"], index)
        out = {
            "subj": subj,
            "subj_cap": _capitalise(subj),
            "obj": "us" if subj == "we" else "you",
            "subj_are": f"{subj}'re",
            "subj_were": f"{subj} were",
            "vp": complaint.vp,
            "feeling": filler.spread("feeling", theme["feelings"], index),
            "need": need,
            "need_lower": need[:1].lower() + need[1:],
            "when": "" if stative else filler.spread("when", data["when"], index),
            "often": "" if stative else " more often",
            "reason": filler.spread("reason", data["reason"], index),
            "again": " again" if "again" in message.flags else "",
        }
        if complaint.vp:
            out["past"] = _past_tail(
                complaint.vp if complaint.kind == "did" else _past(complaint.vp)
            )
            out["participle"] = _participle(complaint.vp)
            out["didnt_vp"] = (
                f"weren't {complaint.vp[3:]}"
                if complaint.vp.startswith("be ")
                else f"didn't {complaint.vp}"
            )
        if complaint.kind in ("state", "state_missing"):
            out["state"] = complaint.vp
            out["state_past"] = _past_tail(complaint.vp)
        if complaint.kind == "situation":
            out["situation"] = _capitalise(complaint.extra)
            out["situation_lower"] = complaint.extra
        if complaint.kind == "about":
            out["np"] = complaint.extra
            plural = _PLURAL.search(complaint.extra) is not None
            out["comes"], out["takes"] = ("come", "take") if plural else ("comes", "takes")
        if complaint.kind == "feels":
            out["feels"] = complaint.extra
        if complaint.kind == "trait":
            group = _DATA["traits"][int(complaint.extra)]
            say = filler.spread("say", group["say"], index)
            out.update(
                tfeeling=filler.spread("tfeeling", group["feeling"], index),
                tsay=say,
                tsay_cap=_capitalise(say),
                tneed=filler.spread("tneed", group["need"], index),
                tabout=complaint.vp,
            )
        if complaint.kind == "topic":
            out.update(np=complaint.extra, np_cap=_capitalise(complaint.extra))
        return out

    kind = complaint.kind
    frames = list(data[kind])
    if kind == "missing" and subj == "we":
        frames[1] = data["missing_we"]
    if kind == "missing" and "anymore" in message.flags:
        frames[0] = data["missing_anymore"][0]
    yield from _frames(filler, frames, slots)
    if kind not in ("plain", "trait", "alone_plain"):
        yield from _frames(filler, data["plain"], slots)


# --- contempt ------------------------------------------------------------------------

_QUOTE = re.compile(
    r'\b(?P<subj>you|you\'re|you\'ll|you\'d|you\'ve)(?P<mid>(?: [a-z\']+){0,3}?)\s*"(?P<quote>[^"]{1,40})"'
)


def _contempt_kind(message: _Message) -> str:
    for kind, spec in _DATA["contempt"]["kinds"].items():
        if spec["cues"] and re.search(r"\b" + _alt(spec["cues"]), message.norm):
            return kind
    return "insult"


def _contempt(message: _Message, filler: _Filler) -> Iterator[str]:
    data = _DATA["contempt"]
    kind = _contempt_kind(message)
    spec = data["kinds"][kind]
    frames: list[list[str]] = []
    extra: dict[str, str] = {}
    quote = _QUOTE.search(message.norm)
    if quote is not None:
        said = quote["quote"].strip(" .,!?")
        subject = (quote["subj"] + quote["mid"]).strip()
        if subject != "you" and said and len(f"{subject} {said}".split()) <= 9:
            extra["quote"] = f"{subject} {said}"
            frames = data["quote_frames"]
            spec = data["kinds"]["disbelief"]
    if not frames and _SARCASM.search(message.norm) is None:
        for clause in message.clauses:
            m = _DID.search(clause)
            if m is None:
                continue
            vp = _clean_vp(m["vp"])
            if m["have"]:  # "you've left the door open" -> "you left the door open"
                verb, _, rest = vp.partition(" ")
                vp = f"{_PAST_OF_PARTICIPLE.get(verb, verb)} {rest}".strip()
            if _MISHAPS.match(vp) and _usable(vp):
                extra.update(subj=m["subj"], past=vp)
                frames = data["situation_frames"]
                spec = data["kinds"]["event"]
                break

    def slots(index: int) -> dict[str, str]:
        return {
            "hurt": filler.spread("hurt", spec["hurt"], index),
            "need": filler.spread("need", spec["need"], index),
            "again": " again" if "again" in message.flags else "",
            **extra,
        }

    yield from _frames(filler, [*frames, *data["frames"]], slots)


# --- defensiveness -------------------------------------------------------------------

# In priority order: the first pattern that reads any clause decides the kind, so a
# stated reason or fact ("my phone was dead") wins over a general protest ("stop
# blaming me"), which the suggestion can only answer in general terms.
_DEFENCES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern))
    for kind, pattern in (
        (
            "not_fault",
            r"\b(?:not|isn't|wasn't|ain't) (?:my|ma) (?:fault|problem|mistake)(?: that)?"
            r"(?: (?P<c>.+))?|\bis it my fault(?: that)? (?P<c2>.+)",
        ),
        (
            "reason",
            r"^(?P<c>(?:(?:my|the|our|his|her|their) [\w'-]+(?: [\w'-]+){0,3}?|it|everyone else|"
            r"everybody else|he|she) (?:\w+ed|was|were|"
            r"had|didn't|wouldn't|couldn't|wasn't|weren't|kept|keep|made|took|broke|ran|got|went|left|"
            r"came|said|told|is|are|isn't|aren't|has|hasn't|found|knew|saw|heard|did|forgot|lost)\b.*)",
        ),
        ("not_one", r"\bi'm not the one who (?P<vp>.+)"),
        ("asked_me", r"\bi only did it because you (?:asked|told|wanted)"),
        (
            "will_do",
            r"\bi (?:said|told you) (?:i'd|i would|i will|i'll) (?P<what>.+)|^i'll (?P<what2>do it .+)",
        ),
        (
            "i_said",
            r"\bi (?:said|told you|mentioned|did say|did tell you) (?:that )?(?P<what>i .+)",
        ),
        (
            "not_agreed",
            r"\bi never (?:said|agreed|promised) (?:that )?(?:i would|i'd|i'll|to) (?P<what>.+)",
        ),
        (
            "not_said",
            r"\b(?:i never said|that's not what i (?:said|meant)|twisting my words|"
            r"i didn't say that|that's not what happened|i never meant that|not what i said|"
            r"misunderstand|misunderstood|took it the wrong way|heard me wrong|got it wrong|"
            r"remembering it wrong|we never said|didn't mean it|misheard|never say like that|"
            r"taking it (?:up )?wrong)\b",
        ),
        ("told_me_to", r"\byou (?:only |just )?(?:told|asked) me to (?P<what>.+)"),
        ("thought_said", r"\b(?:but )?you (?:said|told me) (?:that )?(?P<what>.+)"),
        ("didnt_ask", r"\byou didn't ask\b"),
        (
            "reminder",
            r"\b(?:you didn't remind me|if you'd reminded me|if you had reminded me|"
            r"you never reminded me)\b",
        ),
        ("just_how", r"\bthat's (?:just )?how i (?P<what>.+)"),
        ("you_knew", r"\byou knew (?:that )?(?P<what>i .+)"),
        (
            "honest",
            r"\bi (?:only |just )?(?:said the truth|told the truth|was being honest|was honest)\b",
        ),
        (
            "reason",
            r"\bbecause (?P<c>(?:your|my|the|his|her|our|their) [\w'-]+(?: [\w'-]+){0,3}? "
            r"(?:\w+ed|was|were|had|kept|made|took|broke|ran|got|went|left|came|said|told)\b.*)",
        ),
        (
            "said_not",
            r"\b(?:say|said|saying|act like|acting like|pretend|make out) (?:that )?i "
            r"(?P<neg>wasn't|didn't|don't|never) (?P<what>.+)",
        ),
        (
            "always_me",
            r"\bwhy am i (?:the one who|always the one who)(?: always)? (?:has|have) to (?P<what>.+)",
        ),
        ("not_enjoy", r"\bnot like i (?:enjoy|like|want) (?P<what>.+)"),
        ("not_fault", r"\bi can't help it if (?P<c2>.+)"),
        (
            "didnt_know",
            r"\b(?:nobody|no one|no1|noone) (?:told|said|mentioned|warned) (?:me|to me)"
            r"(?: that| about)? ?(?P<what>.*)",
        ),
        (
            "didnt_realise",
            r"\b(?:you|if you'd|if you had) (?:(?:never|didn't|don't) )?(?:said|say|told me|tell me|"
            r"mention|mentioned)"
            r"(?: that| about)? ?(?P<what>.*)",
        ),
        (
            "didnt_know",
            r"\b(?:how (?:was|am|would|could) i (?:supposed |meant )?(?:to )?know|"
            r"how should i know|i didn't know|i'm not a mind reader|i'm not psychic|i had no idea|"
            r"can't read your mind|not a mind reader|supposed to (?:just )?know|a mind reader|"
            r"meant to know)\b",
        ),
        ("counter_you", r"^(?:well|ok but|but|yeah but|and|yeah well) (?P<what>you \w+ .+)"),
        ("counter_you", r"\b(?P<too>you (?:\w+ ){0,2}?\w+) too(?P<rest>(?: \w+){0,3})$"),
        ("counter_you", r"\bwhat about (?:when |the time )?(?P<what>you .+)"),
        ("counter_you", r"\byou're the one who (?P<vp>.+)"),
        (
            "not_but",
            r"\bi(?P<tense> wasn't|'m not| am not|'m| was) (?:not )?(?P<neg>[\w' ]{2,30}?),? "
            r"i(?:'m| am| was) (?P<pos>.+)",
        ),
        ("planned", r"\bi was (?:going to|about to|planning to|gonna) (?P<what>.+)"),
        ("planned_plain", r"\bi was (?:going to|about to|gonna)$"),
        ("not_there", r"\bi wasn't (?:even )?(?:here|there|home|around)\b"),
        (
            "had",
            r"\bi (?P<only>only |just )?(?:genuinely |really |actually )?had "
            r"(?P<what>(?!no\b|to\b)[\w' ]+)",
        ),
        ("was_state", r"^i was (?P<what>there|here|home|around|on time|early|in bed|at home)\b"),
        ("wasnt", r"\bi (?:wasn't|was not) (?P<what>(?!the one\b|going\b)[\w' ]+)"),
        ("not_now", r"\bi(?:'m| am) not (?P<what>(?!the one\b|going\b|gonna\b)[\w' ]+)"),
        (
            "was_doing",
            r"^i was (?:only |just )?(?P<what>(?!going\b|gonna\b|trying to help\b)\w+ing\b.*)",
        ),
        ("on_way", r"\bi was (?:coming|on my way|nearly there|just leaving|about to leave)\b"),
        (
            "not_intended",
            r"\b(?:on purpose|didn't mean to|did not mean to|it was an accident|"
            r"wasn't deliberate|not deliberate)\b",
        ),
        ("intent", r"\bi'm (?:only |just )?trying to (?P<what>(?!help\b).+)"),
        (
            "best",
            r"\b(?:i did my best|i'm doing my best|i tried my best|doing the best i can|"
            r"i'm trying|i tried|doing everything i can)\b",
        ),
        (
            "did_it",
            r"\bi did (?P<vp>(?:text|call|tell|ask|remind|send|pay|book|message|email|ring|"
            r"clean|wash|do|buy|try)\b.*)",
        ),
        (
            "did_it",
            r"\bi (?P<vp>(?:did|texted|called|told|asked|reminded|sent|paid|booked|messaged|"
            r"emailed|rang|cleaned|washed|bought|fed|walked|picked|took|made|cooked|sat|got|arrived|spent|answered|"
            r"finished|woke|came|started) .+)",
        ),
        (
            "i_do",
            r"(?:^|\bbut )i (?P<what>(?:always |do )?(?:help|call|ring|clean|cook|pay|text|visit|send|"
            r"do plenty|do a lot|do my share|do loads)\b.*)",
        ),
        ("doing", r"\bi'm (?:only |just )?(?P<what>doing (?:my|what) .+)"),
        ("sorry_already", r"\b(?:i (?:already )?(?:said|say) (?:i'm )?sorry|i apologi[sz]ed)\b"),
        (
            "help",
            r"\bi was (?:only |just )?(?:trying to help|helping)|\bi (?:only )?wanted to help|"
            r"trying to (?:help|be helpful)",
        ),
        ("my_part", r"\bi (?:did|done|have done|'ve done) my (?:part|share|bit)\b"),
        (
            "work",
            r"\b(?:for having a job|i work (?:all day|so hard|\d+ hours|full time|long hours)|"
            r"i was (?:literally )?at work|i've been at work|i was working|"
            r"i(?:'ve| have) been working)\b",
        ),
        (
            "busy",
            r"\bi(?P<tense> was| am|'m|'ve been| have been) (?P<state>busy|tired|exhausted|driving|asleep|"
            r"sleeping|in a meeting|on the phone|out|with \w+|stuck in traffic|at the gym|"
            r"at school|sick|ill|knackered|swamped|slammed|flat out|distracted|shattered|"
            r"run off my feet|wrecked|in the shower|in the bath|on the train|in meetings|"
            r"at the shops|on a call|on shift)\b",
        ),
        ("no_time", r"\bi (?:didn't|did not) have (?:the )?time\b"),
        (
            "joke",
            r"\b(?:i was (?:only |just )?joking|it was (?:only |just )?a joke|i was kidding|jk)\b",
        ),
        ("been", r"\bi(?:'ve| have) been nothing but (?P<what>\w+(?: (?:with|to) [\w' ]+)?)"),
        ("couldnt", r"\bi couldn't (?P<vp>.+)"),
        ("not_fault", r"\bi can't control (?P<c2>.+)"),
        (
            "load",
            r"\b(?:i can't do everything|not my job|isn't on me|not on me|i do everything|"
            r"i have to do everything|do it all|not my responsibility|i can't do it all|"
            r"can't always be the one|i have kids too|i have a life too|i'm (?:only )?one person|"
            r"i've got kids|got a life|working all day|work hard for|running around all day|"
            r"drop everything|"
            r"can't be everywhere|not a magician|act(?:ing)? like i don't)\b",
        ),
        ("forgot", r"\bi forgot\b|\beveryone forgets\b"),
        (
            "deny",
            r"\bi (?:didn't|did not|never) (?P<vp>touch|break|take|do|eat|move|use|lose|say|"
            r"see|hear|open|leave|forget|ignore|ditch|touched|broke|took|ate|moved|used|lost|said|"
            r"saw|heard|opened|left|forgot|ignored|ditched)\b(?P<rest>.*)",
        ),
        ("not_me", r"\b(?:it wasn't me|wasn't me|not me)\b"),
        ("not_my_idea", r"\b(?:not|wasn't) my idea\b"),
        (
            "autonomy",
            r"\b(?:not allowed|allowed to|can't go out|my money too|run every|"
            r"(?:don't|do not) (?:need|have) to explain|i'm an adult|my own choices|my own life|"
            r"can't even have|am i not allowed|can't i (?:even )?have)\b",
        ),
        ("human", r"\b(?:i'm human|i make mistakes|nobody's perfect|no one's perfect)\b"),
        (
            "counter",
            r"\b(?:you do the (?:exact )?same|you do it too|you did it too|you forgot too|"
            r"you started it|at least i|what about you|not like you're perfect|look who's talking|"
            r"you're no better|neither do you|you also|don't act like|you (?:\w+ )?(?:\w+ )?too|"
            r"either|you've done worse|you go out|when you forget|perfect like you|you've \w+ed loads|"
            r"she started it|he started it)\b",
        ),
        (
            "smaller",
            r"\b(?:overreacting|out of proportion|not a big deal|no big deal|not that deep|"
            r"relax|calm down|chill|dramatic|making a fuss|big deal out of|such a big deal|"
            r"not a huge deal|it's nothing|it was nothing|not that bad|big thing|fuss|it's one \w+|"
            r"only \w+ minutes|\w+ minutes late|only gone|end of the world|is it a crime|"
            r"too much into|not ten hours)\b",
        ),
        (
            "blamed",
            r"\b(?:attacking me|blam\w* me|my fault|always me|bad guy|the blame|picking on me|"
            r"having a go at me|have a go at me|why me|on my back|go off on me|yelling|shouting|accusing me|"
            r"put this on me|on at me|giving out|nagging|nag me|having a go|can't win|"
            r"good enough for you|terrible person|monster|the devil|villain|in the wrong|"
            r"one with the problem|make this about me|what did i do|start with me|on me)\b",
        ),
        (
            "stuck",
            r"\bwhat (?:do|did) you (?:want|expect) (?:from me|me to do)\b|\bwhat do you expect\b"
            r"|\bwhat (?:was|am) i (?:supposed|meant) to do\b|\bwhat more do you want\b"
            r"|\bwhat else do you want\b",
        ),
    )
)
# "it's not like i did it on purpose": what follows is denied, not claimed.
_HYPOTHETICAL = re.compile(
    r"\b(?:not like|as if|like|if|not that|say|said|saying|claim|claiming|pretend|pretending)\s*$"
)
_NOT_A_REASON = re.compile(r"\b(?:wasn't me|not me|fault|mistake|problem|blame|i'm)\b|^i\b")
# A stated cause needs a verb: "the delivery late what" is not one.
_HAS_VERB = re.compile(
    r"\b(?:is|are|was|were|has|have|had|did|didn't|wasn't|weren't|isn't|aren't|got|went|"
    r"made|kept|broke|ran|came|left|took|said|told|died|let|\w+ed)\b"
)


def _reason_elsewhere(message: _Message) -> str:
    """A stated cause in another clause ('the store was out'), or ''."""
    reason = _DEFENCES[1][1]
    for clause in message.clauses:
        m = reason.search(clause)
        if m is not None:
            found = _clean_vp(m["c"])
            if (
                3 <= len(found.split()) <= 10
                and _INSULTS.search(found) is None
                and _NOT_A_REASON.search(found) is None
            ):
                return found
    return ""


_SAFE_BUSY = {"busy": "tied up", "slammed": "snowed under", "swamped": "snowed under"}


def _defence(message: _Message) -> tuple[str, dict[str, str]]:
    """The kind of defence and what it claims, from the first pattern that reads it."""
    for kind, pattern in _DEFENCES:
        # "i wasn't X, i was Y" spans a comma, so it is read on the whole message.
        # "you also…", "…either" are fillers elsewhere, so counters read the full text.
        texts = {"not_but": [message.plain], "counter": [message.norm]}.get(kind, message.clauses)
        for clause in texts:
            m = pattern.search(clause)
            if m is None:
                continue
            reading = _defence_slots(kind, m, message)
            if reading is not None:
                return reading
    return "plain", {}


def _defence_slots(  # noqa: C901
    kind: str, m: re.Match[str], message: _Message
) -> tuple[str, dict[str, str]] | None:
    groups = {k: v for k, v in m.groupdict().items() if v}
    if kind != "not_but" and _HYPOTHETICAL.search(m.string[: m.start()] + " "):
        return None
    if kind == "not_fault":
        clause = _clean_vp(groups.get("c") or groups.get("c2") or "")
        if not clause:
            clause = _reason_elsewhere(message)
        if clause.startswith("you ") and (n := _NEG.match(clause)) and n["neg"] == "didn't":
            vp = _clean_vp(n["vp"])
            if _usable(vp):
                return "not_fault_you", {"vp": vp}
        if (
            clause
            and not clause.startswith(("you", "i "))
            and 2 <= len(clause.split()) <= 10
            and _NOT_A_REASON.search(clause) is None
            and _HAS_VERB.search(clause) is not None
        ):
            return "not_fault", {"c": clause}
        return "not_fault", {}
    if kind == "not_one":
        vp = _clean_vp(groups["vp"])
        return ("not_one", {"vp": vp}) if _usable(vp) and _looks_past(vp.split()[0]) else None
    if kind == "counter_you":
        groups = {k: re.sub(r"\s*\btoo\b", "", v) for k, v in groups.items()}
        if "too" in groups:
            what = _clean_vp(groups["too"] + groups.get("rest", ""))
            verb = what.split()[1] if len(what.split()) > 1 else ""
            if _looks_past(verb) and 2 <= len(what.split()) <= 8:
                return "counter_you", {"what": what}
            return "counter", {}
        if "vp" in groups:
            vp = _clean_vp(groups["vp"])
            return ("counter_you", {"what": f"you {vp}"}) if _usable(vp) else ("counter", {})
        what = _clean_vp(groups["what"])
        if 2 <= len(what.split()) <= 8 and _looks_past(what.split()[1]):
            return "counter_you", {"what": what}
        return "counter", {}
    if kind == "not_but":
        neg, pos = _clean_vp(groups["neg"], swap=False), _clean_vp(groups["pos"], swap=False)
        if not (neg and pos) or len(pos.split()) > 8 or _INSULTS.search(pos):
            return None
        now = groups["tense"] in ("'m", " am", "'m not", " am not")
        return ("not_but_now" if now else "not_but"), {"neg": neg, "pos": pos}
    if kind in ("had", "was_doing"):
        what = _clean_vp(groups["what"], swap=False)
        if groups.get("only"):
            what = "only " + what
        if what and len(what.split()) <= 8 and _INSULTS.search(what) is None:
            return kind, {"what": what}
        return None
    if kind == "said_not":
        what = _clean_vp(groups["what"])
        if not what or len(what.split()) > 6 or _INSULTS.search(what):
            return None
        neg = groups["neg"]
        if neg == "wasn't":
            pos = f"was {what}"
        elif neg == "don't":
            pos = what if what.startswith("do ") else f"do {what}"
        else:
            pos = _past(what)
        return kind, {"pos": pos}
    if kind in ("just_how", "always_me", "not_enjoy", "you_knew", "was_state", "wasnt", "not_now"):
        what = _clean_vp(groups["what"], swap=False)
        if what and len(what.split()) <= 6 and _INSULTS.search(what) is None:
            return kind, {"what": what}
        return None
    if kind in (
        "not_agreed",
        "planned",
        "will_do",
        "i_said",
        "couldnt",
        "intent",
        "been",
        "told_me_to",
        "i_do",
        "doing",
    ):
        what = _clean_vp(groups.get("what") or groups.get("what2") or groups.get("vp") or "")
        what = re.sub(r"\bbusy\b", "tied up", what)
        if what and len(what.split()) <= 8 and _INSULTS.search(what) is None:
            return kind, {"what": what}
        return None
    if kind in ("thought_said", "didnt_realise", "didnt_know"):
        what = _clean_vp(groups.get("what", ""))
        if what and 2 <= len(what.split()) <= 8 and _INSULTS.search(what) is None:
            if what.startswith(("to ", "that ")) or what in _EMPTY:
                return (kind if kind != "thought_said" else "not_said"), {}
            return kind, {"what": what}
        if kind == "thought_said":
            return None
        return "didnt_know_plain", {}
    if kind == "busy":
        state = groups["state"]
        now = groups["tense"] in (" am", "'m")
        return ("busy_now" if now else "busy"), {"state": _SAFE_BUSY.get(state, state)}
    if kind == "deny":
        vp = _base(_clean_vp(groups["vp"] + groups.get("rest", "")))
        if vp.startswith(("do anything", "do something")):
            vp = "do anything wrong" if "wrong" in vp else "do anything"
        if _usable(vp) or vp in ("touch it", "take it", "break it", "say that", "do it", "eat it"):
            return "deny", {"past": _past(vp), "past_base": vp, "participle": _participle(vp)}
        return "plain", {}
    if kind == "did_it":
        vp = _clean_vp(groups["vp"])
        if not _usable(vp) and vp.split()[0] not in ("did", "do"):
            return None
        return "did_it", {
            "past": vp if _looks_past(vp.split()[0]) or vp.startswith("did ") else _past(vp)
        }
    if kind == "reason":
        clause = _clean_vp(groups["c"])
        if (
            3 <= len(clause.split()) <= 10
            and _INSULTS.search(clause) is None
            and _NOT_A_REASON.search(clause) is None
        ):
            return "reason", {"reason": clause}
        return None
    return kind, {}


def _defensiveness(message: _Message, filler: _Filler, kind: str | None = None) -> Iterator[str]:
    data = _DATA["defensiveness"]
    kind, extra = (kind, {}) if kind else _defence(message)
    claims = data["kinds"][kind]["claim"]
    acks = data["kinds"][kind].get("ack", data["acknowledge"])

    def slots(index: int) -> dict[str, str]:
        claim = filler.spread("claim", claims, index)
        claim = _fill(claim, extra) or filler.spread(
            "claim", data["kinds"]["plain"]["claim"], index
        )
        ack = _fill(filler.spread("ack", acks, index), extra) or filler.spread(
            "ack", data["acknowledge"], index
        )
        return {
            "ack": ack,
            "claim": claim,
            "forward": filler.spread("forward", data["forward"], index),
        }

    yield from _frames(filler, data["frames"], slots)


# --- stonewalling --------------------------------------------------------------------


def _stonewalling(message: _Message, filler: _Filler) -> Iterator[str]:
    data = _DATA["stonewalling"]
    plan = None
    for name, words in data["plans"].items():
        # Plan cues are small regexes: "not going" counts only at the end.
        if re.search(r"\b(?:" + "|".join(words) + r")\b", message.norm):
            plan = name
            break
    backs = data[f"back_{plan}"] if plan else data["back"]

    def slots(index: int) -> dict[str, str]:
        state = filler.spread("state", data["state"], index)
        return {
            "state": state,
            "state_lower": state[:1].lower() + state[1:] if not state.startswith("I") else state,
            "break": filler.spread("break", data["break"], index),
            "back": filler.spread("back", backs, index),
        }

    frames = data["frames"]
    if plan:
        own = [f"{line} {{back}}" for line in data["own_plan"][plan]]
        frames = [own, *frames[1:]]
    yield from _frames(filler, frames, slots)


_STRATEGIES: dict[str, Callable[[_Message, _Filler], Iterator[str]]] = {
    "criticism": _criticism,
    "contempt": _contempt,
    "defensiveness": _defensiveness,
    "stonewalling": _stonewalling,
}


def _criticism_spares(message: _Message, filler: _Filler) -> Iterator[str]:
    theme = _DATA["default_theme"]
    yield from _frames(
        filler,
        _DATA["criticism"]["plain"],
        lambda i: {
            "feeling": filler.spread("feeling", theme["feelings"], i),
            "need": filler.spread("need", theme["needs"], i),
            "when": filler.spread("when", _DATA["criticism"]["when"], i),
            "reason": filler.spread("reason", _DATA["criticism"]["reason"], i),
        },
    )


def _defensiveness_spares(message: _Message, filler: _Filler) -> Iterator[str]:
    return _defensiveness(message, _Filler(message, "defensiveness spare"), kind="plain")


def _no_spares(message: _Message, filler: _Filler) -> Iterator[str]:
    return iter(())


# When every line of the strategy is vetoed, these general ones keep the coach useful.
_SPARES: dict[str, Callable[[_Message, _Filler], Iterator[str]]] = {
    "criticism": _criticism_spares,
    "contempt": _no_spares,
    "defensiveness": _defensiveness_spares,
    "stonewalling": _no_spares,
}


def suggestions(text: str, label: str, keep: Callable[[str], bool] | None = None) -> list[str]:
    """Up to three gentler ways to say `text`, which reads as `label` (one of HARSH;
    any other label gives []). Deterministic: the same text and label always give the
    same lines. `keep`, when given, vets each candidate (the coach passes one that
    rejects anything it would itself flag); rejected ones are replaced by spares."""
    strategy = _STRATEGIES.get(label)
    if strategy is None:
        return []
    message = _read(text)
    out: list[str] = []
    filler = _Filler(message, label)
    for line in itertools.chain(strategy(message, filler), _SPARES[label](message, filler)):
        line = _finish(line, message)
        if line in out or (keep is not None and not keep(line)):
            continue
        out.append(line)
        if len(out) == MAX_SUGGESTIONS:
            break
    return out
