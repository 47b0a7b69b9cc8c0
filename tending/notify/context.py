from django.http import HttpRequest

from tending.notify.models import unread_of


def unread(request: HttpRequest) -> dict[str, object]:
    """The unread count beside "Notifications" in the site's header."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications": 0}
    # A bond page read the count with its bond (bonds.views.member_bond); a page
    # that writes may have changed it since, so only a GET takes it from there.
    count = getattr(request, "_bond_facts", {}).get("unread_notifications")
    if count is None or request.method != "GET":
        count = unread_of(user.pk).count()
    return {"unread_notifications": count}
