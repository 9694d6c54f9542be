"""Writes for accounts: invitations and role grants. Views, commands and the demo call these.

Each write records an audit entry (core.audit): "invitation.created|resent|revoked|accepted" on the invitation,
and "role.granted|revoked" on the user who gains or loses the role.
"""
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from core import clock
from core.audit import audit_event

from .limits import email_too_long_message
from .models import Invitation, RoleGrant, User
from .roles import OFFICE_ROLES, Role
from .signals import invitation_accepted

INVITATION_SALT = "accounts.invitation"


class InvitationError(Exception):
    """An invitation that cannot be sent or accepted; the message is meant for the user."""


def _email_taken(email: str) -> bool:
    return (
        User.objects.filter(email__iexact=email).exists()
        or EmailAddress.objects.filter(email__iexact=email).exists()
    )


def _token_version(invitation: Invitation) -> int:
    # The expiry changes with every resend, so a resent invitation's earlier links stop working.
    return int(invitation.expires_at.timestamp())


def invitation_token(invitation: Invitation) -> str:
    """Return the signed token that identifies an invitation in its link, valid for this sending only."""
    return signing.dumps({"id": invitation.pk, "v": _token_version(invitation)}, salt=INVITATION_SALT)


def invitation_url(invitation: Invitation) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(
        "accounts:invitation_accept", kwargs={"token": invitation_token(invitation)}
    )


def _send_invitation_email(invitation: Invitation) -> None:
    # Invitations go out in the default language: the recipient has no account yet to hold a preference.
    with translation.override(settings.LANGUAGE_CODE):
        context = {"invitation": invitation, "url": invitation_url(invitation)}
        subject = render_to_string("accounts/email/invitation_subject.txt", context).strip()
        body = render_to_string("accounts/email/invitation_body.txt", context)
    send_mail(subject, body, None, [invitation.email])


def invitation_create(*, email: str, role: str, invited_by: User | None, office=None, cycle=None,
                      send: bool = True) -> Invitation:
    """Create an invitation and email its link after the transaction commits."""
    email = email.strip().lower()
    if too_long := email_too_long_message(email):
        raise InvitationError(too_long)
    if role not in Role.values:
        raise InvitationError(_("Unknown role."))
    if role in OFFICE_ROLES and office is None:
        raise InvitationError(_("Choose the land office this person works at."))
    if role not in OFFICE_ROLES:
        office = None
    if role == Role.CANDIDATE and cycle is None:
        raise InvitationError(_("Choose the exam cycle this candidate belongs to."))
    if role != Role.CANDIDATE:
        cycle = None
    if _email_taken(email):
        raise InvitationError(_("An account with the email address %(email)s already exists.") % {"email": email})
    if Invitation.objects.pending().filter(email__iexact=email).exists():
        raise InvitationError(
            _("An invitation to %(email)s is still pending. Resend or withdraw it instead.") % {"email": email}
        )
    now = clock.now()
    with transaction.atomic():
        invitation = Invitation.objects.create(
            email=email, role=role, office=office, cycle=cycle, invited_by=invited_by,
            created_at=now, expires_at=now + timedelta(days=settings.INVITATION_MAX_AGE_DAYS),
        )
        audit_event(
            invitation, "invitation.created", actor=invited_by, email=email, role=role,
            office_id=office.pk if office else None, cycle_id=cycle.pk if cycle else None, emailed=send,
        )
        if send:
            transaction.on_commit(lambda: _send_invitation_email(invitation))
    return invitation


def invitation_resend_refusal(invitation: Invitation) -> str | None:
    """Return why the invitation cannot be resent, or None if it can."""
    if invitation.status in (Invitation.Status.ACCEPTED, Invitation.Status.REVOKED):
        return _("This invitation can no longer be resent.")
    return None


def invitation_revoke_refusal(invitation: Invitation) -> str | None:
    """Return why the invitation cannot be withdrawn, or None if it can."""
    if invitation.status == Invitation.Status.ACCEPTED:
        return _("This invitation was already accepted.")
    if invitation.status == Invitation.Status.REVOKED:
        return _("This invitation was already withdrawn.")
    return None


def invitation_resend(*, invitation: Invitation) -> Invitation:
    """Extend a pending or expired invitation and email its link again."""
    if refusal := invitation_resend_refusal(invitation):
        raise InvitationError(refusal)
    previous_expiry = invitation.expires_at
    with transaction.atomic():
        invitation.expires_at = clock.now() + timedelta(days=settings.INVITATION_MAX_AGE_DAYS)
        invitation.save(update_fields=["expires_at"])
        audit_event(invitation, "invitation.resent", changes={"expires_at": [previous_expiry, invitation.expires_at]})
    transaction.on_commit(lambda: _send_invitation_email(invitation))
    return invitation


def invitation_revoke(*, invitation: Invitation) -> Invitation:
    """Withdraw an invitation so that its link stops working (withdrawing it twice changes nothing)."""
    if invitation.status == Invitation.Status.ACCEPTED:
        raise InvitationError(_("This invitation was already accepted."))
    if invitation.revoked_at is None:
        with transaction.atomic():
            invitation.revoked_at = clock.now()
            invitation.save(update_fields=["revoked_at"])
            audit_event(invitation, "invitation.revoked", changes={"revoked_at": [None, invitation.revoked_at]})
    return invitation


def invitation_from_token(token: str) -> Invitation:
    """Return the invitation a link names, or raise InvitationError saying why it cannot be used."""
    try:
        # The signature itself expires too, so no link outlives the longest an invitation may last.
        payload = signing.loads(token, salt=INVITATION_SALT,
                                max_age=timedelta(days=settings.INVITATION_MAX_AGE_DAYS))
        invitation = Invitation.objects.select_related("office", "cycle").get(pk=payload["id"])
    except signing.SignatureExpired:
        raise InvitationError(_("This invitation has expired. Ask the examination staff to send it again.")) from None
    except (signing.BadSignature, KeyError, TypeError, Invitation.DoesNotExist):
        raise InvitationError(_("This invitation link is not valid. Check that you copied the whole link.")) from None
    if payload.get("v") != _token_version(invitation):
        raise InvitationError(_("This invitation link was replaced by a newer one. Use the link in the latest "
                                "invitation email."))
    status = invitation.status
    if status == Invitation.Status.ACCEPTED:
        raise InvitationError(_("This invitation has already been used. Sign in with your email address instead."))
    if status == Invitation.Status.REVOKED:
        raise InvitationError(_("This invitation was withdrawn. Ask the examination staff for a new one."))
    if status == Invitation.Status.EXPIRED:
        raise InvitationError(_("This invitation has expired. Ask the examination staff to send it again."))
    if _email_taken(invitation.email):
        raise InvitationError(
            _("An account with the email address %(email)s already exists. Sign in instead.")
            % {"email": invitation.email}
        )
    return invitation


def _forget_cached_roles(user: User) -> None:
    for cached in ("role_grant_pairs", "roles"):
        user.__dict__.pop(cached, None)


def role_grant(*, user: User, role: str, office=None, granted_by: User | None = None) -> RoleGrant:
    """Give a user a role (idempotent)."""
    office = office if role in OFFICE_ROLES else None
    with transaction.atomic():
        grant, created = RoleGrant.objects.get_or_create(
            user=user, role=role, office=office, defaults={"granted_by": granted_by},
        )
        # Only a role the user did not hold before is news for the history.
        if created:
            audit_event(user, "role.granted", actor=granted_by, role=role, office_id=office.pk if office else None,
                        office=str(office) if office else None)
    _forget_cached_roles(user)
    return grant


def role_revoke(*, user: User, role: str, office=None, revoked_by: User | None = None) -> bool:
    """Take a role (at an office, for office roles) away from a user; return whether they held it."""
    office = office if role in OFFICE_ROLES else None
    with transaction.atomic():
        deleted, _by_model = RoleGrant.objects.filter(user=user, role=role, office=office).delete()
        if deleted:
            audit_event(user, "role.revoked", actor=revoked_by, role=role, office_id=office.pk if office else None,
                        office=str(office) if office else None)
    _forget_cached_roles(user)
    return bool(deleted)


def invitation_accept(*, token: str, name: str, password: str) -> User:
    """Create the invited account with a verified email, grant its role and use up the invitation."""
    with transaction.atomic():
        invitation = invitation_from_token(token)
        # Lock the row so that two submissions of the same link cannot both create an account.
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.accepted_at is not None:
            raise InvitationError(_("This invitation has already been used. Sign in with your email address instead."))
        user = User.objects.create_user(email=invitation.email, password=password, name=name.strip())
        # The link reached this inbox, which proves the address, so no second verification email is needed.
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        role_grant(user=user, role=invitation.role, office=invitation.office, granted_by=invitation.invited_by)
        invitation_accepted.send(sender=Invitation, invitation=invitation, user=user)
        invitation.accepted_at = clock.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        # The person accepting is not signed in yet, so the request has no actor: the new account is theirs.
        audit_event(invitation, "invitation.accepted", actor=user,
                    changes={"accepted_at": [None, invitation.accepted_at]})
    return user


def mfa_secrets_reseal() -> int:
    """Encrypt every stored TOTP secret and recovery-code seed with the newest MFA key; return how many changed.

    Run after putting a new key first in MFA_ENCRYPTION_KEYS; once it has run, the old keys can be removed.
    """
    from allauth.mfa.models import Authenticator

    from .adapter import mfa_secret_box
    from .secretbox import resealed_data

    box = mfa_secret_box()
    changed = 0
    kinds = [Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES]
    for pk in Authenticator.objects.filter(type__in=kinds).values_list("pk", flat=True).iterator():
        with transaction.atomic():
            # Locked, so a recovery code used meanwhile is not undone by writing back older data.
            authenticator = Authenticator.objects.select_for_update().get(pk=pk)
            data = resealed_data(authenticator.type, authenticator.data, box)
            if data != authenticator.data:
                authenticator.data = data
                authenticator.save(update_fields=["data"])
                changed += 1
    return changed
