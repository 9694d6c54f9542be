"""The two-step sign-in page and the two-factor overview read well and put the main action first."""
import re

import pytest
from django.urls import reverse

from accounts.roles import Role
from tests.factories import TEST_PASSWORD, make_user

pytestmark = pytest.mark.django_db


def _main(html: str) -> str:
    return html[html.index("<main"):html.index("</main>")]


def _button(html: str, text: str) -> str:
    """Return the opening tag of the button or link whose text is `text`."""
    match = re.search(r"(<(?:button|a)\b[^>]*>)\s*" + re.escape(text) + r"\s*</(?:button|a)>", html)
    assert match, html
    return match.group(1)


def _classes(tag: str) -> set[str]:
    match = re.search(r'class="([^"]*)"', tag)
    return set(match.group(1).split()) if match else set()


def test_cancel_on_the_two_step_sign_in_page_is_the_secondary_action(client):
    """On the code page, signing in is the primary button and 取消 looks secondary (and still signs out)."""
    make_user(Role.EXAM_STAFF, email="staff@example.com")
    client.post(reverse("account_login"), {"login": "staff@example.com", "password": TEST_PASSWORD})
    response = client.get(reverse("mfa_authenticate"))
    assert response.status_code == 200
    html = _main(response.content.decode())
    assert _classes(_button(html, "登入")) == {"button"}
    cancel = _button(html, "取消")
    assert _classes(cancel) == {"button", "secondary"}
    assert 'form="logout-from-stage"' in cancel
    assert f'<form id="logout-from-stage" method="post" action="{reverse("account_logout")}">' in html


def test_the_two_factor_overview_reads_as_one_language(client):
    """Without an authenticator app, the Traditional Chinese overview has no English word mixed in."""
    client.force_login(make_user(Role.CANDIDATE, with_totp=False))
    response = client.get(reverse("mfa_index"))
    assert response.status_code == 200
    text = re.sub(r"<[^>]+>", " ", _main(response.content.decode()))
    assert "authenticator" not in text.lower()
    assert "您尚未設定驗證器應用程式。" in text
    assert _classes(_button(_main(response.content.decode()), "啟用")) == {"button"}


def test_the_two_factor_overview_in_english(client):
    """The English overview says plainly that no authenticator app is set up and offers to activate one."""
    client.force_login(make_user(Role.CANDIDATE, with_totp=False))
    client.cookies["django_language"] = "en"
    html = _main(client.get(reverse("mfa_index")).content.decode())
    assert "You have not set up an authenticator app yet." in html
    assert f'href="{reverse("mfa_activate_totp")}"' in html


def test_a_persons_name_is_labelled_as_such_in_the_back_office(client):
    """The back office labels a user's name 姓名 (a person's name), not 名稱 (the name of a thing)."""
    client.force_login(make_user(superuser=True))
    response = client.get(reverse("admin:accounts_user_change", args=[make_user(Role.CANDIDATE).pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'<label[^>]*for="id_name"[^>]*>姓名', html), html[html.find("id_name") - 300:][:400]
