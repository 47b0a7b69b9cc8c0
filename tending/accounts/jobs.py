import logging
import secrets
from datetime import datetime, timedelta
from functools import partial

from django.contrib.auth.tokens import default_token_generator
from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tending.accounts.models import AccountEmail, ClientThrottle, LoginThrottle, PendingSignup, User
from tending.lib import claims, emails
from tending.ops.jobs import STOP, chore, job

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=1)
BATCH = 20
MAX_ATTEMPTS = 4


@job
def send_account_emails() -> bool:
    """Sign-up and password-reset emails, sent here rather than in the request
    so that an address with an account and one without take the same time."""
    return claims.run(_due, _send_batch, limit=BATCH, lease=LEASE) > 0


def _due(now: datetime) -> QuerySet[AccountEmail]:
    return AccountEmail.objects.order_by("created_at", "pk")


def _send_batch(batch: list[AccountEmail], now: datetime) -> None:
    lease = claims.Lease.of(batch[0], LEASE)
    claims.handle(
        lease,
        batch,
        partial(_send, lease),
        failed="account email %s failed",
        stop=STOP.is_set,
        atomic=False,
    )


def _send(lease: claims.Lease[AccountEmail], request: AccountEmail) -> None:
    """Send one, then forget it (it holds an address, and for a sign-up a
    password hash). A failure leaves it to be tried again when the lease ends,
    up to MAX_ATTEMPTS times."""
    if lease.held(request).update(attempts=F("attempts") + 1) != 1:
        return
    try:
        if request.kind == AccountEmail.Kind.RESET:
            _reset(request.email)
        else:
            _signup(request)
    except Exception:
        if request.attempts + 1 >= MAX_ATTEMPTS:
            lease.held(request).delete()
            log.warning("account email %s given up after %s attempts", request.pk, MAX_ATTEMPTS)
        raise
    lease.held(request).delete()


def _reset(email: str) -> None:
    for user in User.objects.filter(email__iexact=email, is_active=True):
        if not user.has_usable_password():
            continue
        emails.send(
            "password-reset",
            user.email,
            {
                "user": user,
                "uid": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
        )


def _signup(request: AccountEmail) -> None:
    if User.objects.filter(email__iexact=request.email).exists():
        emails.send("signup-existing", request.email, {"login_url": reverse("accounts:login")})
        return
    token = secrets.token_urlsafe(32)
    PendingSignup.objects.create(
        email=request.email,
        display_name=request.display_name,
        time_zone=request.time_zone,
        password=request.password,
        token_hash=PendingSignup.hash_token(token),
        next_url=request.next_url,
    )
    emails.send(
        "signup-confirm",
        request.email,
        {"name": request.display_name, "confirm_url": reverse("accounts:confirm", args=[token])},
    )


@chore(every=timedelta(hours=1))
def forget_stale_signups() -> None:
    PendingSignup.objects.filter(created_at__lt=timezone.now() - PendingSignup.LIFETIME).delete()


@chore(every=timedelta(hours=1))
def forget_old_login_failures() -> None:
    stale = timezone.now() - timedelta(days=1)
    for model in (LoginThrottle, ClientThrottle):
        model.objects.filter(last_failure__lt=stale).delete()
