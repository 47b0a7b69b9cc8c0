from django.urls import path

from tending.feelings import views

app_name = "feelings"

urlpatterns = [
    path("<int:pk>/feelings/", views.index, name="index"),
    path("<int:pk>/feelings/new/", views.create, name="create"),
    path("<int:pk>/feelings/<int:checkin>/delete/", views.delete, name="delete"),
]
