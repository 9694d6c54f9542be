"""Consent: which offices' focus groups see a candidate's portfolio; and what those focus groups see."""
import pytest
from django.test import Client
from django.urls import reverse

from accounts.roles import Role
from portfolios.models import Portfolio, PortfolioConsent, PortfolioVisit
from tests.factories import LandOfficeFactory, VacancyFactory, make_user
from tests.media_pipeline.history import entry, events
from tests.portfolios.factories import described, ranking, video

pytestmark = pytest.mark.django_db

EVALUATORS = (Role.FOCUS_GROUP_LEADER, Role.FOCUS_GROUP_MEMBER)


def _list_url(office):
    return reverse("portfolios:office_portfolios", kwargs={"office_id": office.pk})


def _detail_url(office, candidate):
    return reverse("portfolios:office_portfolio", kwargs={"office_id": office.pk, "candidate_id": candidate.pk})


def _sees(client, office, candidate) -> bool:
    """Say whether the signed-in evaluator finds the candidate in the office's list and may open the portfolio."""
    listed = candidate.name in client.get(_list_url(office)).content.decode()
    status = client.get(_detail_url(office, candidate)).status_code
    assert status in (200, 404)
    assert listed == (status == 200), "the list and the detail page disagree"
    return status == 200


@pytest.fixture
def evaluator_client():
    """A second browser, so an evaluator and the candidate can both stay signed in."""
    client = Client()
    client.cookies["django_language"] = "en"
    return client


def _choose(client, *offices):
    return client.post(reverse("portfolios:consent"), {"offices": [office.pk for office in offices]})


def test_without_consent_an_office_sees_nothing(client, candidate):
    """A candidate who neither ranked nor chose an office is absent from its list and its detail page is 404."""
    office = LandOfficeFactory()
    clip = video(candidate)
    described(clip, "定心")
    for role in EVALUATORS:
        client.force_login(make_user(role, office=office))
        assert not _sees(client, office, candidate)
        assert client.get(clip.get_absolute_url()).status_code == 404


def test_by_default_the_offices_on_the_preference_list_see_it(client, candidate):
    office, unranked = LandOfficeFactory(), LandOfficeFactory()
    ranking(candidate, office)
    described(video(candidate), "定心：光學對點器")
    for role in EVALUATORS:
        client.force_login(make_user(role, office=office))
        assert _sees(client, office, candidate)
        assert "定心：光學對點器" in client.get(_detail_url(office, candidate)).content.decode()
        client.force_login(make_user(role, office=unranked))
        assert not _sees(client, unranked, candidate)


def test_an_explicit_choice_replaces_the_default(evaluator_client, candidate_client, candidate):
    """Once the candidate chooses, only the chosen offices see it, ranked or not; the history records each step."""
    ranked, chosen = LandOfficeFactory(), VacancyFactory(cycle=candidate.cycle).office
    ranking(candidate, ranked)
    assert _choose(candidate_client, chosen).status_code == 302
    portfolio = Portfolio.objects.get(candidate=candidate)
    assert entry(portfolio, "portfolio.consent_chosen").additional_data | {"candidate": None} == {
        "event": "portfolio.consent_chosen", "candidate": None, "default_offices": [ranked.pk],
        "offices": [chosen.pk]}
    consent = PortfolioConsent.objects.get()
    assert (consent.office, consent.withdrawn_at) == (chosen, None)
    assert [event for event, _actor, _changes in events(consent)] == ["portfolio_consent.granted"]
    evaluator_client.force_login(make_user(Role.FOCUS_GROUP_MEMBER, office=chosen))
    assert _sees(evaluator_client, chosen, candidate)
    evaluator_client.force_login(make_user(Role.FOCUS_GROUP_MEMBER, office=ranked))
    assert not _sees(evaluator_client, ranked, candidate)


def test_withdrawn_consent_hides_the_portfolio_and_its_media(evaluator_client, candidate_client, candidate):
    """After withdrawing, the office loses the list entry, the page, the videos and the files."""
    office = LandOfficeFactory()
    ranking(candidate, office)
    clip = video(candidate)
    member = make_user(Role.FOCUS_GROUP_MEMBER, office=office)
    evaluator_client.force_login(member)
    assert _sees(evaluator_client, office, candidate)
    response = candidate_client.post(reverse("portfolios:consent_withdraw", kwargs={"office_id": office.pk}))
    assert response.status_code == 302
    assert not _sees(evaluator_client, office, candidate)
    assert evaluator_client.get(clip.get_absolute_url()).status_code == 404
    # Withdrawing what is not given answers 404, and consent can be given again.
    assert candidate_client.post(
        reverse("portfolios:consent_withdraw", kwargs={"office_id": office.pk})).status_code == 404
    # Leaving the default is recorded once, naming what the default had allowed; later changes on the consent.
    chosen = entry(Portfolio.objects.get(candidate=candidate), "portfolio.consent_chosen").additional_data
    assert (chosen["default_offices"], chosen["offices"]) == ([office.pk], [])
    _choose(candidate_client, office)
    assert _sees(evaluator_client, office, candidate)
    candidate_client.post(reverse("portfolios:consent_withdraw", kwargs={"office_id": office.pk}))
    assert not _sees(evaluator_client, office, candidate)
    consent = PortfolioConsent.objects.get()
    assert [(event, actor) for event, actor, _changes in events(consent)] == [
        ("portfolio_consent.granted", candidate.user), ("portfolio_consent.withdrawn", candidate.user)]
    assert consent.withdrawn_at is not None


def test_a_withdrawal_of_one_default_office_keeps_the_others(candidate_client, candidate):
    first, second = LandOfficeFactory(), LandOfficeFactory()
    ranking(candidate, first, second)
    candidate_client.post(reverse("portfolios:consent_withdraw", kwargs={"office_id": first.pk}))
    assert list(PortfolioConsent.objects.filter(withdrawn_at__isnull=True).values_list("office", flat=True)) == [
        second.pk]


def test_the_candidate_sees_who_has_it_since_when_and_the_last_visit(evaluator_client, candidate_client, candidate):
    office, other = LandOfficeFactory(name="甲地政事務所", name_en="Office A"), LandOfficeFactory(name_en="Office B")
    ranking(candidate, office, other)
    page = candidate_client.get(reverse("portfolios:consent")).content.decode()
    assert "the offices on your preference list count as consented" in page
    assert page.count("By default (on your preference list)") == 2
    assert page.count("Not viewed yet") == 2
    leader = make_user(Role.FOCUS_GROUP_LEADER, office=office)
    evaluator_client.force_login(leader)
    evaluator_client.get(_detail_url(office, candidate))
    visit = PortfolioVisit.objects.get()
    assert (visit.office, visit.last_viewed_by) == (office, leader)
    assert events(visit) == [("portfolio_visit.recorded", leader, {})]
    page = candidate_client.get(reverse("portfolios:consent")).content.decode()
    assert page.count("Not viewed yet") == 1
    _choose(candidate_client, office)
    page = candidate_client.get(reverse("portfolios:consent")).content.decode()
    assert "By default" not in page and "Office A" in page
    assert "Withdrawn" not in page
    candidate_client.post(reverse("portfolios:consent_withdraw", kwargs={"office_id": office.pk}))
    page = candidate_client.get(reverse("portfolios:consent")).content.decode()
    assert "No office may see your portfolio." in page and "Withdrawn" in page


def test_a_choice_of_an_unknown_office_is_refused(candidate_client, candidate):
    response = candidate_client.post(reverse("portfolios:consent"), {"offices": ["999999"]})
    assert response.status_code == 400
    assert not Portfolio.objects.filter(consent_chosen_at__isnull=False).exists()


def test_evaluators_reach_only_their_own_offices_pages(client, candidate):
    """An office id where the user holds no evaluator role answers 404, even for a consenting candidate."""
    office, other = LandOfficeFactory(), LandOfficeFactory()
    ranking(candidate, other)
    client.force_login(make_user(Role.FOCUS_GROUP_LEADER, office=office))
    assert client.get(_list_url(other)).status_code == 404
    assert client.get(_detail_url(other, candidate)).status_code == 404
    assert client.get(reverse("portfolios:evaluated"))["Location"] == _list_url(office)
    # Office staff of the consented office hold no evaluator role there.
    client.force_login(make_user(Role.OFFICE_STAFF, office=other))
    assert client.get(_detail_url(other, candidate)).status_code == 403


def test_the_preview_and_the_focus_group_page_show_the_same_portfolio(evaluator_client, candidate_client, candidate):
    office = LandOfficeFactory()
    ranking(candidate, office)
    described(video(candidate), "定心", "整平")
    candidate_client.post(reverse("portfolios:mine"), {"summary": "五年外業"})
    preview = candidate_client.get(reverse("portfolios:preview")).content.decode()
    evaluator_client.force_login(make_user(Role.FOCUS_GROUP_MEMBER, office=office))
    evaluator_client.cookies["django_language"] = "en"
    seen = evaluator_client.get(_detail_url(office, candidate)).content.decode()

    def article(html):
        return html[html.index('<article class="portfolio"'):html.index("</article>")]

    assert article(preview) == article(seen)
    assert "五年外業" in article(seen) and "Mountains" in article(seen)
    # A step's time opens the YouTube video at that moment.
    assert "watch?v=dQw4w9WgXcQ&amp;t=20s" in article(seen)


def test_the_menu_offers_each_role_its_page(evaluator_client, candidate_client):
    page = candidate_client.get(reverse("home"), follow=True).content.decode()
    assert f'href="{reverse("portfolios:mine")}">My portfolio<' in page
    evaluator_client.force_login(make_user(Role.FOCUS_GROUP_MEMBER))
    page = evaluator_client.get(reverse("home"), follow=True).content.decode()
    assert f'href="{reverse("portfolios:evaluated")}">Portfolios<' in page


def test_the_focus_group_list_pins_its_queries_as_it_grows(client, make_candidate, page_queries):
    office = LandOfficeFactory()
    first = make_candidate()
    ranking(first, office)
    described(video(first), "定心")
    client.force_login(make_user(Role.FOCUS_GROUP_LEADER, office=office))
    before = page_queries(client, _list_url(office))
    for number in range(3):
        candidate = make_candidate()
        ranking(candidate, office)
        described(video(candidate, youtube_id=f"{number}aaaaaaaaaa"), "定心", "整平")
    after = page_queries(client, _list_url(office))
    assert after.response.content.decode().count(reverse("portfolios:office_portfolios", kwargs={
        "office_id": office.pk})) >= 4
    assert before.count == after.count == 11
