# 创文通: one image for web (gunicorn), Celery worker and beat. Fonts and Pango for WeasyPrint's Chinese PDFs,
# gettext for the translation catalogues. No asset is fetched at run time (no CDN).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production

RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-wqy-microhei libpango-1.0-0 libpangoft2-1.0-0 gettext \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
# Dependencies first, exactly as locked (`make lock` compiles requirements/production.txt from pyproject.toml;
# the project itself installs no package), then the code.
COPY requirements/production.txt ./requirements/
RUN pip install --require-hashes -r requirements/production.txt
COPY . .
# Catalogues are compiled into the image; settings need a key to import, not a real one.
RUN SECRET_KEY=build-only DJANGO_SETTINGS_MODULE=config.settings.base \
    python manage.py compilemessages --ignore=.venv -v0 \
    && useradd --system --uid 1000 --home /app cwt \
    && mkdir -p /data/media /app/staticfiles /app/var \
    && chown -R cwt /data/media /app/staticfiles /app/var

USER cwt
VOLUME ["/data/media"]
EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "120"]
