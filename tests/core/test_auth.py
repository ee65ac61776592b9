import pytest
from django.urls import reverse

from core.models import LoginLock
from core.roles import Role

pytestmark = pytest.mark.django_db


def login(client, username, password, lang="zh-hans"):
    return client.post(reverse("core:login"), {"username": username, "password": password}, HTTP_ACCEPT_LANGUAGE=lang)


def test_sign_in_and_out(client, make_user):
    make_user("office", Role.OFFICE)
    response = login(client, "office", "demo-pass-2024")
    assert response.status_code == 302
    assert client.get(reverse("core:notifications")).status_code == 200
    client.post(reverse("core:logout"))
    assert client.get(reverse("core:notifications")).status_code == 302


def test_wrong_password_is_refused_in_chinese_and_english(client, make_user):
    make_user("office", Role.OFFICE)
    response = login(client, "office", "wrong-password-1")
    assert response.status_code == 200
    assert "用户名或密码错误" in response.content.decode()
    response = login(client, "office", "wrong-password-1", lang="en")
    assert "Wrong username or password." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_lockout_after_repeated_failures_even_with_the_right_password(client, make_user, settings):
    make_user("office", Role.OFFICE)
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        login(client, "office", "wrong-password-1")
    response = login(client, "office", "demo-pass-2024")
    assert "_auth_user_id" not in client.session
    assert "已锁定" in response.content.decode()
    assert LoginLock.objects.get(username="office").locked_until is not None


def test_token_api_and_me(client, make_user):
    user = make_user("office", Role.OFFICE)
    response = client.post("/api/v1/auth/token/", {"username": "office", "password": "demo-pass-2024"})
    assert response.status_code == 200
    token = response.json()["token"]
    me = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}").json()
    assert me == {
        "id": user.id,
        "username": "office",
        "name": "office",
        "role": "office",
        "unit": None,
        "regions": None,
    }
    bad = client.post("/api/v1/auth/token/", {"username": "office", "password": "nope-nope-1"})
    assert bad.status_code == 400
    assert client.get("/api/v1/me/").status_code in (401, 403)


def test_password_rules(make_user):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        validate_password("onlyletters")
    with pytest.raises(ValidationError):
        validate_password("short1")
    validate_password("demo-pass-2024")


def test_user_changes_are_kept_in_history(make_user):
    user = make_user("office", Role.OFFICE)
    user.role = Role.LEADER
    user.save()
    assert list(user.history.values_list("role", flat=True)) == ["leader", "office"]
