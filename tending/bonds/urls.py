from django.urls import path

from tending.bonds import views

app_name = "bonds"

urlpatterns = [
    path("", views.home, name="home"),
    path("new/", views.create, name="create"),
    path("<int:pk>/invite/new/", views.invite_new, name="invite_new"),
    path("<int:pk>/invite/revoke/", views.invite_revoke, name="invite_revoke"),
    path("<int:pk>/invite/email/", views.invite_email, name="invite_email"),
    path("<int:pk>/leave/", views.leave, name="leave"),
    path("<int:pk>/archive/delete/", views.delete_archive, name="delete_archive"),
    path("join/<str:token>/", views.invitation, name="invitation"),
    path("join/<str:token>/accept/", views.invitation_accept, name="invitation_accept"),
    path("join/<str:token>/decline/", views.invitation_decline, name="invitation_decline"),
]
