"""Production settings: every secret and host comes from the environment; HTTPS throughout."""
from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be at least 50 random characters.")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
# A key of its own for TOTP secrets at rest, so that changing DJANGO_SECRET_KEY never locks staff out.
MFA_ENCRYPTION_KEYS = env.list("MFA_ENCRYPTION_KEYS", default=[])
if not MFA_ENCRYPTION_KEYS:
    raise ImproperlyConfigured(
        "MFA_ENCRYPTION_KEYS must hold at least one Fernet key (comma-separated, newest first); make one with "
        "python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'."
    )

# https://docs.djangoproject.com/en/5.2/howto/deployment/checklist/
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The README's topology: one load balancer in front of gunicorn.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=1)
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"
