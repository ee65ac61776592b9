from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from core.roles import Role

pytestmark = pytest.mark.django_db


def test_idle_session_expires(client, make_user, settings):
    make_user("office", Role.OFFICE)
    client.post(reverse("core:login"), {"username": "office", "password": "demo-pass-2024"})
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE
    assert client.get(reverse("core:notifications")).status_code == 200
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(reverse("core:notifications"))
    assert response.status_code == 302 and reverse("core:login") in response["Location"]


def test_token_endpoint_is_locked_too(client, make_user, settings):
    make_user("office", Role.OFFICE)
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        assert client.post("/api/v1/auth/token/", {"username": "office", "password": "bad-pass-123"}).status_code == 400
    response = client.post(
        "/api/v1/auth/token/", {"username": "office", "password": "demo-pass-2024"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 403
    assert "locked" in response.json()["detail"]


def test_missing_token_fields_answer_400_with_field_messages(client):
    response = client.post("/api/v1/auth/token/", {"username": "office"})
    assert response.status_code == 400
    assert "password" in response.json()


def test_not_found_page_is_translated(client, make_user, settings):
    settings.DEBUG = False
    make_user("office", Role.OFFICE)
    client.force_login(make_user("someone", Role.LEADER))
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "不存在" in response.content.decode()


def test_media_needs_sign_in(client):
    assert client.get("/media/tickets/anything.jpg").status_code == 302
