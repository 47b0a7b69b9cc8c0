from django.apps import AppConfig


class CheckupConfig(AppConfig):
    name = "tending.checkup"
