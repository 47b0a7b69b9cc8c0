from django.apps import AppConfig


class SafetyConfig(AppConfig):
    name = "tending.safety"
