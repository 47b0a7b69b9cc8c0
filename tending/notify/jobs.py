from tending.notify.service import send_due_emails
from tending.ops.jobs import job


@job
def send_notification_emails() -> bool:
    return send_due_emails() > 0
