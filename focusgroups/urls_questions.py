"""Questions to candidates and the candidates' own focus-group page; included by focusgroups/urls.py."""
from django.urls import path

from . import views_questions

urlpatterns = [
    path("<int:pk>/candidates/<int:candidate_id>/ask/", views_questions.question_ask, name="question_ask"),
    path("questions/<int:question_id>/", views_questions.question_thread, name="question_thread"),
    path("mine/", views_questions.candidate_groups, name="candidate_groups"),
    path("mine/questions/<int:question_id>/", views_questions.candidate_question, name="candidate_question"),
]
