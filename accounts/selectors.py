"""Reads for accounts pages; each fixes its own query shape."""
from django.db.models import QuerySet

from .models import Invitation


def invitation_list(*, status: str | None = None) -> QuerySet[Invitation]:
    """Return invitations newest first with everything the list page shows."""
    invitations = Invitation.objects.select_related("office", "cycle", "invited_by", "accepted_by")
    if status == Invitation.Status.ACCEPTED:
        invitations = invitations.filter(accepted_at__isnull=False)
    elif status == Invitation.Status.REVOKED:
        invitations = invitations.filter(revoked_at__isnull=False, accepted_at__isnull=True)
    elif status == Invitation.Status.PENDING:
        invitations = invitations.pending()
    elif status == Invitation.Status.EXPIRED:
        from core import clock

        invitations = invitations.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__lte=clock.now()
        )
    return invitations


def invitation_get_for_user(user, pk: int) -> Invitation:
    """Return an invitation the user may manage, or raise Http404 (only examination staff manage them)."""
    from django.shortcuts import get_object_or_404

    from .roles import Role

    scope = Invitation.objects.all() if Role.EXAM_STAFF in user.roles else Invitation.objects.none()
    return get_object_or_404(scope, pk=pk)
