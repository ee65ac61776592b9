"""Issue 9, safe defaults (findings 3 and 12): DEBUG off unless asked for, a SECRET_KEY of the installation's
own, translated error pages that show nothing technical, JSON errors in the API, a Content-Security-Policy
without inline script on every page, and the API docs behind sign-in when the setting says so."""

import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from core.roles import Role

ROOT = Path(__file__).resolve().parent.parent.parent
OLD_PUBLIC_KEY = "dev-only-insecure-key-change-me-in-production-0123456789"


def settings_in_subprocess(tmp_path, code, **env):
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE"}}
    clean.update({"DJANGO_SETTINGS_MODULE": "config.settings.base", "VAR_DIR": str(tmp_path)}, **env)
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); from django.conf import settings; " + code],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_debug_is_off_unless_asked_for(tmp_path):
    assert settings_in_subprocess(tmp_path, "print(settings.DEBUG)") == "False"
    assert settings_in_subprocess(tmp_path, "print(settings.DEBUG)", DEBUG="true") == "True"


def test_secret_key_is_generated_once_kept_private_and_reused(tmp_path):
    first = settings_in_subprocess(tmp_path, "print(settings.SECRET_KEY)")
    key_file = tmp_path / "secret_key"
    assert key_file.read_text().strip() == first
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(first) >= 50 and first != OLD_PUBLIC_KEY
    assert settings_in_subprocess(tmp_path, "print(settings.SECRET_KEY)") == first  # the same on the next run
    assert (
        settings_in_subprocess(tmp_path, "print(settings.SECRET_KEY)", SECRET_KEY="from-the-environment")
        == "from-the-environment"
    )
    assert list(tmp_path.glob(".secret_key.*")) == []  # no temporary file left behind
    other = tmp_path / "other"
    assert settings_in_subprocess(other, "print(settings.SECRET_KEY)") != first  # each installation its own


def test_production_still_insists_on_the_environment_variable(tmp_path):
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY"}}
    clean.update({"DJANGO_SETTINGS_MODULE": "config.settings.production", "VAR_DIR": str(tmp_path)})
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


@pytest.mark.django_db
@pytest.mark.urls("tests.core.boom_urls")
def test_a_failing_page_answers_the_translated_500_page_without_the_environment(settings):
    assert settings.DEBUG is False
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "系统出了错误" in html and "<html" in html
    for technical in ("DATABASE_URL", "Traceback", "RuntimeError", "boom"):
        assert technical not in html
    english = client.get("/boom/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Something went wrong on our side" in english


@pytest.mark.django_db
@pytest.mark.urls("tests.core.boom_urls")
def test_a_failing_api_call_answers_json(make_user):
    client = Client(raise_request_exception=False)
    client.force_login(make_user("unit", Role.UNIT))
    response = client.post("/api/v1/boom/")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert "boom" not in response.content.decode()
    assert response.json()["detail"]
    missing = client.get("/api/no-such-thing")
    assert missing.status_code == 404 and missing["Content-Type"] == "application/json"
    # The example: no technical page, whatever the answer.
    attack = client.post("/api/v1/patrols/abc/finish/")
    assert attack.status_code < 500 and attack["Content-Type"] == "application/json"
    assert "DATABASE_URL" not in attack.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path, code, words", [("/no-such-page/", 404, "不存在"), ("/campaign/units/new/", 403, "无权")]
)
def test_403_and_404_pages_are_translated(client, make_user, path, code, words):
    client.force_login(make_user("leader", Role.LEADER))
    response = client.get(path)
    assert response.status_code == code
    assert words in response.content.decode()


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")([^>]*)>", re.I)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
STYLE_ATTRIBUTE = re.compile(r"<[^>]+\sstyle\s*=", re.I)
PAGES = [
    "/",
    "/inspections/tickets/",
    "/inspections/map/",
    "/inspections/sites/map/",
    "/campaign/people/",
    "/campaign/units/",
    "/campaign/org/",
    "/publicity/assets/map/",
    "/volunteers/people/",
    "/no-such-page/",
    "/api/docs/",
    "/api/redoc/",
]


@pytest.mark.django_db
def test_every_page_has_a_content_security_policy_without_inline_script(client, make_user):
    client.force_login(make_user("office", Role.OFFICE))
    for path in PAGES:
        response = client.get(path, follow=True)
        assert response.status_code in (200, 404), (path, response.status_code)
        policy = response["Content-Security-Policy"]
        directives = dict((d.strip().split(" ", 1) + [""])[:2] for d in policy.split(";") if d.strip())
        assert directives["default-src"] == "'self'"
        assert "'unsafe-inline'" not in directives["script-src"] and "'unsafe-eval'" not in policy, (path, policy)
        if path == "/api/redoc/":  # Redoc writes <style> elements it cannot give a nonce: style only, that page only
            assert directives["style-src"] == "'self' 'unsafe-inline'"
        else:
            assert "'unsafe-inline'" not in policy, (path, policy)
        assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"
        assert directives["base-uri"] == "'self'" and directives["form-action"] == "'self'"
        html = response.content.decode()
        nonce = re.search(r"'nonce-([^']+)'", directives["script-src"])
        for attributes in INLINE_SCRIPT.findall(html):
            assert nonce and f'nonce="{nonce.group(1)}"' in attributes, (path, attributes)
        assert not INLINE_HANDLER.findall(html), (path, INLINE_HANDLER.findall(html))
        assert not STYLE_ATTRIBUTE.findall(html), (path, STYLE_ATTRIBUTE.findall(html))
        assert "<style" not in html, path


def test_map_tile_host_is_allowed_for_images_only_when_configured(tmp_path):
    code = "print(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'])"
    assert settings_in_subprocess(tmp_path, code, MAP_TILES_URL="") == """["'self'", 'data:', 'blob:']"""
    tiles = settings_in_subprocess(tmp_path, code, MAP_TILES_URL="https://{s}.tiles.example.gov.cn/{z}/{x}/{y}.png")
    assert "https://*.tiles.example.gov.cn" in tiles
    assert "tiles.example" not in settings_in_subprocess(
        tmp_path,
        "print(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['script-src'])",
        MAP_TILES_URL="https://{s}.tiles.example.gov.cn/{z}/{x}/{y}.png",
    )


@pytest.mark.django_db
def test_api_docs_and_schema_behind_sign_in_when_the_setting_says_so(client, make_user, settings):
    settings.API_DOCS_REQUIRE_LOGIN = True
    assert client.get("/api/schema/").status_code in (401, 403)
    for path in ("/api/docs/", "/api/redoc/"):
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response["Location"], path
    client.force_login(make_user("unit", Role.UNIT))
    assert client.get("/api/schema/").status_code == 200
    assert client.get("/api/docs/").status_code == 200
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()
    client.logout()
    settings.API_DOCS_REQUIRE_LOGIN = False
    assert client.get("/api/schema/").status_code == 200
    assert client.get("/api/docs/").status_code == 200


def test_production_requires_sign_in_for_the_docs():
    text = (ROOT / "config/settings/production.py").read_text()
    assert 'API_DOCS_REQUIRE_LOGIN = env_bool("API_DOCS_REQUIRE_LOGIN", True)' in text


# Templates that WeasyPrint renders to PDF (core.pdf) are never served to a browser: their <style> is fine.
PDF_TEMPLATES = (
    "campaign/templates/campaign/demo_letter.html",
    "inspections/templates/inspections/documents/",
    "inspections/templates/inspections/patrols/patrol_sheet.html",
    "reports/templates/reports/pdf/",
    "evaluation/templates/evaluation/readiness/pdf/",
)


def test_no_template_has_inline_script_handlers_or_style():
    """Every page template, including the ones added later: scripts are static files (data-* attributes,
    json_script), behaviours are bound by static/js/app.js, styles are classes."""
    patterns = {
        "inline script": re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.I),
        "event handler attribute": INLINE_HANDLER,
        "style attribute": STYLE_ATTRIBUTE,
        "style element": re.compile(r"<style\b", re.I),
    }
    found = []
    for path in sorted(ROOT.glob("**/templates/**/*.html")):
        relative = path.relative_to(ROOT).as_posix()
        if relative.startswith((".venv/", "staticfiles/", "node_modules/")) or relative.startswith(PDF_TEMPLATES):
            continue
        text = path.read_text(encoding="utf-8")
        found += [
            f"{relative}: {name}: {match}" for name, pattern in patterns.items() for match in pattern.findall(text)
        ]
    assert not found, "\n".join(found)


@pytest.mark.django_db
def test_a_refused_form_answers_the_translated_403_page(make_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user("office", Role.OFFICE))
    response = client.post("/campaign/units/new/", {"name": "x"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "表单已过期" in html and "<style" not in html
    assert "Content-Security-Policy" in response
    api = client.post("/api/v1/units/", {"name": "x"})
    assert api.status_code == 403 and api["Content-Type"] == "application/json"
