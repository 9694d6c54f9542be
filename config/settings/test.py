"""Settings for the test suite: DATABASE_URL and REDIS_URL are used when set, otherwise SQLite and local memory."""
from .base import *  # noqa: F403
from .base import env

# Public by design, for the test suite only (bandit B105).
SECRET_KEY = "test-only-not-secret-8f2a6c4e1b3d5f7a9c0e2b4d6f8a1c3e5b7d9f0a2c4e6b8d"  # nosec B105
DEBUG = False
REQUIRE_SERVICES = env.bool("REQUIRE_SERVICES", default=False)
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / ".test-media")  # noqa: F405
LOGGING = {"version": 1, "disable_existing_loggers": False}

if DATABASES["default"]["ENGINE"].endswith("postgresql"):  # noqa: F405
    # Between transactional tests the suite empties every table with TRUNCATE, which placement's triggers refuse once
    # anything is published, unless the session says it means to wipe the database (placement migration 0012).
    _options = DATABASES["default"].setdefault("OPTIONS", {})  # noqa: F405
    _options["options"] = f"{_options.get('options', '')} -c placement.allow_truncate=on".strip()
