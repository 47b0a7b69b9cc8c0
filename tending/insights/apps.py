from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "tending.insights"
