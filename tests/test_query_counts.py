"""Every list page and every API list costs the same, pinned number of queries at 20 and at 100 rows per page: no
N+1. The routes are read from the URL resolver (page names ending in `_list`, views built on core.views_base.ListPage,
and every router's `-list` route), so a new list without a pin fails `test_every_list_route_is_pinned`.

A list pinned in its app's tests (same count at two page sizes) is named in PINNED_ELSEWHERE with that file, which
must name the list's URL; every other list is pinned here, on a world of 105+ rows per model built with bulk_create.
"""

import datetime
import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from rest_framework.mixins import ListModelMixin

from core.views_base import ListPage

TESTS = Path(__file__).resolve().parent
ROWS = 105
SIZES = (20, 100)

# route name → the test file pinning it at two page sizes (that file must name the route's URL or name).
PINNED_ELSEWHERE = {
    "campaign:unit_list": "campaign/test_query_counts.py",
    "campaign:person_list": "campaign/test_query_counts.py",
    "campaign:assignment_list": "campaign/test_query_counts.py",
    "unit-list": "campaign/test_query_counts.py",
    "command-body-list": "campaign/test_query_counts.py",
    "inspections:site_list": "inspections/sites/test_query_counts.py",
    "inspections:patrol_list": "inspections/sites/test_query_counts.py",
    "inspections-site-list": "inspections/sites/test_query_counts.py",
    "inspections-patrol-list": "inspections/sites/test_query_counts.py",
    "inspections:ticket_list": "inspections/ui/test_list.py",
    "api_ticket-list": "inspections/tickets/test_api.py",
    "publicity:asset_list": "publicity/test_queries.py",
    "publicity-asset-list": "publicity/test_queries.py",
    "volunteers:volunteer_list": "volunteers/test_queries.py",
    "volunteers:activity_list": "volunteers/test_queries.py",
    "volunteer-list": "volunteers/test_queries.py",
    "activity-list": "volunteers/test_queries.py",
    "reports:bulletin_list": "reports/test_pages.py",
    "bulletin-list": "reports/test_api.py",
    "evaluation:responsibility_list": "evaluation/test_responsibilities_pages.py",
    "api_responsibility-list": "evaluation/test_responsibilities_pages.py",
    "evaluation:material_requirement_list": "evaluation/test_materials_queries.py",
    "evaluation:material_submission_list": "evaluation/test_materials_queries.py",
    "evaluation:material_review_queue": "evaluation/test_materials_queries.py",
    "api_material-requirement-list": "evaluation/test_materials_queries.py",
    "api_material-submission-list": "evaluation/test_materials_queries.py",
    "evaluation:questionnaire_list": "evaluation/test_questionnaires_queries.py",
    "evaluation:survey_round_list": "evaluation/test_questionnaires_queries.py",
    "api_questionnaire-list": "evaluation/test_questionnaires_queries.py",
    "api_survey-round-list": "evaluation/test_questionnaires_queries.py",
    "api_survey-response-list": "evaluation/test_surveys_queries.py",
    "evaluation:readiness_input_list": "evaluation/test_readiness_queries.py",
    "evaluation:package_list": "evaluation/test_completeness_package.py",
    "material-package-list": "evaluation/test_completeness_package.py",
}

# route name → queries at both page sizes (signed in as the campaign office). Pages: session, user, COUNT, rows,
# the unread-notification count, one query per choice list of the filter form, and the session saved on every
# request (savepoint, update, release). API lists: session, user, COUNT, rows, prefetches, session saved.
PINS = {
    "campaign:region_list": 9,
    "region-list": 7,
    "person-list": 7,
    "membership-list": 7,
    "assignment-list": 7,
    "inspections:site_type_list": 7,
    "inspections:category_list": 7,
    "evaluation-item-list": 9,  # + the methods (evaluation 0003)
    "inspections-site-type-list": 8,
    "inspections-category-list": 7,
    "volunteers:team_list": 10,
    "volunteers:pairing_list": 12,
    "volunteers:party_report_list": 10,
    "volunteers:microwish_list": 10,
    "volunteer-team-list": 7,
    "pairing-list": 8,
    "micro-wish-list": 7,
    "publicity:post_list": 8,
    "publicity:printed_list": 10,
    "publicity:event_list": 10,
    "publicity-post-list": 7,
    "asset-check-list": 8,
}


def _more_regions(n):
    from campaign.models import Region

    city = Region.objects.get(code="QC-CITY")
    rows = _bulk(Region, n, name=lambda i: f"街道{i:03d}", code=lambda i: f"QC-X{i:03d}", level=3, parent=city)
    for row in rows:
        row.path = f"{city.path}{row.pk:06d}/"
    Region.objects.bulk_update(rows, ["path"])


def _more_site_types(n):
    from inspections.models import SiteType

    _bulk(SiteType, n, name=lambda i: f"新类型{i:03d}", code=lambda i: f"QC-TX{i:03d}")


def _more_categories(n):
    from inspections.models import Category

    group = Category._meta.get_field("group").choices[0][0]
    _bulk(Category, n, name=lambda i: f"新问题{i:03d}", code=lambda i: f"QC-CX{i:03d}", group=group)


# Lists shown whole (no paging: a tree, a short lookup table): the same count with ROWS rows and with 100 more.
NOT_PAGED = {
    "campaign:region_list": _more_regions,
    "inspections:site_type_list": _more_site_types,
    "inspections:category_list": _more_categories,
}


def _walk(patterns, namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else entry.namespace or namespace
            yield from _walk(entry.url_patterns, inner or "")
        elif isinstance(entry, URLPattern) and entry.name:
            yield (f"{namespace}:{entry.name}" if namespace else entry.name), entry.callback


def list_routes() -> set[str]:
    """Every list page and API list the URL resolver knows (the admin's are Django's own)."""
    found = set()
    for name, callback in _walk(get_resolver().url_patterns):
        if name.startswith("admin:"):
            continue
        view_class = getattr(callback, "view_class", None)
        viewset = getattr(callback, "cls", None)
        actions = getattr(callback, "actions", None) or {}
        if viewset is not None and issubclass(viewset, ListModelMixin) and actions.get("get") == "list":
            found.add(name)
        elif name.endswith("_list") or (view_class is not None and issubclass(view_class, ListPage)):
            found.add(name)
    return found


def test_every_list_route_is_pinned():
    routes = list_routes()
    assert routes, "the resolver gave no list routes"
    unpinned = routes - set(PINNED_ELSEWHERE) - set(PINS)
    assert not unpinned, f"list routes without a pinned query count: {sorted(unpinned)}"
    stale = (set(PINNED_ELSEWHERE) | set(PINS)) - routes
    assert not stale, f"pins for routes that no longer exist: {sorted(stale)}"


@pytest.mark.parametrize("name", sorted(PINNED_ELSEWHERE))
def test_pins_kept_in_the_apps_tests_name_their_url(name):
    """The file pinning a list elsewhere pins it at two page sizes and names its URL."""
    source = (TESTS / PINNED_ELSEWHERE[name]).read_text()
    url = reverse(name)
    assert url in source or f'"{name}"' in source, f"{PINNED_ELSEWHERE[name]} does not name {url}"
    assert "num_queries" in source and re.search(r"page_size", source)


# --- The world: ROWS rows of every listed model --------------------------------------------------------------


def _bulk(model, n, **fields):
    """n rows of `model`; each value may be a function of the row's index."""
    rows = [model(**{k: (v(i) if callable(v) else v) for k, v in fields.items()}) for i in range(n)]
    return model.objects.bulk_create(rows)


@pytest.fixture
def world(db):
    from campaign.models import Assignment, Campaign, CommandBody, Membership, Person, Region, Unit
    from evaluation.models import EvaluationItem
    from inspections.models import Category, SiteType
    from publicity.models import Asset, AssetCheck, Post, PrintedMaterial, ThemeEvent
    from volunteers.models import MicroWish, Pairing, PartyReport, Team, Volunteer

    today = timezone.localdate()
    city = Region.objects.create(name="市", code="QC-CITY", level=Region.Level.CITY)
    city.path = f"{city.pk:06d}/"
    city.save(update_fields=["path"])
    regions = _bulk(Region, ROWS, name=lambda i: f"社区{i:03d}", code=lambda i: f"QC-R{i:03d}", level=4, parent=city)
    for region in regions:
        region.path = f"{city.path}{region.pk:06d}/"
    Region.objects.bulk_update(regions, ["path"])
    units = _bulk(Unit, ROWS, name=lambda i: f"单位{i:03d}", code=lambda i: f"QC-U{i:03d}", kind="school", region=city)
    people = _bulk(Person, ROWS, name=lambda i: f"干部{i:03d}", unit=lambda i: units[i])
    campaign = Campaign.objects.create(name="创城", start_date=today)
    bodies = _bulk(CommandBody, ROWS, campaign=campaign, name=lambda i: f"工作组{i:03d}", kind="task_force")
    _bulk(Membership, ROWS, body=lambda i: bodies[i], person=lambda i: people[i])
    _bulk(
        Assignment, ROWS, campaign=campaign, person=lambda i: people[i], region=lambda i: regions[i], start_date=today
    )
    _bulk(EvaluationItem, ROWS, level=3, code=lambda i: f"QC-E{i:03d}", text=lambda i: f"测评{i}")
    _bulk(SiteType, ROWS, name=lambda i: f"类型{i:03d}", code=lambda i: f"QC-T{i:03d}")
    group = Category._meta.get_field("group").choices[0][0]
    _bulk(Category, ROWS, name=lambda i: f"问题{i:03d}", code=lambda i: f"QC-C{i:03d}", group=group)
    _bulk(Team, ROWS, name=lambda i: f"志愿队{i:03d}")
    members = _bulk(
        Volunteer,
        ROWS,
        name=lambda i: f"志愿者{i:03d}",
        gender="F",
        phone=lambda i: f"139{i:08d}",
        id_number=lambda i: f"14020019900101{i:04d}",
    )
    _bulk(Pairing, ROWS, unit=lambda i: units[i], community=regions[0], start_date=today)
    _bulk(PartyReport, ROWS, member=lambda i: members[i], community=regions[0], month=today.replace(day=1), service="x")
    _bulk(MicroWish, ROWS, community=regions[0], resident_name=lambda i: f"居民{i}", title=lambda i: f"心愿{i}")
    channel = Post._meta.get_field("channel").choices[0][0]
    _bulk(Post, ROWS, channel=channel, title=lambda i: f"稿件{i}", published_on=today)
    kind = PrintedMaterial._meta.get_field("kind").choices[0][0]
    _bulk(PrintedMaterial, ROWS, kind=kind, quantity=10, region=regions[0], handed_out_on=today)
    _bulk(ThemeEvent, ROWS, title=lambda i: f"活动{i}", held_on=today)
    office = get_user_model().objects.create_user("qc-office", password="x", role="office")
    asset_kind = Asset._meta.get_field("kind").choices[0][0]
    theme = Asset._meta.get_field("theme").choices[0][0] if Asset._meta.get_field("theme").choices else "主题"
    assets = _bulk(
        Asset, ROWS, code=lambda i: f"QC-A{i:03d}", kind=asset_kind, theme=theme, region=regions[0], unit=units[0]
    )
    condition = AssetCheck._meta.get_field("condition").choices[0][0]
    checked_at = timezone.now() - datetime.timedelta(hours=1)
    _bulk(AssetCheck, ROWS, asset=lambda i: assets[i], checked_by=office, condition=condition, checked_at=checked_at)
    return office


def _rows(response):
    if response.headers.get("Content-Type", "").startswith("application/json"):
        return len(response.json()["results"])
    page = response.context.get("page") or response.context.get("page_obj")
    return len(page.object_list)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("name", sorted(PINS))
def test_list_query_count_is_pinned_at_both_page_sizes(client, world, name, size, django_assert_num_queries):
    client.force_login(world)
    url = reverse(name)
    if name in NOT_PAGED and size == SIZES[-1]:
        NOT_PAGED[name](100)
    client.get(url)  # the session's first save is not the list's cost
    with django_assert_num_queries(PINS[name]):
        response = client.get(url, {"page_size": size})
    assert response.status_code == 200
    if name not in NOT_PAGED:
        assert _rows(response) == size, "the world must fill the page"
