from allauth.account.internal.flows.login import record_authentication
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import selectors, services
from .forms import InvitationAcceptForm, InvitationForm
from .models import Invitation


def invitation_list(request):
    status = request.GET.get("status") or None
    if status not in Invitation.Status.values:
        status = None
    page = Paginator(selectors.invitation_list(status=status), 50).get_page(request.GET.get("page"))
    return render(request, "accounts/invitation_list.html", {
        "page": page, "status": status, "statuses": Invitation.Status.choices,
    })


def invitation_create(request):
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invitation_create(invited_by=request.user, **form.cleaned_data)
        except services.InvitationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": invitation.email})
            return redirect("accounts:invitation_list")
    return render(request, "accounts/invitation_form.html", {"form": form})


@require_http_methods(["GET", "HEAD", "POST"])
def invitation_resend(request, pk):
    """Ask whether to email an invitation again (GET), then do it (POST from that page)."""
    invitation = selectors.invitation_get_for_user(request.user, pk)
    if request.method != "POST":
        if refusal := services.invitation_resend_refusal(invitation):
            messages.error(request, refusal)
            return redirect("accounts:invitation_list")
        return render(request, "accounts/invitation_confirm.html", {
            "invitation": invitation, "action": "resend", "max_age_days": settings.INVITATION_MAX_AGE_DAYS,
        })
    try:
        services.invitation_resend(invitation=invitation)
    except services.InvitationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Invitation sent again to %(email)s.") % {"email": invitation.email})
    return redirect("accounts:invitation_list")


@require_http_methods(["GET", "HEAD", "POST"])
def invitation_revoke(request, pk):
    """Ask whether to withdraw an invitation (GET), then do it (POST from that page)."""
    invitation = selectors.invitation_get_for_user(request.user, pk)
    if request.method != "POST":
        if refusal := services.invitation_revoke_refusal(invitation):
            messages.error(request, refusal)
            return redirect("accounts:invitation_list")
        return render(request, "accounts/invitation_confirm.html", {"invitation": invitation, "action": "revoke"})
    try:
        services.invitation_revoke(invitation=invitation)
    except services.InvitationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Invitation to %(email)s withdrawn.") % {"email": invitation.email})
    return redirect("accounts:invitation_list")


def invitation_accept(request, token):
    """Let an invited person choose a name and password, then sign them in."""
    if request.user.is_authenticated:
        messages.info(request, _("You are already signed in. Sign out first to accept another invitation."))
        return redirect("dashboard")
    try:
        invitation = services.invitation_from_token(token)
    except services.InvitationError as error:
        return render(request, "accounts/invitation_invalid.html", {"reason": str(error)}, status=410)
    form = InvitationAcceptForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(
                token=token, name=form.cleaned_data["name"], password=form.cleaned_data["password1"]
            )
        except services.InvitationError as error:
            return render(request, "accounts/invitation_invalid.html", {"reason": str(error)}, status=410)
        login(request, user, backend="allauth.account.auth_backends.AuthenticationBackend")
        # The person just typed their new password, so record it as a fresh password sign-in; otherwise allauth
        # would ask a brand-new staff member to re-enter it before enrolling TOTP.
        record_authentication(request, user, method="password", email=user.email, reauthenticated=True)
        messages.success(request, _("Welcome to SurveyPlace, %(name)s.") % {"name": user.name})
        return redirect("dashboard")
    return render(request, "accounts/invitation_accept.html", {"invitation": invitation, "form": form})
