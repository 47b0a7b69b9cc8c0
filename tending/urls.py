from django.contrib import admin
from django.urls import include, path

from tending.bonds import views as bond_views
from tending.ops import views as ops_views

urlpatterns = [
    path("", bond_views.landing, name="landing"),
    path("healthz", ops_views.healthz, name="healthz"),
    path("accounts/", include("tending.accounts.urls")),
    path("bonds/", include("tending.bonds.urls")),
    path("bonds/", include("tending.feelings.urls")),
    path("", include("tending.notify.urls")),
    path("", include("tending.checkup.urls")),
    path("", include("tending.prompts.urls")),
    path("", include("tending.rituals.urls")),
    path("", include("tending.notes.urls")),
    path("", include("tending.repair.urls")),
    path("", include("tending.solo.urls")),
    path("", include("tending.insights.urls")),
    path("", include("tending.garden.urls")),
    path("admin/", admin.site.urls),
]
