from django.http import HttpRequest

from tending.notify.models import Notification


def unread(request: HttpRequest) -> dict[str, object]:
    """The unread count beside "Notifications" in the site's header."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications": 0}
    count = Notification.objects.filter(user=user, in_app=True, read_at__isnull=True).count()
    return {"unread_notifications": count}
