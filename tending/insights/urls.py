from django.urls import path

from tending.insights import views

app_name = "insights"

urlpatterns = [
    path("bonds/<int:pk>/insights/", views.index, name="index"),
    path("bonds/<int:pk>/insights/upload/", views.upload, name="upload"),
    path("bonds/<int:pk>/insights/<int:chat_import>/", views.detail, name="detail"),
    path("bonds/<int:pk>/insights/<int:chat_import>/dates/", views.date_order, name="date_order"),
    path("bonds/<int:pk>/insights/<int:chat_import>/confirm/", views.confirm, name="confirm"),
    path("bonds/<int:pk>/insights/<int:chat_import>/share/", views.share, name="share"),
    path("bonds/<int:pk>/insights/<int:chat_import>/agree/", views.agree, name="agree"),
    path("bonds/<int:pk>/insights/<int:chat_import>/withdraw/", views.withdraw, name="withdraw"),
    path("bonds/<int:pk>/insights/<int:chat_import>/hide/", views.hide, name="hide"),
    path("bonds/<int:pk>/insights/<int:chat_import>/delete/", views.delete, name="delete"),
]
