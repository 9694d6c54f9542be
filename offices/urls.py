from django.urls import path

from . import discovery_views, views

app_name = "offices"
urlpatterns = [
    # The short public address an office links to from its own website.
    path("o/<slug:code>/", views.public_profile, name="public_profile"),
    path("office-profiles/", views.profile_list, name="profile_list"),
    path("office-profiles/ours/", views.our_profile, name="our_profile"),
    path("office-profiles/<slug:code>/", views.profile_detail, name="profile_detail"),
    path("office-profiles/<slug:code>/edit/", views.profile_edit, name="profile_edit"),
    path("office-profiles/<slug:code>/publish/", views.profile_publish, name="profile_publish"),
    path("office-profiles/<slug:code>/unpublish/", views.profile_unpublish, name="profile_unpublish"),
    path("office-profiles/<slug:code>/history/", views.profile_history, name="profile_history"),
]

# Office discovery and comparison, and adding an office to a candidate's preference list.
urlpatterns += [
    path("offices/", discovery_views.office_discovery, name="discovery"),
    path("offices/<slug:code>/add-to-preferences/", discovery_views.preference_add, name="preference_add"),
    path("compare/", discovery_views.office_compare, name="compare"),
]
