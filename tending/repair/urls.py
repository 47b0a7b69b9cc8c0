from django.urls import path

from tending.repair import views

app_name = "repair"

urlpatterns = [
    path("bonds/<int:pk>/repair/", views.index, name="index"),
    path("bonds/<int:pk>/repair/new/", views.start, name="start"),
    path("bonds/<int:pk>/repair/counselling/", views.counselling, name="counselling"),
    path("bonds/<int:pk>/repair/<int:rupture>/", views.detail, name="detail"),
    path("bonds/<int:pk>/repair/<int:rupture>/pause/", views.pause, name="pause"),
    path("bonds/<int:pk>/repair/<int:rupture>/resume/", views.resume, name="resume"),
    path("bonds/<int:pk>/repair/<int:rupture>/my-part/", views.my_part, name="my_part"),
    path("bonds/<int:pk>/repair/<int:rupture>/message/", views.compose, name="compose"),
    path("bonds/<int:pk>/repair/<int:rupture>/answer/", views.answer, name="answer"),
    path("bonds/<int:pk>/repair/<int:rupture>/resolve/", views.resolve, name="resolve"),
    path("bonds/<int:pk>/repair/<int:rupture>/delete/", views.delete, name="delete"),
]
