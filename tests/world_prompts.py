"""Makers for the prompts app's entries, so the URL walk and hostile-input tests cover them.

alice and bob each leave a private journal-style answer and a sealed answer on a day the other
did not answer (both carry their private mark and must stay unseen); on one day both answered,
alice's answer and her guess carry the shared mark (bob may read them, nobody else)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from tending.accounts.models import User
from tending.bonds.privacy import Visibility
from tests.world import PARAM_VALUES, World, maker

PROMPT = "cur-001"
# Days back from today: (private answer, sealed answer only this person wrote).
_DAYS = {"alice": (6, 3), "bob": (5, 2)}
SHARED_DAY = 1


def _who(world: World, author: User) -> str:
    return "alice" if author.pk == world.alice.pk else "bob"


def _conversation(world: World) -> Any:
    from tending.prompts.models import Conversation

    if "conversation" not in world.objects:
        now = timezone.now()
        world.objects["conversation"] = Conversation.objects.create(
            bond=world.bond, week=0, week_start=now.date(), held_at=now, held_by=world.alice
        )
    return world.objects["conversation"]


@maker("prompts.DailyAnswer")
def _daily_answer(world: World, author: User, visibility: str, text: str) -> Any:
    from tending.prompts.models import AnswerKind, DailyAnswer, daily_seal

    today = timezone.now().date()
    if visibility == Visibility.PRIVATE:
        private_back, sealed_back = _DAYS[_who(world, author)]
        DailyAnswer.objects.create(
            bond=world.bond,
            author=author,
            visibility=Visibility.PRIVATE,
            day=today - timedelta(days=private_back),
            prompt_id=PROMPT,
            text=text,
        )
        day = today - timedelta(days=sealed_back)
        return DailyAnswer.objects.create(
            bond=world.bond,
            author=author,
            visibility=Visibility.SEALED,
            seal=daily_seal(day),
            day=day,
            prompt_id=PROMPT,
            text=text,
        )
    day = today - timedelta(days=SHARED_DAY)
    sealed = {"bond": world.bond, "visibility": Visibility.SEALED, "seal": daily_seal(day)}
    sealed.update(day=day, prompt_id=PROMPT)
    answer = DailyAnswer.objects.create(author=author, text=text, **sealed)
    other = world.bob if author.pk == world.alice.pk else world.alice
    DailyAnswer.objects.create(author=other, text="An answer both of them opened.", **sealed)
    world.objects["guess"] = DailyAnswer.objects.create(
        author=author, kind=AnswerKind.GUESS, text=text, **sealed
    )
    return answer


@maker("prompts.Favourite")
def _favourite(world: World, author: User, visibility: str, text: str) -> Any:
    from tending.prompts.models import Favourite

    if visibility != Visibility.PRIVATE:
        return None  # favourites are only ever private
    favourite = Favourite.objects.create(
        bond=world.bond,
        author=author,
        visibility=Visibility.PRIVATE,
        prompt_id="cur-002" if author.pk == world.alice.pk else "cur-003",
    )
    world.objects.setdefault("favourite", favourite)
    return favourite


@maker("prompts.HeardNote")
def _heard_note(world: World, author: User, visibility: str, text: str) -> Any:
    from tending.prompts.models import HeardNote

    if visibility != Visibility.SHARED:
        return None  # the note is always shared with the bond
    return HeardNote.objects.create(
        bond=world.bond,
        author=author,
        visibility=Visibility.SHARED,
        conversation=_conversation(world),
        text=text,
        updated_by=author,
        version=1,
    )


@maker("prompts.UnderstoodRating")
def _understood(world: World, author: User, visibility: str, text: str) -> Any:
    from tending.prompts.models import UnderstoodRating

    if visibility != Visibility.PRIVATE:
        return None  # a rating is private, or sealed for the shared average
    return UnderstoodRating.objects.create(
        bond=world.bond,
        author=author,
        visibility=Visibility.PRIVATE,
        conversation=_conversation(world),
        score=4 if author.pk == world.alice.pk else 2,
    )


PARAM_VALUES["guess"] = lambda world: world.objects["guess"].pk
PARAM_VALUES["favourite"] = lambda world: world.objects["favourite"].pk
PARAM_VALUES["conversation"] = lambda world: _conversation(world).pk


# alice's real feed: it is a public route (a secret link), so the walk checks that it
# carries none of the bond's marked text to anyone who has the link.
def _feed_token(world: World) -> str:
    from tending.prompts.models import CalendarFeed

    return CalendarFeed.objects.get_or_create(user=world.alice)[0].token


PARAM_VALUES["feed"] = _feed_token


@maker("prompts.DailyReaction")
def _daily_reaction(world: World, author: User, visibility: str, text: str) -> Any:
    from tending.prompts.models import DailyReaction, Reaction

    if visibility != Visibility.SHARED:
        return None  # written only under a revealed pair, so always shared
    day = timezone.now().date() - timedelta(days=SHARED_DAY)
    return DailyReaction.objects.get_or_create(
        bond=world.bond,
        author=author,
        day=day,
        kind=Reaction.HEART,
        defaults={"visibility": Visibility.SHARED},
    )[0]


@maker("prompts.DailyReply")
def _daily_reply(world: World, author: User, visibility: str, text: str) -> Any:
    from tending.prompts.models import DailyReply

    if visibility != Visibility.SHARED:
        return None  # written only under a revealed pair, so always shared
    day = timezone.now().date() - timedelta(days=SHARED_DAY)
    return DailyReply.objects.create(
        bond=world.bond, author=author, visibility=Visibility.SHARED, day=day, text=text
    )
