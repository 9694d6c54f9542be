"""The audit history page; the project includes it under history/ for examination staff only."""
from django.urls import path

from . import history_views

app_name = "history"
urlpatterns = [
    path("", history_views.history_log, name="log"),
]
