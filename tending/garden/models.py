from __future__ import annotations

from django.conf import settings
from django.db import models


class TodayChoice(models.Model):
    """What someone did with today's suggested step: done, or "another idea"."""

    bond = models.ForeignKey("bonds.Bond", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    key = models.CharField(max_length=64)  # which suggestion
    done = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["bond", "user", "day"]),
            models.Index(fields=["bond", "created_at"]),  # the garden's window
        ]


class LastSeen(models.Model):
    """When someone last looked at their bond's home, for "shared since I last looked"."""

    bond = models.ForeignKey("bonds.Bond", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    seen_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["bond", "user"], name="one_last_seen")]
