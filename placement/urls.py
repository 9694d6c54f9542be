from django.urls import path

from . import views, views_reporting

app_name = "placement"
urlpatterns = [
    path("offices/<slug:code>/", views.office_detail, name="office_detail"),
    path("offices/<slug:code>/placements/", views.office_placements, name="office_placements"),
    path("cycles/<int:pk>/", views.cycle_detail, name="cycle_detail"),
    path("cycles/<int:pk>/candidates/", views.cycle_candidate_list, name="cycle_candidate_list"),
    path("cycles/<int:pk>/import/<slug:kind>/", views.cycle_import, name="cycle_import"),
    path("cycles/<int:pk>/import/<slug:kind>/template/", views.cycle_import_template, name="cycle_import_template"),
    path("cycles/<int:pk>/export/<slug:kind>/", views.cycle_export, name="cycle_export"),
    path("cycles/<int:pk>/runs/", views.run_list, name="run_list"),
    path("cycles/<int:pk>/compare/", views.run_compare, name="run_compare"),
    path("cycles/<int:pk>/results/", views.cycle_results, name="cycle_results"),
    path("runs/<int:pk>/", views.run_detail, name="run_detail"),
    path("runs/<int:pk>/publish/", views.run_publish, name="run_publish"),
    path("runs/<int:pk>/publish/confirm/", views.run_publish_confirm, name="run_publish_confirm"),
    path("runs/<int:pk>/cancel/", views.run_cancel, name="run_cancel"),
    path("candidates/<int:pk>/", views.candidate_detail, name="candidate_detail"),
    path("candidates/<int:pk>/result/", views.candidate_result, name="candidate_result"),
    path("candidates/<int:pk>/access-log/", views.candidate_access_log, name="candidate_access_log"),
    path("candidates/<int:pk>/result/answer/", views_reporting.place_answer, name="place_answer"),
    path("offices/<slug:code>/late-vacancies/", views_reporting.late_vacancy_report, name="late_vacancy_report"),
    path("cycles/<int:pk>/after-publication/", views_reporting.after_publication, name="after_publication"),
    path("cycles/<int:pk>/published/verify/", views_reporting.published_verify, name="published_verify"),
    path("cycles/<int:pk>/rounds/", views_reporting.round_start, name="round_start"),
    path("cycles/<int:pk>/outcomes/", views_reporting.outcomes, name="outcomes"),
    path("cycles/<int:pk>/<slug:kind>.<str:fmt>", views_reporting.outcomes_export, name="outcomes_export"),
    path("answers/<int:pk>/decide/", views_reporting.deferral_decide, name="deferral_decide"),
    path("late-vacancies/<int:pk>/decide/", views_reporting.late_vacancy_decide, name="late_vacancy_decide"),
    path("preferences/", views.preference_edit, name="preference_edit"),
    path("preferences/residence/", views.residence_edit, name="residence_edit"),
]
