from django.urls import path

from . import views

app_name = "portfolios"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("evidence/", views.evidence_add_to_portfolio, name="evidence_add"),
    path("videos/<int:video_id>/", views.video_describe, name="video_describe"),
    path("videos/<int:video_id>/evidence/", views.evidence_add_to_video, name="video_evidence_add"),
    path("preview/", views.preview, name="preview"),
    path("consent/", views.consent, name="consent"),
    path("consent/<int:office_id>/withdraw/", views.consent_withdraw, name="consent_withdraw"),
    path("evaluate/", views.evaluated, name="evaluated"),
    path("offices/<int:office_id>/", views.office_portfolios, name="office_portfolios"),
    path("offices/<int:office_id>/<int:candidate_id>/", views.office_portfolio, name="office_portfolio"),
]
