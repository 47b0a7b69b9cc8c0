from django.urls import path

from tending.notes import views

app_name = "notes"

urlpatterns = [
    path("bonds/<int:pk>/notes/", views.index, name="index"),
    path("bonds/<int:pk>/notes/new/", views.create, name="create"),
    path("bonds/<int:pk>/notes/<int:note>/", views.detail, name="detail"),
    path("bonds/<int:pk>/notes/<int:note>/react/", views.react, name="react"),
    path("bonds/<int:pk>/notes/<int:note>/keep/", views.keep, name="keep"),
    path("bonds/<int:pk>/notes/<int:note>/delete/", views.delete, name="delete"),
    path("bonds/<int:pk>/notes/<int:note>/voice/", views.voice, name="voice"),
]
