from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from tending.bonds.privacy import Entry, EntryQuerySet, Visibility, visibility_check


class Status(models.TextChoices):
    QUEUED = "queued", "Waiting to be read"
    PROCESSING = "processing", "Being read"
    NEEDS_DATE_ORDER = "dates", "Waiting for the date order"
    NEEDS_MAPPING = "mapping", "Waiting for you to say who is who"
    READY = "ready", "Ready"
    FAILED = "failed", "Could not be read"


# Statuses in which the worker still has (or will have) something to do.
ACTIVE = (Status.QUEUED, Status.PROCESSING)


class Role(models.TextChoices):
    """Who a chat participant is, relative to the import's author."""

    AUTHOR = "author", "The person who uploaded"
    OTHER = "other", "The other member of the bond"
    SOMEONE = "someone", "Someone else"


class ChatImportQuerySet(EntryQuerySet):
    def narrowing(self, user: Any) -> Q:
        """The other member sees the insights of a ready import they agreed to
        (see ChatImport)."""
        agreed = InsightConsent.objects.filter(
            chat_import=OuterRef("pk"),
            user=user,
            agreed_at__isnull=False,
            hidden_at__isnull=True,
        )
        return Q(status=Status.READY) & Exists(agreed)

    def offered_to(self, user: Any) -> ChatImportQuerySet:
        """Imports whose *existence* `user` may know of: their own, and those the
        uploader offers to them (to ask for their consent) that they have not
        hidden. Says nothing about seeing the insights: that is `visible_to`."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        hidden = InsightConsent.objects.filter(
            chat_import=OuterRef("pk"), user=user, hidden_at__isnull=False
        )
        return self.filter(
            Q(author=user) | (self.others_rule(user) & Q(status=Status.READY) & ~Exists(hidden))
        )


class ChatImport(Entry):
    """One chat export a member uploaded, and the monthly figures read from it.

    Who sees what (enforced here and in `ChatImportQuerySet`, nowhere else):
    - The uploader (author) sees everything about their import, always.
    - The other member of the bond learns that an import exists only once the
      uploader has confirmed who is who and offers it to them (visibility
      SHARED, status READY), and unless they hid it for themselves.
    - They see the insights only while they have agreed (an `InsightConsent`
      with `agreed_at` set and not hidden) *and* the uploader still offers it.
      Either can withdraw: the uploader by making it private again (which also
      clears the other's agreement, so they are asked afresh), the other
      member by withdrawing their agreement.
    - Nobody outside the bond ever sees anything of it.

    What is kept: the monthly figures (`report`, no message text) and who is who
    (`mapping`). The uploaded file lives under DATA_DIR/imports only until the
    worker has read it (or given up on it), then it is deleted."""

    export_exclude = ("file_name", "claim", "claimed_until", "date_samples")

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    # A random name under DATA_DIR/imports; empty once the file is gone.
    file_name = models.CharField(max_length=32, blank=True, default="")
    file_size = models.BigIntegerField(default=0)
    format_requested = models.CharField(max_length=12, default="auto")
    format = models.CharField(max_length=12, blank=True, default="")
    date_order = models.CharField(max_length=3, blank=True, default="")
    date_samples = models.JSONField(default=list, blank=True)
    date_suggested = models.CharField(max_length=3, blank=True, default="")
    # Progress while the worker reads: bytes of the chat text read so far (when
    # the format reports it) and messages read so far.
    progress_done = models.BigIntegerField(default=0)
    progress_total = models.BigIntegerField(default=0)
    progress_messages = models.PositiveIntegerField(default=0)
    # The worker reading the file holds the row (tending.lib.claims) and renews
    # the lease as it makes progress.
    claim = models.CharField(max_length=32, blank=True, default="")
    claimed_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # Fixed wording for the person (a ChatFormatError's message); never chat text.
    error = models.CharField(max_length=500, blank=True, default="")
    report = models.JSONField(null=True, blank=True)
    mapping = models.JSONField(default=dict, blank=True)  # participant name -> Role
    processed_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    offered_at = models.DateTimeField(null=True, blank=True)  # first offered to the other

    objects = ChatImportQuerySet.as_manager()

    class Meta:
        constraints = [visibility_check(Visibility.PRIVATE, Visibility.SHARED)]
        indexes = [
            models.Index(fields=["bond", "created_at"]),
            models.Index(fields=["status", "created_at"]),
        ]

    def get_absolute_url(self) -> str:
        return reverse("insights:detail", args=[self.bond_id, self.pk])

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE

    @property
    def percent(self) -> int | None:
        if not self.progress_total:
            return None
        return min(100, round(100 * self.progress_done / self.progress_total))

    def participants(self) -> list[str]:
        return list((self.report or {}).get("participants", []))


class InsightConsent(models.Model):
    """The other member's answer about one import: agreed to see the insights
    together (`agreed_at`), or asked to hide it for themselves (`hidden_at`).
    Withdrawing an agreement clears `agreed_at`."""

    chat_import = models.ForeignKey(ChatImport, on_delete=models.CASCADE, related_name="consents")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    agreed_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["chat_import", "user"], name="insights_one_consent")
        ]
