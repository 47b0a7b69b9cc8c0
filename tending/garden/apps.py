from django.apps import AppConfig


class GardenConfig(AppConfig):
    name = "tending.garden"
