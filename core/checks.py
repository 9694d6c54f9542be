"""Deploy-level checks: `manage.py check --deploy` fails on production settings that would run unsafely.

Each of these has a working default for the demo (console mail, a per-process cache, tasks inline, a local
address), and each is unsafe in production: mail with password-reset and invitation links lands in the process log,
a per-process cache lets every gunicorn worker count rate limits and TOTP replays on its own, tasks run inside
requests, and links in emails point nowhere or over plain HTTP.
"""
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, register

UNSAFE_EMAIL_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
}
PER_PROCESS_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


@register(Tags.security, deploy=True)
def check_production_services(app_configs=None, **kwargs) -> list[Error]:
    """Refuse console mail, a per-process cache, inline tasks or an in-memory broker, and a non-https SITE_URL."""
    errors = []
    if settings.EMAIL_BACKEND in UNSAFE_EMAIL_BACKENDS:
        errors.append(Error(
            f"Email goes to {settings.EMAIL_BACKEND}, so invitation and password-reset links never reach anyone "
            "and land in the process log.", hint="Set EMAIL_URL, e.g. smtp+tls://user:password@host:587.",
            id="core.E010"))
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend in PER_PROCESS_CACHES:
        errors.append(Error(
            "The cache is per process, so each web worker counts login failures and used TOTP codes on its own.",
            hint="Set REDIS_URL to a Redis shared by every web process.", id="core.E011"))
    if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False) or str(
            getattr(settings, "CELERY_BROKER_URL", "")).startswith("memory://"):
        errors.append(Error(
            "Background tasks run inside web requests (no broker), so placement runs and media work block pages.",
            hint="Set REDIS_URL (or CELERY_BROKER_URL) and run Celery workers; leave CELERY_TASK_ALWAYS_EAGER unset.",
            id="core.E012"))
    site = urlsplit(getattr(settings, "SITE_URL", ""))
    if site.scheme != "https" or site.hostname in (None, "127.0.0.1", "localhost"):
        errors.append(Error(
            f"SITE_URL is {settings.SITE_URL!r}: links in emails must use the public https address.",
            hint="Set SITE_URL to the site's public address, e.g. https://surveyplace.example.gov.tw.",
            id="core.E013"))
    return errors
