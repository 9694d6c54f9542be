"""An office's focus group reads the task answers of the candidates who consent to it, and no one else's.

Until a candidate chooses otherwise, they consent to the offices on their preference list (portfolios.selectors).
"""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.roles import Role
from placement.services.preferences import preference_list_save
from practice.services.attempts import task_answer_submit
from tests.factories import CandidateFactory, VacancyFactory, make_user
from tests.practice.conftest import make_task

pytestmark = pytest.mark.django_db


def _rank(candidate, *offices):
    for office in offices:
        VacancyFactory(cycle=candidate.cycle, office=office)
    preference_list_save(candidate=candidate, office_ids=[office.pk for office in offices])


def _answer(candidate, task, text):
    return task_answer_submit(candidate=candidate, task=task, text=text, acting_user=None,
                              files=[SimpleUploadedFile(f"{text}.txt", text.encode())])


@pytest.fixture
def leader_client(client, office):
    client.force_login(make_user(Role.FOCUS_GROUP_LEADER, office=office))
    return client


def test_the_focus_group_reads_only_consenting_candidates_answers(leader_client, office, other_office, cycle):
    """A candidate who ranked the office is listed with their file; one who ranked only another office is not."""
    consenting, elsewhere = CandidateFactory(cycle=cycle), CandidateFactory(cycle=cycle)
    _rank(consenting, office)
    _rank(elsewhere, other_office)
    task = make_task(office)
    shown = _answer(consenting, task, "同意者的答案")
    hidden = _answer(elsewhere, task, "未同意者的答案")
    page = leader_client.get(reverse("practice:office_task_answers", kwargs={"code": office.code}))
    body = page.content.decode()
    assert "同意者的答案" in body and "未同意者的答案" not in body
    file_url = reverse("practice:answer_file", kwargs={"pk": shown.files.get().pk})
    assert leader_client.get(file_url).status_code == 200
    refused_url = reverse("practice:answer_file", kwargs={"pk": hidden.files.get().pk})
    assert leader_client.get(refused_url).status_code == 404


def test_consent_for_one_office_does_not_open_another_offices_answers(client, office, other_office, cycle):
    """A member of both offices reads a candidate's answer to B's task only if the candidate consents to B."""
    member = make_user(Role.FOCUS_GROUP_MEMBER, office=office)
    from accounts.services import role_grant

    role_grant(user=member, role=Role.FOCUS_GROUP_MEMBER, office=other_office)
    client.force_login(member)
    candidate = CandidateFactory(cycle=cycle)
    _rank(candidate, office)
    answer = _answer(candidate, make_task(other_office), "B 所的答案")
    assert client.get(reverse("practice:answer_file", kwargs={"pk": answer.files.get().pk})).status_code == 404
    page = client.get(reverse("practice:office_task_answers", kwargs={"code": other_office.code}))
    assert "B 所的答案" not in page.content.decode()


def test_another_offices_focus_group_page_answers_404(leader_client, other_office):
    assert leader_client.get(reverse("practice:office_task_answers",
                                     kwargs={"code": other_office.code})).status_code == 404


def test_office_staff_and_candidates_cannot_read_the_focus_group_page(client, office):
    for role in (Role.OFFICE_STAFF, Role.CANDIDATE):
        client.force_login(make_user(role, office=office if role == Role.OFFICE_STAFF else None))
        assert client.get(reverse("practice:office_task_answers", kwargs={"code": office.code})).status_code == 403


def test_the_menu_sends_the_focus_group_to_its_office(leader_client, office):
    response = leader_client.get(reverse("practice:task_answers"))
    assert response["Location"] == reverse("practice:office_task_answers", kwargs={"code": office.code})


def test_the_answers_page_keeps_a_constant_number_of_queries(leader_client, office, cycle, page_queries):
    """The page costs the same queries with 2 or 12 answers by several candidates."""
    tasks = [make_task(office, f"任務 {n}") for n in range(2)]
    VacancyFactory(cycle=cycle, office=office)

    def add_candidate(n):
        candidate = CandidateFactory(cycle=cycle)
        preference_list_save(candidate=candidate, office_ids=[office.pk])
        for task in tasks:
            _answer(candidate, task, f"答案{n}-{task.pk}")

    add_candidate(0)
    url = reverse("practice:office_task_answers", kwargs={"code": office.code})
    few = page_queries(leader_client, url).count
    for n in range(1, 6):
        add_candidate(n)
    # Three of them record the visit on the listed candidates' access logs: one insert in its own savepoint.
    assert (few, page_queries(leader_client, url).count) == (10, 10)


def test_withdrawn_consent_hides_the_answers_again(leader_client, office, other_office, cycle):
    """A candidate who ranked the office but then chose only another office is no longer listed."""
    from portfolios.services import portfolio_consent_set

    candidate = CandidateFactory(cycle=cycle)
    _rank(candidate, office)
    answer = _answer(candidate, make_task(office), "撤回後的答案")
    url = reverse("practice:office_task_answers", kwargs={"code": office.code})
    assert "撤回後的答案" in leader_client.get(url).content.decode()
    portfolio_consent_set(candidate=candidate, office_ids=[other_office.pk], acting_user=None)
    assert "撤回後的答案" not in leader_client.get(url).content.decode()
    assert leader_client.get(reverse("practice:answer_file",
                                     kwargs={"pk": answer.files.get().pk})).status_code == 404


def test_reading_a_candidates_task_answers_shows_on_their_access_log(leader_client, office, other_office, cycle):
    """The answers page and the answer's file each leave a row on the consenting candidate's log; the other
    candidate, whose answers the group cannot see, gets none."""
    from placement.models import CandidateDataView

    consenting, elsewhere = CandidateFactory(cycle=cycle), CandidateFactory(cycle=cycle)
    _rank(consenting, office)
    _rank(elsewhere, other_office)
    task = make_task(office)
    shown = _answer(consenting, task, "同意者的答案")
    _answer(elsewhere, task, "未同意者的答案")
    leader_client.get(reverse("practice:office_task_answers", kwargs={"code": office.code}))
    leader_client.get(reverse("practice:answer_file", kwargs={"pk": shown.files.get().pk}))
    logged = CandidateDataView.objects.values_list("candidate_id", "what", "url_name")
    # The file was opened within the page's window, so the one row of this kind covers both.
    assert list(logged) == [(consenting.pk, "task_answer", "practice:office_task_answers")]
