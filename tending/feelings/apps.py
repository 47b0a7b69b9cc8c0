from django.apps import AppConfig


class FeelingsConfig(AppConfig):
    name = "tending.feelings"
