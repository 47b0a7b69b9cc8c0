from django.urls import path

from tending.garden import views

app_name = "garden"

urlpatterns = [
    path("bonds/<int:pk>/garden/", views.index, name="index"),
    path("bonds/<int:pk>/garden/preview/", views.preview, name="preview"),
    path("bonds/<int:pk>/today/", views.today_choice, name="today"),
    path("bonds/<int:pk>/progress/", views.progress, name="progress"),
]
