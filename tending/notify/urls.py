from django.urls import path

from tending.notify import views

app_name = "notify"

urlpatterns = [
    path("notifications/", views.inbox, name="inbox"),
    path("notifications/<int:pk>/open/", views.open_notification, name="open"),
    path("notifications/settings/", views.settings_view, name="settings"),
    path("unsubscribe/<str:token>/", views.unsubscribe_view, name="unsubscribe"),
]
