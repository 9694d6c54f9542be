from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("my-data/", views.mine, name="mine"),
    path("my-data/<int:pk>/export/", views.export_request, name="export_request"),
    path("my-data/exports/<int:pk>/download/", views.export_download, name="export_download"),
    path("my-data/<int:pk>/erase/", views.erase, name="erase"),
    path("erasures/", views.erasures, name="erasures"),
]
