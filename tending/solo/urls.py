from django.urls import path

from tending.solo import views

app_name = "solo"

urlpatterns = [
    path("solo/", views.index, name="index"),
    path("solo/practise/", views.practise, name="practise"),
]
