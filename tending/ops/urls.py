"""The installable app's shell, served at the site's root (tending.ops.webapp)."""

from django.urls import path

from tending.ops import webapp

app_name = "webapp"

urlpatterns = [
    path("manifest.webmanifest", webapp.manifest, name="manifest"),
    path("sw.js", webapp.service_worker, name="sw"),
    path("offline/", webapp.offline, name="offline"),
]
