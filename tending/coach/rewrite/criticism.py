"""Criticism becomes one situation plus a need, read from the message's own words."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from tending.coach.rewrite.facts import _UNTIDY, UNITS, Fact, _led_by, covers, facts, situation
from tending.coach.rewrite.words import (
    _BASE_OF_PAST,
    _CHARACTER,
    _DANGLING,
    _DATA,
    _DID,
    _EMPTY,
    _HABIT,
    _INSULTS,
    _NEG,
    _NEG_HABIT,
    _NEG_PAST,
    _PAST,
    _PAST_OF_PARTICIPLE,
    _PLURAL,
    _STATE_WORDS,
    _STATIVE,
    _YOU_WE,
    ENOUGH,
    _alt,
    _base,
    _capitalise,
    _clean_vp,
    _Filler,
    _frames,
    _ing_base,
    _looks_past,
    _Message,
    _participle,
    _past,
    _past_tail,
    _usable,
)
from tending.coach.rewrite.words import (
    _BLAME_IN_ACT as _BLAME_WORDS,
)


def _usable_act(vp: str) -> bool:
    """An act fit to quote back: "mention it" is not, since the rewrite loses what "it" was."""
    return _usable(vp) and _DANGLING.search(vp) is None


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
    r"how hard is it for you to|(?:can't|can|could) you (?:not )?(?:just )?(?:once|for once)|"
    r"for once could you|could you for once) (?P<vp>.+)"
)
_REPEATED = re.compile(rf"\b{_YOU_WE} {_HABIT} (?P<vp>.+)")
_STATE = re.compile(
    r"\b(?P<subj>you're|we're) (?P<habit>always|never|constantly|forever) (?P<rest>.+)"
)
_TRAIT = re.compile(
    r"\b(?:you're|you've been|you are|you were|you're being|you act|you're acting) "
    r"(?:being |acting |so+ |such an? |an? |very |really |too |completely |totally )*(?P<rest>.+)"
)
_ABOUT = re.compile(
    r"\b(?:(?:it's )?always (?P<np4>your \w+(?: \w+)?) (?:first|that (?:matters|counts|comes first))|"
    r"^(?P<np5>(?:your|his|her|their) \w+(?: (?!always\b)\w+)?) (?:always )?comes? first|"
    r"(?P<np3>.+?) (?:is|are|comes?) more important"
    r"(?: to you)? than|it's (?:always |all )?about|everything's about|everything is about|"
    r"(?:you )?only (?:ever )?care about|(?:you )?only (?:ever )?think about|"
    r"it's (?:always|all) about)(?: (?P<np>.+)|$)"
)
_SELF = re.compile(r"you|u|yourself|urself|ur self|yuhself|yaself|yourselves")
_MORE_ABOUT = re.compile(
    r"\byou(?:'ve)? (?:always )?car(?:e|ed) more about (?P<np>.+?)(?: than .*)?$"
    r"(?P<np3>)(?P<np4>)(?P<np5>)"
)
_FEELS = re.compile(r"\byou (?:always )?make me feel (?P<feels>(?:like )?.+)")
# Not "is you who beg for the dog": a cleft, whose act is someone else's telling
_PRESENT = re.compile(r"\b(?P<subj>you) (?P<vp>(?!who\b|that\b)\w+.*)")
# "a normal person would have called": what the speaker wanted from the other.
_OTHERS = re.compile(
    r"\b(?:a normal person|any normal person|most people|a decent person|real friends|"
    r"other people|normal people|anyone else|everyone else|a grown adult|a grown man|"
    r"a grown woman|an adult) (?:should be able to |)(?P<aux>would have|would've|manage to|"
    r"don't|would|can|should|)(?: )?(?P<vp>.+)"
)
_PROMISED = re.compile(
    r"\byou (?:promised|said you'd|said you would|swore|keep promising|kept promising|"
    r"were supposed|was supposed|were meant|agreed)"
    r" (?:to |(?:that )?(?:you'd|you would|you'll|you will) )?(?P<vp>.+)"
)
_PROMISED_VERBS = frozenset(
    {"quit", "stop", "come", "call", "ring", "help", "visit", "text", "pay"}
)
# "promising to come and then forgetting": the broken promise, not the habit word.
_PROMISE_HABIT = re.compile(
    r"\b(?:promising|promise|promises|saying you'll|say you'll) (?:to )?(?P<vp>\w+(?: \w+){0,4}?) "
    r"(?:and|but) (?:then )?(?:nothing|forgetting|forget|forgets|not doing it|never doing it|not turning up|"
    r"cancelling|canceling|cancel|cancels|bailing|bail|backing out|pulling out|"
    r"not showing up|never turning up|never showing up|don't|didn't)\b"
)
# "you only ever call when you need something": a wish for contact, not a verdict on motives.
_ONLY_WHEN = re.compile(
    r"\byou only (?:ever )?(?P<verb>call|ring|text|message|phone|visit|come round|come over|"
    r"come home|reach out|get in touch) (?:me |us )?when you (?:need|want)\b"
    # "you never ring me unless you're looking for something"
    r"|\byou never (?P<verb2>call|ring|text|message|phone|visit|come round|come over|reach out|"
    r"get in touch) (?:me |us )?unless (?:you're|you are|you) (?:looking for|need|want|after)\b"
)
_LATE = re.compile(
    r"\b(?:late|running late) again\b|\balways late\b|\blate every\b|"
    r"\b(?:an? |\d+ )(?:mins?|minutes|hours?|hrs?) late\b"
)
_TOPIC = re.compile(
    r"\b(?:tell|ask|remind|told|asked|reminded) you about (?P<np>(?:the|your|my|our) [\w' -]+)"
)
_ALONE = re.compile(
    r"\b(?:(?:it's )?always me (?:who|that) (?:has|have|must) to|why do i (?:always )?have to|"
    # "why always me need to remind you pay the fee": Singlish and Indian English
    r"why (?:is it )?always me (?:need|needs|have|has|having|must) to|"
    r"why must i (?:always )?be the one (?:to|who has to)|why (?:is|am) it always me (?:to|who has to)|"
    r"i'm (?:always )?the one who (?:has|have) to|i (?:always )?(?:end up|get stuck) "
    r"(?:doing|having to)|why am i the one who has to) (?P<vp>.+)"
)
# "why am i always the one who cleans the bathroom" -> "clean the bathroom"
_ALONE_WHO = re.compile(
    r"\b(?:why am i|i'm|it's|why is it) (?:always )?(?:the one|the only one|me) (?:who|that) "
    r"(?:always )?(?P<vp>(?!has\b|have\b)\w+s\b.*)"
)
# "it's always me paying" -> "pay"
_ALONE_ING = re.compile(
    r"\b(?:(?:it's |its )?always me|i'm (?:always )?the (?:only )?one|"
    # "every term it's me running up and down for the school fees"
    r"(?:it's|its|it is) (?:always |only |just )?me) (?P<ing>\w+ing)\b(?P<rest>.*)"
)
_ALONE_PLAIN = re.compile(
    r"\b(?:i'll do it myself|i'll just do it|i do (?:it|everything) myself|"
    r"i do everything|it's always on me|always on me|it's all on me|i'm the only one|"
    r"the only adult|always me \w+ing|i'm the one \w+ing|being your (?:mother|mum|mom|maid|cleaner)|"
    r"the only one who|i'm doing [\w, ]+ again|i'm always the one \w+ing|done by me)\b"
)
_NOT_PRESENT = frozenset(_DATA["not_present"])
_GO_AGAIN = re.compile(r"\bthere you go(?: again)?\s*,?\s*(?P<rest>\w+ing\b.*)")
_ALL_YOU = re.compile(
    r"\ball you (?:ever )?(?:think about|care about|talk about) is (?P<np>.+)"
    r"|\ball you (?:ever )?do is (?P<vp>.+)"
)
# Before "you did X", these make X something that did not happen.
_UNREAL = re.compile(r"\b(?:not once|never|if|would|should|could|like|as if|when)\b|^have $")
_WHY_IS = re.compile(
    r"^why is (?P<np>(?:the|your|our|my) [\w'-]+) (?:always )?(?P<rest>(?:on|in|at|so|still|left|"
    r"full|empty|covered|out)\b.+)"
)
# "every time i ask for help you sigh": the other's reaction to what the speaker does.
# "when I lend you something it comes back worse": "you" there is the one lent to, and
# no act of theirs follows it
_WHEN_I = re.compile(
    r"^when (?P<cond>i (?!feel\b)[\w' ]+?) you "
    r"(?P<vp>(?!(?:know|something|anything|nothing|money|stuff|things|it|that|this)\b)\w+.*)"
)
# "I tell you about my knee and you turn the telly up": the same as "when I…, you…".
_I_AND_YOU = re.compile(
    r"^(?P<cond>i (?:tell|talk|ask|show|try|mention|come|get|walk|start|sit) [\w' ]+?) "
    r"and you (?P<vp>(?!know\b)\w+.*)"
)
_WHY_THERE = re.compile(r"^why (?:is|are) there (?:always |still |constantly )?(?P<what>.+)")
_SITUATION = re.compile(
    r"^(?P<np>(?:the|my|our|this|that|these|those|your|his|her|their) "
    r"(?!(?:your|my|our|his|her|their|the)\b)[\w'-]+(?: [\w'-]+)?) "
    r"(?P<verb>is|are|was|were|has|have|had|hasn't|haven't|isn't|aren't|wasn't|weren't|keeps|"
    r"smells|still|been|sat|sits|got|gets)\b(?P<rest>.*)"
    r"|^(?:there's|there are|there were|there was|there is) (?P<what>.+)"
)


_TRAIT_ABOUT = re.compile(
    r"\b(?:with|about|around) (?P<np>(?:the |your |our |my )?(?:money|car|kids|house|bills|"
    r"cash|food|time|chores|dishes|laundry|phone|work|family|friends|budget|plans))\b"
    r"|\b(?P<when>on weekends|at weekends|in the mornings|at night|at home|in public)\b"
)


_ONE_WHO = re.compile(
    r"^be the (?:one|person) (?:who|that) (?:always )?(?:has to )?(?P<verb>\w+)\b"
)


_REMINDING = re.compile(
    r"^(?:remind|tell|ask|nag|chase) you (?:to |about )?(?P<vp>(?!that\b|again\b)\w+ .+)"
)


def _alone(vp: str) -> _Complaint:
    """What the speaker does alone; reminding the other to do something ("why do i always
    have to remind you to pay the water bill") is a wish that they did it unasked."""
    if (r := _REMINDING.match(vp)) and _usable_act(r["vp"]):
        return _Complaint("missing", "you", f"{r['vp']} without a reminder")
    return _Complaint("alone", "you", vp)


def _one_who(vp: str) -> str:
    """'be the one who books everything' -> 'book everything'."""
    m = _ONE_WHO.match(vp)
    if m is None:
        return vp
    verb = m["verb"]
    if verb.endswith("ies"):
        verb = verb[:-3] + "y"
    elif verb.endswith(("shes", "ches", "xes", "sses", "oes")):
        verb = verb[:-2]
    elif verb.endswith("s") and not verb.endswith("ss"):
        verb = verb[:-1]
    return verb + vp[m.end() :]


# "you borrowed my charger and never gave it back": the complaint is the second half.
_AND_NEVER = re.compile(
    r"\byou (?:\w+ ){1,6}?and (?:then )?(?:never|didn't|did not|never once) (?P<vp>\w+.*)"
)
_OBJECT = re.compile(r"\byou \w+ (?P<obj>(?:my|our|the|his|her|their) [\w']+)")


_SPENT = re.compile(
    r"(?P<amount>[£$€]\d[\d,.]*k?) (?:on|for) (?P<what>[a-z']+(?: [a-z']+){0,3}?)"
    r"(?= (?:this|last|again|and|every|already)\b|[.,!?]|$)"
)
_VAGUE_EFFORTS = frozenset(_DATA["vague_efforts"])
_TRAIT_AT = re.compile(r"\bat (?P<ing>[a-z]+ing(?: [a-z']+){0,5})$")


def _trait_about(rest: str) -> str:
    """' when it comes to money' for 'selfish with money', '' when the trait stands alone."""
    m = _TRAIT_ABOUT.search(rest)
    if m is None:
        # "hopeless at getting the kids to bed": the skill is the topic, kept by name.
        at = _TRAIT_AT.search(rest)
        if at is not None and _usable_act(at["ing"]) and not _INSULTS.search(at["ing"]):
            return f" when it comes to {at['ing']}"
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
        if _UNTIDY.search(clause):
            # "yuh neva help wid nutten inna dis house": no line can carry it as written
            continue
        if _CONSEQUENCE.match(clause):
            # "this is why we never have money": a verdict on where the act leads, not an act
            continue
        flags = message.flags
        if "negated" in flags and not _negates(message, clause):
            # "not once in 11 years" in another sentence does not turn "you spent Diwali at
            # your friends' place" into its opposite
            flags = flags - {"negated"}
        if "again" in flags and re.search(re.escape(clause) + r" again\b", message.norm):
            # "you cancel last minute again" is a habit; "again" in another clause says
            # nothing of "you treat everything in this fridge like it's yours"
            flags = flags | {"again_here"}
        for rank, complaint in _readings(clause, flags):
            # "it's always me putting in the effort" names no act: a concrete act in
            # another clause ("make the first move in the bedroom") says more.
            if complaint.kind == "alone" and complaint.vp in _VAGUE_EFFORTS:
                rank = 4
            found.append((rank, complaint))
    # "another £80 on takeaways": the spending itself is the topic (the currency sign is
    # lost in reading, so this is read on the text as written).
    if (m := _SPENT.search(message.text.lower())) and _BLAME_WORDS.search(m["what"]) is None:
        found.append((3, _Complaint("topic", extra=f"the {m['amount']} on {m['what']}")))
    # "you've been 'fixing' the gutter since march": a scare-quoted act is doubted, not done
    doubted = [q.strip() for q in _SCARE.findall(message.norm)]
    found = [
        (rank, c) for rank, c in found if not any(f" {q} " in f" {c.vp} " for q in doubted if q)
    ]
    if not found:
        return _Complaint("plain")
    return min(found, key=lambda pair: pair[0])[1]


_SCARE = re.compile(r'" ([^"]{1,30}?) "')


# "40 mins late to mum's birthday arvo": the act said without its subject.
_LATE_TO = re.compile(
    r"^(?P<amount>(?:\d+|five|ten|twenty|thirty|forty|fifty|an?) (?:minutes|hours?)) late "
    r"(?P<to>to|for) (?P<what>[\w' ]{3,40}?)(?: and .*)?$"
)


_NEGATED = re.compile(r"\b(?:" + _alt(_DATA["flags"]["negated"]) + r")\b")


def _negates(message: _Message, clause: str) -> bool:
    """Whether the sentence that holds `clause` says "not once" or the like."""
    opening = " ".join(clause.split()[:2])
    for sentence in re.split(r"[.!?]", message.norm):
        if opening in sentence:
            return _NEGATED.search(sentence) is not None
    return True


_CONSEQUENCE = re.compile(
    r"^(?:and )?(?:this|that|which) (?:is|'s) (?:why|how)\b|^that's (?:why|how)\b"
)


def _readings(clause: str, flags: set[str]) -> Iterator[tuple[int, _Complaint]]:  # noqa: C901
    if m := _LATE_TO.match(clause):
        yield 1, _Complaint("did", "you", f"were {m['amount']} late {m['to']} {m['what']}")
    if m := _ASKED.search(clause):
        vp = _clean_vp(m["vp"])
        if _usable_act(vp):
            yield 0, _Complaint("repeated" if m["not"] else "missing", "you", vp)
    if m := _HOW_HARD.search(clause):
        vp = _clean_vp(m["vp"])
        if _usable_act(vp):
            yield 0, _Complaint("missing", "you", vp)
    if m := _ALONE.search(clause):
        vp = _one_who(_clean_vp(m["vp"]))
        yield 0, _alone(vp) if _usable_act(vp) else _Complaint("alone_plain")
    elif (m := _ALONE_WHO.search(clause)) and _usable_act(
        vp := _one_who("be the one who " + m["vp"])
    ):
        yield 0, _alone(_clean_vp(vp))
    elif (m := _ALONE_ING.search(clause)) and _usable_act(
        # "running up and down for the school fees": chasing them
        vp := _clean_vp(
            re.sub(
                r"^run(?:ning)? (?:up and down|around|round) (?:for|after|with) ",
                "chase ",
                f"{_ing_base(m['ing'])}{m['rest']}",
            )
        )
    ):
        yield 0, _alone(vp)
    elif _ALONE_PLAIN.search(clause):
        yield 1, _Complaint("alone_plain")
    if m := _TOPIC.search(clause):
        np = _clean_vp(m["np"])
        if 2 <= len(np.split()) <= 4:
            yield 3, _Complaint("topic", extra=np)
    late_with = re.search(r"\blate with (?P<what>(?:the|your|my|our) [a-z' ]{2,25})$", clause)
    if late_with is not None:
        # "you're late with the electric again": a payment, not an arrival
        yield 2, _Complaint("state", "you", f"late with {late_with['what']}")
    elif _LATE.search(clause) or (
        re.search(r"\blate\b", clause) and flags.intersection(("again", "habit"))
    ):
        yield 3, _Complaint("state", "you", "late")
    if (m := _ABOUT.search(clause)) or (m := _MORE_ABOUT.search(clause)):
        # "it's like your time is more important than…": the thing is "your time".
        raw = re.sub(
            r"^(?:it's |it is |it feels |feels )?(?:like|as if) ",
            "",
            m.groupdict().get("np5") or m["np4"] or m["np3"] or m["np"] or "",
        )
        np = _clean_vp(raw)
        np = re.sub(r"^(?:you|i feel) (?:care about |think )?", "", np) if m["np3"] else np
        np = re.sub(r" with (?:you|u)$", "", np)
        # "it's always about urself": texting spellings of "yourself" too.
        np = "what you want" if _SELF.fullmatch(np) else {"me": ""}.get(np, np)
        if np and len(np.split()) <= 4 and not np.startswith(("how", "what i")):
            yield 1, _Complaint("about", extra=np)
        return
    if m := _WHY_NEG.search(clause):
        subj = m["subj"] or m["subj2"] or "you"
        neg = m["aux"] or m["neg"] or ""
        vp = _clean_vp(m["vp"])
        if neg in ("didn't", "couldn't", "wouldn't") and _usable_act(vp):
            yield 1, _Complaint("missed", subj, vp)
        elif _usable_act(vp):
            yield 1, _Complaint("missing", subj, vp)
    elif m := _WHY_HABIT.search(clause):
        for _, complaint in _habit_readings(m["subj"], m["habit"] or "", _clean_vp(m["vp"])):
            yield 1, complaint
    if m := _WHY_ARE.search(clause):
        yield from _state_readings(m["subj"] + "'re", m["habit"] or "always", m["rest"])
    if m := _AND_NEVER.search(clause):
        vp = _base(_clean_vp(m["vp"]))
        obj = _OBJECT.search(clause)
        if obj is not None and re.search(r"\b(?:it|them)\b", vp):
            vp = re.sub(r"\b(?:it|them)\b", obj["obj"], vp, count=1)
        if _usable_act(vp):
            yield 1, _Complaint("missed", "you", vp)
    if m := _NEG.search(clause):
        vp = _clean_vp(m["vp"])
        neg = m["neg"]
        if neg == "never once" or (neg == "never" and _looks_past(vp.split(" ", 1)[0])):
            vp = _base(vp)
            neg = "didn't"
        if vp.startswith("have to "):
            vp = vp[8:]
        if _usable_act(vp):
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
        elif _usable_act(vp := _clean_vp(m["vp"])):
            yield 2, _Complaint("repeated", "you", vp)
    if m := _I_AND_YOU.match(clause):
        vp, cond = _clean_vp(m["vp"]), _clean_vp(m["cond"], swap=False)
        if vp and cond and _INSULTS.search(vp) is None and _CHARACTER.match(vp) is None:
            yield 2, _Complaint("repeated", "you", f"{vp} when {cond}")
    if m := _WHEN_I.match(clause):
        vp, cond = _clean_vp(m["vp"]), _clean_vp(m["cond"], swap=False)
        if vp and cond and _INSULTS.search(vp) is None and _CHARACTER.match(vp) is None:
            yield 2, _Complaint("repeated", "you", f"{vp} when {cond}")
    if m := _WHY_IS.match(clause):
        yield 3, _Complaint("situation", extra=f"{m['np']} is {_clean_vp(m['rest'], swap=False)}")
    if m := _WHY_THERE.match(clause):
        what = _clean_vp(m["what"], swap=False)
        if 2 <= len(what.split()) <= 10 and _INSULTS.search(what) is None:
            yield 3, _Complaint("situation", extra=f"there's {what}")
    if m := _SITUATION.match(clause):
        if m["what"]:
            situation = f"there's {_clean_vp(m['what'], swap=False)}"
        else:
            rest = _clean_vp(m["rest"] or "", swap=False)
            # "the car is always left empty": the fact, without the "always".
            rest = re.sub(r"\b(?:always|constantly|forever) ", "", rest)
            situation = f"{m['np']} {m['verb']} {rest}"
        words = situation.split()
        if 3 <= len(words) <= 12 and _INSULTS.search(situation) is None:
            yield 3, _Complaint("situation", extra=situation.strip())
    if m := _OTHERS.search(clause):
        vp = _clean_vp(m["vp"])
        if m["aux"] in ("would have", "would've"):
            vp = _base(vp)
        if _usable_act(vp):
            kind = {"would have": "missed", "would've": "missed", "don't": "repeated"}
            yield 2, _Complaint(kind.get(m["aux"], "missing"), "you", vp)
    if m := _PROMISE_HABIT.search(clause):
        vp = _clean_vp(m["vp"])
        if _usable_act(vp) or vp in ("come", "visit", "help", "come round", "come over"):
            yield 0, _Complaint("promise_habit", "you", vp)
    if m := _ONLY_WHEN.search(clause):
        yield 0, _Complaint("only_when", "you", m["verb"] or m["verb2"])
    promised = _PROMISED.search(clause)
    if promised is not None:
        vp = _clean_vp(promised["vp"])
        # "u said u'd sorted it back in march": "you'd" there is "you had", the act its base
        if _looks_past(vp.split(" ", 1)[0]):
            vp = _base(vp)
        # a promise is more specific than the habit around it; "you said you'd quit" is
        # one too, however short
        if _usable_act(vp) or vp in _PROMISED_VERBS:
            yield 1, _Complaint("missed", "you", vp)
    if (
        (m := _DID.search(clause))
        and not _UNREAL.search(clause[: m.start()] + " ")
        # "you said you'd quit": the promise is not the act complained of
        and promised is None
    ):
        vp = _clean_vp(m["vp"])
        verb = vp.split(" ", 1)[0]
        if m["have"]:
            verb = _PAST_OF_PARTICIPLE.get(verb, verb)
            vp = " ".join([verb, *vp.split()[1:]])
        single_past = " " not in vp and verb not in _PAST
        # "ye said it standin in the kitchen": where a promise was made is not the act
        said_it = re.match(r"(?:said|told me|told you) (?:it|that|so)\b", vp) is not None
        # "you were scrolling": one occasion, told as it went on.
        going_on = verb in ("were", "was") and re.match(r"\w+ \w+ing\b", vp) is not None
        if (
            # "you've let the payment bounce": a verb whose past is its base is past after
            # "have"
            (_looks_past(verb) or m["have"] and verb in _PAST.values())
            and (verb not in ("were", "was", "had", "did") or going_on)
            and not said_it
            and (_usable_act(vp) or single_past)
        ):
            # One occasion named ("at my cousin's engagement", "last night") says more
            # than the habit around it.
            lead = _LEADING_OCCASION.fullmatch(clause[: m.start()].strip())
            if lead is not None:
                vp = f"{vp} {lead['when']}"
            rank = (
                0
                if "again" in flags and "never" not in clause
                else 1
                if lead is not None or _OCCASION.search(vp)
                else 4
            )
            # "not once have you offered to help"; a "not once in 11 years" in another
            # clause does not turn "you spent Diwali at your friends'" into its opposite
            if "negated" in flags:  # "not once have you offered to help"
                yield rank, _Complaint("missed", m["subj"], _base(vp))
            else:
                yield rank, _Complaint("did", m["subj"], _and_then(vp, m["vp"]))
    if flags & {"habit", "again_here"} and (m := _PRESENT.search(clause)):
        vp = _clean_vp(m["vp"])
        first = vp.split(" ", 1)[0]
        if _usable_act(vp) and not _looks_past(first) and first not in _NOT_PRESENT:
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


_OCCASION = re.compile(
    r"\b(?:yesterday|last (?:night|week|weekend|time)|this (?:morning|afternoon|evening)|tonight|"
    r"today|earlier|on (?:mon|tues|wednes|thurs|fri|satur|sun)day|"
    r"at (?:my|our|your|the|his|her) [\w']+)\b"
)
_LEADING_OCCASION = re.compile(
    r"(?:(?:even|and|but|then|so) )*(?P<when>(?:at|during) (?:(?:my|our|your|the|his|her) )?[\w']+(?: [\w']+)?"
    r"|yesterday|last night|this morning|earlier|on (?:mon|tues|wednes|thurs|fri|satur|sun)day)"
)
_SECOND_ACT = re.compile(r"\band (?:then )?(?P<act>\w+\b.*)")


def _and_then(vp: str, said: str) -> str:
    """'borrowed my car' with the act joined to it when that second act is where the
    complaint lies: "you borrowed my car and brought it back on empty"."""
    m = _SECOND_ACT.search(said[len(vp) :] if said.startswith(vp) else "")
    if m is None:
        return vp
    second = _clean_vp(m["act"])
    verb = second.split(" ", 1)[0]
    if not (
        _looks_past(verb)
        and verb not in ("were", "was", "had", "did")
        # "brought it back on empty": here "it" is the first act's object.
        and _usable(" ".join(second.split()[:10]))
    ):
        return vp
    joined = f"{vp} and {second}"
    return joined if len(joined.split()) <= 18 and _INSULTS.search(joined) is None else vp


def _habit_readings(subj: str, habit: str, vp: str) -> Iterator[tuple[int, _Complaint]]:
    """'you always VP': something the other person does again and again."""
    # "why do you always have to check your emails": the checking, not the having to
    if vp.startswith("have to ") and not vp.startswith("have to be "):
        vp = vp[8:]
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
    if _usable_act(vp) and not (habit == "only" and _CHARACTER.match(vp)):
        yield 2, _Complaint("repeated", subj, vp)


def _state_readings(subj: str, habit: str, rest: str) -> Iterator[tuple[int, _Complaint]]:
    if rest.startswith("so ") and len(rest.split()) > 2 and _trait_group(rest) is None:
        rest = rest[3:]  # "so late picking me up": the situation, without the "so"
    rest = _clean_vp(rest)
    group = _trait_group(rest)
    if rest.startswith(("so ", "such ")) or (group is not None and rest in group["words"]):
        if group is not None:
            yield 5, _Complaint("trait", extra=str(_DATA["traits"].index(group)))
        return
    if not rest or len(rest.split()) > 10 or _INSULTS.search(rest) or rest in _EMPTY:
        return
    if rest.startswith(("the ", "a ", "an ", "one of ", "like a ", "such ")) and not re.match(
        r"the (?:one|first|last) (?:to|who)\b", rest
    ):
        # "you're the most unreliable person i know", "you're a nightmare": who the other is,
        # a verdict, never a situation to name
        return
    subject = "we" if subj.startswith("we") else "you"
    yield 2, _Complaint("state_missing" if habit == "never" else "state", subject, rest)


# Theme words that also mean something else ("put", "bed", "trip") count half.
_WEAK = frozenset(_DATA["weak_theme_words"])


# "200 quid on a new phone case": an amount spent makes it about money, whatever it bought.
_MONEY = re.compile(
    rf"[£$€₦₹₱₵]\s?\d|\b\d[\d,.]*k? ?(?:{UNITS}|grand)\b"
    # "K80,000", "Le 1,500", "KSh 2,000": a currency written before its amount
    r"|\b(?:k|le|ksh|kes|tsh|ugx|rs)\.? ?\d[\d,]{2,}"
)


_THEMES = {theme["name"]: theme for theme in _DATA["themes"] if "name" in theme}


# Someone else whose health it may be ("mum's in hospital", "drive mam to her
# appointments"); a name that only opens the message ("Mummy you stopped the BP drugs") is
# the one spoken to.
_SOMEONE_ELSE = re.compile(
    r"\b(?:mum|mums|mam|mams|ma|mummy|mommy|mom|moms|amma|appa|dad|dads|daddy|papa|nan|nana|"
    r"gran|granny|grandma|grandad|grandpa|her|him|his|she|he|my|"
    # the words for a parent or grandparent in the Englishes of the samples
    r"aama|ama|ammu|ammi|amma|nani|nana|dadi|dada|baba|abba|abbu|buwa|tatay|nanay|lola|lolo|gogo|"
    r"mamaw|papaw|mammy|granda|nonna|nonno|oma|opa|"
    # "Emma's orthodontist appt": someone named is someone else
    r"(?!(?:it|that|what|there|he|she|who|where|here|let|how)'s)[a-z]+'s|"
    # "the dog's tablets": an animal's health is not the other's either
    r"dog|dog's|dogs|cat|cat's|cats|pet|pet's|puppy|kitten|horse|rabbit)\b"
)
_OPENING_NAME = re.compile(r"^(?:[a-z]+ ){0,1}[a-z]+,? (?=you\b)")


def _anothers(message: _Message) -> bool:
    """Whether the message speaks of someone else, or of the speaker's own (health, study)."""
    return _SOMEONE_ELSE.search(_OPENING_NAME.sub("", message.plain)) is not None


def _theme(message: _Message) -> dict[str, list[str]]:
    best, best_hits = _DATA["default_theme"], 0.0
    padded = f" {message.plain} "
    money = _MONEY.search(message.text.lower()) is not None
    for theme in _DATA["themes"]:
        if theme.get("own_only") and _anothers(message):
            # "I want you to be well" is for the other's own health, not their mum's;
            # "I want to help you feel ready" for their exam, not the speaker's
            continue
        hits = sum(0.5 if w in _WEAK else 1.0 for w in theme["words"] if f" {w} " in padded)
        # Worry about where someone is ("text me when you land") outweighs the lateness
        # or the texting it comes with: a let-down feeling would not be the speaker's.
        hits *= theme.get("weight", 1)
        if money and "money" in theme["words"]:
            hits += 1.0
        if hits > best_hits:
            best, best_hits = theme, hits
    # Only weak words ("home", "car"): the general feelings fit better than a guess.
    return best if best_hits >= 1.0 else _DATA["default_theme"]


_ONE_OCCASION = re.compile(
    r" (?:back in (?:january|february|march|april|may|june|july|august|september|october|"
    r"november|december|the summer|the spring)|last month|"
    r"this morning|this afternoon|this evening|last night|last week|yesterday|earlier|"
    r"today|tonight|this term|this week|this year|(?:on |last |this )?(?:mon|tues|wednes|thurs|fri|"
    r"satur|sun)day)\b"
)
_TAIL_SUBJECT_PAST = re.compile(r"\b(when|after|before) (i|you|we|they) (\w+)\b")


# Occasions that come once: "next time" does not fit them.
_ONE_OFF = re.compile(r"\b(?:\d+(?:st|nd|rd|th)|" + _alt(_DATA["one_off_occasions"]) + r")\b")


def _next_time(vp: str) -> str:
    """What was missed once, asked for next time: 'say goodbye when you left this
    morning' -> 'say goodbye when you leave'."""
    vp = _ONE_OCCASION.sub("", vp)

    def present(m: re.Match[str]) -> str:
        verb = m[3]
        base = _BASE_OF_PAST.get(verb)
        if base is None and _looks_past(verb):
            base = _base(verb)
        if base in (None, "be"):
            return m[0]
        return f"{m[1]} {m[2]} {base}"

    return _TAIL_SUBJECT_PAST.sub(present, vp)


_EVERY = re.compile(r"\bevery (weekend|day|night|week|morning|evening|summer|holiday)\b")


_HABITUAL = re.compile(r"\b(?:always|never|constantly|every (?:single )?\w+)\b")


# Readings of one act: a fact said beside them leads their lines. Beside the others (a
# habit, a trait, no reading) the fact carries the point alone.
_ONE_ACT = frozenset({"did", "missed", "situation", "promise_habit"})


def _criticism(message: _Message, filler: _Filler) -> Iterator[str]:
    data = _DATA["criticism"]
    complaint = _complaint(message)
    theme = _theme(message)
    subj = complaint.subj
    found = facts(message.text, yours=True)
    fact = found[0] if found else None
    told = situation(message.text)
    # The whole sentence the fact came from, or the one sentence that tells what
    # happened where no clause of it could be read alone.
    if told is not None and (
        fact is None or covers(told.text, fact) and len(told.text.split()) > len(fact.text.split())
    ):
        fact = told
    if fact is not None and covers(f"{complaint.vp} {complaint.extra}", fact):
        fact = None
    if fact is not None:
        if fact.text.startswith("i've asked you "):
            # asked again and again: the need is to be heard, whatever the chore
            theme = _THEMES.get("listening", theme)
        lines = _fact_lines(filler, theme, fact)
        # A fact that says all the reading says and more ("the heating has been on 26 all
        # week and the bill gets split four ways") takes its place.
        said = f"{complaint.vp} {complaint.extra}".strip()
        if complaint.kind not in _ONE_ACT or (said and covers(fact.text, Fact(said, mine=False))):
            yield from lines
            yield ENOUGH
        else:
            yield from itertools.islice(lines, 1)

    stative = complaint.vp.split(" ", 1)[0] in _STATIVE
    # "this weekend" does not fit something that happens every morning.
    habitual = (
        bool({"habit", "again"} & message.flags) or _HABITUAL.search(message.norm) is not None
    )
    whens = data["when_habit"] if habitual else data["when"]
    if complaint.vp.endswith("without a reminder"):
        whens = [when for when in whens if "often" not in when] or whens

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
            "when": "" if stative else filler.spread("when", whens, index),
            "talk_when": filler.spread("when", data["when"][:3], index),
            # "pay the water bill without a reminder" is already a way of doing it
            "often": (
                "" if stative or complaint.vp.endswith("without a reminder") else " more often"
            ),
            "reason": filler.spread("reason", data["reason"], index),
            "again": " again" if "again" in message.flags else "",
        }
        if complaint.vp:
            # One occasion of "every weekend" is "the whole weekend".
            out["past"] = _EVERY.sub(
                r"the whole \1",
                _past_tail(complaint.vp if complaint.kind == "did" else _past(complaint.vp)),
            )
            out["participle"] = _participle(complaint.vp)
            if _ONE_OFF.search(complaint.vp) is None:
                # "come to my graduation" has no next time; the line is left out
                out["vp_next"] = _next_time(complaint.vp)
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
        if complaint.kind == "only_when":
            out["talk"] = "visit" if complaint.vp.startswith(("visit", "come")) else "talk"
        return out

    kind = complaint.kind
    frames = list(data[kind])
    if kind == "missing" and subj == "we":
        frames[1] = data["missing_we"]
    if kind == "missing" and "anymore" in message.flags:
        frames[0] = data["missing_anymore"][0]
    lines = _frames(filler, frames, slots)
    if kind not in ("plain", "trait", "alone_plain", "only_when", "promise_habit"):
        lines = itertools.chain(lines, _frames(filler, data["plain"], slots))
    for index, line in enumerate(lines, start=1 if fact is not None else 0):
        yield _led_by(fact, line, index)


def _fact_lines(filler: _Filler, theme: dict[str, list[str]], fact: Fact) -> Iterator[str]:
    """Lines that keep what happened ("the bins were full for 3 days") with a feeling and
    a need."""
    data = _DATA["criticism"]

    def slots(index: int) -> dict[str, str]:
        need = filler.spread("need", theme["needs"], index)
        return {
            "fact": _capitalise(fact.text),
            "fact_lower": fact.text,
            "feeling": filler.spread("feeling", theme["feelings"], index),
            "need": need,
            "need_lower": need[:1].lower() + need[1:],
            "talk_when": filler.spread("when", data["when"][:3], index),
        }

    lines = _frames(filler, data["fact"], slots)
    if " and " not in fact.text:
        return lines
    # "…and you still haven't emptied it, and I'm feeling…": one "and" too many.
    said = _capitalise(fact.text)
    return (
        line.replace(f"{said}, and I", f"{said}. I").replace(
            f"{fact.text}, and I", f"{fact.text}. I"
        )
        for line in lines
    )


def _criticism_spares(message: _Message, filler: _Filler) -> Iterator[str]:
    theme = _DATA["default_theme"]
    yield from _frames(
        filler,
        _DATA["criticism"]["plain"],
        lambda i: {
            "feeling": filler.spread("feeling", theme["feelings"], i),
            "need": filler.spread("need", theme["needs"], i),
            "when": filler.spread("when", _DATA["criticism"]["when"], i),
            "talk_when": filler.spread("when", _DATA["criticism"]["when"][:3], i),
            "reason": filler.spread("reason", _DATA["criticism"]["reason"], i),
        },
    )
