"""After the cycle closes a candidate may have their personal data erased; the published result stays as published."""
import pytest
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse

from core.audit import history_list
from focusgroups.models import CandidateQuestion, QuestionReply
from media_pipeline.models import EvidenceFile, Video
from placement.models import Assignment, Candidate, PreferenceEntry, Publication, PublicationEmail
from portfolios.models import Portfolio
from practice.models import PracticeAttempt
from privacy.models import DataExport, Erasure
from privacy.rules import erasure_allowed

pytestmark = pytest.mark.django_db


def _erase(client, candidate, capture):
    client.force_login(candidate.user)
    with capture(execute=True):
        return client.post(reverse("privacy:erase", kwargs={"pk": candidate.pk}))


def _published_rows():
    return sorted((row.pk, *row.published_row()) for row in Assignment.objects.filter(
        run__publication__isnull=False)), list(Publication.objects.values_list("pk", "results_sha256"))


def test_erasure_is_refused_while_the_cycle_runs(client, published, django_capture_on_commit_callbacks):
    """Before the report-by time has passed the confirmation page is not shown and the POST erases nothing."""
    client.force_login(published.first.user)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("privacy:mine")).content.decode()
    assert "once the cycle has closed: after" in page
    assert reverse("privacy:erase", kwargs={"pk": published.first.pk}) not in page
    assert client.get(reverse("privacy:erase", kwargs={"pk": published.first.pk})).status_code == 302
    _erase(client, published.first, django_capture_on_commit_callbacks)
    first = Candidate.objects.get(pk=published.first.pk)
    assert first.email and first.user_id and not Erasure.objects.exists()
    assert default_storage.exists(published.first_files["video"])


def test_erasure_is_refused_before_publication(cycle):
    """A cycle without a published result is not closed, whatever its report-by time."""
    from datetime import timedelta

    from core import clock

    cycle.report_by = clock.now() - timedelta(days=1)
    cycle.save()
    assert not erasure_allowed(cycle)


def test_after_the_cycle_closes_the_personal_data_is_gone(client, published, django_capture_on_commit_callbacks):
    """Files are deleted from storage, the rows removed, contact details cleared and the name masked."""
    published.close()
    first = published.first
    user_pk = first.user_id
    with django_capture_on_commit_callbacks(execute=True):
        client.force_login(first.user)
        client.post(reverse("privacy:export_request", kwargs={"pk": first.pk}))
    archive_name = DataExport.objects.get(candidate=first).file.name
    original_name = first.name
    assert PublicationEmail.objects.filter(assignment__candidate=first).exclude(recipient="").exists()
    response = _erase(client, first, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    for name in [*published.first_files.values(), archive_name]:
        assert not default_storage.exists(name)
    erased = Candidate.objects.get(pk=first.pk)
    assert erased.email == "" and erased.residence_county == "" and erased.residence_district == ""
    assert erased.user_id is None
    assert erased.name == original_name[0] + "○" * (len(original_name) - 2) + original_name[-1]
    assert not get_user_model().objects.filter(pk=user_pk).exists()
    for model in (Video, EvidenceFile, Portfolio, PracticeAttempt, CandidateQuestion, DataExport):
        assert not model.objects.filter(candidate=first).exists(), model
    assert not QuestionReply.objects.filter(question__candidate=first).exists()
    assert not PreferenceEntry.objects.filter(preference_list__candidate=first).exists()
    assert not PublicationEmail.objects.filter(assignment__candidate=first).exclude(recipient="").exists()
    # The other candidate keeps everything.
    second = published.second
    assert default_storage.exists(published.second_files["video"])
    assert Video.objects.filter(candidate=second).exists() and Candidate.objects.get(pk=second.pk).email


def test_published_rows_stay_unchanged_and_verify(client, published, django_capture_on_commit_callbacks, capsys):
    """The published rows and hashes are as before, and `manage.py placement_verify` still passes."""
    published.close()
    before = _published_rows()
    _erase(client, published.first, django_capture_on_commit_callbacks)
    assert Erasure.objects.filter(candidate=published.first).exists()
    assert _published_rows() == before
    call_command("placement_verify")
    assert "Every published result matches" in capsys.readouterr().out


def test_the_erasure_is_in_the_history_without_the_personal_data(client, published,
                                                                  django_capture_on_commit_callbacks):
    """One history entry names the erasure; it holds no name, email or exam number."""
    published.close()
    first = published.first
    secrets = [first.name, first.email, first.exam_number, first.user.email]
    _erase(client, first, django_capture_on_commit_callbacks)
    entries = list(history_list(event_prefix="personal_data"))
    assert [entry.additional_data["event"] for entry in entries] == ["personal_data.erased"]
    text = str(entries[0].additional_data) + str(entries[0].changes) + str(entries[0].actor_email) + str(
        entries[0].object_repr)
    assert not any(secret in text for secret in secrets)


def test_erasing_twice_is_refused(client, published, django_capture_on_commit_callbacks):
    """A second erasure of the same candidacy finds nothing to do and says so."""
    from privacy.services import PrivacyError, candidate_erase

    published.close()
    _erase(client, published.first, django_capture_on_commit_callbacks)
    with pytest.raises(PrivacyError):
        candidate_erase(candidate=Candidate.objects.get(pk=published.first.pk))


def test_another_candidate_cannot_erase_someone_else(client, published, django_capture_on_commit_callbacks):
    """Erasing another candidacy answers 404 and erases nothing."""
    published.close()
    client.force_login(published.second.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("privacy:erase", kwargs={"pk": published.first.pk}))
    assert response.status_code == 404
    assert Candidate.objects.get(pk=published.first.pk).email and not Erasure.objects.exists()


def test_staff_see_the_list_of_erasures(client, published, django_capture_on_commit_callbacks, staff):
    """The examination staff's page lists who was erased, when, and the exam number."""
    published.close()
    number = published.first.exam_number
    _erase(client, published.first, django_capture_on_commit_callbacks)
    client.force_login(staff)
    page = client.get(reverse("privacy:erasures")).content.decode()
    assert number in page and Erasure.objects.get().masked_name in page


def test_an_account_something_else_points_at_is_closed_and_loses_its_address(client, published,
                                                                             django_capture_on_commit_callbacks):
    """When another record still names the account, it is deactivated with its address and roles gone."""
    from allauth.account.models import EmailAddress

    from core import clock
    from placement.models import LateVacancy

    published.close()
    user = published.first.user
    LateVacancy.objects.create(cycle=published.cycle, office=published.world.offices[0], seats=1, reason="x",
                               reported_by=user, reported_at=clock.now())
    _erase(client, published.first, django_capture_on_commit_callbacks)
    user = get_user_model().objects.get(pk=user.pk)
    assert not user.is_active and user.email.endswith("@erased.invalid") and not user.has_usable_password()
    assert not EmailAddress.objects.filter(user=user).exists() and not user.roles


def test_the_invitation_sent_to_the_candidate_forgets_the_address(client, published,
                                                                   django_capture_on_commit_callbacks):
    """The candidate invitation of the cycle keeps that it was sent, not where to."""
    from datetime import timedelta

    from accounts.models import Invitation
    from accounts.roles import Role
    from core import clock

    published.close()
    email = published.first.email
    invitation = Invitation.objects.create(email=email, role=Role.CANDIDATE, cycle=published.cycle,
                                           created_at=clock.now(), expires_at=clock.now() + timedelta(days=1))
    _erase(client, published.first, django_capture_on_commit_callbacks)
    invitation.refresh_from_db()
    assert invitation.email != email and invitation.email.endswith(".invalid")
