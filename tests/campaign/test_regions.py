import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from campaign import services
from campaign.models import Region
from campaign.selectors import region_list, region_tree
from tests.campaign.actors import OFFICE

pytestmark = pytest.mark.django_db


def test_subtree_is_one_prefix_query(city, django_assert_num_queries):
    with django_assert_num_queries(1):
        names = sorted(city["s1"].subtree().values_list("name", flat=True))
    assert names == ["南关街道", "太和社区", "魏都社区", "魏都社区第一网格"]


def test_moving_a_street_moves_its_whole_subtree(city):
    s1, s2 = city["s1"], city["s2"]
    other = services.region_create(
        actor=OFFICE, name="云冈区", code="D2", level=Region.Level.DISTRICT, parent=city["city"]
    )
    services.region_update(actor=OFFICE, region=s1, parent=other)
    for region in Region.objects.filter(pk__in=[city["c1"].pk, city["c2"].pk, city["g1"].pk]):
        assert region.path.startswith(other.path), region.name
    assert set(other.subtree().values_list("name", flat=True)) == {
        "云冈区",
        "南关街道",
        "魏都社区",
        "太和社区",
        "魏都社区第一网格",
    }
    assert not city["district"].subtree().filter(pk=city["g1"].pk).exists()
    assert city["district"].subtree().filter(pk=s2.pk).exists()


@pytest.mark.parametrize(
    "language, text", [("zh-hans", "不能放在自身或其下级区域之下"), ("en", "cannot be placed under itself")]
)
def test_a_cycle_is_refused_and_nothing_changes(city, language, text):
    before = list(Region.objects.order_by("pk").values_list("pk", "parent_id", "path", "name"))
    with translation.override(language), pytest.raises(ValidationError) as exc:
        services.region_update(actor=OFFICE, region=city["s1"], parent=city["c1"], name="改名")
    assert text in exc.value.message_dict["parent"][0]
    assert list(Region.objects.order_by("pk").values_list("pk", "parent_id", "path", "name")) == before


def test_a_region_must_sit_below_its_parent_level(city):
    with pytest.raises(ValidationError) as exc:
        services.region_create(actor=OFFICE, name="错层", code="X", level=Region.Level.STREET, parent=city["c1"])
    assert "level" in exc.value.message_dict
    assert not Region.objects.filter(code="X").exists()


def test_duplicate_region_code_and_missing_name(city):
    with pytest.raises(ValidationError) as exc:
        services.region_create(actor=OFFICE, name="重复", code="S1", level=Region.Level.COMMUNITY, parent=city["s1"])
    assert "S1" in exc.value.message_dict["code"][0]
    with pytest.raises(ValidationError) as exc:
        services.region_create(actor=OFFICE, name="", code="NEW", level=Region.Level.COMMUNITY, parent=city["s1"])
    assert "name" in exc.value.message_dict
    assert not Region.objects.filter(code="NEW").exists()


def test_tree_counts_units_under_each_node_in_one_query(units, city, django_assert_num_queries):
    with django_assert_num_queries(1):
        tree = region_tree()
    (root,) = tree
    district = root["children"][0]
    assert root["region"].units_under == 4 and district["region"].units_under == 4
    streets = {node["region"].name: node for node in district["children"]}
    assert streets["南关街道"]["region"].units_under == 2
    assert streets["北关街道"]["region"].units_under == 1
    assert [c["region"].name for c in streets["南关街道"]["children"]] == ["魏都社区", "太和社区"]
    assert region_list().get(pk=city["g1"].pk).units_under == 0


def test_region_api_under_filter(client, city, make_user):
    from core.roles import Role

    client.force_login(make_user("leader", Role.LEADER))
    data = client.get(f"/api/v1/regions/?under={city['s1'].pk}").json()
    assert data["count"] == 4
    assert {r["name"] for r in data["results"]} == {"南关街道", "魏都社区", "太和社区", "魏都社区第一网格"}


def test_region_tree_page(client, city, units, make_user):
    from core.roles import Role

    client.force_login(make_user("unit", Role.UNIT, unit=units["wd"]))
    page = client.get("/campaign/regions/").content.decode()
    assert "南关街道" in page and "魏都社区第一网格" in page and "单位 2" in page
    filtered = client.get("/campaign/regions/?level=4").content.decode()
    assert "魏都社区" in filtered and "南关街道</a>" not in filtered


def test_region_api_refuses_a_cycle_in_the_request_language(client, city, make_user):
    from core.roles import Role

    client.force_login(make_user("office", Role.OFFICE))
    before = list(Region.objects.order_by("pk").values_list("pk", "parent_id", "path"))
    url = f"/api/v1/regions/{city['s1'].pk}/"
    response = client.patch(url, {"parent": city["g1"].pk}, content_type="application/json")
    assert response.status_code == 400
    assert "不能放在自身或其下级区域之下" in response.json()["parent"][0]
    response = client.patch(url, {"parent": city["g1"].pk}, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert "cannot be placed under itself" in response.json()["parent"][0]
    assert list(Region.objects.order_by("pk").values_list("pk", "parent_id", "path")) == before
    # A real move through the API moves the subtree.
    other = client.post(
        "/api/v1/regions/",
        {"name": "云冈区", "code": "D2", "level": 2, "parent": city["city"].pk},
        content_type="application/json",
    ).json()
    assert client.patch(url, {"parent": other["id"]}, content_type="application/json").status_code == 200
    assert Region.objects.get(pk=city["g1"].pk).path.startswith(other["path"])
