from django.urls import include, path

from tending.bonds import urls as bond_urls
from tending.bonds import views as bond_views
from tending.garden import views as garden_views
from tending.ops import views as ops_views

# The bond's home is drawn by the garden, the app on top, so bonds imports
# nothing above it; the page keeps its name in the bonds namespace
# ("bonds:detail", a bond's get_absolute_url).
bonds = (
    [path("<int:pk>/", garden_views.home, name="detail"), *bond_urls.urlpatterns],
    "bonds",
)

urlpatterns = [
    path("", bond_views.landing, name="landing"),
    path("healthz", ops_views.healthz, name="healthz"),
    path("accounts/", include("tending.accounts.urls")),
    path("bonds/", include(bonds)),
    path("bonds/", include("tending.feelings.urls")),
    path("", include("tending.notify.urls")),
    path("", include("tending.safety.urls")),
    path("", include("tending.checkup.urls")),
    path("", include("tending.prompts.urls")),
    path("", include("tending.rituals.urls")),
    path("", include("tending.notes.urls")),
    path("", include("tending.repair.urls")),
    path("", include("tending.coach.urls")),
    path("", include("tending.solo.urls")),
    path("", include("tending.insights.urls")),
    path("", include("tending.garden.urls")),
]
