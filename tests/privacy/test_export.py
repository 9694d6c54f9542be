"""A candidate downloads one archive of everything the platform holds about them, and nobody else can."""
import json

import pytest
from django.urls import reverse

from accounts.roles import Role
from privacy.models import DataExport
from privacy.services import data_export_build
from tests.factories import make_user
from tests.privacy.conftest import open_archive

pytestmark = pytest.mark.django_db


def _build(client, candidate, capture):
    client.force_login(candidate.user)
    with capture(execute=True):
        response = client.post(reverse("privacy:export_request", kwargs={"pk": candidate.pk}))
    assert response.status_code == 302
    return DataExport.objects.get(candidate=candidate)


def test_the_archive_holds_the_candidates_data_and_files_and_nothing_of_another(
        client, published, django_capture_on_commit_callbacks):
    """data.json has the exam record, list, result, videos, evidence, portfolio, practice and questions, and the
    archive holds the candidate's own stored files; nothing belongs to the other candidate."""
    export = _build(client, published.first, django_capture_on_commit_callbacks)
    assert export.state == DataExport.State.READY
    response = client.get(reverse("privacy:export_download", kwargs={"pk": export.pk}))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = open_archive(response)
    document = json.loads(archive.read("data.json"))
    data = document["data"]
    first = published.first
    assert data["placement"]["candidate"]["exam_number"] == first.exam_number
    assert data["placement"]["candidate"]["email"] == first.email
    assert data["placement"]["candidate"]["residence"]["county"] == first.residence_county
    assert [entry["position"] for entry in data["placement"]["preferences"]["entries"]] == [1, 2]
    assert data["placement"]["placement_results"][0]["office_code"] == published.world.offices[0].code
    assert data["media_pipeline"]["videos"][0]["title"] == "Video of alpha"
    assert data["media_pipeline"]["evidence_files"][0]["title"] == "Evidence of alpha"
    assert data["portfolios"]["portfolio"]["summary"] == "Portfolio summary of alpha"
    assert data["practice"]["attempts"][0]["answers"] == [{"text": "Practice answer of alpha"}]
    assert data["focusgroups"]["questions"][0]["replies"][0]["text"] == "Reply of alpha"
    files = {name: archive.read(name) for name in archive.namelist() if name.startswith("files/")}
    assert sorted(files.values()) == sorted(
        open(published_path(name), "rb").read() for name in published.first_files.values())
    whole = b"".join(archive.read(name) for name in archive.namelist())
    assert b"bravo" not in whole
    assert published.second.exam_number.encode() not in whole and published.second.email.encode() not in whole


def published_path(name):
    from django.core.files.storage import default_storage

    return default_storage.path(name)


@pytest.mark.parametrize("who", ["other_candidate", Role.OFFICE_STAFF, Role.EXAM_STAFF])
def test_nobody_else_downloads_the_archive(client, published, django_capture_on_commit_callbacks, who):
    """Another candidate gets 404, office and examination staff 403: the archive answers to its owner only."""
    export = _build(client, published.first, django_capture_on_commit_callbacks)
    client.logout()
    user = published.second.user if who == "other_candidate" else make_user(who)
    client.force_login(user)
    response = client.get(reverse("privacy:export_download", kwargs={"pk": export.pk}))
    assert response.status_code == (404 if who == "other_candidate" else 403)


def test_an_anonymous_visitor_is_sent_to_sign_in(client, published, django_capture_on_commit_callbacks):
    """Signed out, the download link leads to the sign-in page, not to the archive."""
    export = _build(client, published.first, django_capture_on_commit_callbacks)
    client.logout()
    response = client.get(reverse("privacy:export_download", kwargs={"pk": export.pk}))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_another_candidate_cannot_ask_for_someone_elses_archive(client, published):
    """Asking for an archive of another candidacy answers 404 and queues nothing."""
    client.force_login(published.second.user)
    response = client.post(reverse("privacy:export_request", kwargs={"pk": published.first.pk}))
    assert response.status_code == 404
    assert not DataExport.objects.exists()


def test_building_twice_changes_nothing_more(client, published, django_capture_on_commit_callbacks):
    """The task run again on a finished archive leaves it as it was."""
    export = _build(client, published.first, django_capture_on_commit_callbacks)
    data_export_build(export_id=export.pk)
    again = DataExport.objects.get(pk=export.pk)
    assert (again.state, again.file.name, again.finished_at) == (export.state, export.file.name, export.finished_at)


def test_a_new_archive_replaces_the_previous_one_and_its_file(client, published, django_capture_on_commit_callbacks):
    """Asking again deletes the previous archive from storage."""
    from django.core.files.storage import default_storage

    first = _build(client, published.first, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("privacy:export_request", kwargs={"pk": published.first.pk}))
    assert not default_storage.exists(first.file.name)
    assert DataExport.objects.get(candidate=published.first).state == DataExport.State.READY


def test_my_data_page_shows_progress_then_the_download(client, published):
    """While the archive is queued the page refreshes itself; ready, it links the download."""
    client.force_login(published.first.user)
    client.cookies["django_language"] = "en"
    client.post(reverse("privacy:export_request", kwargs={"pk": published.first.pk}))  # Not committed: stays queued.
    page = client.get(reverse("privacy:mine")).content.decode()
    assert 'http-equiv="refresh"' in page and "Waiting to be built" in page
    export = DataExport.objects.get(candidate=published.first)
    data_export_build(export_id=export.pk)
    page = client.get(reverse("privacy:mine")).content.decode()
    assert reverse("privacy:export_download", kwargs={"pk": export.pk}) in page and 'http-equiv="refresh"' not in page


def test_an_archive_is_deleted_after_the_days_it_is_kept(client, published, django_capture_on_commit_callbacks,
                                                          settings):
    """The sweeper deletes an archive and its file once PRIVACY_EXPORT_KEEP_DAYS have passed, not before."""
    from datetime import timedelta

    from django.core.files.storage import default_storage

    from core import clock
    from privacy.services import data_exports_sweep

    settings.PRIVACY_EXPORT_KEEP_DAYS = 7
    export = _build(client, published.first, django_capture_on_commit_callbacks)
    with clock.frozen_at(export.finished_at + timedelta(days=6)), django_capture_on_commit_callbacks(execute=True):
        assert data_exports_sweep() == {"expired": 0, "lost": 0}
    assert default_storage.exists(export.file.name)
    with clock.frozen_at(export.finished_at + timedelta(days=7, minutes=1)), \
            django_capture_on_commit_callbacks(execute=True):
        assert data_exports_sweep() == {"expired": 1, "lost": 0}
    assert not default_storage.exists(export.file.name) and not DataExport.objects.exists()


def test_an_archive_whose_task_was_lost_fails_and_can_be_asked_for_again(client, published):
    """A request still queued hours later is marked failed, and the page offers to build it again."""
    from datetime import timedelta

    from core import clock
    from privacy.services import STALE_AFTER, data_exports_sweep

    client.force_login(published.first.user)
    client.post(reverse("privacy:export_request", kwargs={"pk": published.first.pk}))  # Not committed: queued.
    export = DataExport.objects.get()
    with clock.frozen_at(export.requested_at + STALE_AFTER + timedelta(minutes=1)):
        assert data_exports_sweep() == {"expired": 0, "lost": 1}
    assert DataExport.objects.get().state == DataExport.State.FAILED
