from datetime import timedelta

from django.utils import timezone

from tending.accounts.models import ClientThrottle, LoginThrottle, PendingSignup
from tending.ops.jobs import chore


@chore(every=timedelta(hours=1))
def forget_stale_signups() -> None:
    PendingSignup.objects.filter(created_at__lt=timezone.now() - PendingSignup.LIFETIME).delete()


@chore(every=timedelta(hours=1))
def forget_old_login_failures() -> None:
    stale = timezone.now() - timedelta(days=1)
    for model in (LoginThrottle, ClientThrottle):
        model.objects.filter(last_failure__lt=stale).delete()
