from django.urls import path

from tending.insights import views

app_name = "insights"

urlpatterns = [
    path("insights/", views.index, name="index"),
    path("insights/upload/", views.upload, name="upload"),
    path("insights/<int:chat_import>/", views.detail, name="detail"),
    path("insights/<int:chat_import>/dates/", views.date_order, name="date_order"),
    path("insights/<int:chat_import>/confirm/", views.confirm, name="confirm"),
    path("insights/<int:chat_import>/share/", views.share, name="share"),
    path("insights/<int:chat_import>/agree/", views.agree, name="agree"),
    path("insights/<int:chat_import>/withdraw/", views.withdraw, name="withdraw"),
    path("insights/<int:chat_import>/hide/", views.hide, name="hide"),
    path("insights/<int:chat_import>/delete/", views.delete, name="delete"),
]
