"""survey-responses/ API: a surveyor's POST (session or token), the public link's POST (token field, no account,
rate-limited, one per device/phone), idempotent client key, lists by role, accept/reject, schema."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from evaluation.models import SurveyResponse, SurveyTally
from evaluation.surveys.api import views as api_views
from tests.conftest import clear_rate_limits
from tests.evaluation.surveys_world import good_answers, submit, sw  # noqa: F401

pytestmark = pytest.mark.django_db
URL = "/api/v1/survey-responses/"


def client(user=None):
    c = APIClient(HTTP_ACCEPT_LANGUAGE="en")  # messages in English here; the Chinese ones are checked by name
    if user is not None:
        c.force_authenticate(user)
    return c


def body(w, **extra):
    values = {
        "round": w.round.pk,
        "questionnaire": w.qa.pk,
        "region": w.ca.pk,
        "group": "residents",
        "answers": good_answers(w),
        "started_at": (timezone.now() - timedelta(minutes=4)).isoformat(),
        "client_key": "k-1",
    }
    values.update(extra)
    return values


def test_surveyor_posts_and_retries(sw):
    c = client(sw.surveyor)
    first = c.post(URL, body(sw), format="json")
    assert first.status_code == 201, first.content
    assert first.json()["quality"] == "valid" and len(first.json()["answers"]) == 4
    again = c.post(URL, body(sw), format="json")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert SurveyResponse.objects.count() == 1


@pytest.mark.parametrize(
    "extra, status, words",
    [
        ({"answers": [{"question": 999999, "value": 1}]}, 400, "999999"),
        ({"answers": "A"}, 400, ""),
        ({"answers": []}, 400, ""),
        ({"region": 999999}, 400, "area"),
        ({"questionnaire": 999999}, 400, "questionnaire"),
        ({"round": 999999}, 404, "not found"),
        ({"lat": 100, "lng": 1}, 400, ""),
        ({"phone": "abc"}, 400, ""),
        ({"started_at": "yesterday"}, 400, ""),
        ({"source": "self_fill"}, 400, ""),
    ],
)
def test_bad_input_nothing_saved(sw, extra, status, words):
    answer = client(sw.surveyor).post(URL, body(sw, **extra), format="json")
    assert answer.status_code == status, answer.content
    assert words in answer.content.decode()
    assert SurveyResponse.objects.count() == 0 and SurveyTally.objects.count() == 0


def test_rating_out_of_range_is_translated(sw):
    b = body(sw)
    b["answers"][2]["value"] = 9
    answer = client(sw.surveyor).post(URL, b, format="json", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert answer.status_code == 400
    assert "第3题：请给出1至5分的评分。" in answer.json()["answers"]
    assert SurveyResponse.objects.count() == 0


def test_closed_round_409(sw):
    sw.round.status = "closed"
    sw.round.save()
    answer = client(sw.surveyor).post(URL, body(sw), format="json")
    assert answer.status_code == 409 and "closed" in answer.json()["detail"]
    assert SurveyResponse.objects.count() == 0


def test_roles(sw):
    assert client(sw.outsider).post(URL, body(sw), format="json").status_code == 403
    assert client(sw.leader).post(URL, body(sw), format="json").status_code == 403
    assert client().post(URL, body(sw), format="json").status_code in (401, 403)
    assert SurveyResponse.objects.count() == 0


def test_public_link(sw):
    clear_rate_limits()  # this process's counters only (cache.clear() would flush the Redis db other workers share)
    b = body(sw, token="pub-token", device="dev-9", phone="13700137000", client_key="pub-1")
    del b["round"]
    first = client().post(URL, b, format="json")
    assert first.status_code == 201, first.content
    assert first.json()["source"] == "self_fill" and first.json()["surveyor"] is None
    assert client().post(URL, b, format="json").status_code == 200  # the retry
    b2 = dict(b, client_key="pub-2")
    second = client().post(URL, b2, format="json")
    assert second.status_code == 409 and "device" in second.json()["detail"]
    third = client().post(URL, dict(b, client_key="pub-3", device="dev-10"), format="json")
    assert third.status_code == 409 and "phone" in third.json()["detail"]
    assert client().post(URL, dict(b, token="nope", client_key="x"), format="json").status_code == 404
    assert SurveyResponse.objects.count() == 1


def test_public_link_rate_limited(sw, monkeypatch):
    clear_rate_limits()  # this process's counters only (cache.clear() would flush the Redis db other workers share)
    monkeypatch.setattr(api_views, "PUBLIC_RATE_PER_ADDRESS", 3)
    # One fixed window for the whole test: a window boundary falling between the posts would reset the count.
    import types

    from core import ratelimit

    monkeypatch.setattr(ratelimit, "time", types.SimpleNamespace(time=lambda: 1_800_000_000.0))
    statuses = []
    for n in range(5):
        b = body(sw, token="pub-token", device=f"d{n}", client_key=f"r{n}")
        statuses.append(client().post(URL, b, format="json", HTTP_ACCEPT_LANGUAGE="zh-hans").status_code)
    assert statuses == [201, 201, 201, 429, 429]
    b = body(sw, token="pub-token", device="d9", client_key="r9")
    refused = client().post(URL, b, format="json", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert refused.status_code == 429 and "请几分钟后再试" in refused.json()["detail"]
    assert SurveyResponse.objects.count() == 3


def test_lists_and_actions(sw):
    mine = submit(sw)
    theirs = submit(sw, actor=sw.surveyor2, region=sw.cb, minutes=0.2)
    ids = lambda user: {r["id"] for r in client(user).get(URL).json()["results"]}  # noqa: E731
    assert ids(sw.office) == ids(sw.leader) == {mine.pk, theirs.pk}
    assert ids(sw.surveyor) == {mine.pk}
    assert client(sw.surveyor).get(f"{URL}{theirs.pk}/").status_code == 404
    assert client(sw.office).get(URL, {"quality": "flagged"}).json()["count"] == 1
    assert client(sw.office).get(URL, {"reason": "too_fast"}).json()["count"] == 1
    assert client(sw.surveyor).post(f"{URL}{mine.pk}/reject/").status_code == 403
    assert client(sw.leader).post(f"{URL}{theirs.pk}/accept/").status_code == 403
    ok = client(sw.office).post(f"{URL}{theirs.pk}/accept/")
    assert ok.status_code == 200 and ok.json()["quality"] == "accepted"
    assert client(sw.office).post(f"{URL}{theirs.pk}/accept/").status_code == 409
    assert client(sw.office).post(f"{URL}{mine.pk}/reject/").status_code == 200
    assert client(sw.office).post(f"{URL}{mine.pk}/reject/").status_code == 409


def test_schema_documents_the_answers():
    schema = client().get("/api/schema/?format=json")
    operation = schema.json()["paths"][URL]["post"]
    assert {"201", "200", "400", "404", "409", "429"} <= set(operation["responses"])
