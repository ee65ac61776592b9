"""The role × model × surface matrix (issue 10): every surface shows exactly the rows of the model's visibility
declaration — no more, no fewer — and writes out of scope are refused and change nothing.

The cases are every model the apps register (core.registry.REGISTRY, from each <app>/visibility.py) × the six
roles × each surface the registration names (a model with none gets one "rule" case: a child row is visible exactly
when its parent is). A new registration is covered with no change here; its rows come from world.py.

Each surface is read as a user reads it: ids parsed from the API JSON, the GeoJSON features, the links of a page,
the cells of the .xlsx export; detail, PDF and media answer 200 exactly for visible rows and 404 for the others.
Every page fetched is also searched for links to the detail page of any registered model: each must be visible.
"""

import re
from contextlib import contextmanager
from io import BytesIO
from unittest.mock import patch

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils.html import escape

from core.registry import REGISTRY, Through
from core.scope import scope_of

from .world import ROLES, build_world

CHECKS = {"n": 0, "failed": 0}

# What the test needs to know of a model beyond its registration: counts a row carries of another model's rows
# (they must count only the visible ones). Everything else comes from core.registry.REGISTRY.
COUNTS = {
    "inspections.Site": {
        "open_ticket_count": (
            "inspections.Ticket",
            "site",
            {"status__in": ("dispatched", "rectifying", "submitted", "reported")},
        )
    },
}
# Where a figures surface says how many rows of the model it counts (the JSON path to the total).
FIGURES = {
    "publicity.Asset": ("assets", "total"),
    # material completeness: the requirement × unit pairs a role sees are its figures' `required`
    "evaluation.MaterialRequirement_units": ("totals", "required"),
}
# The fields that name a row in an export or on a list page without detail links, first one set wins.
KEY_FIELDS = ("number", "code", "title", "note", "name", "username", "service", "task")
# Nothing may write a row through its API detail out of scope (PATCH/PUT/DELETE) or run a ticket action on it.
WRITES = ("patch", "delete")


def _label(model):
    return model._meta.label


def _model(label):
    from django.apps import apps

    return apps.get_model(label)


def _registry():
    return REGISTRY


def _cases():
    for entry in REGISTRY:
        label = _label(entry.model)
        for role in ROLES:
            surfaces = list(entry.surfaces)
            if entry.surface("api_detail"):
                surfaces.append("write")
            for surface in surfaces or ["rule"]:
                yield pytest.param(label, role, surface, id=f"{label}-{role}-{surface}")


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    from django.db import transaction

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            built = build_world()
            # One signed-in client per role for the whole module (a sign-in per case would be most of the time).
            built.refs["clients"] = {role: _client(user) for role, user in built.users.items()}
            yield built
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
        hidden = sorted(shown - visible)
        _check(not hidden, f"{context}: links to {entry.model.__name__} {hidden}, out of scope", leaks)
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
def test_matrix(world, db, label, role, surface, request):
    before = (CHECKS["n"], CHECKS["failed"])
    try:
        _run_case(world, label, role, surface)
    finally:
        # The count travels with the test's report (tests/conftest.py sums it), so it is printed under xdist too.
        request.node.user_properties.append(
            ("scope_matrix", (CHECKS["n"] - before[0], CHECKS["failed"] - before[1], label, role))
        )


def _run_case(world, label, role, surface):
    registry = _registry()
    model = _model(label)
    entry = registry.entry(model)
    user = world.users[role]
    client = world.refs["clients"][role]
    rows = list(model._default_manager.all())
    all_ids = {r.pk for r in rows}
    visible = set(registry.visible_to(model, user).filter(pk__in=all_ids).values_list("pk", flat=True))
    failures = []
    name = entry.surface(surface) if surface not in ("write", "rule") else None

    if surface == "list":
        response = client.get(reverse(name), {"page_size": 100})
        _check(
            response.status_code in (200, 403) if not visible else response.status_code == 200,
            f"list answered {response.status_code}",
            failures,
        )
        html = response.content.decode() if response.status_code == 200 else ""
        if entry.surface("detail"):
            shown = _page_ids(html, entry.surface("detail")) & all_ids
        else:  # a list without detail pages: the rows are named on it
            shown = {r.pk for r in rows if _key(r) and escape(_key(r)) in html}
        _check(shown == visible, f"list shows {sorted(shown)}, expected {sorted(visible)}", failures)
        failures += _leaked_links(html, registry, user, f"list page {name}")
        if label == "inspections.Patrol":
            failures += _patrol_ticket_counts(registry, user, visible)
    elif surface in ("detail", "pdf"):
        for row in rows:
            with _pdf_as_html():
                response = client.get(reverse(name, args=[row.pk]))
            if row.pk in visible:
                _check(
                    response.status_code == 200,
                    f"{surface} {row.pk} answered {response.status_code}, visible",
                    failures,
                )
                if surface == "detail" and response.status_code == 200:
                    failures += _leaked_links(response.content.decode(), registry, user, f"detail page of {row.pk}")
                is_html = surface == "pdf" and not getattr(response, "streaming", False)
                if is_html and response.status_code == 200 and not response.content.startswith(b"%PDF"):
                    failures += _leaked_numbers(response.content.decode(), registry, user, f"PDF of {row.pk}")
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
            for count_field, (child_label, fk, condition) in COUNTS.get(label, {}).items():
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
        shown = {r.pk for r in rows if _key(r) in values}
        _check(shown == visible, f"export shows {sorted(shown)}, expected {sorted(visible)}", failures)
    elif surface == "map":
        response = client.get(reverse(name))
        _check(response.status_code == 200, f"map answered {response.status_code}", failures)
        features = response.json().get("features", []) if response.status_code == 200 else []
        ids = {f.get("id", (f.get("properties") or {}).get("id")) for f in features}
        expected = visible & _expected_on_map(label, rows)
        _check(ids & all_ids == expected, f"map shows {sorted(ids & all_ids)}, expected {sorted(expected)}", failures)
    elif surface == "media":
        # Files follow their row's visibility, narrowed where the model declares `media_visible` (letters).
        openable = set(registry.media_files(entry.model, user).values_list("pk", flat=True))
        for row in rows:
            for stored in _media_names(row, entry.surface("media")):
                response = client.get(reverse("media", args=[stored]))
                expected = 200 if row.pk in openable else 404
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
            _check(response.status_code == 200, f"figures answered {response.status_code}", failures)
            path = FIGURES.get(label)
            if path and response.status_code == 200:
                total = response.json()
                for part in path:
                    total = total.get(part) if isinstance(total, dict) else None
                _check(total == len(visible), f"figures count {total}, expected {len(visible)}", failures)
    elif surface == "write":
        failures += _writes_out_of_scope(world, registry, model, entry, user, client, rows, visible)
    elif surface == "rule":
        failures += _rule(registry, entry, user, rows, visible)
    assert not failures, f"{label} × {role} × {surface}:\n  " + "\n  ".join(failures)


@contextmanager
def _pdf_as_html():
    """PDFs are rendered as their HTML (WeasyPrint is slow, and HTML can be searched): the same template and
    context; a stored PDF (a bulletin's) is served as it is."""
    from django.template.loader import render_to_string

    def as_html(template_name, context):
        return render_to_string(template_name, context).encode()

    with patch("core.pdf.render_pdf", as_html), patch("inspections.tickets.documents.render_pdf", as_html):
        yield


def _leaked_numbers(html, registry, user, context):
    """Ticket numbers printed on a document the user may open must be numbers of tickets they see."""
    from inspections.models import Ticket

    leaks = []
    hidden = Ticket.objects.exclude(pk__in=registry.visible_to(Ticket, user)).values_list("number", flat=True)
    for number in hidden:
        _check(number not in html, f"{context}: prints ticket {number}, out of scope", leaks)
    return leaks


def _key(row):
    for name in KEY_FIELDS:
        value = getattr(row, name, None)
        if isinstance(value, str) and value:
            return value
    return None


def _rule(registry, entry, user, rows, visible):
    """A model without surfaces of its own: a child declared `through` its parent is visible exactly when the
    parent is; every other rule at least answers, and a signed-out visitor sees none of its rows."""
    from django.contrib.auth.models import AnonymousUser

    failures = []
    rule = entry.visible
    if isinstance(rule, Through):
        parents = set(registry.visible_to(rule.parent, user).values_list("pk", flat=True))
        expected = {r.pk for r in rows if getattr(r, f"{rule.field}_id") in parents}
        _check(visible == expected, f"rows {sorted(visible)}, parents visible give {sorted(expected)}", failures)
    anonymous = registry.visible_to(entry.model, AnonymousUser()).count()
    _check(anonymous == 0, f"a signed-out visitor sees {anonymous} rows", failures)
    return failures


def _patrol_ticket_counts(registry, user, visible):
    """A patrol's ticket count (list page) counts only the tickets the user sees."""
    from inspections.models import Ticket
    from inspections.sites.selectors import patrol_list

    failures = []
    for patrol in patrol_list(user=user).filter(pk__in=visible):
        expected = registry.visible_to(Ticket, user).filter(patrol_visit__patrol=patrol).count()
        _check(
            patrol.ticket_count == expected,
            f"ticket count of patrol {patrol.pk} is {patrol.ticket_count}, {expected} visible",
            failures,
        )
    return failures


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
