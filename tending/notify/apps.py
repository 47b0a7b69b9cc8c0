from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "tending.notify"

    def ready(self) -> None:
        from tending.bonds.views import register_bond_fact
        from tending.notify import receivers  # noqa: F401  (connects the bond events)
        from tending.notify.models import unread_count_of

        register_bond_fact("unread_notifications", unread_count_of)
