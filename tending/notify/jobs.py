import logging
from datetime import timedelta

from django.utils import timezone

from tending.lib import claims
from tending.notify import push
from tending.notify.models import EmailState, Notification
from tending.notify.service import send_due_emails
from tending.ops.jobs import chore, job

log = logging.getLogger(__name__)


@job
def send_notification_emails() -> bool:
    return send_due_emails() > 0


@job
def send_push_notifications() -> bool:
    return push.send_due_pushes() > 0


@chore(every=timedelta(minutes=1))
def close_interrupted_pushes() -> None:
    """As for email: a push left "sending" by a worker that died is never sent
    again (at most once per device)."""
    closed = push.close_interrupted(timezone.now())
    if closed:
        log.warning("%d pushes were interrupted while being sent", closed)


@chore(every=timedelta(minutes=1))
def close_interrupted_emails() -> None:
    """An email left "sending" by a worker that died (its lease ran out) may have
    gone out or not; it is marked interrupted, never sent again: the
    notification itself is always there in the app (at most once by email)."""
    stuck = Notification.objects.filter(email_state=EmailState.SENDING).filter(
        claims.free(timezone.now())
    )
    ids = list(stuck.values_list("pk", flat=True)[:500])
    if ids:
        closed = stuck.filter(pk__in=ids).update(
            email_state=EmailState.INTERRUPTED, **claims.RELEASED
        )
        log.warning("%d notification emails were interrupted while being sent", closed)
