from django.urls import path

from tending.coach import views

app_name = "coach"

urlpatterns = [
    path("hint/", views.hint, name="hint"),
]
