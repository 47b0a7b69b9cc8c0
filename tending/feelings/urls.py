from django.urls import path

from tending.feelings import views

app_name = "feelings"

urlpatterns = [
    path("feelings/", views.index, name="index"),
    path("feelings/new/", views.create, name="create"),
    path("feelings/<int:checkin>/delete/", views.delete, name="delete"),
]
