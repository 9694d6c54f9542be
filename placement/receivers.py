"""Placement's answers to signals from the apps it builds on; PlacementConfig.ready() connects them."""
from accounts.roles import Role

from .models import Candidate


def candidate_link_on_invitation_accepted(sender, *, invitation, user, **kwargs) -> None:
    """Link a new candidate account to the unclaimed exam record with its email in the cycle it was invited to."""
    if invitation.role != Role.CANDIDATE:
        return
    Candidate.objects.filter(cycle=invitation.cycle, email__iexact=user.email, user__isnull=True).update(user=user)
