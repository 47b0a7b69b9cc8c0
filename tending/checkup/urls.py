from django.urls import path

from tending.checkup import views

app_name = "checkup"

urlpatterns = [
    path("support/", views.support, name="support"),
]
