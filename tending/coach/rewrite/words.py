"""What the rewrites share: reading a message (chat spellings, fillers, clauses), verb
forms, and filling wording frames picked by a stable hash of the message."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from tending.coach.lexicon import DATA_DIR

_DATA = json.loads((DATA_DIR / "rewrite.json").read_text(encoding="utf-8"))
HARSH = ("criticism", "contempt", "defensiveness", "stonewalling")
MAX_SUGGESTIONS = 3
# A verb phrase longer than this is more likely a run-on than one situation.
_MAX_VP_WORDS = 10
# A strategy yields ENOUGH after its safe lines: when at least one line is already kept,
# suggestions stop there rather than pad with general or risky ones.
ENOUGH = "\x00enough"


def _alt(words: list[str] | tuple[str, ...]) -> str:
    return "(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + ")"


# --- normalising ---------------------------------------------------------------------

_SPELLING: dict[str, str] = _DATA["spelling"]
_TOKEN = re.compile(r"\d{1,2}[:.]\d\d\b|[£$€]?[a-z0-9]+(?:['-][a-z0-9]+)*|[.,!?;:\"]")
_QUOTED = re.compile(r"(?<![\w])'([^'\n]{1,40}?)'(?!\w)")
# "you've took £400", "the bike got took", "I been grafting all day": the past and
# participle forms of the standard
_STANDARD_FORMS = (
    (
        re.compile(r"\b(you|i|we|they)'ve (took|went|wrote|ate|broke|stole|drove|gave|rode)\b"),
        r"\1 \2",
    ),
    (re.compile(r"\b(got|was|been|were|has been|have been) took\b"), r"\1 taken"),
    (re.compile(r"\b(got|was|been|were) (stole|broke)\b(?! (?:into|in)\b)"), r"\1 \2n"),
    (re.compile(r"\b(i|we|they|you) been (?=\w+ing\b)"), r"\1've been "),
    (re.compile(r"\byou was\b"), "you were"),
    # "you only calls when you wants the truck": the verb after "you" as the standard has it
    (
        re.compile(
            r"\b(you|i|we|they) ((?:only |just |always |never |still |even )?)(call|want|need|"
            r"think|say|come|go|take|ring|text|phone|visit|show|turn|leave|remember|forget|"
            r"ask|help|care|know|like|get|make|borrow|use|eat|pay|spend|send)s\b"
        ),
        r"\1 \2\3",
    ),
    # "I told you them tickets was on sale": those tickets were
    (re.compile(r"\bthem ((?:[a-z]+ ){0,2}[a-z]+s) was\b"), r"those \1 were"),
    # "I ain't throw money away": the Southern and Caribbean past with "ain't"
    (
        re.compile(
            r"\b(i|you|we|they|he|she) ain't ((?:just |even )?)(throw|do|take|say|eat|go|see|"
            r"touch|break|spend|buy|tell|call|know|ask|leave|lose|use|borrow|hear)\b"
        ),
        r"\1 didn't \2\3",
    ),
    # "i was in meeting whole morning", "not my fault company didnt give leave": the
    # article texts leave off
    (
        re.compile(
            r"(?<!\bthe )(?<!\ba )(?<!\bmy )(?<!\bour )(?<!\byour )(?<!\bone )(?<!\ball )"
            r"(?<!\bthis )(?<!\bthat )"
            r"\bwhole (morning|day|night|week|weekend|evening|afternoon|time)\b"
        ),
        r"the whole \1",
    ),
    (re.compile(r"\bin meeting\b"), "in a meeting"),
    # "i left office on time only", "till 9 only": the Indian English "only" that stresses
    # a time is no part of what happened
    (
        re.compile(
            r"\b(time|\d+(?:[.:]\d\d)?|am|pm|today|yesterday|tomorrow|morning|evening|night|itself|"
            r"there|here|home|then|before|late|early) only(?=\s*[.,!?;]|\s*$)"
        ),
        r"\1",
    ),
    (re.compile(r"\bleft office\b"), "left the office"),
    # "i'll drop your cooler box now now": the South African "soon"
    (re.compile(r"\bnow now\b"), "soon"),
    (re.compile(r"\b(had|have|get|got|give me) chance\b"), r"\1 a chance"),
    # "do it ya sen", "tha sen": the Yorkshire "yourself"
    (re.compile(r"\b(?:ya|yer|tha|thi) ?sen\b|\bthysen\b"), "yourself"),
    (
        re.compile(r"\b(?:was|am|i'm|were|be) in office\b"),
        lambda m: m[0].replace("in office", "in the office"),
    ),
    # "da light cut off", "you had da BPL money": the Bahamian and Pidgin article; after
    # "me", "my" or "your" it is an Irish dad
    (
        re.compile(
            r"(?<!\bme )(?<!\bmy )(?<!\byer )(?<!\bur )(?<!\bhis )(?<!\bher )(?<!\byour )"
            r"\bda (?=[a-z]{2,})"
        ),
        "the ",
    ),
    # "I told na", "come na": the Indian English particle, not a word of the sentence
    (re.compile(r"\btold na\b"), "told you"),
    (re.compile(r"\b(said|know|see|come|do|please|ok|okay|then|right|also) na\b"), r"\1"),
    (re.compile(r" na(?= ?[.,!?]|$)"), ""),
    # "in office till 9.30": a time said with a dot is said with a colon
    (
        re.compile(r"\b(till|til|until|at|by|from|after|before|around|since) (\d{1,2})\.(\d\d)\b"),
        r"\1 \2:\3",
    ),
    # "reversed into I while i was parked": the West Country's "I" as an object
    (
        re.compile(
            r"\b(into|at|to|with|for|behind|past) i(?= (?:while|when|as|and|but|so)\b| ?[.,!?]|$)"
        ),
        r"\1 me",
    ),
    # "brought it back with the petrol light on an crisp packets everywhere": "and"
    (re.compile(r"\ban (?=[bcdfgjklmnpqrstvwxyz])"), "and "),
    # "dug up me dahlias", "had me car all week": the possessive "me" of the North and
    # the Midlands, after a verb's particle or before a thing people own
    (
        re.compile(
            r"\b(up|out|off|away|had|took|borrowed|used|broke|lost|wrecked|crashed|nicked|"
            r"pinched|binned|chucked|moved|sold|ate|drank|wore) me (?=(?:car|phone|keys|bike|"
            r"charger|stuff|things|clothes|room|house|flat|garden|plants|flowers|dahlias|roses|"
            r"tools|van|bag|purse|wallet|money|dinner|tea|lunch|food|chips|shoes|boots|coat|"
            r"jacket|hoodie|top|dress|mug|cup|laptop|headphones|telly|remote)\b)"
        ),
        r"\1 my ",
    ),
    (
        re.compile(
            r"(?:^|(?<=\bfault )|(?<=\bbecause )|(?<=\bcos ))(company|landlord|bank|council|"
            r"office|manager|boss) (?=(?:didn't|wouldn't|won't|said|gave|closed|was|is|has|had)\b)"
        ),
        r"the \1 ",
    ),
    # "because she sick", "da mailboat late comin from Nassau": the "is" or "was" left off
    (
        re.compile(
            r"\b(because|cos|cause|coz|since) (she|he|it) (?=(?:sick|ill|poorly|unwell|tired|busy|"
            r"broke|alone|pregnant|in hospital|in the hospital)\b)"
        ),
        r"\1 \2's ",
    ),
    (
        re.compile(
            r"^((?:the|my|our) [a-z]+) (?=(?:late|delayed|broken|closed|shut|cancelled|down|dead|"
            r"flat|empty)\b)"
        ),
        r"\1 was ",
    ),
    # "leavin it dey in de sink": the Caribbean "dey" after an object is "there"
    (re.compile(r"\b(it|them|am) they\b"), r"\1 there"),
    # Yorkshire "t'christenin", "wi t'allotment", and "I weren't"
    (
        re.compile(
            r"\b(late|go|goes|went|going|gone|come|came|coming|back|up|down|over) t'(?=[a-z])"
        ),
        r"\1 to the ",
    ),
    (re.compile(r"\bt'(?=[a-z])"), "the "),
    # "t'bus never come": the past of a bus or a person that never turned up
    (re.compile(r"\b(the [a-z]+|it|he|she|they) never come\b"), r"\1 never came"),
    (re.compile(r"\bi weren't\b"), "i wasn't"),
    # "i been pullin doubles": a dropped g after a verb that takes an -ing
    (
        re.compile(
            r"\b(been|was|were|is|are|am|i'm|you're|keeps?|kept|stop|stopped|started) "
            r"([a-z]{3,}[^g\W]in)\b(?!')"
        ),
        r"\1 \2g",
    ),
    # "at ya mother's", "yuh car": a possessive spelled like "you"
    (
        re.compile(
            r"\byou (?=(?:[a-z]+'s|mother|mum|mam|mom|dad|father|sister|brother|nan|gran|cousin|aunty|"
            r"auntie|uncle|car|phone|"
            r"keys|room|house|friends?|mates?|family|kids?|wife|husband|boyfriend|girlfriend|"
            r"own)\b)"
        ),
        "your ",
    ),
    # Scots "cos a asked ye": "a" before a verb of the speaker's is "I"
    (
        re.compile(
            r"(?:^|(?<=[.,!?] )|(?<=\bcos )|(?<=\bbecause )|(?<=\band )|(?<=\bwhen ))a "
            r"(?=(?:asked|said|told|was|wis|did|didn't|can't|had|went|got|seen|saw|dropped|left|"
            r"tellt|telt)\b)"
        ),
        "i ",
    ),
    # "the super said the heat gonna be fixed": the "was" a report leaves off
    (
        re.compile(r"\b(said|told me|told you) (the [a-z]+|it|he|she|they) going to\b"),
        r"\1 \2 was going to",
    ),
    # "keep nuh promise": the creole "no" before a thing
    (re.compile(r"\b(keep|got|have|make|get|give|take|keeping) don't (?=[a-z]+\b)"), r"\1 no "),
    # "kwani its me who finished the unga?": a denial asked as a question
    (
        re.compile(
            r"(?:^|(?<=[.,!?] ))(?:(?:kwani|so|but|and|eh|ay|how) )?(?:is it|its|it's|was it) me "
            r"(?:who|that) (?=[a-z]+ [a-z][^.?!]*\?)"
        ),
        "it wasn't me who ",
    ),
    # "is YOU who tell me the christening was Saturday": what the speaker went by, without
    # the counter-charge
    (
        re.compile(
            r"\b(?:is|it's|its|it was|was it|was) you (?:who|that) (?:tell|told|said to) me\b"
        ),
        "i was told",
    ),
    (
        re.compile(
            r"\bi was told (?=(?:leave|take|bring|pay|send|give|put|go|come|call|ring|buy|get|drop|"
            r"keep|wait)\b)"
        ),
        "i was told to ",
    ),
    # Hawaiian Pidgin "I wen take da truck": "wen" (read as "when") marks the past
    (
        re.compile(
            r"\b(i|he|she|we|they|you) when (take|go|drive|eat|buy|bring|give|make|tell|say|see|"
            r"come|leave|put)\b"
        ),
        lambda m: f"{m[1]} {_past(m[2])}",
    ),
    # Scots "the hale o ma birthday dinner": "the whole of"
    (re.compile(r"\bthe whole o\b"), "the whole of"),
    # "your mother house": the possessive a text leaves off a family member's home
    (
        re.compile(
            r"\b(your|my|his|her|our) (mother|mum|mom|mam|father|dad|sister|brother|aunty|auntie|"
            r"uncle|nan|gran|grandma|grandpa|cousin) (house|place|home|flat)\b"
        ),
        r"\1 \2's \3",
    ),
    # Indian English "last month itself", "now itself": an emphasis, not a word of the act
    (
        re.compile(
            r"\b(last month|last week|yesterday|today|this morning|then|now|there|here|that time) "
            r"itself\b"
        ),
        r"\1",
    ),
)
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
    # "you said you will come to the airport": a promise told back as "you'd"
    (re.compile(r"\b(said|promised|told me) (you|u) (?:will|would|gonna|going to)\b"), r"\1 you'd"),
    # Scots: "i'm no daein this" is "i'm not doing this"
    (re.compile(r"\b(i'm|i am|am) no (?=\w+ing\b)"), r"\1 not "),
    # Caribbean English: "you is" for "you're", habitual "you does cancel" for "you cancel"
    (re.compile(r"\byou is\b"), "you're"),
    (re.compile(r"\byou does (?=[a-z]+\b)(?!not\b|n't\b)"), "you "),
    # "not doin this wi ye the neet": Scots and Geordie for "tonight"
    (re.compile(r"\b(?:the (?:neet|nite|nicht)|(?<=this )the night)(?= ?[.,!?]|$)"), "tonight"),
    (re.compile(r"\byou have (?=\w+(?:ed|en)\b)"), "you've "),
    *_STANDARD_FORMS,
    # "you always do this one lah", "why u always eat my food one?": Singlish's
    # sentence-final "one", not a number
    (re.compile(r" one(?= (?:lah|leh|lor|meh|ah)\b| \?)"), ""),
    # "late on the electric": a bill paid late, as "late with the rent" is
    (re.compile(r"\blate on (?=(?:the|your|my|our) )"), "late with "),
    # "i told you already got ot tonight": "I've got"
    (re.compile(r"\btold you (?:already )?got\b"), "told you i've got"),
    # "our anniversary and you forgot.": what was forgotten is its object
    (
        re.compile(
            r"(?:^|(?<=[.!?] ))((?:our|my|your|the|his|her) [a-z0-9' ]{2,30}?) (?:and|n) "
            r"(you|u) (forgot|missed)(?= [.,!?]|$)"
        ),
        r"you \3 \1",
    ),
)


def standard(clause: str) -> str:
    """`clause` (lower case) with a dialect's past forms said as the standard's."""
    for pattern, joined in _STANDARD_FORMS:
        clause = pattern.sub(joined, clause)
    return clause


# What people call a parent, to them and of them ("ok mum", "mam said no").
PARENT_WORDS = frozenset(
    {"mum", "mom", "mam", "mummy", "mommy", "mama", "ma", "dad", "daddy", "papa", "pa"}
)
_TRAIT_WORDS = [w for group in _DATA["traits"] for w in group["words"]]
# "ur so lazy", "your always late": here "your" means "you're".
_YOUR_IS_YOURE = re.compile(
    r"\byour (?=(?:so|such|always|never|being|a|an|just|really|literally|actually|not|too|"
    r"very|completely|totally|constantly|forever|on|in|at|out|away|off|with|busy|late|going|doing|"
    r"acting|making|"
    r"getting|trying|the one|lazy|selfish|rude|mean|useless|pathetic|stupid|annoying|messy|"
    r"careless|thoughtless|inconsiderate|hopeless|impossible|unbelievable|ridiculous)\b)"
)
# "your mate's house": a filler word that owns something is not a filler.
# "man" is one only where it is said to someone ("so careless man", "man, you…"), never in
# a name for someone ("ring the boiler man").
_FILLERS = re.compile(
    r"\b" + _alt([w for w in _DATA["fillers"] if w != "man"]) + r"\b(?!')(?!s\b) ?"
    r"|\bman\b(?!')(?= *(?:[.,!?;]|$|(?:you|u|i|we|it's|its|this|that|why|what|how|come|just|"
    r"seriously|honestly|stop|please)\b)) ?"
)
_LIKE_FILLER = re.compile(
    r"\blike (?=(?:never|always|don't|didn't|constantly)\b)|^it's like |^i feel like "
    # "for like two seconds": an amount, not a break
    r"|\blike (?=(?:a|an|one|two|three|four|five|ten|twenty|half|\d+) (?:sec|secs|second|seconds|"
    r"min|mins|minute|minutes|hour|hours|hrs|day|days|week|weeks|month|months|time|times)\b)"
    r"|(?:^|(?<=[.,!?] ))seriously\b ?|\bseriously (?=you\b)|^(?:look|listen),? "
)
# A tag after a claim ("the car wouldn't start is it.", "I work 12 hours a day ok.") is the
# tone of the message, not part of what it says; a question ("what is it") or a state ("are
# you ok") keeps it.
_TAG = re.compile(
    r"(?i)\b(?P<before>[a-z0-9']+) (?P<tag>is it|isn't it|wasn't it|was it|didn't it|did it|"
    r"innit|init|ok|okay|eh|ay|"
    r"you know|ya know|right|(?P<mine>have i|did i|was i|am i|do i|haven'?t i|didn'?t i|wasn'?t i))"
    r"(?=\s*[.,!?;]|\s*$)"
)
_TAGGED_NOT = frozenset(
    [
        "what",
        "who",
        "where",
        "how",
        "why",
        "when",
        "which",
        "is",
        "are",
        "am",
        "be",
        "was",
        "were",
        "it",
        "i'm",
        "you're",
        "it's",
        "that's",
        "feel",
        "feeling",
        "felt",
        "everything",
        "all",
        "not",
        "it's",
        "we're",
        "they're",
        "he's",
        "she's",
        "seem",
        "seems",
        "look",
        "looks",
        "sound",
        "sounds",
    ]
)


# "you never see owt through love, never": a word the other is called by at the end of a
# clause is no part of it ("show me love" keeps its love)
_CALLED = re.compile(
    r"(?P<before>[a-z']+) (?P<called>love|luv|pet|duck|hen|darling|sweetheart|sweetie|"
    r"honey|dear|maid|mun|babes)(?= [.,!?;]|$)"
)
_LOVED = frozenset(
    [
        "me",
        "my",
        "your",
        "his",
        "her",
        "our",
        "their",
        "no",
        "any",
        "some",
        "in",
        "of",
        "make",
        "made",
        "making",
        "show",
        "showed",
        "give",
        "gave",
        "with",
        "the",
        "a",
        "for",
        "all",
        "much",
        "such",
        "real",
        "true",
        "puppy",
        "first",
    ]
)


def _uncalled(m: re.Match[str]) -> str:
    return m[0] if m["before"] in _LOVED else m["before"]


def _untagged(m: re.Match[str]) -> str:
    # "i've not exactly been sat on it have i": a tag on the speaker's own claim goes
    # whatever comes before it; "what is it" keeps its "is it"
    if m["mine"] and m["before"].lower() not in _WH:
        return m["before"]
    # "when i took it ay": a tag that is only a tag goes after any word
    if m["tag"].lower() in ("ay", "innit", "init") and m["before"].lower() not in _WH:
        return m["before"]
    return m[0] if m["before"].lower() in _TAGGED_NOT else m["before"]


_WH = frozenset({"what", "who", "where", "how", "why", "when", "which"})


def untag(text: str) -> str:
    """`text` without tags after its claims."""
    return _TAG.sub(_untagged, text)


_FLAGS = {name: re.compile(r"\b" + _alt(words) + r"\b") for name, words in _DATA["flags"].items()}
_SPACES = re.compile(r"\s+")
_WHENEVER = re.compile(r"\bevery (?:single )?time (?=(?:we|you|i|they|he|she|it)\b)")
_KEEP_CASE = re.compile(r"^[A-Z][a-z]+$")
_MID_SENTENCE_WORD = re.compile(r"(?<=[\w,;'\"] )[A-Za-z]+")
_CAPITAL_WORDS = {w.lower(): w for w in _DATA["capitalised"]}
_ACRONYM_IN_NAME = re.compile(r"(?<=[\w,;'\"] )([A-Z]{2,4}) (?=[A-Z][a-z])")
_ACRONYM = re.compile(r"(?<=[\w,;'\"] )[A-Z]{2,4}(?![\w'])")


def _vocabulary(data: object) -> set[str]:
    """Every word of `data`'s wording, lower case (the spellings' texting forms excepted)."""
    if isinstance(data, str):
        return set(re.findall(r"[a-z]+", data.lower()))
    if isinstance(data, list):
        return set().union(*map(_vocabulary, data)) if data else set()
    if isinstance(data, dict):
        return set().union(*map(_vocabulary, data.values())) if data else set()
    return set()


_OWN_VOCABULARY = frozenset(
    _vocabulary({key: value for key, value in _DATA.items() if key != "spelling"})
    | set(_DATA["spelling"].values())
)
_MODEL = re.compile(r"(?<![\w'])[A-Z]{1,4}\d{1,4}[A-Za-z]?(?![\w'])")
_NAME_OF_WORDS = re.compile(r"(?<=[\w,;'\"] )[A-Z][a-z]+(?: [A-Z][a-z]+)+")


@dataclass
class _Message:
    text: str
    norm: str  # lowercase, chat spellings expanded, fillers kept
    plain: str  # norm without fillers
    clauses: list[str]
    flags: set[str]
    case: dict[str, str] = field(default_factory=dict)
    # Names of two or more capitalised words ("mobile money": "Mobile Money"), kept as
    # written even where one of their words is also written in lower case.
    names: dict[str, str] = field(default_factory=dict)


# "2" is texting for "to" ("going 2 the shop"), except where it counts something: "only had
# 2 pints", "2 or 3 times", "2 hrs".
_COUNTS = re.compile(r"^\d+$")
_COUNTED = re.compile(
    r"^(?:(?!(?:this|his|is|was|has|does|goes|us|yours|hers|its|ours|theirs|always|whereas)$)"
    r"[a-z]+s|pm|am|hr|min|k|grand|quid|of|or|and|more|hour|day|week|month|year|minute|"
    r"pint|kid|time|night|evening|morning|bottle|glass|drink|beer|coffee|child|person|"
    r"[a-z]+-[a-z]+)$"
)


_NEVER_CAPITAL = frozenset(
    {
        *("i", "you", "ok", "up", "down", "in", "out", "on", "off", "so", "to", "the", "a"),
        *("an", "and", "or", "but", "of", "at", "by", "for", "with", "from", "as", "is", "it"),
        *("he", "she", "we", "they", "me", "my", "your", "his", "her", "our", "their", "this"),
        *("that", "what", "who", "how", "why", "when", "where", "not", "no", "yes", "do"),
        *("did", "done", "be", "been", "was", "were", "are", "am", "can", "will", "just"),
        *("all", "too", "very"),
    }
)


# Scots "ma exam", "ma birthday": "ma" before a thing is "my"; after "me", "my" or "your",
# or before a verb, it is a mum ("me ma said", "tell ma").
_MY_MA = re.compile(
    r"^(?!(?:me|my|your|yer|ur|his|her|tell|ask|to|with|and|call|ring|text|see|visit|for) )\S+ ma "
    r"(?!(?:said|says|is|was|will|would|wants|thinks|and|or|but|has|had|can|could|does|did|"
    r"never|always|just|told|asked|rang|called|my|your|i|i'm|im|you|we|the|it|it's|its|please|"
    r"sorry|why|how|what|where|when|can|pls)\b)[a-z][a-z']+$"
)


def plain_letters(text: str) -> str:
    """`text` with a Latin letter's accent or macron taken off ("hāngī" -> "hangi", "tía"
    -> "tia"): the readers spell in ASCII, and an accented letter would split its word."""
    if text.isascii():
        return text
    out = []
    for char in text:
        if not char.isascii():
            base = unicodedata.normalize("NFKD", char)[0]
            if base.isascii() and base.isalpha():
                char = base
        out.append(char)
    return "".join(out)


def _spelled(tokens: list[str], i: int) -> str:
    """Token `i` with its texting or dialect spelling spelled out."""
    tok = tokens[i]
    if tok == "ma" and _MY_MA.match(" ".join([*(tokens[i - 1 : i] or ["."]), *tokens[i : i + 2]])):
        return "my"
    return _SPELLING.get(tok, tok)


def _read(text: str) -> _Message:
    folded = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    # Names keep their capitals ("Mama", "Friday"); a capital that only starts a
    # sentence does not count.
    # A word the writer also wrote in lower case is not a name: "the money" beside
    # "Mobile Money" stays "the money".
    lower = set(re.findall(r"(?<![\w'])[a-z][a-z']*", folded))
    case = {
        m[0].lower(): m[0]
        for m in _MID_SENTENCE_WORD.finditer(folded)
        # "Mister Up-Country": a little word capitalised inside a name keeps its own case
        # everywhere else ("fed up", not "fed Up")
        if _KEEP_CASE.match(m[0])
        and m[0].lower() not in _NEVER_CAPITAL
        and (m[0].lower() not in lower or m[0].isupper())
    }
    # "TM Pick n Pay": letters that open a name are the name's, not a shout
    case.update((m[1].lower(), m[1]) for m in _ACRONYM_IN_NAME.finditer(folded))
    # "a PS5", "the A4 folder": a model's letters and number keep their capitals
    case.update((m[0].lower(), m[0]) for m in _MODEL.finditer(folded))
    # "the BPL money", "the ESB": letters that are no word of ours are an abbreviation,
    # not a shout ("AGAIN", "ME", "OUR" are shouts)
    case.update(
        (m[0].lower(), m[0])
        for m in _ACRONYM.finditer(folded)
        if m[0].lower() not in _OWN_VOCABULARY and m[0].lower() not in _CAPITAL_WORDS
    )
    names = {
        m[0].lower(): m[0]
        for m in _NAME_OF_WORDS.finditer(folded)
        if any(w.lower() in lower for w in m[0].split())
    }
    folded = _QUOTED.sub(r'"\1"', folded.lower()).replace("-", " ")
    tokens = _TOKEN.findall(folded)
    words = [
        tok
        if _COUNTS.match(tok) and _COUNTED.match(" ".join(tokens[i + 1 : i + 2]))
        else _spelled(tokens, i)
        for i, tok in enumerate(tokens)
    ]
    norm = " ".join(words)
    for pattern, joined in _JOINS:
        norm = pattern.sub(joined, norm)
    norm = _YOUR_IS_YOURE.sub("you're ", norm)
    norm = _CALLED.sub(_uncalled, norm)
    unpunctuated = re.sub(r" [.,!?;:]", "", norm)
    flags = {name for name, pattern in _FLAGS.items() if pattern.search(unpunctuated)}
    norm = _WHENEVER.sub("when ", norm)
    norm = re.sub(r"\b(?:morning ,? noon and night|day and night|day in day out)\b", "", norm)
    plain = _SPACES.sub(" ", _FILLERS.sub("", _LIKE_FILLER.sub("", norm))).strip()
    # Scare quotes ("you've "forgotten"") are kept for contempt, which reads them,
    # and dropped for the rest.
    plain = _SPACES.sub(" ", re.sub(r'(?<=\w) " (?=\w)|(?<=\w) "(?= \w)', " ", plain))
    clauses = [
        c.strip(' "')
        for c in re.split(r"\s*(?:[,!?;]|(?<!\d)\.|\.(?!\d)|(?<!\d):|:(?!\d))+\s*", plain)
        if c.strip(' "')
    ]
    return _Message(text, norm, plain, clauses, flags, case, names)


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


def _ing_base(word: str) -> str:
    """'forgetting' -> 'forget', 'leaving' -> 'leave', 'making' -> 'make'."""
    stem = word[:-3]
    if len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] not in "lsz":
        return stem[:-1]
    if stem + "e" in _E_BASES or stem + "e" in _PAST:
        return stem + "e"
    return stem


def _gerund(vp: str) -> str:
    """'sell the plot' -> 'selling the plot', 'move' -> 'moving', 'stop' -> 'stopping'."""
    verb, _, rest = vp.partition(" ")
    if verb in _DOUBLE:
        verb += verb[-1]
    elif verb.endswith("ie"):
        verb = verb[:-2] + "y"
    elif verb.endswith("e") and not verb.endswith(("ee", "ye", "oe")) and len(verb) > 2:
        verb = verb[:-1]
    return f"{verb}ing {rest}".strip()


def _past(vp: str) -> str:
    if vp.startswith("only "):
        return "only " + _past(vp[5:])
    # One occasion of a habit: "the last time you kept forgetting to pay" reads oddly,
    # "the last time you forgot to pay" does not.
    if (m := re.match(r"keep (\w+ing)\b(.*)$", vp)) and len(m[1]) > 5:
        return _past(_ing_base(m[1]) + m[2])
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
        re.compile(
            r"\b(i|you|we|they) (need|want|ask|call|text|get|come|go|say|tell|bring|mention|try|"
            r"talk|raise|start|show|speak|suggest)\b"
        ),
        lambda m: f"{m[1]} {_past(m[2])}",
    ),
    (
        re.compile(r"\b(it|he|she|someone|somebody) ([a-z]+[^aeious])s\b"),
        lambda m: f"{m[1]} {_past(m[2])}",
    ),
    (
        re.compile(r"\b(people|others|everyone|someone|anyone) (ask|call|come|talk|visit|say)s?\b"),
        lambda m: f"{m[1]} {_past(m[2])}",
    ),
    (re.compile(r"\b(?<!i )(?<!you )(?<!we )(?<!they )(\w+) are\b"), r"\1 were"),
    (re.compile(r"\b(?<!it )(\w+) is\b"), r"\1 was"),
    (
        # "when your mates call" -> "when your mates called"
        re.compile(r"\b((?:your|my|our|the) \w+s) (call|ring|text|come|ask|want|visit|turn up)\b"),
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

# "where i'd like to go" keeps its "like": after "'d" or "would" it is a wish, not a break.
_BREAK = re.compile(r"(?<!'d)(?<!would)\s\b" + _alt(_DATA["clause_breaks"]) + r"\b.*$")
_SWAP: dict[str, str] = _DATA["swap"]
_THE_THINGS = re.compile(r"\banything (?=(?:i|you|we|they|he|she)\b)")
_WANT = re.compile(r"^(?:want to|like to|wish to|bother to|try to|even try to) ")
_EMPTY = frozenset(_DATA["empty_actions"])
# "drag your mother into every decision": blame words that must not be quoted back.
_BLAME_IN_ACT = re.compile(r"\b" + _alt(_DATA["blame_in_act"]) + r"\b")
# "mention it", "leave them there": a pronoun whose thing is not in the quoted act.
# ("clean the shower after you use it" names its thing, so it is fine.)
_DANGLING = re.compile(
    r"^(?!.*\b(?:the|your|my|our|his|her|their|a|an)\b).*\b(?:it|them|this|that)$|"
    r"\b(?:about|of|mention|discuss|tell me|ask me) (?:it|them|this|that)$|"
    # "never remember nothing" read as "remember something": an act with no object left.
    r"^\w+ (?:something|someone|somebody|somewhere)$"
)
# "drove like a maniac": the manner is the point, so the bare verb left without it is no act.
_MANNER = re.compile(r"^\w+ like (?:a|an|some) ")
_CHARACTER = re.compile(r"^" + _alt(_DATA["character_verbs"]) + r"\b")
_TRAILERS = re.compile(
    r"(?:\s(?:isn't it|aren't you|don't you|do you|huh|ok|or what|or something|"
    r"please|though|honestly|now|man|yeah|tho|eh|innit|one|ah|na|bro|mate|either|too|anymore|again|"
    r"only|anyhow|abeg|yaar|lah|la|leh|lor|sia|meh|oo|o|sha|biko|wey|no|ya|ne|hey|at all|"
    r"can you|can ye|can ya|could you|will you|would you|did you|have you|do ye|don't ye|are ye))+$"
)
# "the cheap one" keeps its "one": there it is the thing, not a filler.
_THE_ONE = re.compile(r"\b(?:the|that|this|a|an|other|another) (?:\w+ )?one$")
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
    # "ask how my day was": after a question word the clause is the object, not a new one.
    r"(?<!\bhow)(?<!\bwhat)(?<!\bwhere)(?<!\bwhether)(?<!\bif)(?<!\bwhy)"
    r" (?:my|his|her|their|our|the) \w+ (?:made|was|were|had|said|told|kept|is|got|called|died)\b.*$"
)


_KNOWING = re.compile(
    r"^(?:forgot|forget|forgotten|know|knew|remember|remembered|realise|realised|realize|"
    r"realized|notice|noticed|mention|mentioned|tell me|told me|(?:only|just) said|"
    r"said (?=(?:that )?(?:the|my|your|his|her|their|our|it) )|"
    r"(?:only|just) thought|(?:only|just) asked if)\b"
)


_NOT_ONE = re.compile(
    r"\b(?:one|a single) (?:naira|penny|pence|pound|quid|cent|dollar|rupee|euro|kobo|shilling|red cent)\b ?"
)


# "the card is in my bag what": Singapore English's closing "what", not a question; kept
# where "what" is the object ("i know what", "that is what", "i said what").
_ASKS_WHAT = re.compile(
    r"\b(?:know|knew|see|saw|wonder|ask|asked|is|was|that|about|for|of|do|did)\b [^ ]+ what$"
    r"|\b(?:know|see|wonder|ask|asked|about|for|of|is|that|said|say) what$"
)


def _clean_vp(vp: str, swap: bool = True) -> str:
    """The verb phrase up to the next clause, tidied; with `swap`, the negative words
    that only make sense after "never" become positive ones ("anything" -> "things")."""
    vp = re.split(r"[.,!?;]|(?<!\d):|:(?!\d)", vp, maxsplit=1)[0]
    # "you've gone and booked it": the booking, not a going
    vp = re.sub(r"^(?:gone|went|go) and (?=\w)", "", vp)
    if _MANNER.match(vp):
        return ""
    # "forgot my parents were coming": after these verbs the clause is the object.
    if not vp.startswith(("my ", "the ", "his ", "her ", "our ", "their ")) and not _KNOWING.match(
        vp
    ):
        vp = _NEXT_CLAUSE.sub("", vp)
    vp = _BREAK.sub("", " " + vp).strip()
    vp = _WANT.sub("", vp)
    # "you dunno how to clean up after yourself": the act, not the knowing
    vp = re.sub(r"^(?:know|learn) how to ", "", vp)
    kept_one = _THE_ONE.search(vp) is not None
    vp = _TRAILERS.sub("", vp).strip()
    if vp.endswith(" what") and _ASKS_WHAT.search(vp) is None:
        vp = vp[: -len(" what")]
    if kept_one and not vp.endswith(" one"):
        vp += " one"
    vp = _THE_THINGS.sub("the things ", vp)
    # "didn't contribute one naira to the bill": the emphasis goes, the act stays;
    # "never listen to a single word i say" asks to be listened to.
    vp = _NOT_ONE.sub("", vp)
    vp = re.sub(r"\ba (?:single )?word (?:i|that i) say\b", "what i say", vp)
    # "listen to a word anyone says in this house", "lift a finger round here": the idiom
    # says the sweep; the act is listening, helping
    vp = re.sub(
        r"\blisten to a (?:single )?word (?:anyone|anybody|someone|somebody|we|people) says?\b"
        r"(?: (?:in|round|around) (?:this|the|here) ?(?:house|home|place)?)?",
        "listen to us",
        vp,
    )
    vp = re.sub(
        r"\blift a (?:single )?finger(?: to help)?(?: (?:round|around) (?:here|the house|this house))?",
        "help out",
        vp,
    )
    # "you did not ring once": the sweep goes, the act stays
    vp = re.sub(r"^((?:ring|call|phone|text|visit|ask|help|check)\b.*?) once$", r"\1", vp)
    # "don't think ahead about nothing": the sweep's object says nothing of the act
    vp = re.sub(r" about (?:nothing|anything|something|things)$", "", vp)
    # "find some excuse not to come for Amma's dana": the act, without the verdict
    vp = re.sub(r"^find (?:some|an|any|every) excuse not to ", "don't ", vp)
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
        and _BLAME_IN_ACT.search(vp) is None
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
            # "ask you three times to pay": how often, not an act of the other's
            "twice",
            "once",
            "three",
            "four",
            "five",
            "several",
            # "anyone else in this flat": a place, not an act
            "in",
            "on",
            "at",
            "for",
            "with",
            "from",
            "of",
            "into",
            "around",
        )
    )


# The past forms first, so "never once asked" is read as "never once", not "never".
_NEG = re.compile(rf"\b{_YOU_WE}(?:'ve| have)? (?P<neg>{_NEG_PAST}|{_NEG_HABIT}) (?P<vp>.+)")
_DID = re.compile(rf"\b{_YOU_WE}(?:(?P<have>'ve| have) | )(?P<vp>\w+\b.*)")

# --- filling -------------------------------------------------------------------------


def _capitalise(sentence: str) -> str:
    return sentence[:1].upper() + sentence[1:] if sentence else sentence


_I_WORDS = re.compile(r"\bi(?=\b|')")
_SENTENCE_START = re.compile(r"([.?!] )([a-z])")


_AT_HOME_OF = re.compile(r"\b(at (?:your|my|our|his|her|their) (?:grand)?parents)\b(?!')")


def _finish(line: str, message: _Message) -> str:
    line = _SPACES.sub(" ", line).strip()
    line = _I_WORDS.sub("I", line)
    words = line.split(" ")
    for i, word in enumerate(words):
        bare = word.strip(".,?!")
        key = bare.lower()
        proper = message.case.get(key) or _CAPITAL_WORDS.get(key)
        if proper is None and key.endswith("'s"):
            # "at dave's" -> "at Dave's", "maya's parents evening" -> "Maya's…"
            name = message.case.get(key[:-2]) or _CAPITAL_WORDS.get(key[:-2])
            proper = f"{name}'s" if name else None
        if proper and bare == key:
            words[i] = word.replace(bare, proper)
    line = " ".join(words)
    for lower, name in message.names.items():
        line = re.sub(rf"(?i)\b{re.escape(lower)}\b", name, line)
    line = _SENTENCE_START.sub(lambda m: m[1] + m[2].upper(), line)
    # "at your parents" is a place: "at your parents'" (the apostrophe is lost in reading).
    line = _AT_HOME_OF.sub(r"\1'", line)
    line = re.sub(r"\s+([.,?!])", r"\1", line).replace("..", ".").replace("?.", "?")
    line = re.sub(r"\b(you|we|they) was\b", r"\1 were", line)
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
