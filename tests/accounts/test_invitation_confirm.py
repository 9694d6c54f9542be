"""Resending and withdrawing an invitation each ask for confirmation on a page of their own first."""
import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts import services
from accounts.models import Invitation
from accounts.roles import Role
from tests.factories import make_user

# Invitation emails go out on commit, so these tests commit for real.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def exam_client(client):
    client.force_login(make_user(Role.EXAM_STAFF))
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def invitation(cycle):
    invitation = services.invitation_create(email="invited@example.com", role=Role.CANDIDATE, cycle=cycle,
                                            invited_by=None)
    mail.outbox.clear()
    return invitation


def _confirm_form_action(html: str) -> str:
    """Return where the page's confirmation form posts to."""
    match = re.search(r'<form method="post" action="([^"]+)"[^>]*>.*?<button type="submit" class="button">',
                      html, re.S)
    assert match, html
    return match.group(1)


def test_the_list_links_to_the_confirmation_pages_instead_of_acting(exam_client, invitation):
    """The list offers links to the confirmation pages, not buttons that act at once."""
    html = exam_client.get(reverse("accounts:invitation_list")).content.decode()
    for name in ("accounts:invitation_resend", "accounts:invitation_revoke"):
        url = reverse(name, kwargs={"pk": invitation.pk})
        assert f'href="{url}"' in html
        assert f'action="{url}"' not in html


def test_opening_the_resend_page_explains_and_changes_nothing(exam_client, invitation):
    """The resend page says who gets an email and that earlier links stop working, and sends nothing yet."""
    expires_at = invitation.expires_at
    response = exam_client.get(reverse("accounts:invitation_resend", kwargs={"pk": invitation.pk}))
    assert response.status_code == 200
    html = response.content.decode()
    assert "A new email with a new link goes to <strong>invited@example.com</strong>." in html
    assert "The link in earlier emails stops working." in html
    assert f'href="{reverse("accounts:invitation_list")}" class="button secondary"' in html
    assert mail.outbox == []
    invitation.refresh_from_db()
    assert invitation.expires_at == expires_at


def test_confirming_the_resend_sends_the_invitation_again(exam_client, invitation):
    """Submitting the resend page's form sends the invitation again and extends it."""
    expires_at = invitation.expires_at
    page = exam_client.get(reverse("accounts:invitation_resend", kwargs={"pk": invitation.pk})).content.decode()
    response = exam_client.post(_confirm_form_action(page), follow=True)
    assert response.redirect_chain[-1][0] == reverse("accounts:invitation_list")
    assert "Invitation sent again to invited@example.com." in response.content.decode()
    assert mail.outbox[0].to == ["invited@example.com"]
    invitation.refresh_from_db()
    assert invitation.expires_at > expires_at


def test_opening_the_withdraw_page_explains_and_changes_nothing(exam_client, invitation):
    """The withdraw page says the link stops working and the invitation cannot be accepted, and withdraws nothing."""
    response = exam_client.get(reverse("accounts:invitation_revoke", kwargs={"pk": invitation.pk}))
    assert response.status_code == 200
    html = response.content.decode()
    assert "The link in the invitation email stops working" in html
    assert "can no longer be accepted" in html
    assert f'href="{reverse("accounts:invitation_list")}" class="button secondary"' in html
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_confirming_the_withdrawal_withdraws_the_invitation(exam_client, invitation):
    """Submitting the withdraw page's form withdraws the invitation without emailing anyone."""
    page = exam_client.get(reverse("accounts:invitation_revoke", kwargs={"pk": invitation.pk})).content.decode()
    response = exam_client.post(_confirm_form_action(page), follow=True)
    assert response.redirect_chain[-1][0] == reverse("accounts:invitation_list")
    assert "Invitation to invited@example.com withdrawn." in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.REVOKED
    assert mail.outbox == []


def test_an_accepted_invitation_offers_no_confirmation_page(exam_client, invitation):
    """An invitation that can no longer be resent or withdrawn sends the user back to the list with the reason."""
    Invitation.objects.filter(pk=invitation.pk).update(accepted_at=invitation.created_at)
    response = exam_client.get(reverse("accounts:invitation_resend", kwargs={"pk": invitation.pk}), follow=True)
    assert response.redirect_chain[-1][0] == reverse("accounts:invitation_list")
    assert "This invitation can no longer be resent." in response.content.decode()
    response = exam_client.get(reverse("accounts:invitation_revoke", kwargs={"pk": invitation.pk}), follow=True)
    assert "This invitation was already accepted." in response.content.decode()


@pytest.mark.parametrize("role", [Role.OFFICE_STAFF, Role.FOCUS_GROUP_LEADER, Role.CANDIDATE])
def test_only_examination_staff_reach_the_confirmation_pages(client, invitation, role):
    """Other roles get 403 on both pages and change nothing; an unknown invitation is 404 for examination staff."""
    client.force_login(make_user(role))
    for name in ("accounts:invitation_resend", "accounts:invitation_revoke"):
        url = reverse(name, kwargs={"pk": invitation.pk})
        assert client.get(url).status_code == 403
        assert client.post(url).status_code == 403
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING
    assert mail.outbox == []
    client.force_login(make_user(Role.EXAM_STAFF))
    assert client.get(reverse("accounts:invitation_resend", kwargs={"pk": invitation.pk + 1000})).status_code == 404
