"""Bad input to the API is a 400 (or 404) with a translated message, never a server error (issue 9, finding 8);
the OpenAPI schema says what the API really answers (finding 8); the bulletin PDF follows the Accept header
(finding 13)."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from core.roles import Role
from inspections.models import Category
from tests.core.test_api_fuzz import fuzz_city  # noqa: F401 - fixture
from tests.volunteers.builders import add_volunteer, vcity  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def schema(api, make_user):
    api.force_authenticate(make_user("schema-reader", Role.OFFICE))
    response = api.get("/api/schema/?format=json")
    api.force_authenticate(None)
    assert response.status_code == 200
    return response.json()


# --- finding 8: server errors on bad input ------------------------------------------------------------------


@pytest.mark.parametrize("action", ["check-in", "results", "finish"])
def test_a_patrol_id_that_is_not_a_number_is_404(api, vcity, action):  # noqa: F811
    api.force_authenticate(vcity.unit)
    response = api.post(f"/api/v1/patrols/abc/{action}/", {"site": 1}, format="json")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json" and "detail" in response.json()


def test_every_id_in_an_api_url_is_a_number(api, vcity):  # noqa: F811
    """The rule is the routers' (core.api.routers), so it holds for every viewset of every app."""
    from django.urls import get_resolver

    def patterns(resolver, prefix=""):
        for entry in resolver.url_patterns:
            if hasattr(entry, "url_patterns"):
                yield from patterns(entry, prefix + str(entry.pattern))
            else:
                yield prefix + str(entry.pattern)

    detail_routes = [p for p in patterns(get_resolver()) if p.startswith("api/v1/") and ":pk>" in p]
    assert len(detail_routes) > 40
    assert all("<int:pk>" in p for p in detail_routes), [p for p in detail_routes if "<int:pk>" not in p]
    api.force_authenticate(vcity.office)
    for url in ("/api/v1/tickets/1.5/", "/api/v1/sites/x/", "/api/v1/bulletins/-1/pdf/", "/api/v1/volunteers/1e3/"):
        assert api.get(url).status_code == 404, url


@pytest.mark.parametrize("days", ["99999999999", "-1", "1.5", "1e400", "NaN"])
def test_a_number_filter_out_of_range_is_a_translated_400(api, vcity, days):  # noqa: F811
    api.force_authenticate(vcity.unit)
    response = api.get("/api/v1/publicity-assets/", {"not_checked_days": days}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 400
    message = response.json()["not_checked_days"][0]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in message), message  # Chinese


def test_a_date_outside_the_calendar_is_a_translated_400(api, vcity):  # noqa: F811
    """The day after 9999-12-31 overflowed (a 500): dates outside core.inputs' calendar are refused as input."""
    api.force_authenticate(vcity.office)
    for url, params in [
        ("/api/v1/tickets/", {"created_before": "9999-12-31"}),
        ("/api/v1/tickets/", {"created_after": "0001-01-01"}),
        ("/api/v1/stats/tickets/", {"start": "0001-01-01"}),
        ("/api/v1/publicity-figures/", {"end": "9999-12-31"}),
        ("/api/v1/volunteer-figures/", {"start": "1899-12-31"}),
    ]:
        response = api.get(url, params, HTTP_ACCEPT_LANGUAGE="zh-hans")
        assert response.status_code == 400, (url, params, response.content)
        (field,) = params.keys() & response.json().keys()
        assert "2999-12-31" in response.json()[field][0] and "日期" in response.json()[field][0]
    assert api.get("/api/v1/tickets/", {"created_before": "2999-12-31"}).status_code == 200


def test_a_category_without_severity_or_deadline_takes_the_defaults(api, vcity, schema):  # noqa: F811
    """Optional in the schema means optional: the model's defaults apply (it was a TypeError, 500)."""
    request_schema = schema["components"]["schemas"]["CategoryRequest"]
    assert not {"severity", "deadline_working_days"} & set(request_schema["required"])
    api.force_authenticate(vcity.office)
    response = api.post("/api/v1/categories/", {"name": "积水", "code": "water", "group": "cleanup"}, format="json")
    assert response.status_code == 201, response.content
    category = Category.objects.get(code="water")
    assert (category.severity, category.deadline_working_days) == ("medium", 3)


def test_every_query_parameter_survives_edge_values(api, fuzz_city, schema):  # noqa: F811
    """The class of finding 8 everywhere: each query parameter of each GET operation, with values at and past the
    edges of its type, answers below 500 (a 400 with field messages for what the filters refuse)."""
    from django.contrib.auth import get_user_model

    api.force_authenticate(get_user_model().objects.get(username="office"))
    edge_values = [
        "99999999999999999999",
        "-99999999999",
        "1.5",
        "1e400",
        "NaN",
        "abc",
        "",
        "0",
        "9999-12-31",
        "0001-01-01",
        "2026-02-30",
        "\x00",
        "true",
    ]
    tried = 0
    for path, operations in schema["paths"].items():
        get = operations.get("get")
        if not get:
            continue
        url = path.replace("{id}", str(fuzz_city.get(path.split("/")[3], [1])[0]))
        for parameter in get.get("parameters", []):
            if parameter["in"] != "query":
                continue
            for value in edge_values:
                response = api.get(url, {parameter["name"]: value})
                tried += 1
                assert response.status_code < 500, (url, parameter["name"], value, response.content[:300])
                assert str(response.status_code) in get["responses"], (url, parameter["name"], value)
    assert tried > 500


# --- finding 8: the schema says what the API answers -------------------------------------------------------


def _property(schema, component, name):
    return schema["components"]["schemas"][component]["properties"][name]


def test_fields_that_can_be_null_are_nullable(schema):
    for component, name in [
        ("Ticket", "site_name"),
        ("Ticket", "unit_name"),
        ("Ticket", "recurrence_of_number"),
        ("Ticket", "region_name"),
        ("AssetCheck", "ticket_number"),
        ("Asset", "site_name"),
        ("Person", "unit_name"),
        ("Assignment", "site_name"),
        ("Assignment", "region_name"),
        ("Site", "last_visit_at"),
        ("TicketEvent", "actor"),
    ]:
        assert _property(schema, component, name).get("nullable") is True, (component, name)


def test_a_partial_update_answers_every_documented_field(api, fuzz_city):  # noqa: F811
    """The null of an absent site was left out of a PATCH answer (DRF skips defaults on partial updates)."""
    from campaign.models import Assignment
    from core.models import User

    api.force_authenticate(User.objects.get(username="office"))
    assignment = Assignment.objects.get(pk=fuzz_city["assignments"][0])
    body = api.patch(f"/api/v1/assignments/{assignment.pk}/", {"note": "每周两次"}, format="json").json()
    assert body["site_name"] is None and body["region_name"] == assignment.region.name


def test_every_operation_documents_its_refusals(schema):
    operations = [(path, method, op) for path, ops in schema["paths"].items() for method, op in ops.items()]
    assert len(operations) > 100
    for path, method, op in operations:
        codes = set(op["responses"])
        public = path == "/api/v1/auth/token/"
        assert "403" in codes and (public or "401" in codes), (method, path)
        if "{id}" in path:
            assert "404" in codes, (method, path)
        if method in ("post", "put", "patch"):
            assert "400" in codes, (method, path)
        if "{id}" in path and method == "post":
            assert "409" in codes, (method, path)
        for code in codes - {"200", "201", "202", "204"}:
            content = op["responses"][code]["content"]
            assert list(content) == ["application/json"], (method, path, code)
    error = schema["components"]["schemas"]["Error"]
    assert error["required"] == ["detail"]


def test_the_documented_error_body_is_the_one_sent(api, vcity, schema):  # noqa: F811
    api.force_authenticate(vcity.unit)
    refused = api.post("/api/v1/categories/", {"name": "x"}, format="json")  # a unit may not
    assert refused.status_code == 403 and set(refused.json()) == {"detail"}
    invalid = api.get("/api/v1/tickets/", {"created_after": "yesterday"})
    assert invalid.status_code == 400 and isinstance(invalid.json()["created_after"], list)
    api.force_authenticate(None)
    assert api.get("/api/v1/tickets/").status_code in (401, 403)


# --- finding 13: the PDF follows the Accept header --------------------------------------------------------


@pytest.fixture
def bulletin_pdf(fuzz_city):  # noqa: F811
    return reverse("bulletin-pdf", args=[fuzz_city["bulletins"][0]])


@pytest.mark.parametrize(
    "accept",
    [
        "application/pdf",
        "*/*",
        None,
        "application/pdf, application/json;q=0.5",
        "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",  # a browser following the `pdf` link
    ],
)
def test_the_bulletin_pdf_answers_a_pdf_to_a_pdf_client(api, vcity, bulletin_pdf, accept):  # noqa: F811
    api.force_authenticate(vcity.unit)  # the bulletin is published: everybody reads it
    headers = {"HTTP_ACCEPT": accept} if accept else {}
    response = api.get(bulletin_pdf, **headers)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_the_bulletin_pdf_refuses_a_json_only_client_in_json(api, vcity, bulletin_pdf):  # noqa: F811
    api.force_authenticate(vcity.unit)
    response = api.get(bulletin_pdf, HTTP_ACCEPT="application/json", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 406
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"]


def test_the_pdf_errors_are_json_and_documented(api, vcity, fuzz_city, schema):  # noqa: F811
    api.force_authenticate(vcity.unit)
    draft = reverse("bulletin-pdf", args=[fuzz_city["bulletins"][1]])  # not published: not in a unit's scope
    response = api.get(draft, HTTP_ACCEPT="application/pdf")
    assert response.status_code == 404 and response["Content-Type"] == "application/json"
    operation = schema["paths"]["/api/v1/bulletins/{id}/pdf/"]["get"]
    assert list(operation["responses"]["200"]["content"]) == ["application/pdf"]
    assert {"404", "406"} <= set(operation["responses"])


def test_digits_that_are_not_ascii_are_refused_not_crashed(api, client, fuzz_city):  # noqa: F811
    """`"²".isdigit()` is true but `int("²")` fails: id checks in views and services use ASCII/decimal digits."""
    from django.contrib.auth import get_user_model

    office = get_user_model().objects.get(username="office")
    api.force_authenticate(office)
    response = api.post(
        "/api/v1/volunteers/",
        {"name": "李四", "gender": "male", "phone": "13800001111", "id_number": "14020219900101" + "²²²" + "X"},
        format="json",
    )
    assert response.status_code == 400 and "id_number" in response.json()
    client.force_login(office)
    patrol = fuzz_city["patrols"][0]
    for url in (
        reverse("inspections:ticket_create") + "?site=²",
        reverse("inspections:patrol_detail", args=[patrol]) + "?site=²",
        reverse("publicity:check_start") + "?asset=²&region=²",
    ):
        assert client.get(url).status_code == 200, url


def test_a_missing_object_named_in_the_body_is_a_translated_404(api, fuzz_city, vcity):  # noqa: F811
    api.force_authenticate(vcity.office)
    response = api.post(
        f"/api/v1/patrols/{fuzz_city['patrols'][0]}/check-in/",
        {"site": 2**62},
        format="json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 404
    assert response.json() == {"detail": "未找到。"}  # not Django's English "No Site matches the given query."


def test_the_bounds_of_a_number_filter_are_in_the_schema(schema):
    parameters = {p["name"]: p["schema"] for p in schema["paths"]["/api/v1/publicity-assets/"]["get"]["parameters"]}
    assert parameters["not_checked_days"] == {"type": "integer", "minimum": 0, "maximum": 36500}


def test_an_activity_before_the_calendar_is_a_400(api, fuzz_city, vcity):  # noqa: F811
    """Before 1901 Asia/Shanghai is local mean time (+08:05:43): the answer's date-time was no RFC 3339 date-time."""
    api.force_authenticate(vcity.office)
    response = api.patch(
        f"/api/v1/activities/{fuzz_city['activities'][0]}/",
        {"start_at": "1269-11-02T09:00:00+08:00", "end_at": "1269-11-02T11:00:00+08:00"},
        format="json",
    )
    assert response.status_code == 400 and set(response.json()) == {"start_at", "end_at"}


def test_a_body_in_a_media_type_that_is_not_read_is_a_documented_415(api, vcity, schema):  # noqa: F811
    api.force_authenticate(vcity.office)
    response = api.post("/api/v1/command-bodies/", b"<xml/>", content_type="application/xml")
    assert response.status_code == 415 and set(response.json()) == {"detail"}
    assert "415" in schema["paths"]["/api/v1/command-bodies/"]["post"]["responses"]
