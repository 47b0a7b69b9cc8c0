from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "tending.notify"

    def ready(self) -> None:
        from tending.notify import receivers  # noqa: F401  (connects the bond events)
