from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from tending.bonds.privacy import Entry, Visibility, visibility_check
from tending.feelings.vocabulary import vocabulary


class FeelingCheckin(Entry):
    """One named feeling: a broad family, a precise word, how strong, and
    optionally what is behind it."""

    family = models.CharField(max_length=32)
    word = models.CharField(max_length=48)
    intensity = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    note = models.TextField(blank=True, max_length=2000)

    class Meta:
        constraints = [visibility_check(Visibility.PRIVATE, Visibility.SHARED)]
        # The garden's window, read from the index alone (with what the privacy
        # rule looks at), so it stays a few pages whatever the history.
        indexes = [models.Index(fields=["bond", "created_at", "author", "visibility"])]

    @property
    def word_label(self) -> str:
        word = vocabulary().word(self.word)
        return word.word if word else self.word

    @property
    def colour(self) -> str:
        family = vocabulary().family(self.family)
        return family.colour if family else "#777777"

    @property
    def intensity_label(self) -> str:
        return vocabulary().intensity.get(self.intensity, "")
