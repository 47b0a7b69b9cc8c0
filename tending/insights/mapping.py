"""Proposing which chat participant is which member of the bond.

The rule, in order (the person always confirms or corrects it):
1. A participant whose name equals a member's display name, ignoring case,
   accents and spacing, is that member.
2. Otherwise a participant whose first word equals the first word of a member's
   display name is that member, when exactly one participant matches that way.
3. If the uploader is still unmatched, the unmatched participant with the most
   messages is proposed as the uploader: people mostly export chats they write
   in a lot themselves, and the export's owner is in every chat they export.
4. If the other member is still unmatched and exactly one participant is left
   (a two-person chat), that participant is proposed as the other member.
5. Everyone else is "someone else".
"""

from __future__ import annotations

import unicodedata

from tending.insights.models import Role

# At most this many participants are asked about; the rest count as someone else.
MAX_ASKED = 12


def _key(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.split())


def _first_word(name: str) -> str:
    key = _key(name)
    return key.split(" ", 1)[0] if key else ""


def propose(participants: list[str], uploader_name: str, other_name: str | None) -> dict[str, str]:
    """`participants` most messages first. Returns participant -> Role value."""
    members = {Role.AUTHOR.value: uploader_name}
    if other_name is not None:
        members[Role.OTHER.value] = other_name
    found: dict[str, str] = {}
    for role, name in members.items():
        exact = [p for p in participants if p not in found and _key(p) == _key(name)]
        if exact:
            found[exact[0]] = role
    for role, name in members.items():
        if role in found.values() or not _first_word(name):
            continue
        loose = [p for p in participants if p not in found and _first_word(p) == _first_word(name)]
        if len(loose) == 1:
            found[loose[0]] = role
    left = [p for p in participants if p not in found]
    if Role.AUTHOR.value not in found.values() and left:
        found[left.pop(0)] = Role.AUTHOR.value
    if Role.OTHER.value in members and Role.OTHER.value not in found.values() and len(left) == 1:
        found[left.pop(0)] = Role.OTHER.value
    return {p: found.get(p, Role.SOMEONE.value) for p in participants}
