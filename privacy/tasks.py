"""Celery tasks: each takes ids, loads rows and calls one service, so running one twice does no harm."""
from celery import shared_task

from . import services


@shared_task(ignore_result=True)
def data_export_build(export_id: int) -> None:
    services.data_export_build(export_id=export_id)


@shared_task(ignore_result=True)
def data_exports_sweep() -> None:
    services.data_exports_sweep()
