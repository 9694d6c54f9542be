"""The reads other apps build on: an office's practice summary and the task answers of consenting candidates."""
import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from practice.models import Category
from practice.selectors import practice_set_summary, task_answers_for_office
from practice.services.attempts import task_answer_submit
from tests.factories import CandidateFactory
from tests.practice.conftest import make_question, make_task

pytestmark = pytest.mark.django_db


def test_the_summary_counts_published_questions_per_category_and_tasks(office, other_office,
                                                                       django_assert_num_queries):
    """Unpublished items and other offices' items are not counted; two queries whatever the bank's size."""
    make_question(office, "一")
    make_question(office, "二")
    make_question(office, "三", category=Category.SURVEYING_LAW)
    make_question(office, "四", published=False)
    make_question(other_office, "五")
    make_task(office)
    make_task(office, "草稿", published=False)
    with translation.override("en"), django_assert_num_queries(2):
        summary = practice_set_summary(office)
        assert summary.questions_by_category == [("Cadastral survey", 2), ("Surveying law", 1)]
    assert (summary.question_count, summary.task_count) == (3, 1)


def test_the_office_page_partial_links_to_the_set(office):
    make_question(office)
    with translation.override("en"):
        html = render_to_string("practice/_office_practice.html", {"practice_summary": practice_set_summary(office)})
    assert reverse("practice:office_practice", kwargs={"code": office.code}) in html
    assert "Cadastral survey: 1 question" in html


def test_task_answers_for_an_office_hold_only_the_given_candidates(office, other_office, cycle):
    """Answers of candidates outside the given ids, and answers to other offices' tasks, are left out."""
    allowed, refused = CandidateFactory(cycle=cycle), CandidateFactory(cycle=cycle)
    task, elsewhere = make_task(office), make_task(other_office)
    mine = task_answer_submit(candidate=allowed, task=task, text="可讀", files=[], acting_user=None)
    task_answer_submit(candidate=refused, task=task, text="不可讀", files=[], acting_user=None)
    task_answer_submit(candidate=allowed, task=elsewhere, text="他所", files=[], acting_user=None)
    assert task_answers_for_office(office, [allowed.pk]) == [mine]
    assert task_answers_for_office(office, []) == []
