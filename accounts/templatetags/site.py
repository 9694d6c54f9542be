"""Template helpers for the site shell."""
from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def page_url(context, number: int) -> str:
    """Return the query string of the current page with `page` set to number, keeping every filter value."""
    query = context["request"].GET.copy()
    query["page"] = number
    return "?" + query.urlencode()
