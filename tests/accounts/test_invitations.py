"""Invitations: signed, single-use, expiring links that create accounts with one role."""
import re
import time
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail, signing
from django.urls import reverse

from accounts import services
from accounts.models import Invitation, RoleGrant
from accounts.roles import Role
from config.log_filters import redact
from core import clock
from tests.factories import CandidateFactory, make_user

# Invitation emails go out on commit, so these tests commit for real.
pytestmark = pytest.mark.django_db(transaction=True)
User = get_user_model()
GOOD_PASSWORD = "Theodolite-Level-42"


def _link_from_outbox() -> str:
    match = re.search(r"http://\S+/invitations/accept/(\S+)/", mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return reverse("accounts:invitation_accept", kwargs={"token": match.group(1)})


@pytest.fixture
def exam_client(client):
    client.force_login(make_user(Role.EXAM_STAFF))
    return client


def test_exam_staff_invite_a_candidate_and_an_email_with_a_link_is_sent(exam_client, cycle):
    """Sending an invitation stores it as pending and emails a link, in Traditional Chinese."""
    response = exam_client.post(reverse("accounts:invitation_create"), {
        "email": "NewPerson@Example.com", "role": Role.CANDIDATE, "cycle": cycle.pk,
    })
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.email == "newperson@example.com"
    assert invitation.status == Invitation.Status.PENDING
    assert mail.outbox[0].to == ["newperson@example.com"]
    assert "獲邀" in mail.outbox[0].subject
    assert _link_from_outbox()


def test_an_office_role_without_an_office_is_refused(exam_client):
    """Inviting land office staff without naming the office shows an error and saves nothing."""
    response = exam_client.post(reverse("accounts:invitation_create"), {
        "email": "staff@example.com", "role": Role.OFFICE_STAFF,
    })
    assert response.status_code == 200
    assert response.context["form"].errors["office"]
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_an_invitation_for_an_email_that_has_an_account_is_refused(exam_client, cycle):
    """An email that already has an account gets a clear message and no invitation."""
    make_user(Role.CANDIDATE, email="taken@example.com")
    exam_client.cookies["django_language"] = "en"
    response = exam_client.post(reverse("accounts:invitation_create"), {
        "email": "Taken@example.com", "role": Role.CANDIDATE, "cycle": cycle.pk,
    })
    assert response.status_code == 200
    assert "An account with the email address taken@example.com already exists." in response.content.decode()
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_accepting_creates_a_verified_account_with_the_role_and_links_the_exam_record(client, cycle):
    """The invited candidate chooses a password, is signed in, and their exam record is theirs."""
    record = CandidateFactory(cycle=cycle, email="invited@example.com")
    services.invitation_create(email="invited@example.com", role=Role.CANDIDATE, cycle=cycle, invited_by=None)
    link = _link_from_outbox()
    response = client.post(link, {"name": "王大明", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")
    user = User.objects.get(email="invited@example.com")
    assert user.check_password(GOOD_PASSWORD)
    assert user.emailaddress_set.get().verified
    assert set(RoleGrant.objects.filter(user=user).values_list("role", flat=True)) == {Role.CANDIDATE}
    record.refresh_from_db()
    assert record.user == user
    assert client.get(reverse("dashboard")).status_code == 200


def test_invited_staff_enrol_totp_right_after_accepting(client, office):
    """A new staff account goes straight to TOTP enrolment, without being asked for its password again."""
    services.invitation_create(email="newstaff@example.com", role=Role.FOCUS_GROUP_LEADER, office=office,
                               invited_by=None)
    client.post(_link_from_outbox(), {"name": "黃課長", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD})
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp")
    assert client.get(reverse("mfa_activate_totp")).status_code == 200


def test_a_used_invitation_cannot_be_used_again(client, cycle):
    """The second use of a link says it was used and creates nothing."""
    services.invitation_create(email="once@example.com", role=Role.CANDIDATE, cycle=cycle, invited_by=None)
    link = _link_from_outbox()
    client.post(link, {"name": "甲", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD})
    client.logout()
    response = client.post(link, {"name": "乙", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD})
    assert response.status_code == 410
    assert "此邀請已使用過" in response.content.decode() or "already been used" in response.content.decode()
    assert User.objects.filter(email="once@example.com").count() == 1


def test_an_expired_invitation_says_so_and_creates_nothing(client, office):
    """A link past its expiry explains that it expired, in the user's language."""
    services.invitation_create(email="late@example.com", role=Role.OFFICE_STAFF, office=office, invited_by=None)
    link = _link_from_outbox()
    client.cookies["django_language"] = "en"
    with clock.frozen_at(clock.now() + timedelta(days=15)):
        response = client.post(link, {"name": "遲到", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD})
    assert response.status_code == 410
    assert "This invitation has expired." in response.content.decode()
    assert not User.objects.filter(email="late@example.com").exists()


def test_a_tampered_link_is_not_valid(client):
    """A link whose signature does not match is refused."""
    response = client.get(reverse("accounts:invitation_accept", kwargs={"token": "eyJpZCI6MX0:forged:sig"}))
    assert response.status_code == 410
    assert not User.objects.exists()


def test_a_withdrawn_invitation_stops_working(client, office):
    """Withdrawing an invitation makes its link refuse to create an account."""
    invitation = services.invitation_create(email="gone@example.com", role=Role.FOCUS_GROUP_MEMBER,
                                            office=office, invited_by=None)
    link = _link_from_outbox()
    services.invitation_revoke(invitation=invitation)
    response = client.post(link, {"name": "撤回", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD})
    assert response.status_code == 410
    assert not User.objects.filter(email="gone@example.com").exists()


def test_an_account_created_meanwhile_blocks_the_invitation(client, cycle):
    """If the email got an account after the invitation was sent, accepting says so and creates nothing."""
    services.invitation_create(email="twice@example.com", role=Role.CANDIDATE, cycle=cycle, invited_by=None)
    link = _link_from_outbox()
    make_user(Role.CANDIDATE, email="twice@example.com")
    response = client.post(link, {"name": "重複", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD})
    assert response.status_code == 410
    assert User.objects.filter(email="twice@example.com").count() == 1
    assert Invitation.objects.get().accepted_at is None


def test_mismatched_passwords_keep_the_form_and_create_nothing(client, cycle):
    """A password typo shows the form again with the error."""
    services.invitation_create(email="typo@example.com", role=Role.CANDIDATE, cycle=cycle, invited_by=None)
    response = client.post(_link_from_outbox(), {"name": "打錯", "password1": GOOD_PASSWORD, "password2": "other-x"})
    assert response.status_code == 200
    assert response.context["form"].errors["password2"]
    assert not User.objects.filter(email="typo@example.com").exists()


def test_a_second_pending_invitation_to_the_same_email_is_refused(cycle):
    """Only one pending invitation per address: resend or withdraw the first."""
    services.invitation_create(email="dup@example.com", role=Role.CANDIDATE, cycle=cycle, invited_by=None)
    with pytest.raises(services.InvitationError):
        services.invitation_create(email="dup@example.com", role=Role.CANDIDATE, cycle=cycle, invited_by=None)
    assert Invitation.objects.count() == 1


def test_resending_extends_the_expiry_and_sends_the_link_again(exam_client, cycle):
    """Resend from the list gives the invitation a new expiry and a new email."""
    invitation = services.invitation_create(email="again@example.com", role=Role.CANDIDATE, cycle=cycle,
                                            invited_by=None)
    first_expiry = invitation.expires_at
    with clock.frozen_at(clock.now() + timedelta(days=20)):
        assert Invitation.objects.get().status == Invitation.Status.EXPIRED
        exam_client.post(reverse("accounts:invitation_resend", kwargs={"pk": invitation.pk}))
        invitation.refresh_from_db()
        assert invitation.expires_at > first_expiry
        assert invitation.status == Invitation.Status.PENDING
    assert len(mail.outbox) == 2


def test_the_invitation_list_keeps_a_constant_number_of_queries(exam_client, cycle, office, page_queries):
    """The list page costs the same number of queries with 3 or 30 invitations."""
    def make(count, start):
        for n in range(start, start + count):
            services.invitation_create(email=f"list{n}@example.com", role=Role.OFFICE_STAFF, office=office,
                                       invited_by=None, send=False)

    url = reverse("accounts:invitation_list")
    make(3, 0)
    few = page_queries(exam_client, url).count
    make(27, 3)
    many = page_queries(exam_client, url)
    assert many.response.content.decode().count("@example.com</td>") == 30
    assert (few, many.count) == (7, 7)


def test_a_resent_invitation_replaces_its_earlier_links(client, cycle):
    """After a resend only the newest link works: an old link from an expired email cannot be used again."""
    invitation = services.invitation_create(email="again2@example.com", role=Role.CANDIDATE, cycle=cycle,
                                            invited_by=None)
    old_link = _link_from_outbox()
    with clock.frozen_at(clock.now() + timedelta(days=20)):
        services.invitation_resend(invitation=invitation)
    new_link = _link_from_outbox()
    assert new_link != old_link
    client.cookies["django_language"] = "en"
    refused = client.post(old_link, {"name": "舊連結", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD})
    assert refused.status_code == 410 and "replaced by a newer one" in refused.content.decode()
    assert not User.objects.filter(email="again2@example.com").exists()
    accepted = client.post(new_link, {"name": "新連結", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD})
    assert accepted.status_code == 302 and User.objects.filter(email="again2@example.com").exists()


def test_a_link_signed_longer_ago_than_an_invitation_lasts_has_expired(client, cycle, settings):
    """The signature carries its age: a token older than INVITATION_MAX_AGE_DAYS is refused whatever the row says."""
    invitation = services.invitation_create(email="old@example.com", role=Role.CANDIDATE, cycle=cycle,
                                            invited_by=None, send=False)

    class SignedLongAgo(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(time.time()) - (settings.INVITATION_MAX_AGE_DAYS + 1) * 86400)

    token = SignedLongAgo(salt=services.INVITATION_SALT).sign_object(
        {"id": invitation.pk, "v": int(invitation.expires_at.timestamp())}, serializer=signing.JSONSerializer)
    client.cookies["django_language"] = "en"
    response = client.get(reverse("accounts:invitation_accept", kwargs={"token": token}))
    assert response.status_code == 410 and "This invitation has expired." in response.content.decode()


def test_invitation_tokens_never_reach_the_logs():
    """The request log line of a refused link names the path without its token."""
    assert redact("Gone: /invitations/accept/eyJpZCI6MX0:1tA2bC:sig/") == "Gone: /invitations/accept/[redacted]/"


def test_the_invitation_list_names_offices_in_english_for_english_readers(exam_client, office):
    """In English the list shows the office's English name, in Chinese its Chinese one (#15)."""
    services.invitation_create(email="staff.en@example.com", role=Role.OFFICE_STAFF, invited_by=None, office=office,
                               send=False)
    exam_client.cookies["django_language"] = "en"
    english = exam_client.get(reverse("accounts:invitation_list")).content.decode()
    assert office.name_en in english and office.name not in english
    exam_client.cookies["django_language"] = "zh-hant"
    assert office.name in exam_client.get(reverse("accounts:invitation_list")).content.decode()
