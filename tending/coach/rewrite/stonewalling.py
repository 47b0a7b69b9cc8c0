"""Stonewalling becomes a break with a time to come back, keeping the speaker's own plan,
what they are busy with ("i'm watching the match") and the topic they refuse ("uni")."""

from __future__ import annotations

import re
from collections.abc import Iterator

from tending.coach.rewrite.words import (
    _DATA,
    _INSULTS,
    ENOUGH,
    PARENT_WORDS,
    _alt,
    _Filler,
    _frames,
    _gerund,
    _Message,
)

_STOP = r"(?=$| (?:again|tonight|today|now|right now|rn|anymore|any more|no more|with you|or|and|so|but|ok|tbh|lol|any|ever|at all|please)\b)"
# "i'm watching the match": what the speaker is doing now is the reason, not a state.
_BUSY = re.compile(
    r"\bi'm (?P<doing>(?:watching|playing|cooking|driving|working|studying|eating|on a call|"
    r"in a meeting|at work|in the middle of|on the phone|at the gym|revising|busy)"
    r"(?: (?!(?:and|so|but|rn|now|right)\b)[a-z0-9']+){0,3}?)" + _STOP
)
# "i don't want to talk about uni": the refused topic, kept by name.
_TOPIC = re.compile(
    r"\b(?:talk|talking|discuss|discussing|discussion|go into|going into|get into|getting into|going over|"
    r"fight|fighting|fuss|fussing|row|rowing|"
    r"(?:doing|having) this (?:over|about)(?= (?!text\b|the phone\b|phone\b|whatsapp\b|chat\b|email\b))|"
    r"(?:more |else )?to say|questions|asking|arguing|argue|whatever(?= about)|mentioned)"
    r"(?: about| of)? (?P<topic>(?:(?:my|your|our|his|her|their|the) )?[a-z0-9']+(?: [a-z0-9']+){0,3}?)"
    + _STOP
)
# "I won't say another word about the wedding", "nothing further on the MBA matter"
_SAY_TOPIC = re.compile(
    r"\b(?:say|saying|said) (?:another word|a word|anything|any more|more|a thing)"
    r"(?: (?:else|further|more))? (?:about|on|re) (?P<topic>(?:my|your|our|his|her|their|the) "
    r"[a-z0-9']+(?: [a-z0-9']+){0,3}?)" + _STOP
)
# "this Lagos trip argument", "the whole thanksgiving at your parents argument"
_ARGUMENT = re.compile(
    r"\b(?:the|this|that)(?: whole)? (?P<what>(?!(?:same|whole|stupid|pointless|silly|old|"
    r"usual|endless|other|last|first|next)\b)[a-z0-9']+(?: [a-z0-9']+){0,4}?) "
    r"(?:argument|arguments|fight|row|debate|discussion|conversation|convo|matter|issue|saga)\b"
)
_NOT_A_TOPIC = re.compile(
    r"^(?:when|where|what|who|how|why|if|whether|about|already|over|again|anymore|ever|right|it's|that's|it|this|that|them|anything|this stuff|that stuff|you|with|to|now|more|any|later|tomorrow|rn|things|stuff|on|in|at|for)\b"
)


# "leave me out of the whole wedding thing": an opt-out the speaker decided, kept.
_OUT = re.compile(
    r"\b(?:leave me out of|count me out of|keep me out of|i'm (?:staying )?out of|i'm staying out of|"
    r"not getting involved in|i'm not getting involved in) (?P<what>[a-z0-9' ]+?)" + _STOP
)
# "sort it out with the landlord urself": the speaker hands it over, kept.
_HAND_OVER = re.compile(
    r"\b(?:sort (?:it|this|that)(?: out)?|deal with (?:it|this|that)|talk to|speak to|ring|call) "
    r"(?:with )?(?P<what>(?:the|your|ur) [a-z0-9']+(?: [a-z0-9']+)?) (?:yourself|urself|yourselves|"
    r"your ?self|on your own)\b"
    r"|\b(?:deal|sort it out|sort it) with (?P<what2>(?:the|your|ur) [a-z0-9']+(?: [a-z0-9']+)?) "
    r"(?:yourself|urself|on your own)\b"
)
_WHOLE = re.compile(r"^(?:the whole|this whole|that whole|all the|all this|all that) ")


def _named(what: str, longest: int = 4) -> str | None:
    """'the whole wedding thing' -> 'the wedding'; None for 'it', 'this'."""
    what = _WHOLE.sub("the ", what.strip())
    # "the wedding thing" is the wedding; "the business" is the business
    bare = re.sub(r" (?:thing|things|stuff|business|drama|mess)$", "", what)
    if len(bare.split()) > 1:
        what = bare
    what = re.sub(r"^ur ", "your ", what)
    # "christmas at your mums": the mum's home
    what = re.sub(
        r"\b((?:at|to) (?:your|my|our|his|her) )(mum|mam|mom|dad|nan|gran|nana|sister|brother|"
        r"auntie|aunty|uncle|cousin)s\b",
        r"\1\2's",
        what,
    )
    what = re.sub(r"\b((?:at|to) (?:your|my|our|his|her) )parents\b(?!')", r"\1parents'", what)
    named = (
        re.match(r"(?:the|my|your|our|his|her|their) [a-z0-9]", what)
        or what.startswith(_HOLIDAYS)
        # "mam's house", "Tino's fees": someone's thing
        or re.match(r"[a-z]+'s [a-z]", what)
    )
    if not named or len(what.split()) > longest:
        return None
    return what


# Holidays named without "the" ("christmas at your mum's").
_HOLIDAYS = ("christmas", "easter", "diwali", "eid", "thanksgiving", "new year", "hanukkah", "xmas")
# "sort the christmas rota out yourselves": a thing handed over, not a person to deal with.
_HAND_OVER_THING = re.compile(
    r"\b(?:sort|do|organise|organize|plan|book|fix|handle) (?P<what>(?:the|your|ur) [a-z0-9' ]{2,30}?)"
    r" (?:out )?(?:yourself|urself|yourselves|between you|on your own|without me)\b"
    # "do what you want with the car": left to the other
    r"|\b(?:do|decide) (?:what(?:ever)?|as) (?:you|u) (?:want|wants|like|likes) (?:with|about|for) "
    r"(?P<what2>(?:(?:the|your|ur) [a-z0-9']+|[a-z]+'s [a-z]+|" + _alt(_HOLIDAYS) + r")"
    r"(?: (?:at|with|for) (?:your|ur|my|our) [a-z']+| (?:in|at|on) [a-z']+| [a-z0-9']+)?)"
    # "fine. you host thanksgiving.": handed over as an order
    r"|^(?:fine |ok |okay |then )?(?:you|u) (?:host|do|sort|handle|organise|organize|plan|book|cook|"
    r"pay for|take) (?P<what3>(?:(?:the|your|ur) [a-z0-9']+(?: (?!then\b|yourself\b|urself\b)[a-z0-9']+)?|"
    + _alt(_HOLIDAYS)
    + r"))(?: then| yourself| urself)?$"
)


# "Mum I'm not discussing my weight with you": a boundary about the speaker's own life, kept
# as one; no time to come back is offered for it. (A refusal "right now" or "over text" is
# a pause, read below.)
_BOUNDARY = re.compile(
    r"\b(?:i'm |im |i am |i'll |i will )?(?:not|never|won't|will not|don't want to|do not want to) "
    r"(?:be )?(?:discuss|discussing|talk about|talking about|get into|getting into|go into|"
    r"going into) (?P<what>my [a-z']+(?: (?!with\b|again\b|now\b)[a-z']+){0,2}?)"
    r"(?= with you\b| again\b|$)"
)
_FOR_NOW = re.compile(
    r"\b(?:now|right now|rn|tonight|today|atm|at the moment|yet|over text|by text|on here|"
    r"over the phone|on the phone|here)\b"
)
# "I won't be babysitting, end of discussion": a decision of the speaker's, kept in every line.
_WONT = re.compile(
    r"\b(?:i (?:won't|will not)|i(?:'m| am|m) not) (?:be )?(?P<what>(?!(?:talking|discussing|doing|having|getting|going|arguing|fighting|listening|saying|speaking|commenting|debating|"
    r"answering|replying|engaging|explaining|repeating|responding|texting|messaging)\b)"
    r"[a-z]+ing(?: (?!again\b|anymore\b|end\b|and\b|so\b)[a-z']+){0,5}?)(?=$| end\b| again\b)"
)


# "please do not message me about the rishta again": a boundary, not a pause
# Ways of getting in touch about something: "message me about", "stop asking about".
_ASKING = (
    r"(?:message|messaging|text|texting|call|calling|ring|ringing|ask|asking|bother|bothering|"
    r"email|emailing)"
)
_DONT_ASK = re.compile(
    r"\b(?:don't|do not|dont|stop|quit|no more) " + _ASKING + r" (?:me )?(?:about|re) "
    r"(?P<what>(?:my|your|our|his|her|their|the) [a-z0-9']+(?: [a-z0-9']+){0,2}?)" + _STOP
)


# "music's off", "no PS5", "i'll tell the guys not to come up": what the speaker has
# decided, said as its own short sentence, kept in every line
_SAID = re.compile(
    r"^(?:(?:ok|okay|fine|right|so|well|then|nah|k) )?(?:(?:the|my|your) )?(?P<thing>(?!it\b|that\b|this\b|phone\b|mobile\b|cell\b)[a-z0-9]+)'s "
    r"(?P<state>off|cancelled|canceled|over|staying off|going back)$"
    r"|^(?:(?:ok|okay|fine|right|so|well|then|nah|k) )?no (?P<no>(?!way\b|more\b|thanks\b|thank\b|idea\b|need\b|problem\b|worries\b|one\b|"
    r"chance\b|point\b|comment\b|offence\b|offense\b|stress\b|wahala\b|matter\b|sir\b|ma'am\b|"
    r"[a-z]+(?:ed|ing|ly)\b)[a-z0-9]+(?: [a-z0-9]+)?)$"
    r"|^i'll (?P<act>(?:tell|let|cancel|ring|call|text|message|return|sell|book|send) "
    r"(?!you\b|u\b)[a-z0-9' ]{3,60})$"
)


def _said(clause: str) -> str | None:
    """The speaker's own decision in a clause, said as a sentence, or None."""
    m = _SAID.match(clause)
    if m is None:
        return None
    if m["thing"]:
        return f"the {m['thing']}'s {m['state']}"
    if m["no"]:
        return f"it's a no on the {m['no']} for now"
    return f"i'll {m['act']}"


def _decision(message: _Message) -> tuple[str, str] | None:
    for clause in message.clauses:
        if (m := _DONT_ASK.search(clause)) is not None:
            what = _DANGLING.sub("", m["what"])
            return ("boundary" if what.startswith("my ") else "boundary_other"), what
        if (m := _BOUNDARY.search(clause)) is not None and not _FOR_NOW.search(message.norm):
            return "boundary", m["what"]
        if (m := _WONT.search(clause)) is not None:
            return "wont", m["what"]
        if (said := _said(clause)) is not None:
            return "said", said
        if (m := _HAND_OVER_THING.search(clause)) is not None and (
            what := _named(m["what"] or m["what2"] or m["what3"])
        ):
            return "hand_over_thing", what
        if (m := _OUT.search(clause)) is not None and (what := _named(m["what"])):
            return "out", what
        if (m := _HAND_OVER.search(clause)) is not None and (
            what := _named(m["what"] or m["what2"])
        ):
            return "hand_over", what
    return None


_PLACE = re.compile(
    # "k. heading up to the cottage", "i'm going by my mama's"
    r"(?:\b(?:i'm|im|i am) |^|(?<=[.!?,] ))(?:going|off|heading|headed|goin)"
    r"(?: up| down| over| back| round| out)? (?:to|by|round to|over to|back to) "
    r"(?P<place>(?:my|the|our) [a-z]+(?:'s)?(?: (?!for\b|now\b|tonight\b)[a-z]+(?:'s)?)?)"
)


# "not talking about our sex life over text": the medium is no part of the topic.
_MEDIUM = re.compile(r" (?:over|by|on|via) (?:text|txt|whatsapp|messenger|chat|here|the phone)$")


_ABOUT_TAIL = re.compile(
    r" (?:matter|issue|argument|discussion|conversation|debate|saga|business)$"
)


def _without_tail(topic: str) -> str:
    """'the money discussion' -> 'the money'; 'the business' stays the business."""
    bare = _ABOUT_TAIL.sub("", topic)
    return bare if len(bare.split()) > 1 else topic


# "please do not message me about the rishta again": the topic of messages refused
_ASKED_ABOUT = re.compile(
    r"\b" + _ASKING + r" (?:me|us) (?:about|re) (?P<topic>(?:my|your|our|his|her|their|the) "
    r"[a-z0-9']+(?: [a-z0-9']+){0,3}?)" + _STOP
)
# "christmas with any of you": a topic cut before its object keeps no dangling word; a
# particle after a gerund is part of it ("your sister moving in")
_DANGLING = re.compile(r" (?:with|to|for|of|about|at|from|by)$|(?<!ing) (?:on|in)$")


# "nothing to say to you bout Friday", "back n forth wit you about this birthday dinner",
# "heard you about the stag", "i can't with the thanksgiving thing": in a shutdown, what a
# clause ends on "about" is what is shut
_ABOUT_END = re.compile(
    r"\babout (?P<topic>(?:(?:my|your|our|his|her|their|the|this|that) )?"
    r"[a-z0-9']+(?: [a-z0-9']+){0,3}?)(?=$| then\b" + _STOP[4:]
)
# what the one spoken to is called at the end of a shutdown ("not talking about this Mummy")
_CALLED = PARENT_WORDS | frozenset(
    {"babe", "baby", "love", "hun", "bro", "sis", "man", "mate", "bruv", "fam", "dear", "darling"}
)
_CANT_WITH = re.compile(
    r"\bcan't (?:deal |cope |do this )?with (?P<topic>(?:the|this|that|your|my) "
    r"(?!(?:rn|now|tonight|today|again|anymore)\b)[a-z0-9' ]{2,30}?)" + _STOP
)


def _ended_on(clause: str, message_names: frozenset[str] = frozenset()) -> str | None:
    """The last thing a clause says it is about ("…wit you about this birthday dinner")."""
    found = [m["topic"] for m in _ABOUT_END.finditer(clause)] + [
        m["topic"] for m in _CANT_WITH.finditer(clause)
    ]
    for topic in reversed(found):
        topic = re.sub(r"^(?:this|that) ", "the ", _DANGLING.sub("", topic))
        if _NOT_A_TOPIC.match(topic) or topic in ("the", "you", "me", "us"):
            continue
        if topic.split()[-1] in _CALLED or topic.split()[-1] in message_names:
            # "not talking about this Mummy": the one spoken to, not a topic
            continue
        named = _named(topic) if " " in topic else topic
        if named is None:
            continue
        # "the thanksgiving thing": a holiday takes no "the"
        return re.sub(r"^the (?=(?:" + "|".join(_HOLIDAYS) + r")\b)", "", named)
    return None


def _topic(message: _Message) -> str | None:
    for clause in message.clauses:
        m = _TOPIC.search(clause) or _SAY_TOPIC.search(clause) or _ASKED_ABOUT.search(clause)
        if m is not None and _NOT_A_TOPIC.match(m["topic"]) is None:
            topic = _DANGLING.sub("", _without_tail(_MEDIUM.sub("", m["topic"])))
            # "bout da wedding money", "bout di boat": the creole and pidgin article
            topic = re.sub(r"^(?:da|di|de) (?=[a-z])", "the ", topic)
            if _NOT_A_TOPIC.match(topic) is None and topic not in ("this", "that", "it"):
                return topic
        m = _ARGUMENT.search(clause)
        if (
            m is not None
            and _NOT_A_TOPIC.match(m["what"]) is None
            # "not in the mood for this convo": a mood, not a topic
            and not {"this", "that", "for", "mood", "a", "an"} & set(m["what"].split())
        ):
            what = m["what"]
            # "the thanksgiving at your parents argument": a holiday takes no "the"
            return _named(what if what.startswith(_HOLIDAYS) else f"the {what}", longest=5)
    for clause in message.clauses:
        if (topic := _ended_on(clause, frozenset(message.names))) is not None:
            return topic
    return None


# "do whatever you want", "you book what you want", "as you wish", "up to you all": the
# decision is left to the other, and that is kept; the time given is to catch up, not to
# reopen it.
_LEAVE_TO_YOU = re.compile(
    r"\b(?:(?:you |u )?(?P<verb>do|book|pick|choose|buy|order|plan|decide|get)"
    r"(?: what| whatever| as) (?:you|u)(?: people| guys| all| lot| two)? (?:want|wants|like|likes|wish|please|"
    r"think best)|as (?:you|u) (?:wish|say|like)|(?:it's |its )?up to (?:you|u)|"
    r"(?:it's |its )?your (?:call|choice|decision)|have it your way|suit yourself|"
    r"(?:just )?do whatever(?= *[.!,]| *$)|(?:^|(?<=[.!?,] ))whatever (?:you|u) (?:want|like)|"
    r"bahala (?:ka|kayo)|ikaw (?:na )?bahala)\b"
)
_CHOICES = {verb: f"what you {verb}" for verb in ("book", "pick", "choose", "buy", "order", "plan")}
# "sell the plot if u want", "go to ur mothers then": the decision left to the other names
# what it is about
_GO_THEN = re.compile(
    r"(?:^|(?<=[.!?,] ))go to (?P<where>(?:your|ur|yer) [a-z]+) then(?= *[.!?,]|$)"
)
# "sell the piano then", "you want go your ex wedding then go": a decision handed over
_DO_IT_THEN = re.compile(
    r"(?:^|(?<=[.!?,] ))(?:you want (?:to )?)?(?P<act>(?:sell|buy|book|take|keep|move|get|give|rent|"
    r"quit|cancel|invite|bring|send|spend|paint|change|tell|ask|drop|leave|go to|go) "
    r"(?!(?:it|that|this|them|him|her)\b)[a-z0-9' ]{2,30}?) then(?: go| do it)?(?= *[.!?,]|$)"
)
# "invite who you want to the braai", "book the holiday wherever ye want", "spend the wedding
# money how u want", "do the naming ceremony anyhow you like", "u choose the kindy", "u decide
# the CNY schedule urself": a decision left to the other, with what it is about
_AS_YOU_LIKE = re.compile(
    r"(?:^|(?<=[.!?,] ))(?:just |then )?(?P<verb>invite|book|spend|do|take|plan|sort|pick|choose|"
    r"buy|sell|go|move|name|decide|organise|organize|arrange|host)"
    r"(?P<obj>(?: [a-z0-9']+){0,5}?) (?:how|however|wherever|where|whoever|who|whatever|what|"
    r"anyhow|any how|anyway|when|whenever) (?:you|u|ye|yuh) (?:want|wants|like|likes|wish|waan|"
    r"please)(?P<tail>(?: (?:to|for|at|with|on) [a-z0-9' ]{2,25}?)?)(?= *[.!?,]|$| then\b)"
    r"|(?:^|(?<=[.!?,] ))(?:(?:ok|okay|fine|then|so|whatever) )?(?:you|u|ye|yuh) "
    r"(?:choose|decide|pick|sort|plan|book) "
    r"(?P<obj2>(?:the|your|ur|my|our) [a-z0-9' ]{2,30}?)(?: (?:yourself|urself|yerself|then))?"
    r"(?= *[.!?,]|$)"
)
_IF_YOU_WANT = re.compile(
    r"(?:^|(?<=[.!?,] ))(?P<act>(?:sell|buy|book|take|keep|move|get|give|rent|quit|cancel|"
    r"invite|bring|send|spend|paint|change|tell|ask|drop|leave|go) [a-z0-9' ]{2,30}?) if (?:you|u) "
    r"(?:want|like|wish)(?: to)?(?= *[.!?,]|$)"
)


def _left_to_you(message: _Message, topic: str | None) -> str | None:
    """What the speaker will go with ("whatever you book"), when they leave it to the other."""
    liked = _AS_YOU_LIKE.search(message.plain)
    if liked is not None:
        if liked["obj2"]:
            what = liked["obj2"]
        else:
            obj = liked["obj"].strip()
            tail = liked["tail"].strip()
            if liked["verb"] == "invite" and not obj:
                # "invite who you want to the braai": who to invite
                what = f"who to invite {tail}".strip()
            elif liked["verb"] == "do" and obj:
                # "do the naming ceremony anyhow you like": the ceremony itself
                what = f"{obj} {tail}".strip()
            else:
                what = _gerund(f"{liked['verb']} {obj} {tail}".strip()) if obj or tail else ""
        what = re.sub(r"^(?:ur|yer) ", "your ", what)
        if what and _INSULTS.search(what) is None and len(what.split()) <= 8:
            return f"what you decide about {what}"
    wanted = _IF_YOU_WANT.search(message.norm)
    if wanted is not None and _INSULTS.search(wanted["act"]) is None:
        return f"what you decide about {_gerund(wanted['act'])}"
    then = _DO_IT_THEN.search(message.plain)
    if (
        then is not None
        and _INSULTS.search(then["act"]) is None
        and _GO_THEN.search(message.norm) is None
    ):
        act = re.sub(r"^go (?=(?:your|the|my)\b)", "go to ", then["act"])
        return f"what you decide about {_gerund(act)}"
    if (going := _GO_THEN.search(message.norm)) is not None:
        where = re.sub(r"^(?:ur|yer) ", "your ", going["where"])
        # "your mothers" is where your mother lives: "your mother's"
        where = re.sub(r"(mother|mum|mam|mom|dad|sister|brother|nan|gran)s$", r"\1's", where)
        return f"what you decide about going to {where}"
    m = _LEAVE_TO_YOU.search(message.norm)
    if m is None:
        return None
    if topic is not None:
        return f"what you decide about {topic}"
    return _CHOICES.get(m["verb"] or "", "what you decide")


# Resignation ("whatever", "as you wish", "it is what it is") is tiredness, not heat: a
# state like "I'm getting too heated" would not be the speaker's.
_RESIGNED = re.compile(
    r"\b(?:whatever|as (?:you|u) (?:wish|say|like)|it(?:'s| is) what it(?:'s| is)|(?:don't|dont|do not|not) care|"
    r"(?:do|book|pick) what(?:ever)? (?:you|u)|up to (?:you|u)|your call|you win|have it your way|"
    r"(?:no|don't have(?: the)?|dont have(?: the)?) (?:strength|energy)|can't be bothered|"
    r"cant be bothered|nothing more to say|no point|suit yourself|bahala (?:ka|kayo))\b"
)


def _busy(message: _Message) -> str | None:
    # "cant talk. busy.": the reason, said without its "I'm".
    if re.search(r"(?:^|[.,!?] )busy(?: rn| now| atm| right now)?(?: [.,!?]|$)", message.norm):
        return "busy"
    for clause in message.clauses:
        m = _BUSY.search(clause)
        if m is not None and not m["doing"].endswith(("the", "a", "my", "your", "of")):
            return m["doing"]
    return None


# Plans that say where the speaker will be, whose time to come back holds even when the
# topic is one they are tired of.
_WHERE_THEY_GO = frozenset({"tomorrow", "room", "stay", "night"})
_REPEATED_TOPIC = re.compile(
    r"\b(?:again|every time|over and over|how many times|been over|been through this|"
    r"stop asking|keep asking|any night)\b"
)


def _stonewalling(message: _Message, filler: _Filler) -> Iterator[str]:
    data = _DATA["stonewalling"]
    plan = None
    # "tonight or any night" refuses for good; it names no bedtime.
    norm = re.sub(r"\b(?:or )?any (?:night|day|time)\b", "", message.norm)
    for name, words in data["plans"].items():
        # Plan cues are small regexes: "not going" counts only at the end.
        if re.search(r"\b(?:" + "|".join(words) + r")\b", norm):
            plan = name
            break
    again = re.search(r"\b" + _alt(data["again_cues"]) + r"\b", message.norm) is not None
    # "not having the uni conversation again. going out": not tonight, so a time this week;
    # "done talkin. gone out.": when they are back
    repeated = _REPEATED_TOPIC.search(message.norm) is not None
    if plan and (not again or plan in _WHERE_THEY_GO or (plan == "out" and not repeated)):
        # "not doing this again tonight": tomorrow, not "at the weekend"; "done talking.
        # gone out.": when they are back
        backs = data[f"back_{plan}"]
    elif again:
        backs = data["back_again"]
    else:
        backs = data["back"]

    states = data["resigned_state"] if _RESIGNED.search(message.norm) else data["state"]

    def slots(index: int) -> dict[str, str]:
        state = filler.spread("state", states, index)
        return {
            "state": state,
            "state_lower": state[:1].lower() + state[1:] if not state.startswith("I") else state,
            "break": filler.spread("break", data["break"], index),
            "back": filler.spread("back", backs, index),
        }

    doing = _busy(message)
    if doing is not None and plan is None:
        busy = data["busy"]

        def busy_slots(index: int) -> dict[str, str]:
            return {"doing": doing, "back": filler.spread("busy_back", busy["back"], index)}

        yield from _frames(filler, [[line] for line in busy["lines"]], busy_slots)
        yield ENOUGH
    # Where the speaker is going ("going for a drive", "i'm going by my mama's") is kept in
    # front of lines that speak of the topic or the decision.
    notes = data["plan_note"].get(plan or "", [])
    place = _PLACE.search(message.norm)
    if place is not None and plan in (None, "out", "phone"):
        notes = [note.format(place=place["place"]) for note in data["place_note"]]

    def noted(line: str, index: int) -> str:
        return f"{notes[index % len(notes)]} {line}" if notes else line

    def handed(index: int) -> dict[str, str]:
        # A decision left to the other is not reopened: the time given is to catch up.
        return {**slots(index), "back": filler.spread("hand_back", data["hand_over_back"], index)}

    topic = _topic(message)
    decided = _decision(message)
    if decided is not None:
        kind, what = decided
        fill = handed if kind.startswith("hand_over") else slots
        if kind == "said":

            def fill(index: int) -> dict[str, str]:
                back = filler.spread("said_back", data["said"]["back"], index)
                return {**slots(index), "back": back}

        for index, line in enumerate(
            _frames(
                filler,
                [[line] for line in data[kind]["lines"]],
                lambda index: {**fill(index), "what": what, "What": what[:1].upper() + what[1:]},
            )
        ):
            yield noted(line, index)
        yield ENOUGH
    choice = _left_to_you(message, topic)
    if choice is not None:
        # with where the speaker is going said first, the decision is said without a
        # second break ("I'm going out for a while. … step away for a bit" read twice)
        frames = data["leave_to_you"]["noted" if notes else "lines"]
        for index, line in enumerate(
            _frames(filler, frames, lambda i: {**handed(i), "choice": choice})
        ):
            yield noted(line, index)
        yield ENOUGH
    if topic is not None:
        # "not talking about your brother's loan again": said as enough for now, not as a
        # promise to take it up in twenty minutes.
        lines = data["topic"]["again_lines" if again else "lines"]
        for index, line in enumerate(
            _frames(filler, [[line] for line in lines], lambda i: {**slots(i), "topic": topic})
        ):
            yield noted(line, index)
        yield ENOUGH

    frames = data["frames"]
    if place is not None and plan in (None, "out", "phone"):
        # "I'm going to my mum's. Don't call.": where they are going is kept
        backs = data["back_out"]
        own = [f"{line} {{back}}" for line in data["own_plan"]["place"]]
        frames = [own, *frames[1:]]
        yield from _frames(filler, frames, lambda index: {**slots(index), "place": place["place"]})
        return
    if plan:
        own = [f"{line} {{back}}" for line in data["own_plan"][plan]]
        frames = [own, *frames[1:]]
    yield from _frames(filler, frames, slots)


def _stonewalling_spares(message: _Message, filler: _Filler) -> Iterator[str]:
    # Only reached when every line above was vetoed: a plain pause with a time.
    data = _DATA["stonewalling"]
    yield from _frames(
        filler,
        [data["frames"][1]],
        lambda index: {
            "break": filler.spread("break", data["break"], index),
            "back": filler.spread("back", data["back"], index),
        },
    )
