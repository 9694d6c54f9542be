"""The project's URLs plus one page that the access table does not list."""
from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    *project_urlpatterns,
    path("unlisted/", lambda request: HttpResponse("secret"), name="unlisted_page"),
]
