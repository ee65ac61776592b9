"""Settings shared by every environment; everything that varies comes from the environment.

CONTRACT.md names the variables: DATABASE_URL, REDIS_URL, SECRET_KEY, DEBUG, ALLOWED_HOSTS, MEDIA_ROOT.
"""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# --- Safe defaults (issue 9): no public development key, no debug pages unless asked for ----------------------
def _secret_key() -> str:
    """SECRET_KEY from the environment; otherwise one generated on the first run and kept in var/secret_key
    (mode 0600), so sessions and tokens survive a restart and no two installations share a key. Production
    settings insist on the environment variable."""
    key = os.environ.get("SECRET_KEY", "").strip()
    if key:
        return key
    path = VAR_DIR / "secret_key"
    try:
        key = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        key = ""
    if key:
        return key
    import secrets

    path.parent.mkdir(parents=True, exist_ok=True)
    # Written to a private temporary file and linked into place: the web server and the worker starting together
    # agree on one key, and nobody ever reads half a file.
    temporary = path.with_name(f".secret_key.{os.getpid()}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(secrets.token_urlsafe(64))
    try:
        os.link(temporary, path)
    except FileExistsError:
        pass  # another process was first: use its key
    except OSError:  # a file system without hard links: a plain rename (not atomic against a racing first start)
        if not path.exists():
            os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    return path.read_text(encoding="ascii").strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG", False)  # `DEBUG=true make run` for Django's debug pages; never in production
# --- end of safe defaults -------------------------------------------------------------------------------------
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    # Our apps first: where two catalogues translate the same words ("Name", "Filter"), the earlier app wins,
    # and the campaign's own wording should.
    "core",
    "campaign",
    "inspections",
    "volunteers",
    "publicity",
    "reports",
    # Last of ours: the apps before it keep their wording of shared words ("Closed", "Overdue").
    "evaluation",
    # SimpleAdminConfig: the admin's autodiscovery would import leaflet.admin, which needs GeoDjango
    # (GDAL is not available); core.apps.CoreConfig.ready() discovers every other app's admin.
    "django.contrib.admin.apps.SimpleAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    # (rest_framework.authtoken is not installed: its keys never expire; core.ApiToken replaces it, issue 9.)
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "simple_history",
    "django_celery_beat",
    "django_celery_results",
    "leaflet",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "core.account_middleware.PasswordChangeRequiredMiddleware",  # accounts: a temporary password must be changed first
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Web server and Celery worker share the file: wait for the lock instead of failing at once.
    DATABASES["default"]["OPTIONS"] = {"timeout": 30, "transaction_mode": "IMMEDIATE"}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "core.validators.LettersAndDigitsValidator"},
]

# Graded protection (等保 2.0): lockout after repeated failures, sessions that expire when idle.
LOGIN_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
LOGIN_LOCKOUT_MINUTES = int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15"))
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(2 * 60 * 60)))
SESSION_SAVE_EVERY_REQUEST = True  # the age counts from the last request: an idle session expires
SESSION_COOKIE_HTTPONLY = True

# --- Accounts (issue 9): API token lifetimes and the security log's retention ---------------------------------
# A token dies when unused for API_TOKEN_IDLE_MINUTES (like a session) and API_TOKEN_MAX_HOURS after it was
# issued, whatever its use; lockout, deactivation and a password change revoke it at once.
API_TOKEN_IDLE_MINUTES = int(os.environ.get("API_TOKEN_IDLE_MINUTES", "120"))
API_TOKEN_MAX_HOURS = int(os.environ.get("API_TOKEN_MAX_HOURS", str(24 * 7)))
# Security events are kept this many days; values below 180 (等保 2.0: six months) are raised to 180.
SECURITY_LOG_RETENTION_DAYS = max(180, int(os.environ.get("SECURITY_LOG_RETENTION_DAYS", "180")))
# --- end of accounts ------------------------------------------------------------------------------------------

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 30 * 1024 * 1024
PHOTO_MAX_BYTES = int(os.environ.get("PHOTO_MAX_BYTES", str(10 * 1024 * 1024)))
# --- Files (issue 9): the upload pipeline (core/files.py) and the checked media view (core/media.py) ----------
# Images with more pixels than this (read from the header, before decoding) are refused: a 17 KB PNG can
# announce 144 megapixels, ~900 MB once decoded.
UPLOAD_MAX_PIXELS = int(os.environ.get("UPLOAD_MAX_PIXELS", "40000000"))
UPLOAD_MAX_DOCUMENT_BYTES = int(os.environ.get("UPLOAD_MAX_DOCUMENT_BYTES", str(20 * 1024 * 1024)))
# A .docx/.xlsx may unpack to at most this much (zip bombs).
UPLOAD_MAX_UNZIPPED_BYTES = int(os.environ.get("UPLOAD_MAX_UNZIPPED_BYTES", str(50 * 1024 * 1024)))
# In production nginx sends the bytes: the media view answers with X-Accel-Redirect to this internal location
# (docs/deploy-nginx.md), e.g. "/protected-media/". Empty: Django streams the file itself.
MEDIA_ACCEL_REDIRECT = os.environ.get("MEDIA_ACCEL_REDIRECT", "")
# --- end of files ---------------------------------------------------------------------------------------------

# --- Redis, cache and Celery -------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # No server to install: the broker is a folder on disk, results live in the database.
    CELERY_BROKER_URL = "filesystem://"
    _queue_dir = VAR_DIR / "celery-queue"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "processed_folder": str(VAR_DIR / "celery-processed"),
        "control_folder": str(VAR_DIR / "celery-control"),
        "store_processed": False,
    }
    CELERY_RESULT_BACKEND = "django-db"
    for _folder in (_queue_dir, VAR_DIR / "celery-processed", VAR_DIR / "celery-control"):
        _folder.mkdir(parents=True, exist_ok=True)
CELERY_TIMEZONE = TIME_ZONE
CELERY_RESULT_EXTENDED = True  # keep task names and arguments with results (admin, tests)
CELERY_TASK_ACKS_LATE = True  # a worker that dies mid-task leaves the message to be redelivered
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# --- E-mail --------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "chuangwentong@localhost")

# --- REST API ------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # The token scheme first, so that an expired or revoked token answers 401 with WWW-Authenticate.
        "core.api.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.StandardPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # Ours adds the documented 400/401/403/404/409 answers to every operation (issue 9, inputs).
    "DEFAULT_SCHEMA_CLASS": "core.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.exceptions.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "创文通 API",
    "DESCRIPTION": "Civilized-city campaign: command structure, sites, patrols, tickets, volunteers, publicity, bulletins.",  # noqa: E501
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Served by the app itself (drf-spectacular-sidecar): no request leaves the machine.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models have a "kind" or "status"; name their enums so the schema is unambiguous.
    "ENUM_NAME_OVERRIDES": {
        "UnitKindEnum": "campaign.models.Unit.Kind",
        "CommandBodyKindEnum": "campaign.models.CommandBody.Kind",
        "RegionLevelEnum": "campaign.models.Region.Level",
        "EvaluationItemLevelEnum": "evaluation.models.EvaluationItem.Level",
        "EvaluationMethodEnum": "evaluation.models.Method",
        "PatrolKindEnum": "inspections.models.Patrol.Kind",
        "TicketStatusEnum": "inspections.models.Ticket.Status",
        "TicketSourceEnum": "inspections.models.Ticket.Source",
        "BulletinKindEnum": "reports.models.Bulletin.Kind",
        "BulletinStatusEnum": "reports.models.Bulletin.Status",
        "RespondentGroupEnum": "evaluation.models.RespondentGroup",
        "SurveyRateEnum": "evaluation.models.Rate",
        "QuestionKindEnum": "evaluation.models.Question.Kind",
        "SurveyRoundStatusEnum": "evaluation.models.SurveyRound.Status",
    },
}

# --- Maps ------------------------------------------------------------------------------------
# Government networks are often offline: the tile server is a setting. Empty means no base layer
# (markers on a plain background), so no request leaves the machine unless the office sets one.
MAP_TILES_URL = os.environ.get("MAP_TILES_URL", "")
MAP_TILES_ATTRIBUTION = os.environ.get("MAP_TILES_ATTRIBUTION", "")
MAP_CENTER = (float(os.environ.get("MAP_CENTER_LAT", "40.0768")), float(os.environ.get("MAP_CENTER_LNG", "113.3001")))
LEAFLET_CONFIG = {
    "DEFAULT_CENTER": MAP_CENTER,
    "DEFAULT_ZOOM": 13,
    "MIN_ZOOM": 3,
    "MAX_ZOOM": 19,
    # A plain name: translating here (str(_(…))) ran before the apps were loaded and made any MAP_TILES_URL crash
    # at start-up; one tile layer shows no layer switcher, so the name is never displayed.
    "TILES": [("Map", MAP_TILES_URL, {"attribution": MAP_TILES_ATTRIBUTION})] if MAP_TILES_URL else [],
    "RESET_VIEW": False,
}

# --- The campaign ---------------------------------------------------------------------------
CAMPAIGN_ISSUING_BODY = os.environ.get("CAMPAIGN_ISSUING_BODY", "创建全国文明城市指挥部办公室")
CHECKIN_MAX_DISTANCE_M = int(os.environ.get("CHECKIN_MAX_DISTANCE_M", "300"))
# The public activity sign-in page (no account): attempts per address, and per phone number and activity, in
# SIGN_IN_RATE_WINDOW seconds. A whole street team may share one mobile network address, hence the high first number.
SIGN_IN_RATE_PER_ADDRESS = int(os.environ.get("SIGN_IN_RATE_PER_ADDRESS", "60"))
SIGN_IN_RATE_PER_PHONE = int(os.environ.get("SIGN_IN_RATE_PER_PHONE", "5"))
SIGN_IN_RATE_WINDOW = int(os.environ.get("SIGN_IN_RATE_WINDOW", "600"))
RECURRENCE_WINDOW_DAYS = int(os.environ.get("RECURRENCE_WINDOW_DAYS", "30"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# --- Content-Security-Policy and API docs (issue 9, safe defaults) ---------------------------------------------
# django-csp 4: no inline script anywhere (our scripts are static files reading data-* attributes and json_script;
# django-leaflet's map loader carries the request's nonce), no inline style, nothing from other hosts except the
# configured map tiles. Leaflet positions its panes through the CSSOM, which style-src does not restrict.
from csp.constants import NONCE, NONE, SELF  # noqa: E402


def _tile_host(url: str) -> list[str]:
    """The scheme and host of MAP_TILES_URL ("https://{s}.tile.example/{z}/{x}/{y}.png" → "https://*.tile.example")."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if not parts.scheme or not parts.netloc:
        return []
    host = parts.netloc.replace("{s}.", "*.")
    return [f"{parts.scheme}://{host}"]


INSTALLED_APPS += ["csp"]  # noqa: F405
MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1, "csp.middleware.CSPMiddleware")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "blob:", *_tile_host(MAP_TILES_URL)],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
    },
}
# /api/docs/, /api/redoc/ and /api/schema/ only for signed-in users (production turns it on; here they stay open
# so a developer can read the docs without signing in).
API_DOCS_REQUIRE_LOGIN = env_bool("API_DOCS_REQUIRE_LOGIN", False)
# Static files: served by WhiteNoise (DEBUG is off by default, and runserver then serves none); straight from the
# source folders as well, so a checkout that has not run collectstatic still has its styles and scripts.
WHITENOISE_USE_FINDERS = True
# Django's CSRF failure page is English with inline style: ours is the translated 403 page (JSON under /api/).
CSRF_FAILURE_VIEW = "core.errors.csrf_failure"
# --- end of Content-Security-Policy and API docs ---------------------------------------------------------------
# Questionnaire surveys: the rate a question (and a standard) is expected to reach when its question sets no target
# (evaluation.rates.selectors.standard_rates; readiness compares the measured rate with it).
SURVEY_DEFAULT_TARGET = 0.90
