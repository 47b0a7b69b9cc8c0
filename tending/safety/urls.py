from django.urls import path

from tending.safety import views

app_name = "safety"

urlpatterns = [
    path("", views.support, name="support"),
    path("exit/", views.quick_exit, name="quick_exit"),
]
