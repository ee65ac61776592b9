import pytest
from django.conf import settings


@pytest.mark.celery_worker
def test_task_round_trip_through_a_real_worker(celery_worker_process):
    from core.tasks import ping

    result = ping.delay("创文通")
    assert result.get(timeout=30) == {"pong": "创文通"}


def test_ci_uses_redis_and_postgresql():
    import os

    if os.environ.get("CI") != "true":
        pytest.skip("only CI insists on the real services")
    assert settings.CELERY_BROKER_URL.startswith("redis://")
    assert settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
