from django.apps import AppConfig


class SafetyConfig(AppConfig):
    name = "tending.safety"

    def ready(self) -> None:
        from tending.bonds.views import register_bond_fact
        from tending.safety.models import safety_positive_of

        register_bond_fact("safety_positive", safety_positive_of)
