from django.contrib import admin
from django.urls import include, path

from accounts import views as account_views

admin.site.site_header = "SurveyPlace back office"
admin.site.site_title = "SurveyPlace"

urlpatterns = [
    path("", account_views.home, name="home"),
    path("dashboard/", account_views.dashboard, name="dashboard"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("allauth.urls")),
    path("invitations/", include("accounts.urls")),
    path("", include("placement.urls")),
    path("videos/", include("media_pipeline.urls")),
    path("admin/", admin.site.urls),
]
