"""Issue 9, accounts: /admin/ sign-in lockout (finding 4), expiring and revocable API tokens (finding 9), the
security log, password change and first-sign-in change (finding 10)."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from core.models import ApiToken, LoginLock, SecurityEvent, User
from core.roles import Role

pytestmark = pytest.mark.django_db

PASSWORD = "demo-pass-2024"
AGENT = "Mozilla/5.0 (attack-test) " + "x" * 400
ADDRESS = "203.0.113.9"


def admin_login(client, username, password):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password},
        REMOTE_ADDR=ADDRESS,
        HTTP_USER_AGENT=AGENT,
    )


def get_token(client, username="office", password=PASSWORD):
    response = client.post(
        "/api/v1/auth/token/", {"username": username, "password": password}, REMOTE_ADDR=ADDRESS, HTTP_USER_AGENT=AGENT
    )
    assert response.status_code == 200, response.content
    return response.json()["token"]


def me(client, token, lang="en"):
    return client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}", HTTP_ACCEPT_LANGUAGE=lang)


@pytest.fixture
def staff(make_user):
    return make_user("office", Role.OFFICE, is_staff=True, is_superuser=True)


# --- Finding 4: /admin/login/ goes through the lockout ------------------------------------------------------


def test_admin_login_failures_count_and_lock_the_account(client, staff, settings):
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        response = admin_login(client, "office", "wrong-password-1")
        assert response.status_code == 200
        assert "_auth_user_id" not in client.session
    assert LoginLock.objects.get(username="office").locked_until is not None
    # The right password no longer opens the admin: the account is locked.
    response = admin_login(client, "office", PASSWORD)
    assert "_auth_user_id" not in client.session
    assert "已锁定" in response.content.decode()
    assert client.get("/admin/").status_code == 302


def test_a_user_locked_on_the_sign_in_page_cannot_use_the_admin(client, staff, settings):
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        client.post(reverse("core:login"), {"username": "office", "password": "wrong-password-1"})
    admin_login(client, "office", PASSWORD)
    assert "_auth_user_id" not in client.session


def test_admin_login_still_works_and_still_wants_staff(client, staff, make_user):
    make_user("leader", Role.LEADER)
    admin_login(client, "leader", PASSWORD)
    assert "_auth_user_id" not in client.session  # not staff: refused as before
    response = admin_login(client, "office", PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(staff.pk)


# --- Finding 9: tokens expire and are revoked -----------------------------------------------------------------


def test_token_contract_and_only_a_digest_is_stored(client, staff):
    token = get_token(client)
    assert me(client, token).json()["username"] == "office"
    stored = ApiToken.objects.get(user=staff)
    assert stored.digest != token and token not in stored.digest and stored.prefix == token[:8]


def test_token_expires_when_idle(client, staff, settings):
    token = get_token(client)
    assert me(client, token).status_code == 200
    ApiToken.objects.update(
        last_used_at=timezone.now() - timedelta(minutes=settings.API_TOKEN_IDLE_MINUTES + 1),
        created_at=timezone.now() - timedelta(minutes=settings.API_TOKEN_IDLE_MINUTES + 2),
    )
    response = me(client, token)
    assert response.status_code == 401
    assert "expired" in response.json()["detail"]
    assert "过期" in me(client, token, lang="zh-hans").json()["detail"]


def test_token_in_use_expires_after_its_absolute_lifetime(client, staff, settings):
    token = get_token(client)
    # Used a moment ago (never idle), but issued longer ago than the absolute lifetime.
    ApiToken.objects.update(
        created_at=timezone.now() - timedelta(hours=settings.API_TOKEN_MAX_HOURS, minutes=1),
        last_used_at=timezone.now(),
    )
    response = me(client, token)
    assert response.status_code == 401
    assert "expired" in response.json()["detail"]


def test_use_keeps_a_token_alive_but_last_used_is_written_at_most_once_a_minute(client, staff, settings):
    token = get_token(client)
    assert me(client, token).status_code == 200
    first = ApiToken.objects.get().last_used_at
    assert first is not None
    assert me(client, token).status_code == 200
    assert ApiToken.objects.get().last_used_at == first  # no write on every request
    # Idle for most of the allowance, then used: the idle clock starts again.
    almost = timezone.now() - timedelta(minutes=settings.API_TOKEN_IDLE_MINUTES - 1)
    ApiToken.objects.update(last_used_at=almost)
    assert me(client, token).status_code == 200
    assert ApiToken.objects.get().last_used_at > almost


def test_lockout_revokes_tokens(client, staff, settings):
    token = get_token(client)
    assert me(client, token).status_code == 200
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        client.post(reverse("core:login"), {"username": "office", "password": "wrong-password-1"})
    response = me(client, token)
    assert response.status_code == 401
    assert "revoked" in response.json()["detail"]
    assert ApiToken.objects.get().revoked_because == ApiToken.RevokedBecause.LOCKOUT


def test_deactivation_in_the_admin_revokes_tokens(client, staff, make_user):
    leader = make_user("leader", Role.LEADER)
    token = get_token(client, "leader")
    assert me(client, token).status_code == 200
    client.force_login(staff)
    leader.is_active = False
    leader.save()
    response = me(client, token)
    assert response.status_code == 401
    assert ApiToken.objects.get(user=leader).revoked_because == ApiToken.RevokedBecause.DEACTIVATED
    # Reactivating does not bring the old token back.
    leader.is_active = True
    leader.save()
    assert me(client, token).status_code == 401


@pytest.mark.parametrize("path", ["page", "admin", "set_password"])
def test_password_change_revokes_tokens(client, staff, make_user, path):
    leader = make_user("leader", Role.LEADER)
    token = get_token(client, "leader")
    assert me(client, token).status_code == 200
    if path == "page":
        client.force_login(leader)
        response = client.post(
            reverse("core:password_change"),
            {"old_password": PASSWORD, "new_password1": "new-secret-2025x", "new_password2": "new-secret-2025x"},
        )
        assert response.status_code == 302
    elif path == "admin":
        client.force_login(staff)
        response = client.post(
            f"/admin/core/user/{leader.pk}/password/",
            {"password1": "temp-pass-2025x", "password2": "temp-pass-2025x", "usable_password": "true"},
        )
        assert response.status_code == 302, response.content.decode()[:2000]
    else:
        leader.set_password("shell-pass-2025x")
        leader.save()
    response = me(client, token)
    assert response.status_code == 401
    assert ApiToken.objects.get(user=leader).revoked_because == ApiToken.RevokedBecause.PASSWORD
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.PASSWORD_CHANGE, user=leader).count() == 1
    # A fresh token works again with the new password.
    new_password = {"page": "new-secret-2025x", "admin": "temp-pass-2025x", "set_password": "shell-pass-2025x"}[path]
    if path != "admin":  # the admin's password is temporary: the API refuses it until changed
        assert me(client, get_token(client, "leader", new_password)).status_code == 200


def test_password_rehash_on_sign_in_is_not_a_change(client, staff, settings):
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    token = get_token(client)  # the MD5 hash is upgraded to PBKDF2 during this sign-in
    assert User.objects.get(pk=staff.pk).password.startswith("pbkdf2")
    assert me(client, token).status_code == 200
    assert not SecurityEvent.objects.filter(kind=SecurityEvent.Kind.PASSWORD_CHANGE).exists()


def test_unknown_token_is_401(client):
    assert me(client, "0" * 40).status_code == 401


def test_token_endpoint_refuses_overlong_names_with_400(client):
    response = client.post("/api/v1/auth/token/", {"username": "x" * 5000, "password": "p"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and "username" in response.json()
    assert not LoginLock.objects.exists()


# --- Finding 10: security log ---------------------------------------------------------------------------------


def kinds(**filters):
    return list(SecurityEvent.objects.filter(**filters).order_by("id").values_list("kind", flat=True))


def test_each_event_is_logged_once_with_address_and_agent(client, staff, settings):
    K = SecurityEvent.Kind
    meta = {"REMOTE_ADDR": ADDRESS, "HTTP_USER_AGENT": AGENT}
    client.post(reverse("core:login"), {"username": "office", "password": PASSWORD}, **meta)
    client.post(reverse("core:logout"), **meta)
    client.post(reverse("core:login"), {"username": "nobody", "password": "wrong-password-1"}, **meta)
    admin_login(client, "office", PASSWORD)
    client.post(reverse("core:logout"), **meta)
    get_token(client)
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        client.post("/api/v1/auth/token/", {"username": "office", "password": "wrong-password-1"}, **meta)
    assert kinds() == [
        K.SIGN_IN,
        K.SIGN_OUT,
        K.SIGN_IN_FAILED,
        K.SIGN_IN,
        K.SIGN_OUT,
        K.TOKEN_ISSUED,
        *[K.SIGN_IN_FAILED] * settings.LOGIN_FAILURE_LIMIT,
        K.LOCKOUT,
        K.TOKEN_REVOKED,
    ]
    for event in SecurityEvent.objects.all():
        assert event.ip_address == ADDRESS
        assert event.user_agent == AGENT[:300]
    unknown = SecurityEvent.objects.get(username="nobody")
    assert unknown.user is None and unknown.detail == "unknown_username"
    assert set(SecurityEvent.objects.exclude(username="nobody").values_list("user", flat=True)) == {staff.pk}
    # A locked account's refused attempt is logged too.
    client.post(reverse("core:login"), {"username": "office", "password": PASSWORD}, **meta)
    assert SecurityEvent.objects.latest("id").detail == "locked"


def test_password_change_is_logged_with_who_did_it(client, staff, make_user):
    leader = make_user("leader", Role.LEADER)
    client.force_login(staff)
    client.post(
        f"/admin/core/user/{leader.pk}/password/",
        {"password1": "temp-pass-2025x", "password2": "temp-pass-2025x", "usable_password": "true"},
        REMOTE_ADDR=ADDRESS,
        HTTP_USER_AGENT=AGENT,
    )
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.PASSWORD_CHANGE)
    assert event.user == leader and event.detail == "by office"
    assert event.ip_address == ADDRESS and event.user_agent.startswith("Mozilla/5.0 (attack-test)")


def test_security_log_page_is_office_only_with_filters(client, staff, make_user):
    for username in ("leader", "unit", "supervisor"):
        role = {"leader": Role.LEADER, "unit": Role.UNIT, "supervisor": Role.SUPERVISOR}[username]
        client.force_login(make_user(username, role))
        assert client.get(reverse("core:security_log")).status_code == 403
        assert client.get(reverse("core:security_log_export")).status_code == 403
    client.logout()
    assert client.get(reverse("core:security_log")).status_code == 302  # to the sign-in page
    client.post(reverse("core:login"), {"username": "ghost", "password": "wrong-password-1"}, REMOTE_ADDR=ADDRESS)
    client.force_login(staff)
    page = client.get(reverse("core:security_log"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "ghost" in text and ADDRESS in text and "登录失败" in text
    filtered = client.get(reverse("core:security_log"), {"kind": "sign_in_failed"}, HTTP_HX_REQUEST="true")
    assert filtered.status_code == 200
    assert "ghost" in filtered.content.decode() and "<html" not in filtered.content.decode()
    other = client.get(reverse("core:security_log"), {"user": "someone-else"})
    assert "ghost" not in other.content.decode()
    by_address = client.get(reverse("core:security_log"), {"ip_address": "203.0.113", "kind": "sign_in_failed"})
    assert "ghost" in by_address.content.decode()
    assert "ghost" not in client.get(reverse("core:security_log"), {"ip_address": "10.1."}).content.decode()
    today = timezone.localdate().isoformat()
    assert "ghost" in client.get(reverse("core:security_log"), {"start": today, "end": today}).content.decode()
    assert "ghost" not in client.get(reverse("core:security_log"), {"end": "2020-01-01"}).content.decode()
    bad = client.get(reverse("core:security_log"), {"kind": "nonsense", "start": "2024-13-45"})
    assert bad.status_code == 400
    assert client.get(reverse("core:security_log"), {"start": "9999-12-31", "end": "9999-12-31"}).status_code == 200


@pytest.mark.parametrize("page_size", [20, 50])
def test_security_log_page_query_count_does_not_grow_with_the_page(
    client, staff, make_user, page_size, django_assert_num_queries
):
    from core.services import security_event_record

    others = [make_user(f"user{i}", Role.LEADER) for i in range(5)]
    for i in range(120):
        security_event_record(kind=SecurityEvent.Kind.SIGN_IN, user=others[i % 5])
    client.force_login(staff)
    # session, user, unread notifications, count, the page with its users joined, the session saved (3)
    with django_assert_num_queries(8):
        response = client.get(reverse("core:security_log"), {"page_size": page_size, "page": 2})
    assert response.status_code == 200


def test_security_log_export_follows_the_filter(client, staff):
    client.post(
        reverse("core:login"),
        {"username": "ghost", "password": "wrong-password-1"},
        REMOTE_ADDR=ADDRESS,
        HTTP_USER_AGENT=AGENT,
    )
    client.force_login(staff)
    response = client.get(reverse("core:security_log_export"), {"kind": "sign_in_failed"})
    assert response.status_code == 200
    rows = list(load_workbook(BytesIO(response.content)).worksheets[0].iter_rows(values_only=True))
    assert len(rows) == 2
    assert rows[1][1] == "登录失败" and rows[1][2] == "ghost" and rows[1][4] == ADDRESS
    assert rows[1][6] == "用户名不存在"
    empty = client.get(reverse("core:security_log_export"), {"kind": "lockout"})
    assert len(list(load_workbook(BytesIO(empty.content)).worksheets[0].iter_rows())) == 1
    assert client.get(reverse("core:security_log_export"), {"start": "not-a-date"}).status_code == 400


def test_retention_purge_keeps_at_least_180_days(settings):
    from core.services import security_log_purge

    old = SecurityEvent.objects.create(kind=SecurityEvent.Kind.SIGN_IN, username="a")
    kept = SecurityEvent.objects.create(kind=SecurityEvent.Kind.SIGN_IN, username="b")
    SecurityEvent.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=181))
    SecurityEvent.objects.filter(pk=kept.pk).update(created_at=timezone.now() - timedelta(days=179))
    settings.SECURITY_LOG_RETENTION_DAYS = 30  # too short: raised to 180
    assert security_log_purge() == 1
    assert list(SecurityEvent.objects.values_list("username", flat=True)) == ["b"]


def test_purge_is_scheduled_nightly():
    from django_celery_beat.models import PeriodicTask

    from core.tasks import purge_security_log

    task = PeriodicTask.objects.get(task="core.purge_security_log")
    assert task.enabled and task.crontab.hour == "3"
    assert purge_security_log.name == task.task
    old = SecurityEvent.objects.create(kind=SecurityEvent.Kind.SIGN_IN, username="a")
    SecurityEvent.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=400))
    assert purge_security_log.delay().get() == 1


# --- Finding 10: password change page and first-sign-in change ------------------------------------------------


def test_every_user_can_change_their_password(client, make_user):
    user = make_user("unit", Role.UNIT)
    client.force_login(user)
    page = client.get(reverse("core:notifications"))
    assert reverse("core:password_change") in page.content.decode()  # the link in the top bar
    wrong = client.post(
        reverse("core:password_change"),
        {"old_password": "not-my-password-1", "new_password1": "new-secret-2025x", "new_password2": "new-secret-2025x"},
    )
    assert wrong.status_code == 400
    assert "当前密码不正确" in wrong.content.decode()
    weak = client.post(
        reverse("core:password_change"),
        {"old_password": PASSWORD, "new_password1": "short", "new_password2": "short"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert weak.status_code == 400
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    ok = client.post(
        reverse("core:password_change"),
        {"old_password": PASSWORD, "new_password1": "new-secret-2025x", "new_password2": "new-secret-2025x"},
    )
    assert ok.status_code == 302
    user.refresh_from_db()
    assert user.check_password("new-secret-2025x")
    assert client.get(reverse("core:notifications")).status_code == 200  # this session stays signed in


def test_temporary_password_must_be_changed_at_first_sign_in(client, staff):
    client.force_login(staff)
    response = client.post(
        "/admin/core/user/add/",
        {
            "username": "newcomer",
            "password1": "temp-pass-2025x",
            "password2": "temp-pass-2025x",
            "usable_password": "true",
            "role": Role.SUPERVISOR,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    newcomer = User.objects.get(username="newcomer")
    assert newcomer.must_change_password
    client.logout()
    client.post(reverse("core:login"), {"username": "newcomer", "password": "temp-pass-2025x"})
    for path in (reverse("core:notifications"), reverse("core:home"), "/inspections/sites/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"] == reverse("core:password_change")
    api = client.get("/api/v1/me/", HTTP_ACCEPT_LANGUAGE="en")
    assert api.status_code == 403 and "temporary" in api.json()["detail"]
    token = get_token(client, "newcomer", "temp-pass-2025x")
    refused = me(client, token)
    assert refused.status_code == 403 and "temporary" in refused.json()["detail"]
    assert client.get(reverse("core:password_change")).status_code == 200
    client.post(
        reverse("core:password_change"),
        {"old_password": "temp-pass-2025x", "new_password1": "my-own-pass-2025", "new_password2": "my-own-pass-2025"},
    )
    newcomer.refresh_from_db()
    assert not newcomer.must_change_password
    assert client.get(reverse("core:notifications")).status_code == 200
    assert me(client, get_token(client, "newcomer", "my-own-pass-2025")).status_code == 200


def test_demo_accounts_do_not_have_to_change_their_password(make_user):
    # CONTRACT.md: the demo accounts keep working with demo-pass-2024; the flag is off unless the office sets it.
    assert User._meta.get_field("must_change_password").default is False


# --- Finding 10: users' roles and scopes keep history with who changed them -------------------------------------


def test_role_and_unit_changes_in_the_admin_are_recorded_with_the_actor(client, staff, make_user):
    from campaign import services
    from campaign.models import Region, Unit

    city = services.region_create(actor=staff, name="大同市", code="C1", level=Region.Level.CITY)
    unit = services.unit_create(actor=staff, name="城管局", code="U1", kind=Unit.Kind.DEPARTMENT, region=city)
    leader = make_user("leader", Role.LEADER)
    client.force_login(staff)
    response = client.post(
        f"/admin/core/user/{leader.pk}/change/",
        {
            "username": "leader",
            "role": Role.UNIT,
            "unit": unit.pk,
            "is_active": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
            "must_change_password": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    record = leader.history.latest()
    assert record.role == Role.UNIT and record.unit_id == unit.pk and record.history_user == staff


def test_a_supervisors_scope_changes_are_recorded_with_the_actor(client, staff, make_user):
    """A supervisor's scope is the regions of their command bodies (campaign.selectors.region_ids_in_scope): joining
    or leaving a body is a Membership row, whose history names who added or removed it."""
    from datetime import date

    from campaign import services
    from campaign.models import Campaign, CommandBody, Membership, Region
    from campaign.selectors import region_ids_in_scope

    supervisor = make_user("supervisor", Role.SUPERVISOR)
    city = services.region_create(actor=staff, name="大同市", code="C1", level=Region.Level.CITY)
    street = services.region_create(actor=staff, name="南关街道", code="S1", level=Region.Level.DISTRICT, parent=city)
    campaign = Campaign.objects.create(name="创城", start_date=date(2026, 1, 1))
    hq = services.command_body_create(actor=staff, campaign=campaign, name="指挥部", kind=CommandBody.Kind.HEADQUARTERS)
    body = services.command_body_create(
        actor=staff,
        campaign=campaign,
        name="督导一组",
        kind=CommandBody.Kind.SUPERVISION_GROUP,
        parent=hq,
        regions=[street],
    )
    person = services.person_create(actor=staff, name="督导员甲", user=supervisor)
    assert region_ids_in_scope(User.objects.get(pk=supervisor.pk)) == set()
    client.force_login(staff)
    client.post(
        reverse("campaign:membership_add", args=[body.pk]), {"person": person.pk, "role": "member", "sort_order": 0}
    )
    assert region_ids_in_scope(User.objects.get(pk=supervisor.pk)) == {street.pk}  # the next request
    membership = Membership.objects.get(person=person)
    added = Membership.history.get(id=membership.pk, history_type="+")
    assert added.history_user == staff
    client.post(reverse("campaign:membership_remove", args=[membership.pk]))
    assert Membership.history.get(id=membership.pk, history_type="-").history_user == staff
    assert region_ids_in_scope(User.objects.get(pk=supervisor.pk)) == set()
