from django.urls import path

from tending.bonds import views

app_name = "bonds"

# Under /bonds/.
urlpatterns = [
    path("", views.home, name="home"),
    path("new/", views.create, name="create"),
    path("join/<str:token>/", views.invitation, name="invitation"),
    path("join/<str:token>/accept/", views.invitation_accept, name="invitation_accept"),
    path("join/<str:token>/decline/", views.invitation_decline, name="invitation_decline"),
]

# Under /bonds/<pk>/, beside the bond's home (see tending/urls.py).
bond_urlpatterns = [
    path("invite/new/", views.invite_new, name="invite_new"),
    path("invite/revoke/", views.invite_revoke, name="invite_revoke"),
    path("invite/email/", views.invite_email, name="invite_email"),
    path("leave/", views.leave, name="leave"),
    path("archive/delete/", views.delete_archive, name="delete_archive"),
]
