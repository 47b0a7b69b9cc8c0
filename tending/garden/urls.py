from django.urls import path

from tending.garden import views

app_name = "garden"

urlpatterns = [
    path("practices/", views.practices, name="practices"),
    path("garden/", views.index, name="index"),
    path("garden/preview/", views.preview, name="preview"),
    path("today/", views.today_choice, name="today"),
    path("progress/", views.progress, name="progress"),
]
