from django.shortcuts import redirect, render

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
