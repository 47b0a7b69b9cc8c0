"""Where every page lives. A bond's pages are mounted once, under
/bonds/<int:pk>/: each app's urls.py lists its paths relative to the bond."""

from django.urls import include, path

from tending.bonds import urls as bond_urls
from tending.bonds import views as bond_views
from tending.garden import views as garden_views
from tending.ops import views as ops_views

# The bonds namespace: the list of bonds and invitations, and on each bond its
# home and the pages that manage it. The home is drawn by the garden, the app on
# top, so bonds imports nothing above it; it keeps its name, "bonds:detail"
# (a bond's get_absolute_url).
bonds = (
    [
        *bond_urls.urlpatterns,
        path(
            "<int:pk>/",
            include([path("", garden_views.home, name="detail"), *bond_urls.bond_urlpatterns]),
        ),
    ],
    "bonds",
)

# Every practice's pages, each app in its own namespace.
bond_pages = [
    path("", include(f"tending.{app}.urls"))
    for app in (
        "feelings",
        "checkup",
        "prompts",
        "rituals",
        "notes",
        "repair",
        "solo",
        "insights",
        "garden",
    )
]

urlpatterns = [
    path("", bond_views.landing, name="landing"),
    path("healthz", ops_views.healthz, name="healthz"),
    path("accounts/", include("tending.accounts.urls")),
    path("bonds/", include(bonds)),
    path("bonds/<int:pk>/", include(bond_pages)),
    path("calendar/", include("tending.prompts.calendar_urls")),
    path("support/", include("tending.safety.urls")),
    path("coach/", include("tending.coach.urls")),
    path("", include("tending.notify.urls")),
    path("", include("tending.ops.urls")),
]
