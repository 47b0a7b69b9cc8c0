from django.apps import AppConfig


class SafetyConfig(AppConfig):
    name = "tending.safety"

    def ready(self) -> None:
        from tending.bonds.views import register_bond_fact
        from tending.coach.hint import register_quiet_check
        from tending.safety.models import safety_positive, safety_positive_of

        register_bond_fact("safety_positive", safety_positive_of)
        # The coach's suggestions ask a person to be open with the other: none for
        # someone whose safety screen said they may not be safe.
        register_quiet_check(safety_positive)
