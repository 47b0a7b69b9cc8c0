from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from tending.bonds.privacy import Entry, EntryQuerySet, Visibility, visibility_check


class Timing(models.TextChoices):
    NOW = "now", "Now"
    AT = "at", "At a time I choose"
    SURPRISE = "surprise", "As a surprise, some time in a window"


class Reaction(models.TextChoices):
    HEART = "heart", "A heart"
    MADE_MY_DAY = "made_my_day", "This made my day"


class NoteQuerySet(EntryQuerySet):
    def narrowing(self, user: Any) -> Q:
        """The recipient sees a note only once it is delivered (the sender always)."""
        return Q(recipient=user, delivered_at__isnull=False)

    def received_by(self, user: Any) -> NoteQuerySet:
        return self.visible_to(user).filter(recipient=user)

    def unopened_for(self, user: Any, bond: Any) -> NoteQuerySet:
        """Notes delivered to `user` in `bond` that they have not opened yet."""
        return self.visible_in(user, bond).filter(recipient=user, opened_at__isnull=True)


class Note(Entry):
    """A short note or voice message for the other member of the bond.

    Shared with the recipient only from `delivered_at` on: until then it is the
    sender's alone (NoteQuerySet.narrowing).
    `deliver_at` is the UTC moment the worker delivers it; None once it can no
    longer be delivered (the bond ended first). A surprise's moment is drawn at
    random inside its window when the note is written."""

    export_exclude = ("voice_name", "claim", "claimed_until")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    text = models.TextField(blank=True, max_length=1000)
    timing = models.CharField(max_length=8, choices=Timing.choices, default=Timing.NOW)
    deliver_at = models.DateTimeField(null=True, blank=True)
    window_start = models.DateTimeField(null=True, blank=True)
    window_end = models.DateTimeField(null=True, blank=True)
    # Whose clock the sender typed the surprise window on ("sender" or "recipient") and
    # that clock's zone then, so both read the window as it was chosen.
    window_clock = models.CharField(max_length=12, blank=True, default="")
    window_zone = models.CharField(max_length=64, blank=True, default="")
    delivered_at = models.DateTimeField(null=True, blank=True)
    claim = models.CharField(max_length=32, blank=True, default="")
    claimed_until = models.DateTimeField(null=True, blank=True)
    # A voice message: a random file name under DATA_DIR/voice, never a URL.
    voice_name = models.CharField(max_length=32, blank=True, default="")
    voice_mime = models.CharField(max_length=32, blank=True, default="")
    voice_seconds = models.FloatField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    kept_at = models.DateTimeField(null=True, blank=True)
    reaction = models.CharField(max_length=12, choices=Reaction.choices, blank=True, default="")
    reacted_at = models.DateTimeField(null=True, blank=True)

    objects = NoteQuerySet.as_manager()

    class Meta:
        constraints = [visibility_check(Visibility.SHARED)]
        indexes = [
            models.Index(
                fields=["deliver_at"], condition=Q(delivered_at__isnull=True), name="notes_due"
            ),
            models.Index(fields=["bond", "recipient", "delivered_at"]),
            models.Index(fields=["bond", "delivered_at"]),  # the garden's window
            # "A note for you" on the bond's home: only the few not yet opened.
            models.Index(
                fields=["bond", "recipient"],
                condition=Q(opened_at__isnull=True),
                name="notes_unopened",
            ),
        ]

    def save(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        self.visibility = Visibility.SHARED
        super().save(*args, **kwargs)

    @property
    def has_voice(self) -> bool:
        return bool(self.voice_name)

    @property
    def voice_length(self) -> str:
        # Whole seconds, as audio players count them (2.6 s shows as 0:02 there too);
        # a message under a second still reads 0:01, not 0:00.
        seconds_in = self.voice_seconds or 0
        minutes, seconds = divmod(max(int(seconds_in), 1 if seconds_in > 0 else 0), 60)
        return f"{minutes}:{seconds:02d}"

    @property
    def status(self) -> str:
        if self.delivered_at:
            return "delivered"
        return "waiting" if self.deliver_at else "held"
