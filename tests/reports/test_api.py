"""/api/v1/bulletins/: list and detail (scope: non-office see published only), POST → 202, publish, retry."""

from datetime import timedelta

import pytest
from rest_framework.test import APIClient

from core.roles import Role
from reports import services
from reports.models import Bulletin

from .test_pages import make_bulletins

pytestmark = pytest.mark.django_db
URL = "/api/v1/bulletins/"


@pytest.fixture
def api():
    return APIClient()


def test_post_answers_202_and_reuses_the_period(api, office, week, django_capture_on_commit_callbacks):
    api.force_authenticate(office)
    with django_capture_on_commit_callbacks() as callbacks:
        response = api.post(URL, {"kind": "weekly", "period_start": week.isoformat()}, format="json")
    assert response.status_code == 202, response.content
    body = response.json()
    assert (body["status"], body["number"], body["pdf"], body["figures"]) == ("queued", 1, None, {})
    assert len(callbacks) == 1
    again = api.post(URL, {"kind": "weekly", "period_start": (week + timedelta(days=2)).isoformat()}, format="json")
    assert again.status_code == 202 and again.json()["id"] == body["id"]
    assert Bulletin.objects.count() == 1


def test_bad_input_is_400_with_field_messages(api, office, week):
    api.force_authenticate(office)
    response = api.post(
        URL, {"kind": "yearly", "period_start": "2026-13-01"}, format="json", HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert response.status_code == 400 and set(response.json()) == {"kind", "period_start"}
    response = api.post(URL, {"kind": "special", "period_start": week.isoformat()}, format="json")
    assert response.status_code == 400 and response.json() == {"title": ["专报需要填写标题。"]}
    future = (week + timedelta(days=30)).isoformat()
    response = api.post(URL, {"kind": "daily", "period_start": future}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and "not started" in response.json()["period_start"][0]
    assert not Bulletin.objects.exists()


def test_non_office_cannot_post_and_sees_published_only(api, office, make_user, week):
    published = make_bulletins(office, week, 1)[0]
    draft = services.bulletin_request(actor=office, kind="weekly", period_start=week)
    for role in (Role.LEADER, Role.UNIT, Role.SUPERVISOR):
        user = make_user(f"api-{role}", role)
        api.force_authenticate(user)
        assert api.post(URL, {"kind": "weekly", "period_start": week.isoformat()}, format="json").status_code == 403
        assert [b["id"] for b in api.get(URL).json()["results"]] == [published.pk]
        assert api.get(f"{URL}{draft.pk}/").status_code == 404
        assert api.post(f"{URL}{draft.pk}/publish/").status_code == 404
        assert api.post(f"{URL}{published.pk}/retry/").status_code == 403
    assert Bulletin.objects.count() == 2


def test_detail_has_the_figures_and_the_pdf(api, scenario, office, week):
    bulletin = services.bulletin_request(actor=office, kind="weekly", period_start=week)
    services.bulletin_generate(bulletin_id=bulletin.pk)
    api.force_authenticate(office)
    body = api.get(f"{URL}{bulletin.pk}/").json()
    assert body["status"] == "ready" and body["figures"]["headline"]["found"] == 10
    assert body["pdf"].endswith(f"/api/v1/bulletins/{bulletin.pk}/pdf/")
    assert api.get(body["pdf"]).status_code == 200
    published = api.post(f"{URL}{bulletin.pk}/publish/")
    assert published.status_code == 200 and published.json()["is_published"]
    assert api.post(f"{URL}{bulletin.pk}/publish/").status_code == 409
    assert api.post(f"{URL}{bulletin.pk}/retry/").status_code == 409


def test_retry_a_failed_bulletin(api, office, week):
    bulletin = services.bulletin_request(actor=office, kind="daily", period_start=week)
    Bulletin.objects.filter(pk=bulletin.pk).update(status="failed", failure_reason="boom")
    api.force_authenticate(office)
    failed = api.get(URL, {"status": "failed"}).json()["results"]
    assert [b["failure_reason"] for b in failed] == ["boom"]
    response = api.post(f"{URL}{bulletin.pk}/retry/")
    assert response.status_code == 202 and response.json()["status"] == "queued"


def test_filters(api, office, week):
    make_bulletins(office, week, 2)
    services.bulletin_request(actor=office, kind="weekly", period_start=week)
    api.force_authenticate(office)
    assert api.get(URL, {"kind": "weekly"}).json()["count"] == 1
    assert api.get(URL, {"kind": "daily", "status": "ready"}).json()["count"] == 2
    assert api.get(URL, {"year": week.year + 5}).json()["count"] == 0


@pytest.mark.parametrize("page_size", [5, 20])
def test_list_query_count(api, office, week, page_size, django_assert_num_queries):
    make_bulletins(office, week, 25)
    api.force_authenticate(office)
    with django_assert_num_queries(2):  # count, rows (with the users joined)
        response = api.get(URL, {"page_size": page_size})
    assert len(response.json()["results"]) == page_size
