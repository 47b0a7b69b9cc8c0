from django.urls import path

from tending.repair import views

app_name = "repair"

urlpatterns = [
    path("repair/", views.index, name="index"),
    path("repair/new/", views.start, name="start"),
    path("repair/counselling/", views.counselling, name="counselling"),
    path("repair/<int:rupture>/", views.detail, name="detail"),
    path("repair/<int:rupture>/pause/", views.pause, name="pause"),
    path("repair/<int:rupture>/resume/", views.resume, name="resume"),
    path("repair/<int:rupture>/my-part/", views.my_part, name="my_part"),
    path("repair/<int:rupture>/message/", views.compose, name="compose"),
    path("repair/<int:rupture>/answer/", views.answer, name="answer"),
    path("repair/<int:rupture>/resolve/", views.resolve, name="resolve"),
    path("repair/<int:rupture>/delete/", views.delete, name="delete"),
]
