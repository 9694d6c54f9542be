"""Scoped lookups: a candidate reaches only their own candidacies and archives; anything else answers 404.

These scopes are by account, not by role: even a user who also holds the examination staff role downloads only
their own archive here.
"""
from django.shortcuts import get_object_or_404

from placement.models import Candidate

from .models import DataExport


def own_candidacies(user):
    return Candidate.objects.filter(user=user) if user.is_authenticated else Candidate.objects.none()


def own_candidacy_get(user, pk: int) -> Candidate:
    return get_object_or_404(own_candidacies(user).select_related("cycle"), pk=pk)


def own_export_get(user, pk: int) -> DataExport:
    """Return one of the user's own finished archives."""
    return get_object_or_404(DataExport.objects.filter(candidate__in=own_candidacies(user),
                                                       state=DataExport.State.READY).exclude(file=""), pk=pk)
