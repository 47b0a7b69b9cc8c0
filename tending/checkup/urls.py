from django.urls import path

from tending.checkup import views

app_name = "checkup"

urlpatterns = [
    path("bonds/<int:pk>/checkup/", views.index, name="index"),
    path("bonds/<int:pk>/checkup/take/", views.take, name="take"),
    path("bonds/<int:pk>/checkup/compare/", views.compare_view, name="compare"),
    path("bonds/<int:pk>/checkup/history/", views.history, name="history"),
    path("bonds/<int:pk>/checkup/<int:result>/", views.result_view, name="result"),
    path("bonds/<int:pk>/checkup/<int:result>/safety/", views.safety_step, name="safety"),
    path("bonds/<int:pk>/checkup/<int:result>/share/", views.share, name="share"),
    path("bonds/<int:pk>/checkup/<int:result>/unshare/", views.unshare, name="unshare"),
]
