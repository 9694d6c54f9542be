from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models import Q
from django.utils.crypto import salted_hmac
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from core import clock

from .limits import EMAIL_MAX_LENGTH, NAME_MAX_LENGTH
from .roles import OFFICE_ROLES, STAFF_ROLES, Role


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person who signs in with an email address; what they may do comes from their role grants."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("email address"), max_length=EMAIL_MAX_LENGTH, unique=True)
    # One field for the whole name, because Chinese names do not split into first and last the Western way.
    # Its label is "Name" (a person's name, 姓名), not "name", which other models use for 名稱.
    name = models.CharField(_("Name"), max_length=NAME_MAX_LENGTH, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.name or self.email

    def get_full_name(self):
        return self.name or self.email

    def get_short_name(self):
        return self.name or self.email

    def _get_session_auth_hash(self, secret=None):
        """Return the hash that keeps this user's sessions valid: it changes with the password and with the roles.

        A role granted or taken away thus signs the user out of every session, so a session that signed in without
        a second factor cannot become a staff session, and none keeps a role that was taken away.
        """
        pairs = self.role_grant_pairs if self.pk else ()
        roles = ",".join(sorted(f"{role}@{office_id or ''}" for role, office_id in pairs))
        return salted_hmac("accounts.User.get_session_auth_hash", f"{self.password}|{roles}", secret=secret,
                           algorithm="sha256").hexdigest()

    @cached_property
    def role_grant_pairs(self) -> frozenset[tuple[str, int | None]]:
        """Return (role, office id or None) for every role this user holds, loaded once per request.

        Read it through accounts.scopes, which answers "does this user hold role R at office O".
        """
        return frozenset(self.role_grants.values_list("role", "office_id"))

    @cached_property
    def roles(self) -> frozenset[str]:
        """Return the roles this user holds anywhere: enough for the access table, never for an office's data."""
        return frozenset(role for role, _office_id in self.role_grant_pairs)

    @property
    def is_staff_role(self) -> bool:
        """Say whether this user must use two-factor authentication."""
        return bool(self.roles & STAFF_ROLES) or self.is_staff or self.is_superuser


class RoleGrant(models.Model):
    """One role held by one user; office roles name the land office they apply to."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_grants",
                             verbose_name=_("user"))
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    office = models.ForeignKey(
        "placement.LandOffice", on_delete=models.PROTECT, null=True, blank=True, related_name="role_grants",
        verbose_name=_("land office"),
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("granted by"),
    )
    created_at = models.DateTimeField(_("granted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("role grant")
        verbose_name_plural = _("role grants")
        constraints = [
            models.CheckConstraint(
                name="office_roles_name_an_office",
                condition=(
                    Q(role__in=sorted(role.value for role in OFFICE_ROLES), office__isnull=False)
                    | (~Q(role__in=sorted(role.value for role in OFFICE_ROLES)) & Q(office__isnull=True))
                ),
            ),
            models.UniqueConstraint(
                fields=["user", "role"], condition=Q(office__isnull=True), name="unique_role_without_office"
            ),
            models.UniqueConstraint(
                fields=["user", "role", "office"], condition=Q(office__isnull=False), name="unique_role_per_office"
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()}" + (f" · {self.office}" if self.office_id else "")


class InvitationQuerySet(models.QuerySet):
    def pending(self, at: datetime | None = None):
        at = at or clock.now()
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=at)


class Invitation(models.Model):
    """A signed, single-use, expiring offer of an account with one role."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        EXPIRED = "expired", _("Expired")
        REVOKED = "revoked", _("Withdrawn")

    email = models.EmailField(_("email address"), max_length=EMAIL_MAX_LENGTH)
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    office = models.ForeignKey(
        "placement.LandOffice", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("land office"),
    )
    cycle = models.ForeignKey(
        "placement.ExamCycle", on_delete=models.PROTECT, null=True, blank=True, related_name="invitations",
        verbose_name=_("exam cycle"),
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="invitations_sent",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("sent at"))
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("accepted by"),
    )
    revoked_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["email"])]

    def __str__(self):
        return f"{self.email} ({self.get_role_display()})"

    @property
    def status(self) -> str:
        if self.accepted_at:
            return self.Status.ACCEPTED
        if self.revoked_at:
            return self.Status.REVOKED
        if self.expires_at <= clock.now():
            return self.Status.EXPIRED
        return self.Status.PENDING

    def get_status_display(self) -> str:
        return self.Status(self.status).label
