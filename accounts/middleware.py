"""Request gates that apply to every view: language choice, staff MFA enrolment, the access table, and the
answer while the cache is down."""
import logging

from allauth.account import app_settings as account_settings
from allauth.account.forms import LoginForm
from allauth.mfa.models import Authenticator
from allauth.utils import get_form_class
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext as _
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

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


# What Django's Redis cache raises when Redis cannot be reached or does not answer in time.
CACHE_OUTAGE_ERRORS = (RedisConnectionError, RedisTimeoutError)
# How long a browser or client is told to wait before trying again, in seconds.
CACHE_OUTAGE_RETRY_AFTER = 120


class CacheOutageMiddleware:
    """Answer 503 with a message, instead of a server error, when a view cannot reach the cache.

    allauth keeps sign-in rate limits and used TOTP codes in the cache. Without it no attempt is counted, so no
    attempt is let through either: the limits fail closed, the password is never checked, and the person is told
    to come back in a few minutes. Pages that do not use the cache keep working.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, CACHE_OUTAGE_ERRORS):
            return None
        logger.error("The cache is unreachable (%s); %s %s answered 503.", exception, request.method, request.path)
        match = getattr(request, "resolver_match", None)
        if match is not None and match.url_name == "account_login":
            response = render(request, "account/login.html", _sign_in_page_context(request), status=503)
        else:
            response = render(request, "account/unavailable.html", status=503)
        response["Retry-After"] = str(CACHE_OUTAGE_RETRY_AFTER)
        return response


def _sign_in_page_context(request) -> dict:
    """Return the sign-in page's context with the email kept, the password dropped, and the outage flagged."""
    form_class = get_form_class(account_settings.FORMS, "login", LoginForm)
    form = form_class(request=request, initial={"login": request.POST.get("login", "")})
    next_url = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME)
    redirect_field = (
        format_html('<input type="hidden" name="{}" value="{}">', REDIRECT_FIELD_NAME, next_url) if next_url else ""
    )
    return {"form": form, "redirect_field": redirect_field, "sign_in_unavailable": True}
