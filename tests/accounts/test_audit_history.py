"""Invitations and role grants leave audit entries naming who did what to which invitation or user."""
import pytest
from django.urls import reverse

from accounts import services
from accounts.models import Invitation
from accounts.roles import Role
from core.audit import LogEntry, event_name, history_for, history_list
from tests.factories import make_user

pytestmark = pytest.mark.django_db
GOOD_PASSWORD = "Theodolite-Level-42"


@pytest.fixture
def exam_staff():
    return make_user(Role.EXAM_STAFF)


@pytest.fixture
def exam_client(client, exam_staff):
    client.force_login(exam_staff)
    return client


def _only_entry(event: str) -> LogEntry:
    (entry,) = history_list(event_prefix=event)
    return entry


def test_sending_an_invitation_records_who_sent_it_and_to_whom(exam_client, exam_staff, office):
    response = exam_client.post(reverse("accounts:invitation_create"), {
        "email": "Staff@Example.com", "role": Role.OFFICE_STAFF, "office": office.pk,
    })

    assert response.status_code == 302
    entry = _only_entry("invitation.created")
    assert entry.actor == exam_staff
    assert history_for(Invitation.objects.get()).get() == entry
    assert entry.additional_data == {
        "event": "invitation.created", "email": "staff@example.com", "role": Role.OFFICE_STAFF,
        "office_id": office.pk, "cycle_id": None, "emailed": True,
    }


def test_resending_and_withdrawing_record_the_signed_in_staff_member_and_the_dates(exam_client, exam_staff, cycle):
    """The views pass no actor: auditlog's middleware supplies the signed-in user."""
    invitation = services.invitation_create(email="a@example.com", role=Role.CANDIDATE, cycle=cycle, invited_by=None)
    first_expiry = invitation.expires_at

    exam_client.post(reverse("accounts:invitation_resend", args=[invitation.pk]))
    exam_client.post(reverse("accounts:invitation_revoke", args=[invitation.pk]))

    invitation.refresh_from_db()
    revoked, resent, created = history_for(invitation)
    assert [event_name(entry) for entry in (revoked, resent, created)] == [
        "invitation.revoked", "invitation.resent", "invitation.created",
    ]
    assert created.actor is None  # Sent outside a request with no inviter: the system.
    assert resent.actor == exam_staff and revoked.actor == exam_staff
    assert resent.changes == {"expires_at": [_iso(first_expiry), _iso(invitation.expires_at)]}
    assert revoked.changes == {"revoked_at": [None, _iso(invitation.revoked_at)]}


def test_accepting_records_the_new_account_as_actor_and_the_inviter_as_granting_the_role(client, exam_staff, cycle):
    invitation = services.invitation_create(
        email="new@example.com", role=Role.CANDIDATE, cycle=cycle, invited_by=exam_staff, send=False,
    )

    response = client.post(
        reverse("accounts:invitation_accept", args=[services.invitation_token(invitation)]),
        {"name": "王大明", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD},
    )

    assert response.status_code == 302
    invitation.refresh_from_db()
    new_account = invitation.accepted_by
    accepted = _only_entry("invitation.accepted")
    assert accepted.actor == new_account
    assert history_for(invitation).first() == accepted
    assert accepted.changes == {"accepted_at": [None, _iso(invitation.accepted_at)]}
    granted = history_for(new_account).get()
    assert event_name(granted) == "role.granted" and granted.actor == exam_staff
    assert granted.additional_data["role"] == Role.CANDIDATE


def test_granting_and_revoking_an_office_role_record_the_user_the_office_and_who_did_it(exam_staff, office):
    member = make_user()

    services.role_grant(user=member, role=Role.FOCUS_GROUP_LEADER, office=office, granted_by=exam_staff)
    services.role_grant(user=member, role=Role.FOCUS_GROUP_LEADER, office=office, granted_by=exam_staff)
    assert services.role_revoke(user=member, role=Role.FOCUS_GROUP_LEADER, office=office, revoked_by=exam_staff)
    assert not services.role_revoke(user=member, role=Role.FOCUS_GROUP_LEADER, office=office, revoked_by=exam_staff)

    revoked, granted = history_for(member)
    assert [event_name(revoked), event_name(granted)] == ["role.revoked", "role.granted"]
    for entry in (revoked, granted):
        assert entry.actor == exam_staff
        assert entry.additional_data["role"] == Role.FOCUS_GROUP_LEADER
        assert entry.additional_data["office_id"] == office.pk and entry.additional_data["office"] == office.name
    assert member.roles == frozenset()


def _iso(moment) -> str:
    """Return a time as core.audit stores it: ISO 8601 in UTC, as Django's JSON encoder writes it."""
    from django.core.serializers.json import DjangoJSONEncoder

    return DjangoJSONEncoder().default(moment)
