from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone

from tending.bonds import events

INVITATION_LIFETIME = timedelta(days=14)
_INVITE_SALT = "tending.bonds.invitation"


class Kind(models.TextChoices):
    PARTNER = "partner", "Partner"
    FRIEND = "friend", "Friend"
    SIBLING = "sibling", "Sibling"
    PARENT_CHILD = "parent_child", "Parent and child"
    JUST_ME = "just_me", "Just me"


KIND_DESCRIPTIONS = {
    Kind.PARTNER: "For the two of you as a couple.",
    Kind.FRIEND: "For a friendship you want to keep close.",
    Kind.SIBLING: "For a sibling, at any age.",
    Kind.PARENT_CHILD: "For a parent and a grown or growing child.",
    Kind.JUST_ME: "A private space to reflect on a relationship on your own.",
}


def _new_nonce() -> str:
    return secrets.token_hex(16)


def _new_seed() -> int:
    return secrets.randbelow(2**31)


class BondQuerySet(models.QuerySet["Bond"]):
    def of(self, user: settings.AUTH_USER_MODEL) -> BondQuerySet:
        """Bonds this person belongs to or belonged to and still keeps an archive of."""
        return self.filter(
            memberships__user=user, memberships__archive_deleted_at__isnull=True
        ).distinct()


class Bond(models.Model):
    kind = models.CharField(max_length=16, choices=Kind.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    # Per-bond randomness for prompt choice, so both members see the same prompt.
    seed = models.IntegerField(default=_new_seed)

    objects = BondQuerySet.as_manager()

    def __str__(self) -> str:
        return f"bond {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("bonds:detail", args=[self.pk])

    @property
    def is_solo_kind(self) -> bool:
        return self.kind == Kind.JUST_ME

    @property
    def is_active(self) -> bool:
        return self.ended_at is None

    @property
    def capacity(self) -> int:
        return 1 if self.kind == Kind.JUST_ME else 2

    def membership_of(self, user: settings.AUTH_USER_MODEL) -> Membership | None:
        for m in self.memberships.all():
            if m.user_id == user.pk:
                return m
        return None

    def other_member(self, user: settings.AUTH_USER_MODEL) -> settings.AUTH_USER_MODEL | None:
        for m in self.memberships.all():
            if m.user_id != user.pk:
                return m.user
        return None

    def is_open_for(self, user: settings.AUTH_USER_MODEL) -> bool:
        """May this person write in the bond now (a member of a bond that has not ended)?"""
        m = self.membership_of(user)
        return self.is_active and m is not None and m.left_at is None

    def pending_invitation(self) -> Invitation | None:
        """The invitation link that still works, if there is one."""
        return (
            self.invitations.filter(
                accepted_at__isnull=True,
                revoked_at__isnull=True,
                declined_at__isnull=True,
                expires_at__gt=timezone.now(),
            )
            .order_by("-created_at")
            .first()
        )

    def end(self, leaver: settings.AUTH_USER_MODEL) -> bool:
        """The bond ends for both; each keeps a read-only archive. Tells nobody
        (see `leave`). True if this call ended it."""
        now = timezone.now()
        with transaction.atomic():
            ended = Bond.objects.filter(pk=self.pk, ended_at__isnull=True).update(ended_at=now)
            self.memberships.filter(user=leaver, left_at__isnull=True).update(left_at=now)
            self.invitations.filter(accepted_at__isnull=True, revoked_at__isnull=True).update(
                revoked_at=now
            )
        self.ended_at = self.ended_at or now
        return bool(ended)

    def leave(self, leaver: settings.AUTH_USER_MODEL) -> None:
        """Someone leaves: the bond ends, and the apps above learn of it
        (`events.bond_ended`), so the other member is told."""
        other = self.other_member(leaver)
        if self.end(leaver):
            events.bond_ended.send(Bond, bond=self, leaver=leaver, other=other)


class Membership(models.Model):
    bond = models.ForeignKey(Bond, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    joined_at = models.DateTimeField(default=timezone.now)
    left_at = models.DateTimeField(null=True, blank=True)
    # Set when this person deletes their archive of an ended bond; the row stays
    # so the other member's archive still knows the bond had two people.
    archive_deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["bond", "user"], name="one_membership_per_person")
        ]


class Invitation(models.Model):
    bond = models.ForeignKey(Bond, on_delete=models.CASCADE, related_name="invitations")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    # Part of the signed token: a revoked invitation's link can never come back.
    nonce = models.CharField(max_length=32, default=_new_nonce)
    email = models.EmailField(blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    declined_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # Set by the worker when it has handled the expiry (told the inviter).
    expiry_handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["expires_at", "expiry_handled_at"])]

    def save(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        if not self.expires_at:
            self.expires_at = (self.created_at or timezone.now()) + INVITATION_LIFETIME
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("bonds:invitation", args=[self.token])

    @property
    def token(self) -> str:
        # No timestamp in the signature: the same invitation always has the same
        # link, and expiry is kept in the database.
        return signing.Signer(salt=_INVITE_SALT).sign_object([self.pk, self.nonce], compress=True)

    @classmethod
    def from_token(cls, token: str) -> Invitation | None:
        try:
            pk, nonce = signing.Signer(salt=_INVITE_SALT).unsign_object(token)
        except (signing.BadSignature, ValueError, TypeError):
            return None
        if not isinstance(pk, int) or not isinstance(nonce, str):
            return None
        return cls.objects.select_related("bond", "created_by").filter(pk=pk, nonce=nonce).first()

    @property
    def status(self) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if self.declined_at:
            return "declined"
        if self.expires_at <= timezone.now():
            return "expired"
        return "pending"
