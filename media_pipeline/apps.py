from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediaPipelineConfig(AppConfig):
    name = "media_pipeline"
    verbose_name = _("Videos and evidence files")

    def ready(self):
        from placement.access_log import candidate_history_register

        # Registering the tasks here lets services queue them by name through core.queue without importing them.
        from . import tasks  # noqa: F401
        from .selectors import candidate_history_condition

        # A candidate's access log in placement lists the changes to their videos without importing this app.
        candidate_history_register(candidate_history_condition)
