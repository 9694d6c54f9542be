from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.generic import RedirectView

from . import registry


def home(request):
    """Show the public landing page; signed-in people go straight to their dashboard."""
    if request.user.is_authenticated:
        return redirect("dashboard")
    return render(request, "core/home.html", {"panels": registry.home_panels(request)})


def dashboard(request):
    """Show each app's panels for the user's roles: the current phase of the cycle and what to do next."""
    return render(request, "core/dashboard.html", {
        "roles": request.user.roles, "panels": registry.dashboard_panels(request),
    })


class FaviconRedirect(RedirectView):
    """Send /favicon.ico to the site's icon, resolved per request (the static manifest exists only after
    collectstatic)."""

    permanent = True

    def get_redirect_url(self, *args, **kwargs):
        return static("favicon.svg")
