"""Request gates that apply to every view: language choice, staff MFA enrolment, and the access table."""
import logging

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils import translation
from django.utils.translation import gettext as _

from . import access

logger = logging.getLogger(__name__)


class CookieLocaleMiddleware:
    """Use the language the person chose with the switch, else Traditional Chinese.

    Django's LocaleMiddleware would follow the browser's Accept-Language header; the platform's default is
    zh-Hant whatever the browser says, and English is one click away.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.supported:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        response.headers.setdefault("Vary", "Cookie")
        return response


# Pages a staff member without TOTP may still reach: enrolling, signing out, and switching language.
MFA_ENROLMENT_VIEWS = frozenset({
    "mfa_index", "mfa_activate_totp", "mfa_view_recovery_codes", "mfa_generate_recovery_codes",
    "mfa_download_recovery_codes", "account_logout", "account_reauthenticate", "account_request_reauthentication_code",
    "account_confirm_reauthentication_code", "set_language",
    "account_email_verification_sent", "account_confirm_email",
})


class StaffMFARequiredMiddleware:
    """Send staff who have not enrolled TOTP to the enrolment page before any other page.

    allauth has no per-role switch for requiring MFA, so this gate supplies it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or not user.is_staff_role:
            return None
        if request.resolver_match.url_name in MFA_ENROLMENT_VIEWS:
            return None
        if Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            return None
        messages.warning(
            request,
            _("Staff accounts must turn on two-factor authentication before continuing. "
              "Scan the code with an authenticator app and enter the six digits it shows."),
        )
        return redirect("mfa_activate_totp")


class AccessTableMiddleware:
    """Let a request reach a view only when the access table allows the user's roles; fail closed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        view_name = request.resolver_match.view_name
        audience = access.audience_for(request.resolver_match)
        if audience is None:
            logger.error("URL %s has no entry in the access table; refusing it.", view_name)
            raise PermissionDenied
        if access.PUBLIC in audience:
            return None
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if access.user_may_reach(request.user, audience):
            return None
        raise PermissionDenied
