"""Turn an unreachable task broker into a clear page instead of a server error."""
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from .queue import QueueUnavailable


class QueueUnavailableMiddleware:
    """Answer 503 with an explanation when a write was refused because background work could not be queued."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, QueueUnavailable):
            return None
        # Back to the page the form was on (a POST-only address would answer 405).
        back = request.headers.get("Referer", "")
        if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()},
                                               require_https=request.is_secure()):
            back = reverse("dashboard")
        response = TemplateResponse(request, "core/queue_unavailable.html", {"back": back}, status=503)
        response["Retry-After"] = "120"
        return response.render()
