"""Test settings: the same as base, with fast password hashing and media in a temporary folder."""

import os
import tempfile

from .base import *  # noqa: F401,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# A worker started by the tests shares the test run's media folder through TEST_MEDIA_ROOT.
MEDIA_ROOT = os.environ.get("TEST_MEDIA_ROOT") or tempfile.mkdtemp(prefix="cwt-media-")
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Tests that need a real worker start one themselves (tests/conftest.py: celery_worker_process).
CELERY_TASK_ALWAYS_EAGER = os.environ.get("CELERY_TASK_ALWAYS_EAGER", "true") == "true"
CELERY_TASK_EAGER_PROPAGATES = True
LANGUAGE_CODE = "zh-hans"

# pytest-xdist runs the suite in several processes (scripts/test.sh: -n). pytest-django gives each its own test
# database (test_<name>_gw0, …); what lives in Redis is kept apart here by the worker's name, which xdist puts in
# PYTEST_XDIST_WORKER ("gw0", "gw1", …) and a Celery worker started by a test inherits: cache keys (rate-limit
# counters, cleared before each test) and every broker key, queues and control channels alike, so a worker started
# for gw0 never takes gw1's tasks or answers its pings.
XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if XDIST_WORKER:
    CACHES["default"]["KEY_PREFIX"] = f"test-{XDIST_WORKER}"  # noqa: F405
    if REDIS_URL:  # noqa: F405
        CELERY_BROKER_TRANSPORT_OPTIONS = {"global_keyprefix": f"test-{XDIST_WORKER}:"}
        CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"global_keyprefix": f"test-{XDIST_WORKER}:"}
    else:  # the embedded broker: a folder per worker
        _worker_var = VAR_DIR / f"test-{XDIST_WORKER}"  # noqa: F405
        CELERY_BROKER_TRANSPORT_OPTIONS = {
            "data_folder_in": str(_worker_var / "celery-queue"),
            "data_folder_out": str(_worker_var / "celery-queue"),
            "processed_folder": str(_worker_var / "celery-processed"),
            "control_folder": str(_worker_var / "celery-control"),
            "store_processed": False,
        }
        for _folder in ("celery-queue", "celery-processed", "celery-control"):
            (_worker_var / _folder).mkdir(parents=True, exist_ok=True)
