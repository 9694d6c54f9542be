from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    # Browsers and crawlers ask for /favicon.ico whatever the page links to.
    path("favicon.ico", views.FaviconRedirect.as_view(), name="favicon"),
]
