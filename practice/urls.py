from django.urls import path

from . import views

app_name = "practice"
urlpatterns = [
    path("bank/", views.question_bank, name="question_bank"),
    path("bank/<slug:code>/", views.office_bank, name="office_bank"),
    path("bank/<slug:code>/questions/add/", views.question_add, name="question_add"),
    path("bank/<slug:code>/tasks/add/", views.task_add, name="task_add"),
    path("bank/<slug:code>/import/", views.bank_import, name="bank_import"),
    path("bank/<slug:code>/export/", views.bank_export, name="bank_export"),
    path("questions/<int:pk>/edit/", views.question_edit, name="question_edit"),
    path("questions/<int:pk>/remove/", views.question_remove, name="question_remove"),
    path("tasks/<int:pk>/edit/", views.task_edit, name="task_edit"),
    path("tasks/<int:pk>/remove/", views.task_remove, name="task_remove"),
    path("tasks/<int:pk>/attachment/", views.task_attachment, name="task_attachment"),
    path("answers/", views.task_answers, name="task_answers"),
    path("answers/<slug:code>/", views.office_task_answers, name="office_task_answers"),
    path("", views.my_practice, name="my_practice"),
    path("offices/<slug:code>/", views.office_practice, name="office_practice"),
    path("attempts/<int:pk>/", views.attempt_detail, name="attempt_detail"),
    path("tasks/<int:pk>/", views.task_detail, name="task_detail"),
    path("answer-files/<int:pk>/", views.answer_file, name="answer_file"),
]
