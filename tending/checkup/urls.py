from django.urls import path

from tending.checkup import views

app_name = "checkup"

urlpatterns = [
    path("checkup/", views.index, name="index"),
    path("checkup/take/", views.take, name="take"),
    path("checkup/compare/", views.compare_view, name="compare"),
    path("checkup/history/", views.history, name="history"),
    path("checkup/<int:result>/", views.result_view, name="result"),
    path("checkup/<int:result>/safety/", views.safety_step, name="safety"),
    path("checkup/<int:result>/share/", views.share, name="share"),
    path("checkup/<int:result>/unshare/", views.unshare, name="unshare"),
]
