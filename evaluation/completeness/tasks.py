"""Background jobs of completeness (the package .zip): thin, ids in, one service call, safe to run twice."""

from celery import shared_task

from . import package

__all__ = ["build_package"]


@shared_task(name="evaluation.package_build", acks_late=True, reject_on_worker_lost=True)
def build_package(package_id):
    row = package.package_build(package_id=package_id)
    return None if row is None else row.status
