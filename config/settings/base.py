"""Settings shared by every environment; each value comes from the environment with a safe default.

The README lists every variable. Integrations stay off until their variables are set.
"""
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

from .environment import Env

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = Env()

# A local `.env` file is convenient in development; production passes real environment variables.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # Whitenoise serves static files in every environment, including `runserver`, so the site never needs a CDN.
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "django_tables2",
    "auditlog",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.mfa",
    "core",
    "accounts",
    "placement",
    "media_pipeline",
    "offices",
    "practice",
    "portfolios",
    # After the apps it builds on, so its demo data loads after theirs.
    "focusgroups",
    # Last: it exports and erases what every app above holds about a candidate, through their site modules.
    "privacy",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy and Permissions-Policy on every response (core.security_headers).
    "core.security_headers.PlatformCSPMiddleware",
    "core.security_headers.PlatformPermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "accounts.middleware.CookieLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Audit entries written during a request record the signed-in user as their actor (core.audit).
    "auditlog.middleware.AuditlogMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Sign-in answers 503 with a message, not 500, while the cache that holds its rate limits is unreachable.
    "accounts.middleware.CacheOutageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Staff must enrol TOTP before any other page; the access table then decides who reaches what.
    "accounts.middleware.StaffMFARequiredMiddleware",
    "accounts.middleware.AccessTableMiddleware",
    # A write refused because the task broker is down answers a clear 503 page (core.queue).
    "core.middleware.QueueUnavailableMiddleware",
    # A multipart upload refused for its size answers with the reason before any view runs (media_pipeline).
    "media_pipeline.upload_limits.UploadRefusalMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.navigation",
            ],
        },
    },
]

# https://django-environ.readthedocs.io/en/latest/types.html#environ-env-db-url
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    # One shared cache lets rate limits and used TOTP codes hold across every web process.
    CACHES = {"default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
        # An unreachable Redis must fail fast (sign-in then answers 503), not hold every request until it returns.
        "OPTIONS": {
            "socket_connect_timeout": env.float("REDIS_SOCKET_TIMEOUT", default=2.0),
            "socket_timeout": env.float("REDIS_SOCKET_TIMEOUT", default=2.0),
        },
    }}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "home"

# django-allauth: https://docs.allauth.org/en/latest/account/configuration.html
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "accounts.adapter.SocialAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# Rate limits live in the shared cache: https://docs.allauth.org/en/latest/account/rate_limits.html
ACCOUNT_RATE_LIMITS = {
    # Failed logins per email address lock out password guessing; the per-IP limit only slows one address trying
    # many accounts, and stays high because a school or office network puts many honest people behind one address.
    "login_failed": env("RATE_LIMIT_LOGIN_FAILED", default="30/m/ip,5/300s/key"),
}
# How many reverse proxies in front of the web processes add to X-Forwarded-For, so rate limits count the visitor's
# address and not the load balancer's (which every visitor shares). 0 trusts none; production defaults to 1.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[SurveyPlace] "
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "SurveyPlace"
MFA_RECOVERY_CODE_COUNT = 10
# TOTP secrets and recovery-code seeds are stored encrypted with these Fernet keys (accounts.adapter.MFAAdapter).
# The first key encrypts and every key decrypts: to rotate, put a new key first, run `manage.py mfa_rotate_keys`,
# then drop the old one. Unset, a key is derived from SECRET_KEY (demo and tests); production requires the keys.
MFA_ADAPTER = "accounts.adapter.MFAAdapter"
MFA_ENCRYPTION_KEYS = env.list("MFA_ENCRYPTION_KEYS", default=[])
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_ONLY = False

GOOGLE_CLIENT_ID = env("GOOGLE_CLIENT_ID", default="")
GOOGLE_CLIENT_SECRET = env("GOOGLE_CLIENT_SECRET", default="")
SOCIALACCOUNT_PROVIDERS = {
    "google": {
        "SCOPE": ["openid", "email", "profile"],
        "AUTH_PARAMS": {"access_type": "offline"},
        "OAUTH_PKCE_ENABLED": True,
    }
}
if GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET:
    # The provider (and so its URLs and its button) exists only when it can work.
    INSTALLED_APPS.insert(INSTALLED_APPS.index("allauth.mfa"), "allauth.socialaccount.providers.google")
    # Configuring the app in settings (not the database) means the button appears exactly when the variables are set.
    SOCIALACCOUNT_PROVIDERS["google"]["APPS"] = [
        {"client_id": GOOGLE_CLIENT_ID, "secret": GOOGLE_CLIENT_SECRET, "key": ""}
    ]

# Invitations: how long a signed invitation link stays valid.
INVITATION_MAX_AGE_DAYS = env.int("INVITATION_MAX_AGE_DAYS", default=14)
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
# How many emails (results, deadline notices) one Celery task sends; smaller batches retry less after a hiccup.
EMAIL_BATCH_SIZE = env.int("EMAIL_BATCH_SIZE", default=100)
# The audit history keeps old → new values as JSON, the same shape for auditlog's own entries and named events.
AUDITLOG_STORE_JSON_CHANGES = True

LANGUAGE_CODE = "zh-hant"
LANGUAGES = [("zh-hant", _("Traditional Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Taipei"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")

AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    # https://django-storages.readthedocs.io/en/latest/backends/amazon-S3.html
    AWS_S3_ENDPOINT_URL = env("AWS_S3_ENDPOINT_URL", default=None)
    AWS_S3_REGION_NAME = env("AWS_S3_REGION_NAME", default="us-east-1")
    AWS_ACCESS_KEY_ID = env("AWS_ACCESS_KEY_ID", default=None)
    AWS_SECRET_ACCESS_KEY = env("AWS_SECRET_ACCESS_KEY", default=None)
    # The bucket is private: every object is read through a short-lived presigned URL.
    AWS_DEFAULT_ACL = None
    AWS_QUERYSTRING_AUTH = True
    AWS_QUERYSTRING_EXPIRE = env.int("AWS_QUERYSTRING_EXPIRE", default=300)
    AWS_S3_FILE_OVERWRITE = False
    DEFAULT_FILE_STORAGE_BACKEND = "storages.backends.s3.S3Storage"
else:
    DEFAULT_FILE_STORAGE_BACKEND = "django.core.files.storage.FileSystemStorage"
STORAGES = {
    "default": {"BACKEND": DEFAULT_FILE_STORAGE_BACKEND},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

YOUTUBE_API_KEY = env("YOUTUBE_API_KEY", default="")
# Media pipeline (media_pipeline/). An empty endpoint means Google's; tests point it at a loopback server.
YOUTUBE_API_ENDPOINT = env("YOUTUBE_API_ENDPOINT", default="")
YOUTUBE_MAX_ATTEMPTS = env.int("YOUTUBE_MAX_ATTEMPTS", default=5)
YOUTUBE_RETRY_BASE_SECONDS = env.float("YOUTUBE_RETRY_BASE_SECONDS", default=1.0)
# A CA bundle for the YouTube endpoint; only tests need one (their loopback HTTPS server is self-signed).
YOUTUBE_API_CA_CERTS = env("YOUTUBE_API_CA_CERTS", default="")
# Where players are embedded from; the browser tests, which have no internet, point it at a loopback player.
YOUTUBE_EMBED_BASE = env("YOUTUBE_EMBED_BASE", default="https://www.youtube-nocookie.com/embed/")
# Keep Google's OAuth tokens so a candidate can publish an upload to their own channel (media_pipeline).
SOCIALACCOUNT_STORE_TOKENS = True
# Resumable upload chunk size for publishing to a candidate's channel; Google needs multiples of 256 KiB.
YOUTUBE_UPLOAD_CHUNK_BYTES = env.int("YOUTUBE_UPLOAD_CHUNK_BYTES", default=8 * 1024 * 1024)
# Defaults for exam cycles without their own limits (media_pipeline.MediaLimits).
MEDIA_MAX_UPLOAD_BYTES = env.int("MEDIA_MAX_UPLOAD_BYTES", default=2 * 1024**3)
MEDIA_MAX_DURATION_SECONDS = env.int("MEDIA_MAX_DURATION_SECONDS", default=15 * 60)
MEDIA_EVIDENCE_MAX_BYTES = env.int("MEDIA_EVIDENCE_MAX_BYTES", default=20 * 1024**2)
# Multipart uploads stop being read once one file passes the largest any form takes (evidence and attachments, and
# imports of up to 10 MB) or the whole request passes the second cap, so no upload fills the server's temporary
# space (media_pipeline.upload_limits). A proxy in front should refuse larger bodies too (nginx client_max_body_size).
MEDIA_UPLOAD_FILE_MAX_BYTES = env.int("MEDIA_UPLOAD_FILE_MAX_BYTES",
                                      default=max(MEDIA_EVIDENCE_MAX_BYTES, 10 * 1024**2))
MEDIA_UPLOAD_REQUEST_MAX_BYTES = env.int("MEDIA_UPLOAD_REQUEST_MAX_BYTES", default=100 * 1024**2)
FILE_UPLOAD_HANDLERS = [
    "media_pipeline.upload_limits.CappedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# Browsers switch to a multipart upload above this size, in parts of MEDIA_MULTIPART_PART_BYTES (S3 minimum 5 MB).
MEDIA_MULTIPART_THRESHOLD_BYTES = env.int("MEDIA_MULTIPART_THRESHOLD_BYTES", default=100 * 1024**2)
MEDIA_MULTIPART_PART_BYTES = env.int("MEDIA_MULTIPART_PART_BYTES", default=64 * 1024**2)
MEDIA_UPLOAD_URL_EXPIRE_SECONDS = env.int("MEDIA_UPLOAD_URL_EXPIRE_SECONDS", default=3600)
FFPROBE_PATH = env("FFPROBE_PATH", default="ffprobe")
FFMPEG_PATH = env("FFMPEG_PATH", default="ffmpeg")
MEDIA_PROBE_TIMEOUT_SECONDS = env.int("MEDIA_PROBE_TIMEOUT_SECONDS", default=60)
MEDIA_TRANSCODE_TIMEOUT_SECONDS = env.int("MEDIA_TRANSCODE_TIMEOUT_SECONDS", default=3600)

# Celery: https://docs.celeryq.dev/en/stable/userguide/configuration.html
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL or "memory://")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=REDIS_URL or None)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
# An unreachable broker is noticed in seconds (core.queue checks it before a write commits), not after the
# default retries that held a request for 19 s.
CELERY_BROKER_CONNECTION_TIMEOUT = env.float("CELERY_BROKER_CONNECTION_TIMEOUT", default=2.0)
# With late acknowledgement, Redis hands a task whose worker died to another worker after the visibility timeout;
# it must outlast the longest task (a transcode), or a task still running would be delivered twice. Claims make
# a second delivery harmless, and the sweepers recover lost runs and uploads sooner. The reliability suite shortens
# it (CELERY_BROKER_VISIBILITY_TIMEOUT) to watch a killed worker's task come back within seconds.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": CELERY_BROKER_CONNECTION_TIMEOUT,
    "visibility_timeout": env.int("CELERY_BROKER_VISIBILITY_TIMEOUT",
                                  default=MEDIA_TRANSCODE_TIMEOUT_SECONDS + 15 * 60),
}
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.5, "interval_max": 1}
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
# https://docs.celeryq.dev/en/stable/userguide/periodic-tasks.html — `celery -A config beat` runs these.
CELERY_BEAT_SCHEDULE = {
    "media-youtube-check-due": {"task": "media_pipeline.tasks.youtube_check_due", "schedule": 15 * 60},
    "media-youtube-recheck": {"task": "media_pipeline.tasks.youtube_recheck_verified", "schedule": 6 * 3600},
    "media-sweep": {"task": "media_pipeline.tasks.media_sweep", "schedule": 10 * 60},
    "placement-submit-due-lists": {"task": "placement.tasks.preference_lists_submit_due_task", "schedule": 5 * 60},
    "placement-place-responses-due": {"task": "placement.tasks.place_responses_due_task", "schedule": 15 * 60},
    "placement-runs-sweep": {"task": "placement.tasks.placement_runs_sweep_task", "schedule": 5 * 60},
    "placement-verify-published": {"task": "placement.tasks.published_results_verify_task", "schedule": 24 * 3600},
    "focusgroups-reminders": {"task": "focusgroups.tasks.focus_group_reminders_send_task", "schedule": 3600},
    "privacy-exports-sweep": {"task": "privacy.tasks.data_exports_sweep", "schedule": 3600},
}
# How many days a candidate's archive of their personal data stays for download before the sweeper deletes it.
PRIVACY_EXPORT_KEEP_DAYS = env.int("PRIVACY_EXPORT_KEEP_DAYS", default=7)
# A run still queued or running after this long lost its task (broker down, worker killed); the sweeper fails it.
PLACEMENT_RUN_STUCK_MINUTES = env.int("PLACEMENT_RUN_STUCK_MINUTES", default=30)
# Imports of candidates, vacancies and suitability scores: the most rows one file may have, and how many problems
# are listed before checking stops (placement.tabular).
PLACEMENT_IMPORT_MAX_ROWS = env.int("PLACEMENT_IMPORT_MAX_ROWS", default=20_000)
PLACEMENT_IMPORT_MAX_ERRORS = env.int("PLACEMENT_IMPORT_MAX_ERRORS", default=100)
# How long before the focus-group deadline, and before a question's reply deadline, the reminders go out.
FOCUS_GROUP_REMINDER_HOURS = env.int("FOCUS_GROUP_REMINDER_HOURS", default=48)

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="SurveyPlace <noreply@surveyplace.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# No inline script or style anywhere: every script is a static file, and injected markup cannot run. The outside
# origins (player, object store, Google sign-in) are added per response by core.security_headers.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # data: for the TOTP QR code allauth renders as an inline SVG image.
        "img-src": ["'self'", "data:"],
        "media-src": ["'self'"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "frame-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Credentials never reach a log line, at any level: the YouTube API key in request URLs, tokens, signatures.
    "filters": {"redact_secrets": {"()": "config.log_filters.RedactSecrets"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact_secrets"]}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
}
