"""Every HTML page of every role, filled with that role's own real objects, passes axe-core's WCAG 2.1 A/AA checks.

The world is the security suite's two-office world (tests/security/conftest.py), built through the services. Each
URL pattern is filled the way the cross-tenant walk fills it (tests/security/test_cross_tenant_walk.py), but with
office A's and candidate 1's objects instead of office B's: the walk's mapping is read with the two tenants swapped.
Each role requests every URL the access table lets it reach; the pages that answer 200 with HTML are checked in a
browser, in Traditional Chinese, and the first few of each role in English too.
"""
import dataclasses
import time

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.test import Client
from django.urls import NoReverseMatch, reverse

from accounts.access import PUBLIC, audience_for_key, user_may_reach
from accounts.urlwalk import iter_endpoints
from offices.services import office_profile_publish
from tests.browser.csp_watch import watch_csp
from tests.browser.test_accessibility import AXE_OPTIONS
from tests.security.conftest import build_world
from tests.security.test_cross_tenant_walk import FOREIGN, _skip_reason

pytestmark = pytest.mark.django_db(transaction=True)

# How many pages of each role are also checked in English.
ENGLISH_PAGES = 4
# URLs the cross-tenant walk skips that still have a page worth checking, filled with office A.
EXTRA = {
    "placement:office_detail": lambda w: [{"code": w.a.office.code}],
    "practice:office_practice": lambda w: [{"code": w.a.office.code}],
}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Keep stored files in the test's own folder and YouTube links unchecked."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.YOUTUBE_API_KEY = ""


def _own(world):
    """Return the world with its tenants swapped, so the walk's foreign objects are office A's own."""
    return dataclasses.replace(world, a=world.b, b=world.a)


def _paths(world) -> list[tuple[str, str]]:
    """Return (key, path) for every URL pattern that can be filled with office A's objects."""
    swapped = _own(world)
    paths = []
    for endpoint in iter_endpoints():
        if endpoint.key in EXTRA:
            variants = EXTRA[endpoint.key](world)
        elif endpoint.key in FOREIGN:
            variants = FOREIGN[endpoint.key](swapped)
        elif _skip_reason(endpoint.key) is not None or not endpoint.named:
            continue
        else:
            variants = [{}]
        for kwargs in variants:
            try:
                paths.append((endpoint.key, reverse(endpoint.key, kwargs=kwargs)))
            except NoReverseMatch:
                continue
    return list(dict.fromkeys(paths))


def _may_reach(user, key: str) -> bool:
    audience = audience_for_key(key)
    if user is None:
        return audience is not None and PUBLIC in audience
    return user_may_reach(user, audience)


def _set_phase(world, key: str) -> None:
    # The focus groups' pages show their scoring forms in the focus-group phase; the rest are shown in submissions.
    if key.startswith("focusgroups:"):
        world.phase_focus_groups()
    else:
        world.phase_submissions()


def _html_pages(world, user, paths, passed_over: list) -> list[tuple[str, str]]:
    """Return the (key, path) pairs that answer the user 200 with an HTML page; note the others in passed_over."""
    client = Client()
    if user is not None:
        client.force_login(user)
    pages = []
    for key, path in paths:
        if not _may_reach(user, key):
            continue
        _set_phase(world, key)
        response = client.get(path)
        if response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
            pages.append((key, path))
        else:
            passed_over.append(f"{path} {response.status_code} {response.get('Content-Type', '')}")
    return pages


def _serious(results) -> list[str]:
    return [
        f"{violation['id']} ({violation['impact']}): {[node['target'] for node in violation['nodes']][:3]} "
        f"{violation['help']}"
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def test_every_page_of_every_role_has_no_serious_accessibility_violation(
        live_server, browser, browser_session, django_capture_on_commit_callbacks, youtube_player):
    """axe-core finds no serious or critical WCAG 2.1 A/AA problem on any page any role can open."""
    started = time.monotonic()
    world = build_world(django_capture_on_commit_callbacks)
    # Office A publishes its profile, so its public page is there to check; office B's stays a draft.
    office_profile_publish(profile=world.a.objects["profile"], acting_user=world.a.staff)
    roles = {
        "anonymous": None, "candidate": world.a.candidate.user, "office staff": world.a.staff,
        "focus-group leader": world.a.leader, "focus-group member": world.a.member, "exam staff": world.exam_staff,
    }
    paths = _paths(world)
    axe = Axe()
    problems, counts, passed_over = [], {}, {}
    for role, user in roles.items():
        passed_over[role] = []
        pages = _html_pages(world, user, paths, passed_over[role])
        counts[role] = len(pages)
        context = browser.new_context()
        # Every page of every role is also held to the Content-Security-Policy (tests/browser/conftest.py checks).
        watch_csp(context)
        page = context.new_page()
        try:
            for language, selection in (("zh-hant", pages), ("en", pages[:ENGLISH_PAGES])):
                browser_session(page, user, language=language)
                for key, path in selection:
                    _set_phase(world, key)
                    page.goto(live_server.url + path)
                    problems += [f"{path} [{key}] ({role}, {language}): {problem}"
                                 for problem in _serious(axe.run(page, options=AXE_OPTIONS))]
        finally:
            context.close()
    print(f"\nPages checked per role: {counts}; {time.monotonic() - started:.0f} s")
    for role, answers in passed_over.items():
        print(f"Not checked for {role} (not a 200 HTML page): {', '.join(answers)}")
    assert problems == [], "\n".join(problems)
    # Every role reaches pages of its own, so an empty walk cannot pass as a clean one.
    assert all(count >= 3 for count in counts.values()), counts
    assert sum(counts.values()) > 80, counts
