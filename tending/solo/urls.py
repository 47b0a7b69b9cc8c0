from django.urls import path

from tending.solo import views

app_name = "solo"

urlpatterns = [
    path("bonds/<int:pk>/solo/", views.index, name="index"),
    path("bonds/<int:pk>/solo/practise/", views.practise, name="practise"),
]
