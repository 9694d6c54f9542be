"""The history page: examination staff read the audit log, newest first, filtered and paginated."""
from datetime import UTC, datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from accounts.roles import Role
from core.audit import audit_event
from core.history_views import ENTRIES_PER_PAGE, history_log
from placement.models import LandOffice
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def exam_staff():
    return make_user(Role.EXAM_STAFF, name="考選承辦")


@pytest.fixture
def show_history(exam_staff):
    """Return a function that renders the history page for examination staff with these query parameters."""
    def show(**query):
        request = RequestFactory().get("/history/", query)
        request.user = exam_staff
        request.LANGUAGE_CODE = "en"
        with translation.override("en"):
            response = history_log(request)
        assert response.status_code == 200
        return response.content.decode()

    return show


def test_entries_show_who_what_when_and_old_to_new_newest_first(show_history, exam_staff, office):
    audit_event(office, "land_office.renamed", actor=exam_staff, reason="合併", changes={
        "name": ["舊名", "新名"], "sort_order": [None, 3], "deadline": [datetime(2026, 5, 1, 9, 30, tzinfo=UTC), None],
    })
    audit_event(office, "land_office.checked_by_task", files=["a.mp4", "b.mp4"])

    page = show_history()

    assert page.index("land_office.checked_by_task") < page.index("land_office.renamed")
    assert "考選承辦" in page and "System" in page
    assert "Name: 舊名 → 新名" in page and "Sort order: – → 3" in page
    assert "deadline: 2026-05-01 17:30 → –" in page  # Stored in UTC, shown in Taipei time.
    assert "reason</span> 合併" in page and "a.mp4, b.mp4" in page
    assert f"Land office: {office.name}" in page


def test_filters_narrow_the_entries_by_event_family_and_subject_type(show_history, exam_staff, office):
    audit_event(office, "land_office.renamed")
    audit_event(exam_staff, "role.granted", role=Role.EXAM_STAFF)
    office_type = ContentType.objects.get_for_model(LandOffice)

    assert "land_office.renamed" not in show_history(event="role")
    assert "role.granted" in show_history(event="role")
    by_type = show_history(subject_type=office_type.pk)
    assert "land_office.renamed" in by_type and "role.granted" not in by_type


def test_the_log_is_paginated(show_history, office):
    for number in range(ENTRIES_PER_PAGE + 1):
        audit_event(office, "land_office.counted", number=number)

    assert show_history().count("land_office.counted") == ENTRIES_PER_PAGE
    assert show_history(page=2).count("<code>land_office.counted</code>") == 1


def test_the_page_runs_the_same_queries_however_many_entries_it_shows(client, exam_staff, office, page_queries):
    """The history page costs the same with one entry or twenty-one, by as many different people."""
    client.force_login(exam_staff)
    url = reverse("history:log")
    audit_event(office, "land_office.counted", actor=exam_staff)
    few = page_queries(client, url).count
    for number in range(20):
        audit_event(office, "land_office.counted", actor=make_user(Role.EXAM_STAFF), number=number)
    many = page_queries(client, url)
    assert many.response.content.decode().count("land_office.counted") == 21
    assert (few, many.count) == (8, 8)
