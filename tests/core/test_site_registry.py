"""Each app's site module contributes access rows, menu entries and panels, merged by core at start-up."""
from types import SimpleNamespace

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

import accounts.site
import core.site
import media_pipeline.site
import placement.site
from accounts import access
from accounts.roles import Role
from core import registry
from core.context_processors import navigation
from core.registry import NavigationEntry
from tests.factories import ExamCycleFactory, make_user

SITE_MODULES = [core.site, accounts.site, placement.site, media_pipeline.site]


@pytest.mark.parametrize("site_module", SITE_MODULES, ids=lambda module: module.__name__)
def test_the_merged_table_holds_every_apps_entries(site_module):
    """Every row an app lists in its site module is in the merged access table, with the same audience."""
    table = registry.access_table()
    assert site_module.ACCESS
    assert {key: table.get(key) for key in site_module.ACCESS} == site_module.ACCESS


def test_a_key_listed_by_two_apps_is_refused():
    """Two apps claiming the same URL stop the start-up with a message naming both."""
    first = SimpleNamespace(__name__="first.site", ACCESS={"shared": frozenset({access.PUBLIC})})
    second = SimpleNamespace(__name__="second.site", ACCESS={"shared": frozenset({access.SIGNED_IN})})
    with pytest.raises(ImproperlyConfigured, match="'shared' is listed by both first.site and second.site"):
        registry.merge_access_tables([first, second])


def test_the_menu_keeps_its_order_across_apps():
    """The entries of every app form one menu, ordered by position."""
    assert [entry.url_name for entry in registry.navigation_entries()] == [
        "dashboard", "offices:discovery", "media_pipeline:my_videos", "portfolios:mine",
        "focusgroups:candidate_groups", "media_pipeline:our_videos", "offices:our_profile", "practice:question_bank",
        "practice:task_answers", "accounts:invitation_list", "focusgroups:my_groups", "portfolios:evaluated",
        "placement:preference_edit", "practice:my_practice", "privacy:mine", "placement:cycle_detail",
        "placement:cycle_candidate_list", "placement:run_list", "placement:cycle_results", "offices:profile_list",
        "history:log", "privacy:erasures", "admin:index",
    ]


def _menu_urls(rf, user) -> list[str]:
    request = rf.get("/")
    request.user = user
    return [item["url"] for item in navigation(request)["nav_items"]]


@pytest.mark.django_db
def test_an_apps_menu_entry_shows_only_to_the_roles_that_may_open_it(rf):
    """Media's "My videos" shows to candidates, placement's cycle pages to examination staff, not the other way."""
    cycle = ExamCycleFactory(is_current=True)
    candidates_url = reverse("placement:cycle_candidate_list", kwargs={"pk": cycle.pk})
    candidate_menu = _menu_urls(rf, make_user(Role.CANDIDATE))
    assert reverse("media_pipeline:my_videos") in candidate_menu and candidates_url not in candidate_menu
    exam_staff_menu = _menu_urls(rf, make_user(Role.EXAM_STAFF))
    assert candidates_url in exam_staff_menu and reverse("media_pipeline:my_videos") not in exam_staff_menu


@pytest.mark.django_db
def test_the_cycle_pages_leave_the_menu_while_no_cycle_is_current(rf):
    """Without a current cycle, examination staff see no link to a cycle's pages."""
    menu = _menu_urls(rf, make_user(Role.EXAM_STAFF))
    assert reverse("offices:discovery") in menu
    assert not [url for url in menu if url.startswith("/cycles/")]


@pytest.mark.django_db
def test_entries_sharing_a_url_kwargs_function_ask_it_once_per_request(rf, monkeypatch):
    """The current cycle is looked up once however many cycle pages the menu shows."""
    calls = []

    def current_cycle_kwargs(request):
        calls.append(request)
        return {"pk": 7}

    monkeypatch.setattr(registry, "navigation_entries", lambda: (
        NavigationEntry("placement:cycle_detail", "Exam cycle", position=1, url_kwargs=current_cycle_kwargs),
        NavigationEntry("placement:run_list", "Placement runs", position=2, url_kwargs=current_cycle_kwargs),
    ))
    assert _menu_urls(rf, make_user(Role.EXAM_STAFF)) == [
        reverse("placement:cycle_detail", kwargs={"pk": 7}), reverse("placement:run_list", kwargs={"pk": 7}),
    ]
    assert len(calls) == 1
