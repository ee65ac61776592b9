"""Project-wide foundations: deploy settings, translation catalogues, compose file, API schema and docs."""

import os
import re
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent.parent


def test_deploy_check_is_clean():
    # The browser fixture sets DJANGO_ALLOW_ASYNC_UNSAFE in this process; a deployment never has it.
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(64),
            "ALLOWED_HOSTS": "cwt.example.gov.cn",
        }
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout, result.stdout + result.stderr
    assert "WARNING" not in result.stdout + result.stderr


def _catalogues():
    found = sorted(ROOT.glob("locale/zh_Hans/LC_MESSAGES/*.po")) + sorted(
        ROOT.glob("*/locale/zh_Hans/LC_MESSAGES/*.po")
    )
    return [p for p in found if ".venv" not in p.parts]


def test_every_chinese_catalogue_is_complete():
    catalogues = _catalogues()
    assert any(p.parts[-5] == "campaign" for p in catalogues), catalogues
    missing = [
        f"{p.relative_to(ROOT)}: {e.msgid!r}"
        for p in catalogues
        for e in polib.pofile(str(p))
        if not e.obsolete and (e.fuzzy or not e.translated())
    ]
    assert not missing, "\n".join(missing)


def test_docker_compose_has_the_production_shape():
    import yaml

    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    services = compose["services"]
    assert {"web", "worker", "beat", "db", "redis"} <= set(services)
    assert services["db"]["image"].startswith("postgres:")
    assert services["redis"]["image"].startswith("redis:")
    assert "gunicorn" in str(services["web"]["command"]) and "config.wsgi" in str(services["web"]["command"])
    assert "migrate" in str(services["web"]["command"]) and "collectstatic" in str(services["web"]["command"])
    assert "worker" in str(services["worker"]["command"])
    assert "django_celery_beat" in str(services["beat"]["command"])
    volumes = set(compose["volumes"])
    db_mounts = [m.split(":")[0] for m in services["db"]["volumes"]]
    web_mounts = [m.split(":")[0] for m in services["web"]["volumes"]]
    assert set(db_mounts) & volumes and set(web_mounts) & volumes
    for name in ("web", "worker", "beat"):
        env = services[name]["environment"]
        for key in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_SETTINGS_MODULE", "MEDIA_ROOT"):
            assert key in env, (name, key)
        assert env["DJANGO_SETTINGS_MODULE"] == "config.settings.production"
    # Let Compose itself validate the file when a client is installed (no engine is needed for `config`).
    for command in (["docker", "compose"], ["docker-compose"]):
        if shutil.which(command[0]) and subprocess.run([*command, "version"], capture_output=True).returncode == 0:
            result = subprocess.run(
                [*command, "config", "-q"],
                cwd=ROOT,
                capture_output=True,
                text=True,
                env={**os.environ, "SECRET_KEY": "x" * 50},
            )
            assert result.returncode == 0, result.stderr
            break


@pytest.mark.django_db
def test_api_schema_and_offline_docs(client, make_user):
    from core.roles import Role

    client.force_login(make_user("leader", Role.LEADER))
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    text = schema.content.decode()
    for path in (
        "/api/v1/regions/",
        "/api/v1/units/",
        "/api/v1/people/",
        "/api/v1/command-bodies/",
        "/api/v1/assignments/",
    ):
        assert path in text
    docs = client.get("/api/docs/")
    assert docs.status_code == 200 and "text/html" in docs["Content-Type"]
    html = docs.content.decode()
    assert "/static/" in html
    foreign = [u for u in re.findall(r"""(?:src|href)=["']([^"']+)""", html) if re.match(r"(https?:)?//", u)]
    assert not foreign, foreign
    assert not re.search(r"https?://(?!testserver)", html.split("<body")[1] if "<body" in html else html)
