from django.urls import path

from . import views
from .urls_questions import urlpatterns as question_patterns

app_name = "focusgroups"
urlpatterns = [
    path("", views.my_groups, name="my_groups"),
    path("offices/<int:office_id>/start/", views.group_start, name="group_start"),
    path("<int:pk>/", views.group_detail, name="group_detail"),
    path("<int:pk>/members/", views.members, name="members"),
    path("<int:pk>/members/<int:member_id>/remove/", views.member_remove, name="member_remove"),
    path("<int:pk>/rubric/", views.rubric, name="rubric"),
    path("<int:pk>/sessions/", views.sessions, name="sessions"),
    path("<int:pk>/sessions/<int:session_id>/", views.session_edit, name="session_edit"),
    path("<int:pk>/sessions/<int:session_id>/cancel/", views.session_cancel, name="session_cancel"),
    path("<int:pk>/roster/", views.roster, name="roster"),
    path("<int:pk>/scoring/open/", views.scoring_open, name="scoring_open"),
    path("<int:pk>/scoring/close/", views.scoring_close, name="scoring_close"),
    path("<int:pk>/candidates/", views.score_list, name="score_list"),
    path("<int:pk>/candidates/<int:candidate_id>/", views.score_candidate, name="score_candidate"),
    path("<int:pk>/candidates/<int:candidate_id>/submit/", views.score_submit, name="score_submit"),
    path("<int:pk>/candidates/<int:candidate_id>/notes/", views.note_add, name="note_add"),
    path("<int:pk>/notes/<int:note_id>/remove/", views.note_remove, name="note_remove"),
    path("<int:pk>/results/", views.results, name="results"),
    path("<int:pk>/results/<int:candidate_id>/", views.result_detail, name="result_detail"),
    path("<int:pk>/results/<int:candidate_id>/adjust/", views.outcome_adjust, name="outcome_adjust"),
    path("<int:pk>/results/<int:candidate_id>/reopen/", views.submission_reopen, name="submission_reopen"),
    path("<int:pk>/finalise/", views.finalise, name="finalise"),
    path("<int:pk>/record/", views.record, name="record"),
    path("<int:pk>/history/", views.group_history, name="history"),
    path("<int:pk>/record.<str:fmt>", views.record_export, name="record_export"),
    *question_patterns,
]
