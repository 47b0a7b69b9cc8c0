from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, object]:
    return {
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL,
        "quick_exit_url": settings.QUICK_EXIT_URL,
        "unread_notifications": _unread(request),
    }


def _unread(request: HttpRequest) -> int:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    from tending.notify.models import Notification

    return Notification.objects.filter(user=user, read_at__isnull=True).count()
