"""Pages pass automated WCAG 2 A/AA checks (axe-core) for every role, in both languages."""
import io

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command

from accounts.models import User
from placement.models import Candidate, ExamCycle, LandOffice

pytestmark = pytest.mark.django_db(transaction=True)

AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
# Pages per role; {cycle} and {candidate} are filled from the demo data.
PAGES = {
    None: ["/", "/accounts/login/", "/accounts/password/reset/"],
    "candidate@surveyplace.example": [
        "/dashboard/", "/offices/", "/offices/TPE-DAAN/", "/compare/?o=TPE-DAAN&o=TPE-ZHONGSHAN", "/preferences/",
        "/videos/mine/", "/videos/evidence/",
        "/candidates/{candidate}/",
    ],
    "exam@surveyplace.example": [
        "/dashboard/", "/invitations/", "/invitations/new/", "/cycles/{cycle}/", "/cycles/{cycle}/candidates/",
        "/cycles/{cycle}/import/candidates/", "/cycles/{cycle}/runs/", "/cycles/{cycle}/results/",
    ],
    "office@surveyplace.example": ["/dashboard/", "/videos/offices/{office}/", "/accounts/2fa/"],
}


def _serious(results) -> list[str]:
    return [
        f"{violation['id']} ({violation['impact']}): {violation['nodes'][0]['target']} {violation['help']}"
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("language", ["zh-hant", "en"])
def test_key_pages_have_no_serious_accessibility_violations(live_server, page, browser_session, language):
    """axe-core finds no serious or critical WCAG 2.1 A/AA problem on the main pages of each role."""
    call_command("load_demo", stdout=io.StringIO())
    values = {
        "cycle": ExamCycle.objects.get(is_current=True).pk,
        "candidate": Candidate.objects.get(email="candidate@surveyplace.example").pk,
        "office": LandOffice.objects.get(code="TPE-DAAN").pk,
    }
    axe = Axe()
    problems = []
    for email, paths in PAGES.items():
        browser_session(page, User.objects.get(email=email) if email else None, language=language)
        for path in paths:
            url = live_server.url + path.format(**values)
            response = page.goto(url)
            assert response.status == 200, url
            assert page.url == url, f"{url} redirected to {page.url}"
            problems += [f"{path} ({email or 'anonymous'}): {problem}" for problem in _serious(axe.run(
                page, options=AXE_OPTIONS))]
    assert problems == []
