"""The suite runs in parallel (pytest-xdist, scripts/test.sh): each test process keeps its Redis keys apart, so one
process's rate-limit clearing or real Celery worker never touches another's (CONTRIBUTING.md, Tests)."""

import json

import pytest

from .test_safe_defaults import settings_in_subprocess

SHOW = (
    "import json; print(json.dumps([settings.CACHES['default'].get('KEY_PREFIX', ''), "
    "getattr(settings, 'CELERY_BROKER_TRANSPORT_OPTIONS', {}).get('global_keyprefix', ''), "
    "getattr(settings, 'CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS', {}).get('global_keyprefix', '')]))"
)


def test_each_test_process_has_its_own_redis_keys(tmp_path):
    env = {"DJANGO_SETTINGS_MODULE": "config.settings.test", "REDIS_URL": "redis://127.0.0.1:6379/15"}
    gw0 = json.loads(settings_in_subprocess(tmp_path, SHOW, PYTEST_XDIST_WORKER="gw0", **env))
    gw1 = json.loads(settings_in_subprocess(tmp_path, SHOW, PYTEST_XDIST_WORKER="gw1", **env))
    assert all(gw0) and all(gw1)
    assert not set(gw0) & set(gw1)


def test_clearing_rate_limits_spares_other_processes_keys(settings):
    """What the autouse fixture clears before each test: this process's counters, not another worker's."""
    from django.core.cache import cache

    from core import ratelimit
    from tests.conftest import clear_rate_limits

    redis_client = getattr(getattr(cache, "_cache", None), "get_client", None)
    if redis_client is None:
        pytest.skip("the cache is not Redis (no REDIS_URL)")
    redis = redis_client(write=True)
    other = "test-gw-elsewhere:1:ratelimit:sign-in:ip:10.0.0.9:1"
    redis.set(other, 3, ex=60)
    try:
        ratelimit.allow("sign-in:ip:10.0.0.8", limit=5, window=60)
        assert list(redis.scan_iter(match=cache.make_key("ratelimit:*")))
        clear_rate_limits()
        assert not list(redis.scan_iter(match=cache.make_key("ratelimit:*")))
        assert redis.get(other) == b"3"
    finally:
        redis.delete(other)
