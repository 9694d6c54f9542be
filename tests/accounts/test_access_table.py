"""Every URL of the project answers each role exactly as the access table says."""
import pytest
from django.conf import settings
from django.core.checks import Error
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import Client, override_settings
from django.urls import reverse

from accounts import access
from accounts.checks import check_every_url_is_in_the_access_table, stale_entries, unlisted_endpoints
from accounts.roles import Role
from accounts.urlwalk import iter_endpoints
from tests.accounts.urlsamples import sample_path
from tests.factories import make_user

PRINCIPALS = ["anonymous", *Role.values, "superuser"]


def _client_for(principal: str) -> tuple[Client, object]:
    client = Client()
    if principal == "anonymous":
        return client, None
    user = make_user(superuser=True) if principal == "superuser" else make_user(principal)
    client.force_login(user)
    return client, user


def test_every_url_has_an_access_table_entry():
    """No URL pattern of the project is missing from the access table."""
    assert unlisted_endpoints() == []


def test_access_table_has_no_entry_for_a_removed_url():
    """Every access-table entry names a URL that exists."""
    assert stale_entries() == []


def test_a_url_missing_from_the_table_is_reported():
    """The completeness check names a URL that the table does not list."""
    assert unlisted_endpoints("tests.accounts.urls_with_unlisted") == ["unlisted_page"]


def test_the_system_check_passes_when_every_url_is_listed():
    """The project's own URLconf gives the access-table check nothing to report."""
    assert check_every_url_is_in_the_access_table() == []


@override_settings(ROOT_URLCONF="tests.accounts.urls_with_unlisted")
def test_the_system_check_names_a_url_missing_from_the_table():
    """The check returns one error for the unlisted URL, naming it."""
    errors = check_every_url_is_in_the_access_table()
    assert [(type(error), error.id) for error in errors] == [(Error, "accounts.E001")]
    assert "'unlisted_page'" in errors[0].msg


@override_settings(ROOT_URLCONF="tests.accounts.urls_with_unlisted")
def test_manage_py_check_fails_on_a_url_missing_from_the_table():
    """`manage.py check` stops with the error naming the unlisted URL."""
    with pytest.raises(SystemCheckError, match="unlisted_page"):
        call_command("check")


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="tests.accounts.urls_with_unlisted")
def test_a_url_missing_from_the_table_is_refused_to_everyone():
    """The middleware fails closed: an unlisted URL answers 403 even to examination staff and superusers."""
    for principal in (Role.EXAM_STAFF, "superuser"):
        client, _user = _client_for(principal)
        response = client.get("/unlisted/")
        assert response.status_code == 403
        assert b"secret" not in response.content


def _walk_mismatches(client, user, endpoints) -> list[str]:
    """Request every endpoint and return one line for each answer that differs from the access table."""
    login_url = reverse(settings.LOGIN_URL)
    mismatches = []
    for endpoint in endpoints:
        path = sample_path(endpoint)
        audience = access.audience_for_key(endpoint.key)
        if audience is None:
            mismatches.append(f"{endpoint.key} {path}: not listed in the access table")
            continue
        if user is None:
            allowed = access.PUBLIC in audience
        else:
            allowed = access.user_may_reach(user, audience)
        response = client.get(path)
        # The gate sends anonymous visitors to sign in with ?next= pointing back; some public views redirect to
        # the login page on their own (a logout with no session), which is not a refusal.
        gate_redirect = response.status_code == 302 and response["Location"].startswith(f"{login_url}?next=")
        if allowed:
            ok = response.status_code != 403 and response.status_code < 500 and not (
                user is None and gate_redirect
            )
        elif user is None:
            ok = gate_redirect
        else:
            ok = response.status_code == 403
        if not ok:
            mismatches.append(f"{endpoint.key} {path}: {response.status_code} (allowed={allowed})")
    return mismatches


@pytest.mark.django_db
@pytest.mark.parametrize("principal", PRINCIPALS)
def test_every_url_answers_as_the_table_says(principal):
    """Allowed roles reach each URL; others get 403, and anonymous visitors are sent to sign in."""
    client, user = _client_for(principal)
    endpoints = list(iter_endpoints())
    assert len(endpoints) > 40
    assert _walk_mismatches(client, user, endpoints) == []


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="tests.accounts.urls_with_unlisted")
@pytest.mark.parametrize("principal", ["anonymous", Role.CANDIDATE])
def test_the_walk_names_a_url_missing_from_the_table(principal):
    """A URL that a new library release adds without a table entry is reported by its name, not by a crash."""
    client, user = _client_for(principal)
    endpoints = [endpoint for endpoint in iter_endpoints() if endpoint.key in ("unlisted_page", "home")]
    assert _walk_mismatches(client, user, endpoints) == [
        "unlisted_page /unlisted/: not listed in the access table"
    ]


@pytest.mark.django_db
def test_a_url_without_an_entry_is_refused_by_the_role_check():
    """The role check fails closed when it is given no audience, even for a superuser."""
    assert access.user_may_reach(make_user(superuser=True), None) is False
