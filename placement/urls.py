from django.urls import path

from . import views

app_name = "placement"
urlpatterns = [
    path("offices/", views.office_list, name="office_list"),
    path("offices/<slug:code>/", views.office_detail, name="office_detail"),
    path("cycles/<int:pk>/candidates/", views.cycle_candidate_list, name="cycle_candidate_list"),
    path("candidates/<int:pk>/", views.candidate_detail, name="candidate_detail"),
]
