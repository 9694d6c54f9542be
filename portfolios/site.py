"""The portfolios app's part of the site shell: its access-table rows and menu entries.

Whose portfolio a user reaches is scoped in the views: a candidate their own candidacy's; a focus group leader or
member, at an office where they hold that role, the portfolios of the candidates who consent for that office.
"""
from django.utils.translation import gettext_lazy as _

from accounts.access import CANDIDATE, LEADER, MEMBER
from core.registry import NavigationEntry, PersonalDataContributor

from . import personal_data

ACCESS = {
    "portfolios:mine": frozenset({CANDIDATE}),
    "portfolios:evidence_add": frozenset({CANDIDATE}),
    "portfolios:video_describe": frozenset({CANDIDATE}),
    "portfolios:video_evidence_add": frozenset({CANDIDATE}),
    "portfolios:preview": frozenset({CANDIDATE}),
    "portfolios:consent": frozenset({CANDIDATE}),
    "portfolios:consent_withdraw": frozenset({CANDIDATE}),
    "portfolios:evaluated": frozenset({LEADER, MEMBER}),
    "portfolios:office_portfolios": frozenset({LEADER, MEMBER}),
    "portfolios:office_portfolio": frozenset({LEADER, MEMBER}),
}


# A candidate's portfolio texts and consents, exported and erased for the privacy app.
PERSONAL_DATA = [
    PersonalDataContributor(
        key="portfolios",
        models=("portfolios.Portfolio", "portfolios.PortfolioConsent", "portfolios.PortfolioVisit"),
        export=personal_data.candidate_export,
        erase=personal_data.candidate_erase,
    ),
]

NAVIGATION = [
    NavigationEntry("portfolios:mine", _("My portfolio"), position=25),
    NavigationEntry("portfolios:evaluated", _("Portfolios"), position=45),
]
