from django.urls import path

from tending.rituals import views

app_name = "rituals"

urlpatterns = [
    path("rituals/", views.index, name="index"),
    path("rituals/new/", views.create, name="create"),
    path("rituals/rhythm/", views.rhythm, name="rhythm"),
    path("rituals/<int:ritual>/edit/", views.edit, name="edit"),
    path("rituals/<int:ritual>/delete/", views.delete, name="delete"),
    path("rituals/<int:ritual>/done/", views.done, name="done"),
    path("rituals/<int:ritual>/undo/", views.undo, name="undo"),
    path("rituals/<int:ritual>/reminders/", views.reminders, name="reminders"),
    path("touch/", views.touch, name="touch"),
    path("touch/setting/", views.touch_setting, name="touch_setting"),
]
