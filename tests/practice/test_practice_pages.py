"""Candidates take an office's set, see their score and explanations at once, and answer practical tasks."""
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from accounts.roles import Role
from core import clock
from core.audit import event_name, history_for
from practice.models import PracticeAttempt, TaskAnswer, TaskAnswerFile
from practice.services.attempts import practice_attempt_start, task_answer_submit
from practice.services.shared import PracticeError
from tests.factories import CandidateFactory, ExamCycleFactory, make_user
from tests.practice.conftest import make_question, make_task
from tests.practice.test_attachments import WINDOWS_EXECUTABLE

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_candidate(cycle):
    return CandidateFactory(cycle=cycle, user=make_user(Role.CANDIDATE))


def _start(client, office):
    response = client.post(reverse("practice:office_practice", kwargs={"code": office.code}))
    assert response.status_code == 302
    return PracticeAttempt.objects.latest("pk")


def test_a_candidate_submits_a_set_and_sees_score_and_explanations_at_once(candidate_client, candidate, office):
    """Exactly the right choices score; the result shows each explanation and right answer, and is kept."""
    single = make_question(office, "單選題", right=(1,), explanation="單選題的說明")
    double = make_question(office, "複選題", right=(0, 2), explanation="複選題的說明")
    make_question(office, "未發布", published=False)
    attempt = _start(candidate_client, office)
    url = reverse("practice:attempt_detail", kwargs={"pk": attempt.pk})
    form_page = candidate_client.get(url).content.decode()
    assert "單選題" in form_page and "未發布" not in form_page
    single_choices, double_choices = list(single.choices.all()), list(double.choices.all())
    response = candidate_client.post(url, {
        f"question_{single.pk}": [single_choices[1].pk],
        f"question_{double.pk}": [double_choices[0].pk],  # one right choice of two: wrong
    })
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert (attempt.score, attempt.question_count, attempt.submitted_at is not None) == (1, 2, True)
    assert [answer["is_right"] for answer in attempt.answers] == [True, False]
    result = candidate_client.get(url).content.decode()
    assert "Score: 1 of 2 right" in result and "單選題的說明" in result and "複選題的說明" in result
    assert [event_name(entry) for entry in history_for(attempt)] == [
        "practice_attempt.submitted", "practice_attempt.started"]


def test_a_submitted_attempt_is_not_scored_again(candidate_client, candidate, office):
    question = make_question(office)
    attempt = _start(candidate_client, office)
    url = reverse("practice:attempt_detail", kwargs={"pk": attempt.pk})
    candidate_client.post(url, {f"question_{question.pk}": [question.choices.first().pk]})
    candidate_client.post(url, {})
    attempt.refresh_from_db()
    assert attempt.score == 1


def test_attempts_are_kept_and_listed(candidate_client, candidate, office):
    make_question(office)
    _start(candidate_client, office)
    _start(candidate_client, office)
    page = candidate_client.get(reverse("practice:my_practice"))
    assert [a.pk for a in page.context["attempts"]] == list(
        PracticeAttempt.objects.order_by("-started_at", "-pk").values_list("pk", flat=True))
    assert len(page.context["attempts"]) == 2


def test_an_office_without_questions_cannot_be_started(candidate_client, office):
    response = candidate_client.post(reverse("practice:office_practice", kwargs={"code": office.code}),
                                     follow=True)
    assert "This office has no published questions yet." in response.content.decode()
    assert not PracticeAttempt.objects.exists()


def test_a_candidate_cannot_see_another_candidates_attempt_or_answer(candidate_client, other_candidate, office):
    """Another candidate's attempt, and a file of their task answer, answer 404; submitting to it changes nothing."""
    make_question(office)
    attempt = practice_attempt_start(candidate=other_candidate, office=office, acting_user=None)
    task = make_task(office)
    answer = task_answer_submit(candidate=other_candidate, task=task, text="他人的答案",
                                files=[SimpleUploadedFile("a.txt", b"x")], acting_user=None)
    url = reverse("practice:attempt_detail", kwargs={"pk": attempt.pk})
    assert candidate_client.get(url).status_code == 404
    assert candidate_client.post(url, {}).status_code == 404
    assert PracticeAttempt.objects.get().submitted_at is None
    file_url = reverse("practice:answer_file", kwargs={"pk": answer.files.get().pk})
    assert candidate_client.get(file_url).status_code == 404
    task_page = candidate_client.get(reverse("practice:task_detail", kwargs={"pk": task.pk})).content.decode()
    assert "他人的答案" not in task_page
    assert "他人的答案" not in candidate_client.get(reverse("practice:my_practice")).content.decode()


def test_a_candidate_without_a_current_record_has_nothing_to_practise_with(client, office):
    """A candidate of a past cycle only sees why; the office's set answers 404."""
    past = CandidateFactory(cycle=ExamCycleFactory(is_current=False), user=make_user(Role.CANDIDATE))
    client.force_login(past.user)
    assert client.get(reverse("practice:my_practice")).context["candidate"] is None
    assert client.get(reverse("practice:office_practice", kwargs={"code": office.code})).status_code == 404


def test_office_staff_cannot_take_the_set(staff_client, office):
    assert staff_client.get(reverse("practice:office_practice", kwargs={"code": office.code})).status_code == 403


def test_a_candidate_answers_a_task_with_text_and_files(candidate_client, candidate, office):
    """The answer and its checked files are kept; the candidate downloads their own file."""
    task = make_task(office)
    url = reverse("practice:task_detail", kwargs={"pk": task.pk})
    response = candidate_client.post(url, {"text": "閉合差 3 cm，依邊長比例改正。", "files": [
        SimpleUploadedFile("計算.csv", b"A,1\n"), SimpleUploadedFile("sketch.png", b"\x89PNG\r\n\x1a\n....")]})
    assert response.status_code == 302
    answer = TaskAnswer.objects.get()
    assert (answer.candidate, answer.task) == (candidate, task)
    assert [(f.original_name, f.content_type) for f in answer.files.all()] == [
        ("計算.csv", "text/csv"), ("sketch.png", "image/png")]
    assert [event_name(entry) for entry in history_for(answer)] == ["task_answer.submitted"]
    download = candidate_client.get(reverse("practice:answer_file", kwargs={"pk": answer.files.first().pk}))
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"A,1\n"


def test_a_disguised_executable_answer_file_is_refused(candidate_client, office):
    """The files field names the problem and neither the answer nor any file is saved."""
    task = make_task(office)
    response = candidate_client.post(reverse("practice:task_detail", kwargs={"pk": task.pk}), {
        "text": "答案", "files": [SimpleUploadedFile("ok.csv", b"A,1\n"),
                                SimpleUploadedFile("report.pdf", WINDOWS_EXECUTABLE)]})
    assert response.status_code == 400
    assert response.context["form"].errors["files"] == [
        "report.pdf is not a PDF, JPEG, PNG, XLSX, CSV or plain text file."]
    assert not TaskAnswer.objects.exists() and not TaskAnswerFile.objects.exists()


def test_an_unpublished_task_answers_404_to_candidates(candidate_client, office):
    task = make_task(office, published=False)
    assert candidate_client.get(reverse("practice:task_detail", kwargs={"pk": task.pk})).status_code == 404


def test_the_attempt_list_keeps_a_constant_number_of_queries(candidate_client, candidate, other_office, office,
                                                              page_queries):
    """The practice page costs the same queries with 2 or 12 attempts at several offices."""
    make_question(office)
    make_question(other_office)
    for _n in range(2):
        practice_attempt_start(candidate=candidate, office=office, acting_user=None)
    url = reverse("practice:my_practice")
    few = page_queries(candidate_client, url).count
    for n in range(10):
        practice_attempt_start(candidate=candidate, office=(office, other_office)[n % 2], acting_user=None)
    assert (few, page_queries(candidate_client, url).count) == (6, 6)


def test_the_office_set_page_keeps_a_constant_number_of_queries(candidate_client, candidate, office, page_queries):
    make_question(office)
    make_task(office)
    practice_attempt_start(candidate=candidate, office=office, acting_user=None)
    url = reverse("practice:office_practice", kwargs={"code": office.code})
    few = page_queries(candidate_client, url).count
    for n in range(5):
        make_question(office, f"題 {n}")
        make_task(office, f"任務 {n}")
        practice_attempt_start(candidate=candidate, office=office, acting_user=None)
    assert (few, page_queries(candidate_client, url).count) == (9, 9)


def test_an_attempt_asks_the_questions_published_when_it_started(candidate_client, office):
    """A question the office adds during an attempt is not asked and does not count against it."""
    asked = make_question(office, "開始時的題目")
    attempt = _start(candidate_client, office)
    make_question(office, "之後新增的題目")
    url = reverse("practice:attempt_detail", kwargs={"pk": attempt.pk})
    assert "之後新增的題目" not in candidate_client.get(url).content.decode()
    candidate_client.post(url, {f"question_{asked.pk}": [asked.choices.first().pk]})
    attempt.refresh_from_db()
    assert (attempt.score, attempt.question_count) == (1, 1)


def test_task_answers_close_with_the_submissions_but_practice_sets_stay_open(candidate_client, candidate, office):
    """After the submissions deadline the page says why instead of a form, a late answer is refused, and the
    multiple-choice set can still be taken."""
    task = make_task(office)
    make_question(office)
    candidate.cycle.submissions_until = clock.now() - timedelta(hours=1)
    candidate.cycle.save(update_fields=["submissions_until"])
    candidate_client.cookies["django_language"] = "en"
    url = reverse("practice:task_detail", kwargs={"pk": task.pk})
    page = candidate_client.get(url).content.decode()
    assert "Answers are closed" in page and 'name="text"' not in page
    response = candidate_client.post(url, {"text": "遲交的答案"})
    assert response.status_code == 400 and "Answers are closed" in response.content.decode()
    with translation.override("en"), pytest.raises(PracticeError, match="no new answer can be added"):
        task_answer_submit(candidate=candidate, task=task, text="遲交的答案", files=[], acting_user=candidate.user)
    assert not TaskAnswer.objects.exists()
    assert _start(candidate_client, office).candidate == candidate
