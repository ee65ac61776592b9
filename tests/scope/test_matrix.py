"""The role × model × surface matrix (issue 10): every surface shows exactly the rows of the model's visibility
declaration — no more, no fewer — and writes out of scope are refused and change nothing.

Until the apps register themselves (core.registry, next phase), the registrations are the DRAFT list below, put in
a Registry of the test's own. When the apps are wired, `registry()` becomes `core.registry.REGISTRY` and DRAFT goes.

Each surface is read as a user reads it: ids parsed from the API JSON, the GeoJSON features, the links of a page,
the cells of the .xlsx export; detail, PDF and media answer 200 exactly for visible rows and 404 for the others.
Every page fetched is also searched for links to the detail page of any registered model: each must be visible.
"""

import re
from io import BytesIO

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse

from core.registry import SCOPED, Registry, published_or_office
from core.scope import scope_of

from .world import ROLES, build_world

CHECKS = {"n": 0, "failed": 0}

# --- The DRAFT registrations (the exact rules of today's selectors; see the report) ---------------------------
DRAFT = [
    {
        "label": "inspections.Ticket",
        "visible": SCOPED,
        "region": "region",
        "unit": "unit",
        "key": "number",
        "surfaces": {
            "list": "inspections:ticket_list",
            "detail": "inspections:ticket_detail",
            "api_list": "api_ticket-list",
            "api_detail": "api_ticket-detail",
            "export": "inspections:ticket_export",
            "map": "api_map_tickets",
            "pdf": "inspections:ticket_notice_pdf",
            "media": "photos",
        },
    },
    {
        # sites_visible_to (not map_sites): a unit liaison reads its unit's sites and the sites of its region.
        "label": "inspections.Site",
        "visible": SCOPED,
        "region": "region",
        "unit": "unit",
        "unit_reads_region": True,
        "key": "code",
        # Counts a row carries of another model's rows must count only the visible ones.
        "counts": {
            "open_ticket_count": (
                "inspections.Ticket",
                "site",
                {"status__in": ("dispatched", "rectifying", "submitted", "reported")},
            )
        },
        "surfaces": {
            "list": "inspections:site_list",
            "detail": "inspections:site_detail",
            "api_list": "inspections-site-list",
            "api_detail": "inspections-site-detail",
            "export": "inspections:site_export",
            "map": "api_map_sites",
        },
    },
    {
        "label": "publicity.Asset",
        "visible": SCOPED,
        "region": "region",
        "unit": "unit",
        "key": "code",
        "surfaces": {
            "list": "publicity:asset_list",
            "detail": "publicity:asset_detail",
            "api_list": "publicity-asset-list",
            "api_detail": "publicity-asset-detail",
            "export": "publicity:asset_export",
            "map": "publicity:asset_geojson",
            "figures": "publicity-figures",
            "media": "photos",
        },
    },
    {
        "label": "reports.Bulletin",
        "visible": published_or_office,
        "key": "title",
        "surfaces": {
            "list": "reports:bulletin_list",
            "detail": "reports:bulletin_detail",
            "api_list": "bulletin-list",
            "api_detail": "bulletin-detail",
            "export": "reports:bulletin_export",
            "pdf": "reports:bulletin_pdf",
            "media": "pdf",
        },
    },
]
# Nothing may write a row through its API detail out of scope (PATCH/PUT/DELETE) or run a ticket action on it.
WRITES = ("patch", "delete")


def _model(label):
    from django.apps import apps

    return apps.get_model(label)


def _registry() -> Registry:
    registry = Registry()
    for spec in DRAFT:
        registry.register(
            _model(spec["label"]),
            visible=spec["visible"],
            region=spec.get("region"),
            unit=spec.get("unit"),
            unit_reads_region=spec.get("unit_reads_region", False),
            surfaces=spec["surfaces"],
        )
    return registry


def _cases():
    for spec in DRAFT:
        for role in ROLES:
            for surface in spec["surfaces"]:
                yield pytest.param(spec["label"], role, surface, id=f"{spec['label']}-{role}-{surface}")
            yield pytest.param(spec["label"], role, "write", id=f"{spec['label']}-{role}-write")


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    from django.db import transaction

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _check(condition, message, failures):
    CHECKS["n"] += 1
    if not condition:
        CHECKS["failed"] += 1
        failures.append(message)


def _detail_pattern(url_name):
    """A regex that finds the ids in links to this detail URL (the URL of id 987654321 with the id as a group)."""
    try:
        url = reverse(url_name, args=[987654321])
    except NoReverseMatch:
        return None
    return re.compile(re.escape(url).replace("987654321", r"(\d+)") + r"(?=[\"'?#])")


def _page_ids(html, url_name):
    pattern = _detail_pattern(url_name)
    return {int(i) for i in pattern.findall(html)} if pattern else set()


def _leaked_links(html, registry, user, context):
    """Links on any page to a detail page of a registered model the user may not see."""
    leaks = []
    for entry in registry:
        detail = entry.surface("detail")
        if not detail:
            continue
        shown = _page_ids(html, detail)
        if not shown:
            continue
        visible = set(registry.visible_to(entry.model, user).filter(pk__in=shown).values_list("pk", flat=True))
        for pk in sorted(shown - visible):
            leaks.append(f"{context}: links to {entry.model.__name__} {pk}, out of scope")
    return leaks


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _xlsx_values(content):
    from openpyxl import load_workbook

    book = load_workbook(BytesIO(content), read_only=True)
    values = set()
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            values.update(str(v) for v in row if v is not None)
    return values


def _media_names(obj, what):
    if what == "photos":
        return [p.image.name for p in obj.photos.all() if p.image]
    value = getattr(obj, what)
    return [value.name] if value else []


def _expected_on_map(label, rows):
    """The map shows rows with a position (and tickets only while open)."""
    if label == "inspections.Ticket":
        from inspections.models import Ticket

        return {r.pk for r in rows if r.status in Ticket.OPEN_STATUSES}
    return {r.pk for r in rows}


@pytest.mark.parametrize(("label", "role", "surface"), list(_cases()))
def test_matrix(world, db, label, role, surface):
    registry = _registry()
    model = _model(label)
    spec = next(s for s in DRAFT if s["label"] == label)
    entry = registry.entry(model)
    user = world.users[role]
    client = _client(user)
    rows = world.rows[label]
    all_ids = {r.pk for r in rows}
    visible = set(registry.visible_to(model, user).filter(pk__in=all_ids).values_list("pk", flat=True))
    failures = []
    name = entry.surface(surface) if surface != "write" else None

    if surface == "list":
        response = client.get(reverse(name), {"page_size": 100})
        _check(
            response.status_code in (200, 403) if not visible else response.status_code == 200,
            f"list answered {response.status_code}",
            failures,
        )
        html = response.content.decode() if response.status_code == 200 else ""
        shown = _page_ids(html, entry.surface("detail")) & all_ids
        _check(shown == visible, f"list shows {sorted(shown)}, expected {sorted(visible)}", failures)
        failures += _leaked_links(html, registry, user, f"list page {name}")
    elif surface in ("detail", "pdf"):
        for row in rows:
            response = client.get(reverse(name, args=[row.pk]))
            if row.pk in visible:
                _check(
                    response.status_code == 200,
                    f"{surface} {row.pk} answered {response.status_code}, visible",
                    failures,
                )
                if surface == "detail" and response.status_code == 200:
                    failures += _leaked_links(response.content.decode(), registry, user, f"detail page of {row.pk}")
            else:
                _check(
                    response.status_code == 404,
                    f"{surface} {row.pk} answered {response.status_code}, not in scope",
                    failures,
                )
    elif surface == "api_list":
        response = client.get(reverse(name), {"page_size": 200})
        _check(response.status_code == 200, f"API list answered {response.status_code}", failures)
        ids = {item["id"] for item in response.json().get("results", [])} if response.status_code == 200 else set()
        _check(
            ids & all_ids == visible, f"API list shows {sorted(ids & all_ids)}, expected {sorted(visible)}", failures
        )
        for item in response.json().get("results", []) if response.status_code == 200 else []:
            for count_field, (child_label, fk, condition) in spec.get("counts", {}).items():
                child = _model(child_label)
                expected = registry.visible_to(child, user).filter(**{fk: item["id"]}, **condition).count()
                _check(
                    item.get(count_field) == expected,
                    f"{count_field} of {item['id']} is {item.get(count_field)}, {expected} visible",
                    failures,
                )
    elif surface == "api_detail":
        for row in rows:
            response = client.get(reverse(name, args=[row.pk]))
            expected = 200 if row.pk in visible else 404
            _check(
                response.status_code == expected,
                f"API detail {row.pk} answered {response.status_code}, expected {expected}",
                failures,
            )
    elif surface == "export":
        response = client.get(reverse(name))
        values = _xlsx_values(response.content) if response.status_code == 200 else set()
        key = spec["key"]
        shown = {r.pk for r in rows if str(getattr(r, key)) in values}
        _check(shown == visible, f"export shows {sorted(shown)}, expected {sorted(visible)}", failures)
    elif surface == "map":
        response = client.get(reverse(name))
        _check(response.status_code == 200, f"map answered {response.status_code}", failures)
        features = response.json().get("features", []) if response.status_code == 200 else []
        ids = {f.get("id", (f.get("properties") or {}).get("id")) for f in features}
        expected = visible & _expected_on_map(label, rows)
        _check(ids & all_ids == expected, f"map shows {sorted(ids & all_ids)}, expected {sorted(expected)}", failures)
    elif surface == "media":
        for row in rows:
            for stored in _media_names(row, spec["surfaces"]["media"]):
                response = client.get(reverse("media", args=[stored]))
                expected = 200 if row.pk in visible else 404
                _check(
                    response.status_code == expected,
                    f"file of {row.pk} answered {response.status_code}, expected {expected}",
                    failures,
                )
    elif surface == "figures":
        response = client.get(reverse(name))
        if not visible and response.status_code in (403, 404):
            _check(True, "", failures)
        else:
            total = response.json()["assets"]["total"] if response.status_code == 200 else None
            _check(total == len(visible), f"figures count {total} assets, expected {len(visible)}", failures)
    elif surface == "write":
        failures += _writes_out_of_scope(world, registry, model, entry, user, client, rows, visible)
    assert not failures, f"{label} × {role} × {surface}:\n  " + "\n  ".join(failures)


def _snapshot(model, pk):
    from django.forms.models import model_to_dict

    row = model._default_manager.filter(pk=pk).first()
    return None if row is None else {k: str(v) for k, v in model_to_dict(row).items()}


def _writes_out_of_scope(world, registry, model, entry, user, client, rows, visible):
    failures = []
    api_detail = entry.surface("api_detail")
    # Out of scope: nobody writes. A read-only scope (leader, no role) writes nothing even in scope.
    read_only = scope_of(user).read_only
    for row in rows:
        if (row.pk in visible and not read_only) or not api_detail:
            continue
        before = _snapshot(model, row.pk)
        for method in WRITES:
            response = getattr(client, method)(
                reverse(api_detail, args=[row.pk]), data={}, content_type="application/json"
            )
            _check(
                response.status_code in (403, 404, 405),
                f"{method.upper()} {row.pk} ({'read only' if row.pk in visible else 'out of scope'}) answered "
                f"{response.status_code}",
                failures,
            )
        if model.__name__ == "Ticket":
            for action in ("sign", "submit", "verify", "return"):
                response = client.post(
                    reverse(api_detail, args=[row.pk]) + f"{action}/", data={}, content_type="application/json"
                )
                _check(
                    response.status_code == (403 if row.pk in visible else 404),
                    f"ticket {action} on {row.pk} answered {response.status_code}",
                    failures,
                )
        _check(
            _snapshot(model, row.pk) == before, f"{model.__name__} {row.pk} changed by an out-of-scope write", failures
        )
    if model.__name__ == "Ticket":
        failures += _ticket_create_references(world, registry, user, client)
    return failures


def _ticket_create_references(world, registry, user, client):
    """POST tickets/ naming a site out of the reporter's scope: 400 with a field message, no ticket written."""
    from inspections.models import Site, Ticket

    failures = []
    if not user.role:
        return failures
    for site in world.refs["sites"]:
        if registry.visible_to(Site, user).filter(pk=site.pk).exists() if Site in registry else True:
            continue
        count = Ticket.objects.count()
        response = client.post(
            reverse("api_ticket-list"),
            data={
                "category": world.refs["category"].pk,
                "description": "越权上报",
                "source": "self_inspection",
                "site": site.pk,
            },
        )
        _check(
            response.status_code == 400 and "site" in response.json(),
            f"ticket create at site {site.code} out of scope answered {response.status_code}",
            failures,
        )
        _check(
            Ticket.objects.count() == count, f"ticket create at site {site.code} out of scope wrote a ticket", failures
        )
    return failures
