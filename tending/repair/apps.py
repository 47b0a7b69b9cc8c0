from django.apps import AppConfig


class RepairConfig(AppConfig):
    name = "tending.repair"
