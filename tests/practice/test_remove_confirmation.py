"""Removing a question or a practical task from the bank asks first, on a page that works without JavaScript."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from practice.models import PracticalTask, Question
from practice.services.attempts import task_answer_submit
from tests.practice.conftest import make_question, make_task

pytestmark = pytest.mark.django_db


def _question_url(question):
    return reverse("practice:question_remove", kwargs={"pk": question.pk})


def _task_url(task):
    return reverse("practice:task_remove", kwargs={"pk": task.pk})


def test_the_bank_links_to_the_question_rather_than_remove(staff_client, office):
    question, task = make_question(office), make_task(office)
    body = staff_client.get(reverse("practice:office_bank", kwargs={"code": office.code})).content.decode()
    for url in (_question_url(question), _task_url(task)):
        assert f'action="{url}"' not in body and f'href="{url}"' in body


def test_opening_the_question_removal_says_what_goes_and_removes_nothing(staff_client, office):
    question = make_question(office, "GNSS 定位需幾顆衛星？")
    response = staff_client.get(_question_url(question))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Remove question “GNSS 定位需幾顆衛星？”?" in body
    assert "its 4 choices and its explanation" in body and office.name_en in body
    assert "the attempts they already made keep showing it" in body and "This cannot be undone." in body
    assert f'<form method="post" action="{_question_url(question)}">' in body
    bank = reverse("practice:office_bank", kwargs={"code": office.code})
    assert f'href="{bank}" class="button secondary">Cancel' in body
    assert Question.objects.filter(pk=question.pk).exists()


def test_sending_the_form_removes_the_question(staff_client, office):
    question = make_question(office)
    assert staff_client.post(_question_url(question)).status_code == 302
    assert not Question.objects.filter(pk=question.pk).exists()


def test_opening_the_task_removal_names_its_attachment_and_removes_nothing(staff_client, office):
    data = SimpleUploadedFile("觀測值.csv", "點號,角度\nA,90.0000\n".encode())
    task = make_task(office, "閉合導線計算", attachment=data)
    response = staff_client.get(_task_url(task))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Remove practical task “閉合導線計算”?" in body and "Its attachment “觀測值.csv” is deleted too." in body
    assert "Candidates can no longer see it." in body and "This cannot be undone." in body
    assert f'<form method="post" action="{_task_url(task)}">' in body
    assert PracticalTask.objects.filter(pk=task.pk).exists()


def test_sending_the_form_removes_the_task(staff_client, office):
    task = make_task(office)
    assert staff_client.post(_task_url(task)).status_code == 302
    assert not PracticalTask.objects.filter(pk=task.pk).exists()


def test_an_answered_task_is_not_offered_for_removal(staff_client, office, candidate):
    """Opening the removal of an answered task sends staff back to the bank with the reason."""
    task = make_task(office)
    task_answer_submit(candidate=candidate, task=task, text="答", files=[], acting_user=None)
    response = staff_client.get(_task_url(task), follow=True)
    assert response.redirect_chain[-1][0] == reverse("practice:office_bank", kwargs={"code": office.code})
    assert "Candidates have answered this task, so it cannot be removed." in response.content.decode()


def test_another_offices_question_and_task_answer_404(staff_client, other_office):
    question, task = make_question(other_office), make_task(other_office)
    for url in (_question_url(question), _task_url(task)):
        assert staff_client.get(url).status_code == 404
        assert staff_client.post(url).status_code == 404
    assert Question.objects.count() == 1 and PracticalTask.objects.count() == 1
