from django.urls import path

from tending.rituals import views

app_name = "rituals"

urlpatterns = [
    path("bonds/<int:pk>/rituals/", views.index, name="index"),
    path("bonds/<int:pk>/rituals/new/", views.create, name="create"),
    path("bonds/<int:pk>/rituals/rhythm/", views.rhythm, name="rhythm"),
    path("bonds/<int:pk>/rituals/<int:ritual>/edit/", views.edit, name="edit"),
    path("bonds/<int:pk>/rituals/<int:ritual>/delete/", views.delete, name="delete"),
    path("bonds/<int:pk>/rituals/<int:ritual>/done/", views.done, name="done"),
    path("bonds/<int:pk>/rituals/<int:ritual>/undo/", views.undo, name="undo"),
    path("bonds/<int:pk>/rituals/<int:ritual>/reminders/", views.reminders, name="reminders"),
    path("bonds/<int:pk>/touch/", views.touch, name="touch"),
    path("bonds/<int:pk>/touch/setting/", views.touch_setting, name="touch_setting"),
]
