"""Background jobs of the evaluation (thin: ids in, one service call). Celery discovers this module; the jobs live
beside their subpackage's services and are imported here so they register."""

from evaluation.completeness.tasks import *  # noqa: F403
from evaluation.materials.tasks import *  # noqa: F403
from evaluation.readiness.tasks import *  # noqa: F403
from evaluation.surveys.tasks import *  # noqa: F403
