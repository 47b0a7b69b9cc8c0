from django.urls import path

from tending.coach import views

app_name = "coach"

urlpatterns = [
    path("coach/hint/", views.hint, name="hint"),
]
