"""Survey pages: the surveyor's phone, the interview form, the public self-fill link, data quality, quota progress."""

import json

import pytest
from django.urls import reverse

from evaluation.models import SurveyResponse
from evaluation.surveys.views import DEVICE_COOKIE
from tests.evaluation.surveys_world import good_answers, submit, sw  # noqa: F401

pytestmark = pytest.mark.django_db


def test_surveyor_home_shows_quotas_and_progress(client, sw):
    submit(sw)
    submit(sw, minutes=0.1)  # flagged
    client.force_login(sw.surveyor)
    page = client.get(reverse("evaluation:survey_home"))
    assert page.status_code == 200
    html = page.content.decode()
    assert sw.round.name in html and "南关社区" in html and "1 / 4" in html
    assert "新华社区" in html  # a quota for any surveyor of the round
    assert reverse("evaluation:survey_fill", args=[sw.round.pk]) in html
    client.force_login(sw.outsider)
    assert sw.round.name not in client.get(reverse("evaluation:survey_home")).content.decode()


def test_fill_page(client, sw):
    url = reverse("evaluation:survey_fill", args=[sw.round.pk])
    client.force_login(sw.surveyor)
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="survey-data"' in html and "js/survey.js" in html
    data = json.loads(html.split('id="survey-data" type="application/json">')[1].split("</script>")[0])
    assert [q["code"] for q in data["questionnaires"]] == ["A"]
    assert [q["kind"] for q in data["questionnaires"][0]["questions"]] == [
        "single",
        "multiple",
        "rating",
        "yes_no",
        "text",
    ]
    assert {a["name"] for a in data["areas"]} == {"南关社区", "新华社区"}
    client.force_login(sw.outsider)
    assert client.get(url).status_code == 403
    sw.round.status = "closed"
    sw.round.save()
    client.force_login(sw.surveyor)
    assert client.get(url).status_code == 302


def test_public_page(client, sw):
    url = reverse("evaluation:survey_public", args=["pub-token"])
    page = client.get(url)
    assert page.status_code == 200 and DEVICE_COOKIE in page.cookies
    device = page.cookies[DEVICE_COOKIE].value
    assert f'data-device="{device}"' in page.content.decode()
    assert client.get(url).cookies[DEVICE_COOKIE].value == device  # the same device keeps its id
    assert client.get(reverse("evaluation:survey_public", args=["nope"])).status_code == 404
    assert client.get(reverse("evaluation:survey_public_thanks", args=["pub-token"])).status_code == 200
    sw.round.status = "closed"
    sw.round.save()
    closed = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert closed.status_code == 410


def test_quality_page_and_review(client, sw):
    flagged = submit(sw, minutes=0.1)
    valid = submit(sw, region=sw.cb, answers=good_answers(sw, rating=2))
    client.force_login(sw.surveyor)
    assert client.get(reverse("evaluation:survey_quality")).status_code == 403
    assert client.post(reverse("evaluation:survey_response_accept", args=[flagged.pk])).status_code == 302
    flagged.refresh_from_db()
    assert flagged.quality == "flagged"  # refused: only the office reviews
    client.force_login(sw.office)
    page = client.get(reverse("evaluation:survey_quality"))
    html = page.content.decode()
    assert page.status_code == 200 and f'data-response="{flagged.pk}"' in html
    assert f'data-response="{valid.pk}"' not in html
    assert "too fast" in html or "用时过短" in html
    assert client.get(reverse("evaluation:survey_quality"), {"reason": "bogus"}).status_code == 200
    client.post(reverse("evaluation:survey_response_accept", args=[flagged.pk]))
    flagged.refresh_from_db()
    assert flagged.quality == SurveyResponse.Quality.ACCEPTED and flagged.reviewed_by == sw.office
    answer = client.post(reverse("evaluation:survey_response_accept", args=[flagged.pk]), follow=True)
    assert any(t in answer.content.decode() for t in ("Only a flagged response", "只有被标记的答卷才能认可"))
    client.post(reverse("evaluation:survey_response_reject", args=[valid.pk]))
    valid.refresh_from_db()
    assert valid.quality == SurveyResponse.Quality.REJECTED
    client.force_login(sw.leader)
    assert client.get(reverse("evaluation:survey_quality")).status_code == 200
    client.post(reverse("evaluation:survey_response_reject", args=[flagged.pk]))
    flagged.refresh_from_db()
    assert flagged.quality == SurveyResponse.Quality.ACCEPTED


def test_quota_progress(client, sw):
    submit(sw)
    submit(sw, minutes=0.1)
    url = reverse("evaluation:survey_quota_progress", args=[sw.round.pk])
    client.force_login(sw.office)
    page = client.get(url)
    assert page.status_code == 200 and "hx-trigger" in page.content.decode()
    partial = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and "data-total-counted>1<" in partial
    client.force_login(sw.surveyor)
    assert client.get(url).status_code == 200
    client.force_login(sw.outsider)
    assert client.get(url).status_code == 404
