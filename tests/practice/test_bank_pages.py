"""Office staff write their own office's questions and tasks, and nobody else's."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.roles import Role
from core.audit import event_name, history_for
from practice.models import Choice, PracticalTask, Question
from tests.factories import make_user
from tests.practice.conftest import make_question, make_task
from tests.practice.test_attachments import WINDOWS_EXECUTABLE

pytestmark = pytest.mark.django_db

QUESTION_FORM = {
    "category": "cadastral_survey", "text": "GNSS RTK 定位需接收至少幾顆衛星？", "choice_a": "3", "choice_b": "4",
    "choice_c": "5", "right": ["B", "C"], "explanation": "四顆解算三維坐標與時鐘差，五顆可檢核。",
    "is_published": "on",
}


def _events(subject):
    return [(event_name(entry), entry.actor) for entry in history_for(subject)]


def test_office_staff_add_a_question_with_two_right_answers(staff_client, office, staff_user):
    """The question and its lettered choices are saved, the right ones marked, and the write is in the history."""
    response = staff_client.post(reverse("practice:question_add", kwargs={"code": office.code}), QUESTION_FORM)
    assert response.status_code == 302
    question = Question.objects.get()
    assert (question.office, question.text) == (office, QUESTION_FORM["text"])
    assert [(c.text, c.is_correct) for c in question.choices.all()] == [("3", False), ("4", True), ("5", True)]
    assert _events(question) == [("question.created", staff_user)]
    page = staff_client.get(reverse("practice:office_bank", kwargs={"code": office.code})).content.decode()
    assert QUESTION_FORM["text"] in page


def test_a_question_without_a_right_answer_is_refused(staff_client, office):
    """The form names the problem on the right-answers field and nothing is saved."""
    response = staff_client.post(reverse("practice:question_add", kwargs={"code": office.code}),
                                 {**QUESTION_FORM, "right": []})
    assert response.status_code == 400
    assert response.context["form"].errors["right"] == ["Mark at least one choice as a right answer."]
    assert not Question.objects.exists() and not Choice.objects.exists()


def test_the_service_refuses_a_question_without_a_right_answer(office):
    """The rule holds below the form too: the service saves nothing."""
    from practice.services.shared import PracticeError

    with pytest.raises(PracticeError):
        make_question(office, right=())
    assert not Question.objects.exists()


def test_office_staff_edit_a_question_and_the_history_keeps_old_and_new(staff_client, office, staff_user):
    """Editing changes the text and choices; the entry holds each changed field old → new."""
    question = make_question(office)
    url = reverse("practice:question_edit", kwargs={"pk": question.pk})
    assert staff_client.get(url).context["form"].initial["right"] == ["A"]
    assert staff_client.post(url, QUESTION_FORM).status_code == 302
    question.refresh_from_db()
    assert question.text == QUESTION_FORM["text"]
    entry = history_for(question).first()
    assert event_name(entry) == "question.updated" and entry.actor == staff_user
    assert entry.changes["text"] == ["數值區土地複丈之界址點坐標以何者為準？", QUESTION_FORM["text"]]
    assert entry.changes["choices"][1] == [["3", False], ["4", True], ["5", True]]


def test_office_staff_remove_a_question(staff_client, office):
    question = make_question(office)
    assert staff_client.post(reverse("practice:question_remove", kwargs={"pk": question.pk})).status_code == 302
    assert not Question.objects.exists()


def test_staff_of_one_office_cannot_touch_another_offices_bank(staff_client, other_office):
    """Every page and write on office B answers 404 to staff of office A, and B's question stays as it was."""
    question, task = make_question(other_office), make_task(other_office)
    code = {"code": other_office.code}
    for name, kwargs in [("office_bank", code), ("question_add", code), ("task_add", code), ("bank_import", code),
                         ("bank_export", code), ("question_edit", {"pk": question.pk}),
                         ("task_edit", {"pk": task.pk})]:
        assert staff_client.get(reverse(f"practice:{name}", kwargs=kwargs)).status_code == 404, name
    assert staff_client.post(reverse("practice:question_edit", kwargs={"pk": question.pk}),
                             QUESTION_FORM).status_code == 404
    assert staff_client.post(reverse("practice:question_remove", kwargs={"pk": question.pk})).status_code == 404
    assert staff_client.post(reverse("practice:task_remove", kwargs={"pk": task.pk})).status_code == 404
    assert Question.objects.get().text == question.text and PracticalTask.objects.count() == 1


def test_a_focus_group_leader_of_the_office_cannot_edit_its_bank(client, office):
    """Writing the bank is the office staff's; the leader of the same office gets 403."""
    client.force_login(make_user(Role.FOCUS_GROUP_LEADER, office=office))
    assert client.get(reverse("practice:office_bank", kwargs={"code": office.code})).status_code == 403


def test_candidates_cannot_edit_questions(candidate_client, office):
    """The bank's pages and writes answer 403 to a candidate."""
    question = make_question(office)
    assert candidate_client.get(reverse("practice:office_bank", kwargs={"code": office.code})).status_code == 403
    assert candidate_client.post(reverse("practice:question_edit", kwargs={"pk": question.pk}),
                                 QUESTION_FORM).status_code == 403
    assert candidate_client.post(reverse("practice:question_remove", kwargs={"pk": question.pk})).status_code == 403
    assert Question.objects.get().text == question.text


def test_the_menu_sends_office_staff_to_their_bank(staff_client, office):
    response = staff_client.get(reverse("practice:question_bank"))
    assert response["Location"] == reverse("practice:office_bank", kwargs={"code": office.code})


def test_office_staff_add_a_task_with_a_data_file(staff_client, office, staff_user):
    """A CSV data file is stored under its checked kind and downloads with its original name."""
    data = SimpleUploadedFile("觀測值.csv", "點號,角度\nA,90.0000\n".encode(), content_type="application/pdf")
    response = staff_client.post(reverse("practice:task_add", kwargs={"code": office.code}), {
        "category": "traverse_levelling", "title": "閉合導線", "instructions": "計算坐標。", "good_answer": "閉合差。",
        "attachment": data, "is_published": "on"})
    assert response.status_code == 302
    task = PracticalTask.objects.get()
    assert (task.attachment_name, task.attachment_content_type) == ("觀測值.csv", "text/csv")
    assert task.attachment.name.endswith(".csv")
    assert _events(task) == [("practical_task.created", staff_user)]
    download = staff_client.get(reverse("practice:task_attachment", kwargs={"pk": task.pk}))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith("點號".encode())
    assert "attachment" in download["Content-Disposition"]


def test_an_executable_disguised_as_a_pdf_is_refused(staff_client, office):
    """The attachment field names the problem and neither the task nor a file is saved."""
    disguised = SimpleUploadedFile("sketch.pdf", WINDOWS_EXECUTABLE, content_type="application/pdf")
    response = staff_client.post(reverse("practice:task_add", kwargs={"code": office.code}), {
        "category": "traverse_levelling", "title": "閉合導線", "instructions": "計算坐標。", "good_answer": "閉合差。",
        "attachment": disguised})
    assert response.status_code == 400
    assert response.context["form"].errors["attachment"] == [
        "sketch.pdf is not a PDF, JPEG, PNG, XLSX, CSV or plain text file."]
    assert not PracticalTask.objects.exists()


def test_an_oversize_attachment_is_refused(staff_client, office, settings):
    settings.MEDIA_EVIDENCE_MAX_BYTES = 10
    response = staff_client.post(reverse("practice:task_add", kwargs={"code": office.code}), {
        "category": "traverse_levelling", "title": "閉合導線", "instructions": "計算坐標。", "good_answer": "閉合差。",
        "attachment": SimpleUploadedFile("a.pdf", b"%PDF-1.7 too long")})
    assert response.status_code == 400 and "is larger than" in response.context["form"].errors["attachment"][0]
    assert not PracticalTask.objects.exists()


def test_an_unpublished_tasks_attachment_is_for_its_office_staff_only(staff_client, client, other_office):
    """Another office's unpublished attachment answers 404; a published one any signed-in user may download."""
    task = make_task(other_office, published=False,
                     attachment=SimpleUploadedFile("a.pdf", b"%PDF-1.7\n"))
    url = reverse("practice:task_attachment", kwargs={"pk": task.pk})
    assert staff_client.get(url).status_code == 404
    task.is_published = True
    task.save()
    assert staff_client.get(url).status_code == 200


def test_a_task_with_answers_cannot_be_removed(staff_client, office, candidate):
    """Candidates' work is kept: removing an answered task is refused with a message."""
    from practice.services.attempts import task_answer_submit

    task = make_task(office)
    task_answer_submit(candidate=candidate, task=task, text="答", files=[], acting_user=None)
    staff_client.post(reverse("practice:task_remove", kwargs={"pk": task.pk}))
    assert PracticalTask.objects.filter(pk=task.pk).exists()


def test_the_question_list_keeps_a_constant_number_of_queries(staff_client, office, page_queries):
    """The bank costs the same queries with 2 or 12 questions and tasks."""
    for n in range(2):
        make_question(office, f"題目 {n}")
    make_task(office)
    url = reverse("practice:office_bank", kwargs={"code": office.code})
    few = page_queries(staff_client, url).count
    for n in range(10):
        make_question(office, f"更多題目 {n}", right=(0, 2))
        make_task(office, f"任務 {n}")
    assert (few, page_queries(staff_client, url).count) == (8, 8)


def test_office_staff_replace_and_remove_a_tasks_attachment(staff_client, office, staff_user, on_commit):
    """A new file replaces the old one, whose stored file is deleted after commit; removing leaves none."""
    from django.core.files.storage import default_storage

    task = make_task(office, attachment=SimpleUploadedFile("old.pdf", b"%PDF-1.7\n"))
    old_name = task.attachment.name
    url = reverse("practice:task_edit", kwargs={"pk": task.pk})
    fields = {"category": "traverse_levelling", "title": "水準測量", "instructions": "計算高程。",
              "good_answer": "閉合差。", "is_published": "on"}
    with on_commit(execute=True):
        response = staff_client.post(url, {**fields, "attachment": SimpleUploadedFile("new.png", b"\x89PNG\r\n\x1a\n")})
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.title, task.attachment_name, task.attachment_content_type) == ("水準測量", "new.png", "image/png")
    assert not default_storage.exists(old_name) and default_storage.exists(task.attachment.name)
    entry = history_for(task).first()
    assert event_name(entry) == "practical_task.updated" and entry.actor == staff_user
    assert entry.changes["title"] == ["閉合導線計算", "水準測量"]
    assert entry.changes["attachment"] == [old_name, task.attachment.name]
    with on_commit(execute=True):
        staff_client.post(url, {**fields, "remove_attachment": "on"})
    task.refresh_from_db()
    assert (task.attachment.name, task.attachment_name) == ("", "")


def test_removing_a_question_is_in_the_history(staff_client, office, staff_user):
    """The entry outlives the row and keeps what the question said."""
    from core.audit import history_list

    question = make_question(office)
    staff_client.post(reverse("practice:question_remove", kwargs={"pk": question.pk}))
    entry = history_list(event_prefix="question.removed").get()
    assert entry.actor == staff_user and entry.additional_data["text"] == question.text
