from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediaPipelineConfig(AppConfig):
    name = "media_pipeline"
    verbose_name = _("Videos and evidence files")

    def ready(self):
        # Registering the tasks here lets services queue them by name through core.queue without importing them.
        from . import tasks  # noqa: F401
