"""Defensiveness hears the other out and keeps the speaker's own account, never an
admission the speaker did not make."""

from __future__ import annotations

import re
from collections.abc import Iterator

from tending.coach.rewrite.facts import Fact, covers, facts, reasons
from tending.coach.rewrite.words import (
    _DATA,
    _EMPTY,
    _INSULTS,
    _NEG,
    _alt,
    _base,
    _capitalise,
    _clean_vp,
    _fill,
    _Filler,
    _frames,
    _looks_past,
    _Message,
    _participle,
    _past,
    _usable,
)

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
            r"^(?P<c>(?:(?:my|the|our|his|her|their) [\w'-]+(?: [\w'-]+){0,3}?|traffic|it|everyone else|"
            r"everybody else|he|she) (?:\w+ed|was|were|"
            r"had|didn't|wouldn't|couldn't|wasn't|weren't|kept|keep|made|took|broke|ran|got|went|left|been|"
            r"came|said|told|is|are|isn't|aren't|has|hasn't|found|knew|saw|heard|did|forgot|lost)\b.*)",
        ),
        # "i was stuck on the motorway": where the speaker was is the whole reason.
        (
            "own",
            r"^(?P<own>i was (?:stuck|held up|caught up|tied up|trapped|kept) (?:in|on|at|with|behind) "
            r"(?:a |an |the |my |work )?[\w' ]{2,30})$",
        ),
        (
            "only_late",
            r"\bi was (?:only|just|barely) (?P<what>(?:\d+|a few|a couple of|five|ten|two|"
            r"twenty) (?:minutes|mins|min) late|a (?:bit|little) late)\b",
        ),
        (
            "not_asked_to",
            r"\byou (?:never|didn't|did not) (?:ask|asked|tell|told) me to (?P<what>.+)",
        ),
        ("not_one", r"\bi'm not the one who (?P<vp>.+)"),
        (
            "not_yet",
            r"\bi (?:just |simply )?(?:haven't|have not) (?:done|finished|got round to|got to|"
            r"gotten to|had a chance to do) (?:it|that|them) yet\b",
        ),
        (
            "sorry_already",
            r"\bi (?:already )?(?:said|told you) (?:that )?i(?:'m| was| am) sorry\b",
        ),
        # "at least i turned up": what the speaker did, not a counter-charge
        (
            "did_it",
            r"\bat least i (?P<vp>(?:\w+ed|came|went|did|showed up|got|made|paid|rang)\b.*)",
        ),
        ("asked_me", r"\bi only did it because you (?:asked|told|wanted)"),
        (
            "will_do",
            r"\bi (?:already )?(?:said|told you) (?:i'd|i would|i will|i'll) (?P<what>.+)|^i'll (?P<what2>do it .+)",
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
            "said_instead",
            r"\bi (?:never|didn't|did not) sa(?:y|id) (?:that )?(?P<neg>[\w' ]+?),? "
            r"(?:i (?:only |just )?said|what i said was) (?:that )?(?P<pos>.+)",
        ),
        (
            # "I never said I'm not coming for the dana": what was not said, kept
            "never_said_that",
            r"\bi (?:never|didn't|did not) sa(?:y|id) (?:that )?(?P<what>(?:i|i'm|i'd|i'll|i was|i am|"
            r"i don't|i didn't|i won't|i can't|i wasn't|i would|i will|we|we'd|we were|you|you'd|you could|"
            r"you can|you were)\b[^.,!?;]+?)(?=\s*(?:[.,!?;]|$|\b(?:and|but|so|stop|don't)\b))",
        ),
        (
            "not_said",
            # "…and I never said a word" is keeping quiet, not a denial of saying something
            r"\b(?:i never said(?! (?:a word|anything|nothing|owt|nowt|a thing)\b)|"
            r"that's not what i (?:said|meant)|twisting my words|"
            r"i didn't say that|that's not what happened|i never meant that|not what i said|"
            r"misunderstand|misunderstood|took it the wrong way|heard me wrong|got it wrong|"
            r"remembering it wrong|we never said|didn't mean it|misheard|never say like that|"
            r"taking it (?:up )?wrong)\b",
        ),
        ("told_me_to", r"\byou (?:only |just )?(?:told|asked) me to (?P<what>.+)"),
        ("thought_said", r"\b(?:but )?you (?:said|told me) (?:that )?(?P<what>.+)"),
        # "you're the one who said we didn't need to book": what the other said, not a
        # hurt of the speaker's own.
        ("told_me_to", r"\byou're the one who (?:told|asked) me to (?P<what>.+)"),
        ("thought_said", r"\byou're the one who (?:said|told me) (?:that )?(?P<what>.+)"),
        (
            "wanted_asked",
            r"\byou (?:didn't|did not|never) ask(?:ed)? (?:me )?(?P<what>(?:what|how|if|whether) .+)",
        ),
        ("didnt_ask", r"\byou didn't ask\b"),
        ("not_always", r"\bi (?:don't|do not) always (?P<what>.+)"),
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
        ("not_wanted", r"\bnot like i (?:wanted|meant|chose|planned) to (?P<what>.+)"),
        ("not_fault", r"\bi can't help it if (?P<c2>.+)"),
        (
            "didnt_know",
            r"\b(?:nobody|no one|no1|noone) (?:told|said|mentioned|warned) (?:me|to me)"
            r"(?: that| about)? ?(?P<what>.*)",
        ),
        (
            "didnt_realise",
            # "you never said" or "if you'd said", never a plain "you said yes"
            r"\b(?:you (?:never|didn't|don't) |(?:if you'd|if you had) (?:(?:never|didn't|don't) )?)"
            r"(?:said|say|told me|tell me|"
            r"mention|mentioned)"
            r"(?: that| about)? ?(?P<what>.*)",
        ),
        (
            "didnt_know",
            r"\bhow (?:was|am|would|could|should) i (?:supposed |meant )?(?:to )?know "
            r"(?:that )?(?P<what>.+)",
        ),
        (
            "didnt_know",
            r"\bi (?:didn't|did not) know (?:that )?(?P<what>(?:you|your|the|my|it|he|she|they|we)\b.+)",
        ),
        (
            "didnt_know",
            r"\b(?:how (?:was|am|would|could) i (?:supposed |meant )?(?:to )?know|"
            r"how should i know|i didn't know|i'm not a mind reader|i'm not psychic|i had no idea|"
            r"can't read your mind|not a mind reader|supposed to (?:just )?know|a mind reader|"
            r"meant to know)\b",
        ),
        # what the speaker meant to do comes before a counter-charge beside it
        (
            "planned",
            r"\bi was (?:going to|about to|planning to|gonna) (?P<what>(?!(?:the|a|an|my|your|our|his|her|their|this|that|work|school|bed|church|town)\b).+)",
        ),
        ("planned_plain", r"\bi was (?:going to|about to|gonna)$"),
        ("counter_you", r"^(?:well|ok but|but|yeah but|and|yeah well) (?P<what>you \w+ .+)"),
        ("counter_you", r"\b(?P<too>you (?:\w+ ){0,2}?\w+) too(?P<rest>(?: \w+){0,3})$"),
        ("counter_you", r"\bwhat about (?:when |the time )?(?P<what>you .+)"),
        ("counter_you", r"\byou're the one who (?P<vp>.+)"),
        (
            "not_but",
            # the first half must deny: "i'm eating properly, i'm not a child" is no
            # "not X but Y", and read as one it turned the claim around
            r"\bi(?P<tense> wasn't| was not|'m not| am not|'m(?= not)| was(?= not)) (?:not )?"
            r"(?P<neg>[\w' ]{2,30}?),? i(?:'m| am| was) (?P<pos>(?!not\b).+)",
        ),
        ("not_there", r"\bi wasn't (?:even )?(?:here|there|home|around)\b"),
        (
            "had",
            r"\bi (?P<only>only |just )?(?:genuinely |really |actually )?had "
            r"(?P<what>(?!no\b|to\b|(?:a |the )?(?:chance|time|minute|sec|second)\b)[\w' ]+)",
        ),
        ("was_state", r"^i was (?P<what>there|here|home|around|on time|early|in bed|at home)\b"),
        ("wasnt", r"\bi (?:wasn't|was not) (?P<what>(?!the one\b|going\b)[\w' ]+)"),
        ("not_now", r"\bi(?:'m| am) not (?P<what>(?!the one\b|going\b|gonna\b)[\w' ]+)"),
        (
            "was_doing",
            r"^i was (?:only |just )?(?P<what>(?!going\b|gonna\b|trying to help\b)\w+ing\b.*)",
        ),
        ("on_way", r"\bi was (?:coming|on my way|nearly there|just leaving|about to leave)\b"),
        # "i did text back": a stated act outranks a protest about intent beside it
        (
            "did_it",
            r"\bi did (?P<vp>(?:text|call|tell|ask|remind|send|pay|book|message|email|ring|"
            r"clean|wash|do|buy|try)\b.*)",
        ),
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
            # "when i borrowed them" sets a time; it claims nothing
            r"(?<!when )(?<!after )(?<!before )(?<!since )(?<!while )(?<!if )"
            # a bare "i told you (already)" tells nothing: it reads as "told you so"
            r"(?!i (?:already )?told (?:you|u)(?: already| before| so| na| twice)*$)"
            r"\bi (?:already |literally |actually |definitely )?(?P<vp>(?:only |just )?(?:did|went|gave|left|put|brought|returned|checked|locked|borrowed|lent|used|moved|fixed|"
            r"tidied|emptied|hoovered|vacuumed|ironed|changed|texted|called|told|asked|reminded|sent|paid|booked|messaged|"
            r"emailed|rang|cleaned|washed|bought|fed|walked|picked|took|made|cooked|sat|got|arrived|spent|answered|"
            r"finished|woke|came|started) .+)",
        ),
        (
            "i_do",
            r"(?:^|\bbut )i (?P<what>(?:always |do )?(?:help|call|ring|clean|cook|pay|text|visit|send|"
            r"do plenty|do a lot|do my share|do loads)\b.*)",
        ),
        ("doing", r"\bi'm (?:only |just )?(?P<what>doing (?:my|what) .+)"),
        (
            "sorry_already",
            r"\b(?:i(?:'ve| have)? (?:already )?(?:said|say) (?:i'm )?sorry|"
            r"i(?:'ve| have)? (?:already )?apologi[sz]ed)\b",
        ),
        (
            "help",
            r"\bi was (?:only |just )?(?:trying to help|helping)|\bi (?:only )?wanted to help|"
            r"trying to (?:help|be helpful)",
        ),
        ("my_part", r"\bi (?:did|done|have done|'ve done) my (?:part|share|bit)\b"),
        (
            "work",
            r"\b(?:for having a job|i work (?:all day|so hard|\d+ hours|full time|long hours)|"
            r"i was (?:literally )?at work|i've been at work|i was working|lot on at work|"
            r"busy at work|busy with work|"
            r"i(?:'ve| have) been working)\b",
        ),
        (
            "busy",
            r"\bi(?P<tense> was| am|'m|'ve been| have been) (?P<state>busy|tired|exhausted|driving|asleep|"
            r"sleeping|in a meeting|on the phone|out|with (?:the |my |our |your |a )?\w+|stuck in traffic|at the gym|"
            r"at school|sick|ill|knackered|swamped|slammed|flat out|distracted|shattered|"
            r"run off my feet|wrecked|in the shower|in the bath|on the train|in meetings|"
            r"at the shops|on a call|on shift)\b",
        ),
        ("no_time", r"\bi (?:didn't|did not) have (?:the )?time\b"),
        (
            "joke",
            r"\b(?:i was (?:only |just )?(?:joking|slagging|messing|teasing|kidding|having a laugh|"
            r"winding you up)|it was (?:only |just )?(?:a joke|banter|a laugh)|i was kidding|jk)\b",
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
        # "i didn't hear the alarm": something missed, not a fault denied
        (
            "missed_it",
            r"\bi (?:didn't|did not|never) (?P<vp>(?:hear|see|notice|get|receive|read)\b.+)",
        ),
        (
            "deny",
            r"\bi (?:didn't|did not|never) (?P<vp>touch|break|take|do|eat|move|use|lose|say|"
            r"see|hear|open|leave|forget|ignore|ditch|lie|touched|broke|took|ate|moved|used|lost|said|"
            r"lied|scratch|scratched|dent|dented|crash|crashed|spill|spilt|spilled|drink|drank|"
            r"spend|spent|damage|damaged|ruin|ruined|drop|dropped|wreck|wrecked|delete|deleted|"
            r"tell|told|read|post|posted|"
            r"saw|heard|opened|left|forgot|ignored|ditched)\b(?P<rest>.*)",
        ),
        (
            "not_me_who",
            r"\b(?:it wasn't me|wasn't me|not me) (?:who|that) (?P<vp>\w+ed\b.*|(?:left|broke|took|ate|lost|said|told|made|did)\b.*)",
        ),
        ("not_me", r"\b(?:it wasn't me|wasn't me|not me)\b"),
        ("not_my_idea", r"\b(?:not|wasn't) my idea\b"),
        (
            "autonomy",
            r"\b(?:not allowed|allowed to|can't go out|my money too|run every|"
            r"(?:don't|do not) (?:need|have) to (?:explain|tell you)|i'm an adult|my own choices|my own life|"
            r"can't even have|am i not allowed|can't i (?:even )?have)\b",
        ),
        ("human", r"\b(?:i'm human|i make mistakes|nobody's perfect|no one's perfect)\b"),
        ("forgot_once", r"\bi (?:only|just) forgot (?:it )?(?:once|one time)\b"),
        (
            "counter",
            r"\b(?:you do the (?:exact )?same|you do it too|you did it too|you forgot too|"
            r"you started it|at least i|what about you|not like you're perfect|look who's talking|"
            r"you're no better|neither do you|you also|don't act like|you (?:\w+ )?(?:\w+ )?too|"
            r"either|you've done worse|you go out|when you forget|perfect like you|you've \w+ed loads|"
            r"not like you never|like you never|"
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
            # "I do heaps for this family and nobody notices": the speaker's own claim.
            "do_a_lot",
            r"\bi (?:do|did|have done|'ve done) (?:heaps|so much|a lot|loads|tons|lots|plenty)"
            r"(?: for (?P<for>(?:this|the|our|my|your) [a-z]+|you|us|everyone))?\b",
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
    r"made|kept|broke|ran|came|left|took|said|told|died|let|\w+ed|"
    # "the car wouldn't start", "the app won't load"
    r"wouldn't|couldn't|won't|can't|doesn't|don't|wasn't|fell|shut|closed)\b"
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


# Shapes whose claim is the speaker's own account, said back in their words:
# "now I'm the bad guy for working late to pay OUR rent" -> "I was working late to pay
# our rent"; "at least I show up for the kids' stuff" -> "I do show up for the kids'
# stuff"; "something came up"; "i mentioned bali heaps of times".
_OWN_SHAPES: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(
            r"\b(?:the bad guy|the villain|the problem|in the wrong|a terrible \w+|the worst \w+|"
            r"the enemy|selfish|lazy) (?:for|because of) (?P<ing>\w+ing\b.+)"
        ),
        "I was {ing}",
    ),
    (
        re.compile(
            r"\bat least i (?:still )?(?P<vp>(?:show|turn) up|do|pay|cook|clean|try|help|work|call|"
            r"ring|text|visit|listen|remember|make)\b(?P<rest>.*)"
        ),
        "I do {vp} {rest}",
    ),
    (
        re.compile(r"^(?P<what>something|stuff|work|a thing) (?:came|cropped|come) up\b"),
        "{what} came up",
    ),
    # "i DID revise", "i did text back": the speaker's own claim, said back firmly.
    # (the verbs "did_it" below says in the past, "I called", are left to it)
    (
        re.compile(
            r"^(?:\w+ )?i did (?P<vp>(?!(?:not|it|that|text|call|tell|ask|remind|send|pay|book|"
            r"message|email|ring|clean|wash|do|buy|try)\b)\w+\b.*)"
        ),
        "I did {vp}",
    ),
    # "i only had 3 pints": what the speaker owns to, with its "only".
    (
        re.compile(
            # not when a reason follows ("i only bought it bc…"): that reason says more
            r"^i (?P<only>only|just) (?P<vp>(?:had|did|said|took|spent|used|ate|drank|went|missed|"
            r"forgot|asked|bought|borrowed|left)\b(?!.*\b(?:because|bc|cos|coz|since|so)\b)"
            r"(?!(?: it| that| them| this| that much)?$).*)"
        ),
        "I {only} {vp}",
    ),
    (
        re.compile(
            r"^i (?:mentioned|brought up|told you about|talked about|asked about) "
            r"(?P<what>(?!it\b|that\b)[\w' ]+)"
        ),
        "I did mention {what}",
    ),
)


_RUN_ON = re.compile(
    r" (?=(?:they|he|she|it|we|i|you)(?:'re|'s)? (?:were|was|are|is|had|have|did|didn't|just|already)\b)"
)


_ADMITTED = re.compile(
    r"^(?:(?:ok|okay|yes|yeah|yep|fine|alright|sure|fair enough|right)\b[ ,]*)+"
    r"(?:i know )?(?P<own>i (?:went|bought|had|forgot|spent|did|took|left|said|broke|lost|ate|"
    r"missed|booked|sold|used|drank|\w+ed)\b.+|the [\w' ]+? (?:had|was|were|got|went|didn't|is|are)\b.+)"
)


# Kinds that protest without a claim of their own ("i can't win", "well you…", "calm
# down"): a plain reason said beside them is kept instead.
_PROTESTS = frozenset({"blamed", "counter", "smaller", "stuck", "plain", "work"})
# Claims with nothing of their own in them ("I honestly didn't know", "it was out of my
# hands"): a reason the speaker gave is said after them ("Nobody told me.").
_BARE_CLAIMS = frozenset({"didnt_know_plain", "not_fault", "not_intended", "not_me", "reminder"})


def _reason(text: str) -> str:
    found = [f for f in facts(text) if not f.text.startswith(("you ", "your "))] or reasons(text)
    return found[0].text if found else ""


def _also(message: _Message, said: str) -> Fact | None:
    """A reason the speaker gave that the claim does not already say ("I DID clean the
    bathroom! … i was at work till 7"), to keep beside it."""
    for fact in reasons(message.text):
        claim, because, why = fact.text.partition(" because ")
        if because and said and covers(claim, Fact(said, mine=True)) and len(why.split()) >= 2:
            # "i was only 20 mins late cos the 86 was rammed": the claim is said already,
            # the cause beside it is the reason
            fact = Fact(why, mine=why.startswith("i "))
        if not said or not covers(said, fact) and not covers(fact.text, Fact(said, mine=True)):
            return fact
    return None


_SAFE_BUSY = {"busy": "tied up", "slammed": "snowed under", "swamped": "snowed under"}


_SHOUTED_CLAIM = re.compile(r"\bI (?P<verb>AM|WAS) (?P<rest>[a-z][a-z' ]{2,40}?)(?=\s*[,.!?]|$)")


_DENIED_FIRST = re.compile(
    r"^(?:(?:no|nah|hey|look|listen|wait),? )?i (?:didn't|did not|never) "
    r"(?P<vp>(?:forget|lie|say that|do that|touch it|break it|lose it|take it|know|see it|"
    r"agree to that|promise that|ignore you|leave it)(?: it)?)(?=\s*[,.!?;]|$| and\b| but\b)"
)


_NOT_ME_FIRST = re.compile(
    r"^(?:[a-z]+ )?it wasn't me (?:who|that) (?P<vp>[a-z' ]{3,40}?)"
    r"(?: (?:aye|eh|ok|okay|innit|la|lah|yeah|hey|mate|right))?(?=\s*[,.!?;]|$)"
)


def _defence(message: _Message) -> tuple[str, dict[str, str]]:
    """`_read_defence`, with a denial that opens the message kept before the speaker's
    account ("i didnt forget, … i was at work til 7")."""
    kind, extra = _read_defence(message)
    if kind == "counter_you" and (found := reasons(message.text)):
        # "there was load shedding the whole day … you're the one who woke up late": the
        # speaker's own reason says their side without turning the charge round
        kind, extra = "own", {"own": found[0].text}

    own = extra.get(kind, "") if kind in ("own", "reason") else ""
    denied = _DENIED_FIRST.match(message.plain)
    not_me = _NOT_ME_FIRST.match(message.plain)
    if own and denied is not None and denied["vp"] not in own:
        extra = {**extra, kind: f"i didn't {denied['vp']}, and {own}"}
    elif own.startswith("i ") and not_me is not None and not_me["vp"] not in own:
        # "kwani its me who finished the unga? i was at work the whole day"
        extra = {**extra, kind: f"it wasn't me who {not_me['vp']}, and {own}"}
    return kind, extra


def _read_defence(message: _Message) -> tuple[str, dict[str, str]]:
    """The kind of defence and what it claims, from the first pattern that reads it.
    A bare "not my fault" with no readable reason waits: a later, concrete claim in the
    same message ("I did text you") says more of what the speaker meant."""
    # "I AM eating properly": a claim said in capitals is the speaker's own account
    if (m := _SHOUTED_CLAIM.search(message.text)) is not None:
        own = _clean_vp(m["rest"].lower(), swap=False)
        if 1 <= len(own.split()) <= 8 and _INSULTS.search(own) is None:
            return "own", {
                "own": f"i'm {own}" if m["verb"] == "AM" else f"i {m['verb'].lower()} {own}"
            }
    # "yeah i went over budget but…": an admission first, said as one.
    if m := _ADMITTED.match(message.plain):
        # The speaker's own words: "nothing" stays "nothing" (the swap is for "never").
        own = _clean_vp(m["own"], swap=False)
        if 2 <= len(own.split()) <= 12 and _INSULTS.search(own) is None:
            # "…but i've been up with the baby every night": the reason stays with it.
            _, _, tail = message.text.partition(" but ")
            reason = _reason(tail) if tail else ""
            return "admit", {"own": f"{own}, but {reason}" if reason else own}
    for pattern, template in _OWN_SHAPES:
        for clause in message.clauses:
            m = pattern.search(clause)
            if m is None:
                continue
            parts = {k: _clean_vp(v, swap=False) if v else "" for k, v in m.groupdict().items()}
            own = " ".join(template.format(**parts).split())
            if 3 <= len(own.split()) <= 14 and _INSULTS.search(own) is None:
                return "own", {"own": own}
    bare: tuple[str, dict[str, str]] | None = None
    for kind, pattern in _DEFENCES:
        # "i wasn't X, i was Y" spans a comma, so it is read on the whole message.
        # "you also…", "…either" are fillers elsewhere, so counters read the full text.
        texts = {
            "not_but": [message.plain],
            "said_instead": [message.plain],
            "counter": [message.norm],
        }.get(kind, message.clauses)
        for clause in texts:
            m = pattern.search(clause)
            if m is None:
                continue
            reading = _defence_slots(kind, m, message)
            if reading == ("not_fault", {}):
                bare = bare or reading
            elif (
                reading is not None and reading[0] in _PROTESTS and (fact := _reason(message.text))
            ):
                # "ok but the train was delayed… i can't win w you": the stated reason
                # says more than the protest beside it.
                return "own", {"own": fact}
            elif reading is not None and (bare is None or reading[1]):
                return reading
    if bare is not None:
        return bare
    own = _own_account(message)
    if own:
        return "own", {"own": own}
    # "the bank messed up", "chidi was the one driving it": a plain fact or a reason beside
    # the defence is the speaker's account.
    found = facts(message.text) or reasons(message.text)
    if found:
        return "own", {"own": found[0].text}
    return "plain", {}


# "i was stuck in a meeting", "i didn't spend that much": the speaker's own account,
# kept in their words when no pattern above reads it.
_OWN = re.compile(
    r"^i (?:was|wasn't|didn't|did|can't|couldn't|had|have|haven't|'m|am|work|worked|thought|"
    r"meant|tried|only|just|need|needed|got|left)\b"
)
_NOT_OWN = re.compile(
    r"\b(?:you|your|always|never|everything|anything|nothing|sorry|fault|care|whatever|"
    r"deal|supposed|meant to be)\b"
)


def _own_account(message: _Message) -> str:
    for clause in message.clauses:
        if _OWN.match(clause) is None:
            continue
        own = clause
        if (
            3 <= len(own.split()) <= 10
            and _NOT_OWN.search(own) is None
            and (_INSULTS.search(own) is None)
        ):
            return own
    return ""


_TO_PARENT = re.compile(
    r"(?:^|[.,!?] )" + _alt(_DATA["to_parent"]) + r"\b|\b" + _alt(_DATA["to_parent"]) + r" ?[.!?]*$"
)


def _to_parent(message: _Message) -> bool:
    return _TO_PARENT.search(message.norm) is not None


# "YOU were the one who had the car keys": the reason, said without the blame.
_HAD = re.compile(
    r"\byou(?:'re| were| are|'ve been) the one (?:who|that) (?:had|has|took|kept) "
    r"(?P<had>(?:the|your|my|our) [a-z' ]{1,25}?) ?(?:[.,!?;]|$)"
)
_FLIP = {"your": "my", "my": "your"}


def _had(message: _Message) -> str:
    m = _HAD.search(message.norm)
    if m is None or _INSULTS.search(m["had"]):
        return ""
    return " ".join(_FLIP.get(w, w) for w in m["had"].split())


# What the speaker did not say, told in the past: "I'm not coming" → "I wasn't coming".
_TOLD_BACK = (
    (re.compile(r"^i'm\b|^i am\b"), "i was"),
    (re.compile(r"^i'll\b|^i will\b"), "i'd"),
    (re.compile(r"^i won't\b"), "i wouldn't"),
    (re.compile(r"^i don't\b"), "i didn't"),
    (re.compile(r"^i can't\b"), "i couldn't"),
    (re.compile(r"^you can\b(?!')"), "you could"),
    (re.compile(r"^you can't\b"), "you couldn't"),
    # after "i'm not" → "i was not" above
    (re.compile(r"\bi was not\b"), "i wasn't"),
)


def _told_back(what: str) -> str:
    for pattern, told in _TOLD_BACK:
        what = pattern.sub(told, what)
    return what


_SUBORDINATE = ("if ", "when ", "because ", "since ", "that ", "whether ", "unless ", "as ")


def _defence_slots(  # noqa: C901
    kind: str, m: re.Match[str], message: _Message
) -> tuple[str, dict[str, str]] | None:
    groups = {k: v for k, v in m.groupdict().items() if v}
    before = m.string[: m.start()]
    # "i said i was gonna do the dishes": the speaker's own words, not a supposition
    if (
        kind != "not_but"
        and _HYPOTHETICAL.search(before + " ")
        and not re.search(r"\bi (?:said|told you|did say)\s*$", before)
    ):
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
            # "not my problem if your phone was on silent": a condition, not a fact.
            and not clause.startswith(_SUBORDINATE)
            and 2 <= len(clause.split()) <= 10
            and _NOT_A_REASON.search(clause) is None
            and _HAS_VERB.search(clause) is not None
        ):
            if had := _had(message):
                return "not_fault_had", {"c": clause, "had": had}
            if re.search(r"\b(?:me|my|myself)\b", clause):
                # "not my fault the maths teacher has it in for me": the speaker's own
                # account, not something that was a pain for the other
                return "own", {"own": clause}
            return "not_fault", {"c": clause}
        if had := _had(message):
            return "not_fault_had", {"had": had}
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
        # "you spent 300 on the camper without asking me": up to twelve words
        if 2 <= len(what.split()) <= 12 and _looks_past(what.split()[1]):
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
    if kind == "never_said_that":
        what = _told_back(groups["what"].strip())
        if not 2 <= len(what.split()) <= 10 or _INSULTS.search(what):
            return "not_said", {}
        return kind, {"what": what}
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
    if kind == "said_instead":
        pos = _clean_vp(groups["pos"], swap=False)
        if not pos or len(pos.split()) > 8 or _INSULTS.search(pos):
            return "not_said", {}
        return kind, {"pos": pos}
    if kind in ("missed_it", "wanted_asked", "not_always"):
        what = _clean_vp(groups.get("vp") or groups.get("what") or "", swap=False)
        if not what or len(what.split()) > 8 or _INSULTS.search(what):
            return None
        return kind, {"vp": what, "what": what}
    if kind == "only_late":
        return kind, {"what": groups["what"]}
    if kind == "not_asked_to":
        what = _clean_vp(groups["what"])
        return (kind, {"what": what}) if _usable(what) or len(what.split()) == 2 else None
    if kind in (
        "just_how",
        "always_me",
        "not_enjoy",
        "not_wanted",
        "you_knew",
        "was_state",
        "wasnt",
        "not_now",
    ):
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
        # "i couldn't exactly answer": "exactly" is sarcasm, not part of the claim.
        what = re.sub(r"^(?:exactly|just|really) ", "", what)
        if what and len(what.split()) <= 8 and _INSULTS.search(what) is None:
            return kind, {"what": what}
        return None
    if kind in ("thought_said", "didnt_realise", "didnt_know"):
        what = _clean_vp(groups.get("what", ""))
        if kind == "thought_said" and re.match(r"i(?:'d|'m|'ll)?\b", what):
            # "you said i was going to pay for it": the other's word about the speaker, which
            # the speaker disputes; never said back as their own understanding
            return None
        if kind == "didnt_realise" and what.startswith(("i ", "i'd ")):
            return "didnt_know_plain", {}  # "if you'd told me i would have come"
        if what and 2 <= len(what.split()) <= 8 and _INSULTS.search(what) is None:
            if what.startswith(("to ", "that ")) or what in _EMPTY:
                return (kind if kind != "thought_said" else "not_said"), {}
            return kind, {"what": what}
        if kind == "thought_said":
            return None
        return "didnt_know_plain", {}
    if kind == "busy":
        state = groups["state"]
        # "i've been flat out at work all week": the whole account says more than its state
        told = [f.text for f in reasons(message.text) if f.mine and state in f.text]
        if told and len(told[0].split()) > len(state.split()) + 3:
            return "own", {"own": told[0]}
        now = groups["tense"] in (" am", "'m")
        return ("busy_now" if now else "busy"), {"state": _SAFE_BUSY.get(state, state)}
    if kind == "deny":
        # "i didnt break ur straighteners they were already dodgy": a run-on, cut where
        # the next subject starts.
        said = _RUN_ON.split(groups["vp"] + groups.get("rest", ""), maxsplit=1)[0]
        vp = _base(_clean_vp(said))
        if vp.startswith(("do anything", "do something")):
            vp = "do anything wrong" if "wrong" in vp else "do anything"
        if _usable(vp) or vp in ("touch it", "take it", "break it", "say that", "do it", "eat it"):
            return "deny", {"past": _past(vp), "past_base": vp, "participle": _participle(vp)}
        return "plain", {}
    if kind == "own":
        return "own", {"own": groups["own"]}
    if kind == "not_me_who":
        vp = _clean_vp(groups["vp"])
        return ("not_me_who", {"vp": vp}) if _usable(vp) and len(vp.split()) <= 8 else None
    if kind == "did_it":
        vp = _clean_vp(groups["vp"])
        if not _usable(vp) and vp.split()[0] not in ("did", "do"):
            return None
        # "i only went out once": the verb after "only" decides the tense.
        only, bare = "", vp
        if (m_only := re.match(r"(only|just) (.+)$", vp)) is not None:
            only, bare = m_only[1] + " ", m_only[2]
        verb = bare.split()[0]
        past = bare if _looks_past(verb) or verb in ("did", "went") else _past(bare)
        return "did_it", {"past": only + past}
    if kind == "reason":
        # "the dog got out because the gate was broken": the cause is the reason.
        because = re.search(r"\bbecause (.+)$", groups["c"])
        clause = _clean_vp(because[1] if because else groups["c"])
        # "it didn't send" alone leaves "it" unclear; the speaker's own act says more.
        if clause.startswith("it ") and len(clause.split()) < 4:
            return None
        if (
            3 <= len(clause.split()) <= 10
            and _INSULTS.search(clause) is None
            and _NOT_A_REASON.search(clause) is None
        ):
            # "traffic was mad": slang for how bad it was reads oddly in a calm line.
            clause = re.sub(
                r"\bwas (?:mad|crazy|insane|nuts|a nightmare|hell)\b", "was really bad", clause
            )
            return "reason", {"reason": clause}
        return None
    if kind == "do_a_lot":
        for_ = groups.get("for", "")
        return kind, {"for": " for " + {"you": "you", "us": "us"}.get(for_, for_) if for_ else ""}
    return kind, {}


def _defensiveness(message: _Message, filler: _Filler, kind: str | None = None) -> Iterator[str]:
    data = _DATA["defensiveness"]
    kind, extra = (kind, {}) if kind else _defence(message)
    claims = data["kinds"][kind]["claim"]
    acks = data["kinds"][kind].get("ack", data["acknowledge"])
    forwards = data["forward"]
    if _to_parent(message):

        def fits(line: str) -> bool:
            return not any(phrase in line for phrase in data["not_to_parent"])

        acks = [a for a in acks if fits(a)] or data["acknowledge"][:1]
        forwards = [f for f in forwards if fits(f)]

    said = " ".join(extra.values())
    also = _also(message, said) if said or kind in _BARE_CLAIMS else None

    def slots(index: int) -> dict[str, str]:
        claim = filler.spread("claim", claims, index)
        claim = _fill(claim, extra) or filler.spread(
            "claim", data["kinds"]["plain"]["claim"], index
        )
        if also is not None and claim.endswith("."):
            claim = f"{claim} {_capitalise(also.text)}."
        ack = _fill(filler.spread("ack", acks, index), extra) or filler.spread(
            "ack", data["acknowledge"], index
        )
        return {
            "ack": ack,
            "claim": claim,
            "forward": filler.spread("forward", forwards, index),
        }

    yield from _frames(filler, data["frames"], slots)


def _defensiveness_spares(message: _Message, filler: _Filler) -> Iterator[str]:
    return _defensiveness(message, _Filler(message, "defensiveness spare"), kind="plain")
