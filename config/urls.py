from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("SurveyPlace back office")
admin.site.site_title = _("SurveyPlace")
admin.site.index_title = _("Back office")

urlpatterns = [
    path("", include("core.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("allauth.urls")),
    path("invitations/", include("accounts.urls")),
    path("", include("placement.urls")),
    path("videos/", include("media_pipeline.urls")),
    path("", include("offices.urls")),
    path("practice/", include("practice.urls")),
    path("portfolio/", include("portfolios.urls")),
    path("focus-groups/", include("focusgroups.urls")),
    path("", include("privacy.urls")),
    path("history/", include("core.history_urls")),
    path("admin/", admin.site.urls),
]
