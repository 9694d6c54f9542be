"""Scoped lookups for office profiles: an office outside the user's scope answers 404, exactly like a missing one.

Office staff manage the profile of each office where they hold the office-staff role, and no other; examination
staff read every office's profile and history; anyone reads a published profile on the public page.
"""
from django.shortcuts import get_object_or_404

from accounts.roles import Role
from accounts.scopes import offices_where_user_holds
from placement.models import LandOffice


def managed_offices(user):
    """Return the offices whose profile a user edits: those where they are office staff, in the usual order."""
    office_ids = offices_where_user_holds(user, {Role.OFFICE_STAFF})
    return LandOffice.objects.filter(pk__in=office_ids).order_by("sort_order", "name")


def managed_office_get(user, code: str) -> LandOffice:
    """Return an office whose profile the user edits; any other office answers 404."""
    return get_object_or_404(managed_offices(user), code=code)


def readable_office_get(user, code: str) -> LandOffice:
    """Return an office whose profile, draft included, and history the user reads: all for examination staff."""
    offices = LandOffice.objects.all() if Role.EXAM_STAFF in user.roles else managed_offices(user)
    return get_object_or_404(offices, code=code)
