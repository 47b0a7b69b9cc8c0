from django.urls import path

from tending.notify import devices, views

app_name = "notify"

urlpatterns = [
    path("notifications/", views.inbox, name="inbox"),
    path("notifications/<int:pk>/open/", views.open_notification, name="open"),
    path("notifications/settings/", views.settings_view, name="settings"),
    path("notifications/devices/", devices.devices, name="devices"),
    path("notifications/devices/add/", devices.add_device, name="device_add"),
    path("notifications/devices/<int:device>/rename/", devices.rename_device, name="device_rename"),
    path("notifications/devices/<int:device>/remove/", devices.remove_device, name="device_remove"),
    path("unsubscribe/<str:token>/", views.unsubscribe_view, name="unsubscribe"),
]
