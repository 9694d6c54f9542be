"""Every response carries a Content-Security-Policy without inline scripts, and a Permissions-Policy."""
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client, override_settings

from accounts.roles import Role
from accounts.urlwalk import iter_endpoints
from tests.accounts.urlsamples import sample_path
from tests.factories import make_user


def _directives(response) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy", "")
    directives = {}
    for part in filter(None, (piece.strip() for piece in header.split(";"))):
        name, *sources = part.split()
        directives[name] = sources
    return directives


def _strict(response) -> list[str]:
    """Return what is wrong with one response's security headers (nothing when they are right)."""
    problems = []
    policy = _directives(response)
    script_sources = policy.get("script-src", policy.get("default-src"))
    if not script_sources:
        problems.append("no script-src")
    elif "'unsafe-inline'" in script_sources or "'unsafe-eval'" in script_sources or "*" in script_sources:
        problems.append(f"script-src {script_sources}")
    if policy.get("object-src") != ["'none'"] or policy.get("frame-ancestors") != ["'none'"]:
        problems.append("object-src/frame-ancestors not 'none'")
    if "camera=()" not in response.headers.get("Permissions-Policy", ""):
        problems.append("no Permissions-Policy denying the camera")
    return problems


@pytest.mark.django_db
@pytest.mark.parametrize("principal", ["anonymous", Role.CANDIDATE, Role.EXAM_STAFF])
def test_every_url_answers_with_a_strict_policy(principal):
    """Each URL of the project, whatever it answers (page, redirect, 403, 404), carries both policies."""
    client = Client()
    if principal != "anonymous":
        client.force_login(make_user(principal))
    failures = []
    for endpoint in iter_endpoints():
        path = sample_path(endpoint)
        response = client.get(path)
        problems = _strict(response)
        if problems:
            failures.append(f"{path} ({response.status_code}): {', '.join(problems)}")
    assert failures == []


@pytest.mark.django_db
def test_the_player_origin_and_the_object_store_are_the_only_outside_sources():
    """Frames come only from the configured player; uploads and playback reach only the configured bucket."""
    with override_settings(YOUTUBE_EMBED_BASE="https://player.example.tw/embed/", AWS_STORAGE_BUCKET_NAME="clips",
                           AWS_S3_ENDPOINT_URL="https://s3.example.tw:9000"):
        response = Client().get("/")
    policy = _directives(response)
    assert policy["frame-src"] == ["'self'", "https://player.example.tw"]
    for directive in ("connect-src", "media-src"):
        assert policy[directive] == ["'self'", "https://s3.example.tw:9000"]
    assert policy["img-src"] == ["'self'", "data:", "https://s3.example.tw:9000"]
    assert policy["form-action"] == ["'self'"]
    assert 'fullscreen=(self "https://player.example.tw")' in response.headers["Permissions-Policy"]


@pytest.mark.django_db
def test_without_a_bucket_media_stays_on_the_site_and_google_sign_in_may_be_posted_to():
    with override_settings(AWS_STORAGE_BUCKET_NAME="", GOOGLE_CLIENT_ID="client-id"):
        policy = _directives(Client().get("/"))
    assert policy["media-src"] == ["'self'"] and policy["connect-src"] == ["'self'"]
    assert policy["form-action"] == ["'self'", "https://accounts.google.com"]


# Markup the policy would block: inline scripts, event-handler attributes, javascript: URLs and inline styles.
INLINE = [
    ("inline script", re.compile(r"<script(?![^>]*\ssrc=)[^>]*>", re.IGNORECASE)),
    ("event handler attribute", re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)),
    ("javascript: URL", re.compile(r"javascript:", re.IGNORECASE)),
    ("style attribute or element", re.compile(r"<[^>]+\sstyle\s*=|<style[\s>]", re.IGNORECASE)),
]


def test_no_template_of_the_project_holds_markup_the_policy_blocks():
    """Scripts and styles are static files, so the strict policy breaks no page of ours."""
    base = Path(settings.BASE_DIR)
    templates = [path for path in base.rglob("templates/**/*.html") if ".venv" not in path.parts]
    assert len(templates) > 50
    found = [f"{path.relative_to(base)}: {what}" for path in templates for what, pattern in INLINE
             if pattern.search(path.read_text(encoding="utf-8"))]
    assert found == []
