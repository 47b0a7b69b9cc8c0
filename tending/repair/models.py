"""Repair after conflict.

Privacy, by construction. A rupture has two kinds of content, kept in rows of
different Entry models so that the one privacy model (tending.bonds.privacy)
enforces the split:

- `Rupture` is the part that may one day be shared: the repair message, when it
  was sent, and the two "resolved" marks. It is PRIVATE while its author reflects
  and drafts, and becomes SHARED with the other member only at the moment the
  message is sent.
- `RuptureNote` holds everything that is only ever the author's: what happened,
  what I felt, the topic, owning my part, and the flooded pause. It may only be
  PRIVATE (enforced in `save`), so whatever happens to the rupture, nobody but
  its author ever reads it. It has no reverse accessor on `Rupture`, so a
  template cannot reach it through a shared rupture by accident.
- `RepairAnswer` is the other member's answer (accept, I need some time, let's
  talk at…), always SHARED, written by the member who received the message.
"""

from __future__ import annotations

import re
from typing import Any

from django.db import models
from django.utils import timezone

from tending.bonds.models import Bond
from tending.bonds.privacy import Entry, EntryQuerySet, Visibility, visibility_check
from tending.repair.content import content

MESSAGE_MAX = 2000
NOTE_MAX = 4000
OWN_TOPIC_MAX = 80


class RuptureQuerySet(EntryQuerySet):
    def unresolved(self, bond: Bond) -> RuptureQuerySet:
        """Ruptures of `bond` not yet resolved, oldest first.

        Chain after `visible_to(user)` to get what that person may see (their own,
        private or sent, and the ones sent to them): `Rupture.objects.visible_to(user)
        .unresolved(bond)`."""
        return self.filter(bond=bond, resolved_at__isnull=True).order_by("created_at", "pk")


class Rupture(Entry):
    """One "something happened", as its author started it (see the module docstring)."""

    message = models.TextField(blank=True, max_length=MESSAGE_MAX)
    sent_at = models.DateTimeField(null=True, blank=True)
    author_resolved_at = models.DateTimeField(null=True, blank=True)
    other_resolved_at = models.DateTimeField(null=True, blank=True)
    # Set only once both have marked it (or, for one never sent, its author alone).
    resolved_at = models.DateTimeField(null=True, blank=True)

    objects = RuptureQuerySet.as_manager()

    class Meta:
        constraints = [visibility_check(Visibility.PRIVATE, Visibility.SHARED)]
        indexes = [
            models.Index(fields=["bond", "resolved_at", "created_at"]),
            models.Index(fields=["bond", "sent_at"]),  # the garden's window
        ]

    @property
    def is_sent(self) -> bool:
        return self.sent_at is not None

    def resolved_mark_of(self, user: Any) -> Any:
        if user.pk == self.author_id:
            return self.author_resolved_at
        return self.other_resolved_at

    def mark_resolved(self, user: Any) -> bool:
        """Record that `user` feels this is resolved; True if that made it resolved.

        A sent rupture is resolved once both members have marked it; one never
        sent only concerns its author, whose mark resolves it. Each step is one
        conditional UPDATE, so two people marking at the same moment cannot
        leave it half-resolved: whichever mark lands second sees both."""
        now = timezone.now()
        rows = Rupture.objects.filter(pk=self.pk, resolved_at__isnull=True)
        if user.pk == self.author_id:
            rows.filter(author_resolved_at__isnull=True).update(author_resolved_at=now)
            if not self.is_sent:
                done = rows.filter(sent_at__isnull=True).update(resolved_at=now) == 1
                self.refresh_from_db()
                return done
        else:
            rows.filter(other_resolved_at__isnull=True).update(other_resolved_at=now)
        done = (
            rows.filter(author_resolved_at__isnull=False, other_resolved_at__isnull=False).update(
                resolved_at=now
            )
            == 1
        )
        self.refresh_from_db()
        return done


def topic_key(topic: str, own_topic: str) -> str:
    """What counts as "the same topic": a listed topic by id, one's own wording
    case- and space-insensitively."""
    if topic != "own":
        return topic
    return "own:" + re.sub(r"\s+", " ", own_topic).strip().casefold()[:OWN_TOPIC_MAX]


class RuptureNote(Entry):
    """The author's private side of a rupture; only ever PRIVATE."""

    export_exclude = ("topic_key",)

    rupture = models.OneToOneField(Rupture, on_delete=models.CASCADE, related_name="+")
    topic = models.CharField(max_length=32)  # a topic id from the data, or "own"
    own_topic = models.CharField(max_length=OWN_TOPIC_MAX, blank=True)
    topic_key = models.CharField(max_length=96)
    what_happened = models.TextField(blank=True, max_length=NOTE_MAX)
    what_i_felt = models.TextField(blank=True, max_length=NOTE_MAX)
    # Owning my part: prompt id -> what I wrote.
    my_part = models.JSONField(default=dict, blank=True)
    # The flooded pause: the flow waits until resume_after, and the worker
    # reminds once (reminded_at) unless the person came back first (resumed_at).
    resume_after = models.DateTimeField(null=True, blank=True)
    resumed_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [visibility_check(Visibility.PRIVATE)]
        indexes = [
            models.Index(fields=["bond", "author", "created_at"]),
            models.Index(fields=["resume_after", "reminded_at"]),
        ]

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The privacy of these notes must not depend on every view remembering it.
        self.visibility = Visibility.PRIVATE
        self.topic_key = topic_key(self.topic, self.own_topic)
        super().save(*args, **kwargs)

    @property
    def topic_label(self) -> str:
        if self.topic == "own":
            return self.own_topic or "Something else"
        return content().topic_label(self.topic)

    def is_waiting(self, now: Any = None) -> bool:
        now = now or timezone.now()
        return self.resume_after is not None and self.resumed_at is None and self.resume_after > now

    @property
    def my_part_answers(self) -> list[tuple[str, str]]:
        """(prompt, answer) pairs in the data's order, skipping unknown or empty ones."""
        answers = self.my_part if isinstance(self.my_part, dict) else {}
        return [
            (p.text, str(answers[p.id]))
            for p in content().owning_prompts
            if str(answers.get(p.id, "")).strip()
        ]


class AnswerKind(models.TextChoices):
    ACCEPT = "accept", "I accept your repair"
    NEED_TIME = "need_time", "I need some time"
    TALK_AT = "talk_at", "Let's talk at a time I suggest"


class RepairAnswer(Entry):
    """The other member's answer to a sent rupture; always SHARED."""

    rupture = models.ForeignKey(Rupture, on_delete=models.CASCADE, related_name="answers")
    kind = models.CharField(max_length=16, choices=AnswerKind.choices)
    talk_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True, max_length=500)

    class Meta:
        constraints = [visibility_check(Visibility.SHARED)]
        indexes = [
            models.Index(fields=["rupture", "created_at"]),
            models.Index(fields=["bond", "created_at"]),  # the garden's window
        ]

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.visibility = Visibility.SHARED
        super().save(*args, **kwargs)

    @property
    def summary(self) -> str:
        """The answer as a phrase after a name ("Bob accepted the repair")."""
        return _ANSWER_SUMMARIES.get(self.kind, "answered")


_ANSWER_SUMMARIES = {
    AnswerKind.ACCEPT: "accepted the repair",
    AnswerKind.NEED_TIME: "asked for some time",
    AnswerKind.TALK_AT: "suggested talking on",
}


def answered_by(user: Any, rupture_ids: list[int]) -> set[int]:
    """Which of these ruptures `user` has already answered (one read)."""
    if not rupture_ids:
        return set()
    return set(
        RepairAnswer.objects.filter(rupture_id__in=rupture_ids, author=user).values_list(
            "rupture_id", flat=True
        )
    )
