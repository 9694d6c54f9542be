"""Email addresses and names are held to the lengths the standards and the database allow."""
import pytest
from django.core import mail
from django.urls import reverse

from accounts import services
from accounts.models import Invitation
from accounts.roles import Role
from tests.factories import make_user

# Invitation emails go out on commit, so these tests commit for real.
pytestmark = pytest.mark.django_db(transaction=True)
GOOD_PASSWORD = "Theodolite-Level-42"


def _email(length: int) -> str:
    """Return a valid email address exactly `length` characters long (64-character local part, 63-character labels)."""
    local = "a" * 64
    tail = ".example.tw"
    middle = length - len(local) - 1 - len(tail)
    labels = []
    while middle > 0:
        label = min(63, middle if middle <= 63 else 62)
        labels.append("b" * label)
        middle -= label + 1
    email = local + "@" + ".".join(labels) + tail
    assert len(email) == length, len(email)
    return email


@pytest.fixture
def exam_client(client):
    client.force_login(make_user(Role.EXAM_STAFF))
    client.cookies["django_language"] = "en"
    return client


def test_an_invitation_to_a_255_character_email_address_is_refused(exam_client, cycle):
    """An address longer than the 254 characters an email address may have gets a clear message."""
    response = exam_client.post(reverse("accounts:invitation_create"), {
        "email": _email(255), "role": Role.CANDIDATE, "cycle": cycle.pk,
    })
    assert response.status_code == 200
    assert "An email address is at most 254 characters long (this one has 255)." in response.content.decode()
    assert 'maxlength="254"' in response.content.decode()
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_an_invitation_to_a_254_character_email_address_is_sent(exam_client, cycle):
    """An address of exactly 254 characters is accepted."""
    email = _email(254)
    response = exam_client.post(reverse("accounts:invitation_create"), {
        "email": email, "role": Role.CANDIDATE, "cycle": cycle.pk,
    })
    assert response.status_code == 302
    assert Invitation.objects.get().email == email
    assert mail.outbox[0].to == [email]


def test_the_invitation_service_refuses_an_overlong_email_address(cycle):
    """Commands and the demo go through the service, which refuses an overlong address too."""
    with pytest.raises(services.InvitationError):
        services.invitation_create(email=_email(255), role=Role.CANDIDATE, cycle=cycle, invited_by=None)
    assert not Invitation.objects.exists()


def test_adding_a_255_character_email_address_to_an_account_is_refused(client):
    """The account's email page refuses an address longer than 254 characters with a clear message."""
    user = make_user(Role.CANDIDATE)
    client.force_login(user)
    client.cookies["django_language"] = "en"
    response = client.post(reverse("account_email"), {"action_add": "", "email": _email(255)})
    assert response.status_code == 200
    assert "An email address is at most 254 characters long (this one has 255)." in response.content.decode()
    assert user.emailaddress_set.count() == 1


def test_a_name_longer_than_150_characters_is_refused_when_accepting(client, cycle):
    """The name chosen when accepting an invitation is limited to what the account can hold, with a clear message."""
    invitation = services.invitation_create(email="long@example.com", role=Role.CANDIDATE, cycle=cycle,
                                            invited_by=None)
    link = reverse("accounts:invitation_accept", kwargs={"token": services.invitation_token(invitation)})
    client.cookies["django_language"] = "en"
    response = client.post(link, {"name": "王" * 151, "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD})
    assert response.status_code == 200
    assert "A name is at most 150 characters long (this one has 151)." in response.content.decode()
    assert 'maxlength="150"' in response.content.decode()
    response = client.post(link, {"name": "王" * 150, "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD})
    assert response.status_code == 302
