"""The demo: idempotent data, and every demo account signs in and lands on its dashboard."""
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.roles import STAFF_ROLES
from offices.models import OfficeProfile, ProfileStatus
from placement.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, demo_totp_secret
from placement.models import Candidate, ExamCycle, LandOffice, Vacancy
from tests.factories import current_totp_code

pytestmark = pytest.mark.django_db


def _counts():
    from accounts.models import RoleGrant, User
    from media_pipeline.models import Video
    from offices.models import OfficeInstrument
    from placement.models import PreferenceEntry, SuitabilityScore
    from portfolios.models import PortfolioConsent, ProcedureStep
    from practice.models import PracticalTask, Question

    models = (LandOffice, ExamCycle, Candidate, Vacancy, User, RoleGrant, PreferenceEntry, SuitabilityScore,
              OfficeProfile, OfficeInstrument, Question, PracticalTask, Video, ProcedureStep, PortfolioConsent)
    return [model.objects.count() for model in models]


def test_loading_the_demo_twice_changes_nothing():
    """The second run of load_demo leaves every table as the first left it."""
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    first = _counts()
    fields = ("exam_number", "exam_rank", "exam_score", "email")
    snapshot = list(Candidate.objects.order_by("pk").values_list(*fields))
    call_command("load_demo", stdout=io.StringIO())
    assert _counts() == first
    assert list(Candidate.objects.order_by("pk").values_list(*fields)) == snapshot
    assert first[2] == 150 and first[3] == 40
    # Every office with vacancies publishes a profile, so discovery and comparison have facts to show.
    assert first[8] == 40 and OfficeProfile.objects.filter(status=ProfileStatus.PUBLISHED).count() == 40
    # Six offices publish a bank of four questions and a task; the twelve best-ranked candidates (the demo
    # account among them) each describe a video in four steps and consent for the demo office.
    assert first[10:] == [24, 6, 12, 48, 12]
    # 大安所's focus group scored everyone who consents for it (those twelve, and by default the candidates who
    # ranked it) and finalised: its scores are the office's, from the group.
    from focusgroups.models import FocusGroup

    group = FocusGroup.objects.get()
    assert group.state == FocusGroup.State.FINALISED and group.roster.count() > 12
    assert group.outcomes.filter(rank__isnull=False).count() == group.roster.count()
    assert set(group.office.suitability_scores.values_list("source", flat=True)) == {"focus_group"}
    for spec in DEMO_ACCOUNTS:
        assert spec.email in out.getvalue()
    assert DEMO_PASSWORD in out.getvalue()


@pytest.mark.parametrize("spec", DEMO_ACCOUNTS, ids=lambda spec: spec.role)
def test_every_demo_account_signs_in_and_lands_on_its_dashboard(client, spec):
    """Each demo account signs in (staff with their printed TOTP secret) and sees its role's next steps."""
    call_command("load_demo", stdout=io.StringIO())
    response = client.post(reverse("account_login"), {"login": spec.email, "password": DEMO_PASSWORD})
    if spec.role in STAFF_ROLES:
        assert response["Location"] == reverse("mfa_authenticate")
        response = client.post(reverse("mfa_authenticate"), {"code": current_totp_code(demo_totp_secret(spec.email))})
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")
    dashboard = client.get(reverse("dashboard"))
    assert dashboard.status_code == 200
    assert "下一步" in dashboard.content.decode()


def test_the_demo_candidate_sees_their_exam_record(client):
    """The demo candidate's dashboard shows their exam number and links to their record."""
    call_command("load_demo", stdout=io.StringIO())
    candidate = Candidate.objects.get(email="candidate@surveyplace.example")
    client.post(reverse("account_login"), {"login": candidate.email, "password": DEMO_PASSWORD})
    body = client.get(reverse("dashboard")).content.decode()
    assert candidate.exam_number in body
    assert reverse("placement:candidate_detail", kwargs={"pk": candidate.pk}) in body
