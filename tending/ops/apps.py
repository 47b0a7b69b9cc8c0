from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "tending.ops"

    def ready(self) -> None:
        from tending.ops import checks  # noqa: F401  (registers the system checks)
