from django.urls import path

from tending.notes import views

app_name = "notes"

urlpatterns = [
    path("notes/", views.index, name="index"),
    path("notes/new/", views.create, name="create"),
    path("notes/<int:note>/", views.detail, name="detail"),
    path("notes/<int:note>/react/", views.react, name="react"),
    path("notes/<int:note>/keep/", views.keep, name="keep"),
    path("notes/<int:note>/delete/", views.delete, name="delete"),
    path("notes/<int:note>/voice/", views.voice, name="voice"),
]
