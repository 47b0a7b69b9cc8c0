from django.apps import AppConfig


class CoachConfig(AppConfig):
    name = "tending.coach"
