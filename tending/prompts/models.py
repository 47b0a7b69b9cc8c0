from __future__ import annotations

import secrets
import zoneinfo
from datetime import date
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from tending.bonds.models import Bond
from tending.bonds.privacy import Entry, Visibility, visibility_check
from tending.lib.timeutil import local_today
from tending.prompts import library
from tending.prompts.library import Prompt

_FEED_SALT = "tending.prompts.calendar"


def _new_nonce() -> str:
    return secrets.token_hex(16)


class PromptState(models.Model):
    """Which prompts a bond has met (the state of `choosing.py`) and the bond's own calendar.

    `day_zero` is the bond's first day in `zone`, the zone of the member who created the bond,
    taken when this row is made and never changed afterwards: both members count the bond's days
    alike, so they share one question a day. Writers change the row only at the `version` they
    read (see `state.update`), so no used-prompt mark is ever lost to a concurrent write."""

    bond = models.OneToOneField(Bond, on_delete=models.CASCADE, related_name="+")
    state = models.JSONField(default=dict)
    zone = models.CharField(max_length=64, default="UTC")
    day_zero = models.DateField()
    version = models.PositiveIntegerField(default=0)

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        try:
            return zoneinfo.ZoneInfo(self.zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo("UTC")

    def today(self) -> date:
        return local_today(self.tz)

    def day_index(self, day: date | None = None) -> int:
        """The bond's day number: 0 on `day_zero`, never negative."""
        return max(0, ((day or self.today()) - self.day_zero).days)


class AnswerKind(models.TextChoices):
    ANSWER = "answer", "An answer"
    GUESS = "guess", "A guess about the other"


class Closeness(models.TextChoices):
    CLOSE = "close", "Close"
    PARTLY = "partly", "Partly"
    NOT_REALLY = "not_really", "Not really"


def daily_seal(day: date) -> str:
    return f"daily:{day.isoformat()}"


class DailyAnswer(Entry):
    """An answer to the daily question, or a guess at the other's answer.

    In a bond of two both are sealed with `daily_seal(day)`: each member sees the other's answer
    and guess only once they have answered that day themselves. A guess is only ever written by
    someone who answers that day too (the views see to it), so writing one opens nothing early.
    In a just-me bond answers are private journal entries. `closeness` is set on a guess by the
    person the guess was about."""

    day = models.DateField()  # the bond's local date
    prompt_id = models.CharField(max_length=16)
    kind = models.CharField(max_length=8, choices=AnswerKind.choices, default=AnswerKind.ANSWER)
    text = models.TextField(max_length=2000)
    closeness = models.CharField(max_length=12, choices=Closeness.choices, blank=True)

    class Meta:
        constraints = [
            visibility_check(Visibility.SEALED, Visibility.PRIVATE),
            models.UniqueConstraint(
                fields=["bond", "author", "day", "kind"], name="one_daily_answer_of_a_kind"
            ),
        ]
        indexes = [
            # The sealed rule's check, "has the viewer answered with this seal?",
            # one probe per answer read (bonds/privacy.py). Without the author in
            # the index that probe read all of a person's answers: 23 ms per
            # garden after five years.
            models.Index(fields=["bond", "seal", "author"]),
            models.Index(fields=["bond", "day"]),
            # The garden's window, read from the index alone (with what the
            # privacy rule looks at, the seal included).
            models.Index(fields=["bond", "created_at", "author", "visibility", "seal"]),
        ]

    @property
    def prompt(self) -> Prompt | None:
        try:
            return library.by_id(self.prompt_id)
        except KeyError:
            return None


class DailyChoice(models.Model):
    """One person's own day with the daily question: skipped, another prompt chosen, and which
    gentle notifications they have had. Holds nothing anyone wrote and is read only in that
    person's own views, so the other member never learns of a skip."""

    bond = models.ForeignKey(Bond, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    skipped = models.BooleanField(default=False)
    alternative_id = models.CharField(max_length=16, blank=True)
    # "X answered, yours is waiting" and "you can both see the answers": once a day each.
    waiting_sent = models.BooleanField(default=False)
    ready_sent = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["bond", "user", "day"], name="one_daily_choice")
        ]

    @property
    def alternative(self) -> Prompt | None:
        if not self.alternative_id:
            return None
        try:
            return library.by_id(self.alternative_id)
        except KeyError:
            return None


class Favourite(Entry):
    """A prompt someone saved for later: private, listed only for them."""

    prompt_id = models.CharField(max_length=16)

    class Meta:
        constraints = [
            visibility_check(Visibility.PRIVATE),
            models.UniqueConstraint(fields=["bond", "author", "prompt_id"], name="one_favourite"),
        ]

    @property
    def prompt(self) -> Prompt | None:
        try:
            return library.by_id(self.prompt_id)
        except KeyError:
            return None


class ConversationSlot(models.Model):
    """The bond's weekly conversation time: a weekday and a wall-clock time in `zone`, the zone
    of the member who set it. `next_reminder_at` is the UTC moment of the next reminder, computed
    with `tending.lib.timeutil` (see `schedule.next_reminder`) and moved on after each one."""

    bond = models.OneToOneField(Bond, on_delete=models.CASCADE, related_name="+")
    weekday = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(0), MaxValueValidator(6)]
    )  # Monday = 0
    at = models.TimeField()
    zone = models.CharField(max_length=64)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)
    # The calendar feed's SEQUENCE: calendar apps take the highest as the current version.
    sequence = models.PositiveIntegerField(default=0)
    next_reminder_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["next_reminder_at"])]

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        try:
            return zoneinfo.ZoneInfo(self.zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo("UTC")


class Conversation(models.Model):
    """One week's meaningful conversation in a bond (`week` counts the bond's weeks from 0).
    `held_at` is set once, by whoever taps "we did it" first."""

    bond = models.ForeignKey(Bond, on_delete=models.CASCADE, related_name="+")
    week = models.PositiveIntegerField()
    week_start = models.DateField()
    prompt_ids = models.JSONField(default=list, blank=True)
    speaker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    held_at = models.DateTimeField(null=True, blank=True)
    held_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["bond", "week"], name="one_conversation_a_week")
        ]
        indexes = [models.Index(fields=["bond", "held_at"])]

    @property
    def prompts(self) -> list[Prompt]:
        found = []
        for prompt_id in self.prompt_ids:
            try:
                found.append(library.by_id(prompt_id))
            except KeyError:
                continue
        return found


class HeardNote(Entry):
    """The shared "what I heard" note of one conversation; either member may edit it.
    `version` goes up with each save, so an edit made on a stale page is not silently lost."""

    conversation = models.OneToOneField(Conversation, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(max_length=4000, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [visibility_check(Visibility.SHARED)]


def understood_seal(conversation: Conversation) -> str:
    return f"understood:{conversation.pk}"


class UnderstoodRating(Entry):
    """How understood someone felt in one conversation, 1 to 5.

    Private, unless its author includes it in the shared average: then it is sealed with
    `understood_seal`, and a private rating carries no seal. So the other member's rating opens
    to someone only when both have chosen to include theirs, and the page then shows just the
    average of the two."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )

    class Meta:
        constraints = [
            visibility_check(Visibility.PRIVATE, Visibility.SEALED),
            models.UniqueConstraint(fields=["conversation", "author"], name="one_rating_each"),
        ]
        indexes = [models.Index(fields=["bond", "seal", "author"])]  # the sealed rule's check

    @property
    def in_average(self) -> bool:
        return self.visibility == Visibility.SEALED


class DeckRun(models.Model):
    """A themed deck a bond chose for a few weeks (see `choosing.DeckRun`).

    `first_day` and `last_day` are the bond's day indices (`PromptState.day_index`), inclusive,
    so both members read the same run. `ended_at` is set when someone stops the deck or a new
    one replaces it; a run whose last day has passed simply stops mixing in. At most one run per
    bond is open (not ended) at a time, which a concurrent second choice cannot get round."""

    bond = models.ForeignKey(Bond, on_delete=models.CASCADE, related_name="+")
    deck = models.CharField(max_length=32)
    first_day = models.PositiveIntegerField()
    last_day = models.PositiveIntegerField()
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["bond"], condition=models.Q(ended_at__isnull=True), name="one_open_deck"
            )
        ]

    @property
    def weeks(self) -> int:
        return (self.last_day - self.first_day + 1) // 7


class DeckOptIn(models.Model):
    """One member's private yes to a deck that opens only when both members opt in, and for how
    many weeks they would like it. Read only in that member's own views: the other member never
    learns of a yes that is not matched. Both rows are removed when the deck opens, so each run
    has its own consent."""

    bond = models.ForeignKey(Bond, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    deck = models.CharField(max_length=32)
    weeks = models.PositiveSmallIntegerField(default=3)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["bond", "user", "deck"], name="one_deck_opt_in")
        ]


class CalendarFeed(models.Model):
    """A person's private calendar feed. The secret URL carries a signed (user, nonce) pair, so
    the database alone does not give it away; a new nonce makes every earlier link stop working."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    nonce = models.CharField(max_length=32, default=_new_nonce)
    created_at = models.DateTimeField(default=timezone.now)

    @property
    def token(self) -> str:
        # No timestamp: the same feed keeps the same link until it is reset.
        return signing.Signer(salt=_FEED_SALT).sign_object(
            [self.user_id, self.nonce], compress=True
        )

    @classmethod
    def from_token(cls, token: str) -> CalendarFeed | None:
        if len(token) > 200:
            return None
        try:
            data: Any = signing.Signer(salt=_FEED_SALT).unsign_object(token)
        except (signing.BadSignature, ValueError, TypeError):
            return None
        if not (isinstance(data, list) and len(data) == 2):
            return None
        user_id, nonce = data
        if not isinstance(user_id, int) or not isinstance(nonce, str):
            return None
        return cls.objects.select_related("user").filter(user_id=user_id, nonce=nonce).first()

    def reset(self) -> None:
        self.nonce = _new_nonce()
        self.created_at = timezone.now()
        self.save(update_fields=["nonce", "created_at"])


class Reaction(models.TextChoices):
    """The small fixed set of reactions to a revealed pair of daily answers."""

    HEART = "heart", "❤️"
    LAUGH = "laugh", "😂"
    HUG = "hug", "🤗"
    THINK = "think", "🤔"
    MORE = "more", "Tell me more"


REACTION_NAMES = {
    Reaction.HEART: "Love it",
    Reaction.LAUGH: "Made me laugh",
    Reaction.HUG: "A hug",
    Reaction.THINK: "Got me thinking",
    Reaction.MORE: "Tell me more",
}


class DailyReaction(Entry):
    """One member's reaction to a day's pair of answers. Only ever written once both have
    answered that day (the views see to it), so it is shared from the start: both members see
    it, nobody else. One of each kind per person and day; tapping it again takes it back."""

    day = models.DateField()
    kind = models.CharField(max_length=8, choices=Reaction.choices)

    class Meta:
        constraints = [
            visibility_check(Visibility.SHARED),
            models.UniqueConstraint(
                fields=["bond", "author", "day", "kind"], name="one_daily_reaction_of_a_kind"
            ),
        ]
        indexes = [models.Index(fields=["bond", "day"])]


class ReactionNotice(models.Model):
    """That the other member was told of this reaction, so that taking a reaction back and
    giving it again tells them only once: one row per person, day (their pair of answers) and
    kind, kept when the reaction itself is taken back. Holds nothing anyone wrote."""

    bond = models.ForeignKey(Bond, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    kind = models.CharField(max_length=8, choices=Reaction.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["bond", "author", "day", "kind"], name="one_reaction_notice"
            )
        ]


class DailyReply(Entry):
    """A short reply under a day's pair of answers, written once both have answered, so shared
    with the bond like the pair itself."""

    day = models.DateField()
    text = models.TextField(max_length=500)

    class Meta:
        constraints = [visibility_check(Visibility.SHARED)]
        indexes = [models.Index(fields=["bond", "day", "created_at"])]


class ConversationAsk(models.Model):
    """A daily question someone said "tell me more" about: it joins the prompts of the next
    weekly conversation that is held, then stays with that conversation (`conversation`).
    Holds a prompt id, never anything a person wrote."""

    bond = models.ForeignKey(Bond, on_delete=models.CASCADE, related_name="+")
    prompt_id = models.CharField(max_length=16)
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)
    conversation = models.ForeignKey(
        Conversation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["bond", "prompt_id", "day"], name="one_ask_a_day")
        ]

    @property
    def prompt(self) -> Prompt | None:
        try:
            return library.by_id(self.prompt_id)
        except KeyError:
            return None
