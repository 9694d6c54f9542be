"""Celery application for SurveyPlace; workers start with `celery -A config worker`."""
import os

from celery import Celery

os.environ["DJANGO_SETTINGS_MODULE"] = os.environ.get("DJANGO_SETTINGS_MODULE") or "config.settings.local"

app = Celery("surveyplace")
# Every Celery option lives in Django settings under the CELERY_ prefix.
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
