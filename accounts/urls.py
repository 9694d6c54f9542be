from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("", views.invitation_list, name="invitation_list"),
    path("new/", views.invitation_create, name="invitation_create"),
    path("<int:pk>/resend/", views.invitation_resend, name="invitation_resend"),
    path("<int:pk>/withdraw/", views.invitation_revoke, name="invitation_revoke"),
    path("accept/<str:token>/", views.invitation_accept, name="invitation_accept"),
]
