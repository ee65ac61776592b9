"""Writes for sites, site types, problem categories and patrols.

Every function owns its transaction, checks who may do it, and raises a translated domain error. Imports
validate the whole sheet first and write nothing unless every row is clean.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from campaign.models import Region, Unit
from core.exceptions import DomainError, InvalidTransition, NotInScope, NotPermitted
from core.imports import Column, ImportResult, RowError, cell_text, read_sheet
from core.scope import scope_of
from evaluation.models import EvaluationItem
from inspections.models import Category, ChecklistResult, Patrol, PatrolVisit, Site, SiteType, Ticket
from inspections.sites.selectors import haversine_m, sites_visible_to


def _require_office(actor):
    if not actor.is_office:
        raise NotPermitted(_("Only the campaign office may do this."))


# --- Reference data: site types and categories ------------------------------------------------------


@transaction.atomic
def reference_data_load(*, actor=None) -> dict:
    """Create the default site types and problem categories that are missing (existing codes untouched)."""
    if actor is not None:
        _require_office(actor)
    from inspections.data.reference import CATEGORIES, SITE_TYPES

    have_types = set(SiteType.objects.values_list("code", flat=True))
    have_names = set(SiteType.objects.values_list("name", flat=True))
    new_types = [
        SiteType(code=code, name=name, sort_order=i)
        for i, (code, name) in enumerate(SITE_TYPES, start=1)
        if code not in have_types and name not in have_names
    ]
    bulk_create_with_history(new_types, SiteType, default_user=actor)
    have_cats = set(Category.objects.values_list("code", flat=True))
    have_cat_names = set(Category.objects.values_list("name", flat=True))
    new_cats = [
        Category(code=code, name=name, group=group, severity=severity, deadline_working_days=days)
        for code, name, group, severity, days in CATEGORIES
        if code not in have_cats and name not in have_cat_names
    ]
    bulk_create_with_history(new_cats, Category, default_user=actor)
    return {"site_types": len(new_types), "categories": len(new_cats)}


@transaction.atomic
def site_type_save(
    *, actor, site_type: SiteType | None = None, name: str, code: str, sort_order: int = 0, standards=None
) -> SiteType:
    _require_office(actor)
    if site_type is not None:
        site_type = SiteType.objects.select_for_update().get(pk=site_type.pk)
    else:
        site_type = SiteType()
    site_type.name, site_type.code, site_type.sort_order = name.strip(), code.strip(), sort_order
    site_type.full_clean()
    site_type._history_user = actor
    site_type.save()
    if standards is not None:
        standards = list(standards)
        if any(s.level != EvaluationItem.Level.STANDARD for s in standards):
            raise ValidationError({"standards": _("Only evaluation standards can be on a checklist.")})
        site_type.standards.set(standards)
    return site_type


@transaction.atomic
def category_save(
    *,
    actor,
    category: Category | None = None,
    name: str,
    code: str,
    group: str,
    severity: str,
    deadline_working_days: int,
    is_active: bool = True,
) -> Category:
    _require_office(actor)
    if category is not None:
        category = Category.objects.select_for_update().get(pk=category.pk)
    else:
        category = Category()
    category.name, category.code, category.group = name.strip(), code.strip(), group
    category.severity, category.deadline_working_days, category.is_active = severity, deadline_working_days, is_active
    if deadline_working_days is not None and deadline_working_days < 1:
        raise ValidationError({"deadline_working_days": _("The deadline must be at least one working day.")})
    category.full_clean()
    category._history_user = actor
    category.save()
    return category


# --- Sites -------------------------------------------------------------------------------------------


def _check_coordinates(lat, lng):
    if (lat is None) != (lng is None):
        raise ValidationError({"lat": _("Give both latitude and longitude, or neither.")})
    if lat is not None and not (-90 <= lat <= 90):
        raise ValidationError({"lat": _("Latitude must be between -90 and 90.")})
    if lng is not None and not (-180 <= lng <= 180):
        raise ValidationError({"lng": _("Longitude must be between -180 and 180.")})


@transaction.atomic
def site_save(
    *,
    actor,
    site: Site | None = None,
    name: str,
    code: str,
    site_type: SiteType,
    region: Region,
    unit: Unit,
    address: str = "",
    lat: float | None = None,
    lng: float | None = None,
    is_key: bool = False,
    is_active: bool = True,
) -> Site:
    """Create a site or change one (office only)."""
    _require_office(actor)
    _check_coordinates(lat, lng)
    site = Site.objects.select_for_update().get(pk=site.pk) if site is not None else Site()
    for name_, value in {
        "name": name.strip(),
        "code": code.strip(),
        "site_type": site_type,
        "region": region,
        "unit": unit,
        "address": address.strip(),
        "lat": lat,
        "lng": lng,
        "is_key": is_key,
        "is_active": is_active,
    }.items():
        setattr(site, name_, value)
    site.full_clean()
    site._history_user = actor
    site.save()
    return site


SITE_COLUMNS = [
    Column("code", "点位编码", gettext_lazy("Site code"), True),
    Column("name", "点位名称", gettext_lazy("Site name"), True),
    Column("site_type", "点位类型", gettext_lazy("Site type"), True),
    Column("region", "所属区域", gettext_lazy("Region"), True),
    Column("unit", "责任单位", gettext_lazy("Responsible unit"), True),
    Column("address", "地址", gettext_lazy("Address")),
    Column("lat", "纬度", gettext_lazy("Latitude")),
    Column("lng", "经度", gettext_lazy("Longitude")),
    Column("is_key", "重点点位", gettext_lazy("Key site")),
]
TRUE_WORDS = {"是", "y", "yes", "true", "1", "重点", "√"}
FALSE_WORDS = {"", "否", "n", "no", "false", "0"}


def _unique_lookup(rows, *fields):
    """{code: obj, name: obj} where a name that is not unique maps to None (ambiguous)."""
    lookup = {}
    for obj in rows:
        lookup[obj.code.lower()] = obj
    names = {}
    for obj in rows:
        names.setdefault(obj.name, []).append(obj)
    for name, objs in names.items():
        lookup.setdefault(name.lower(), objs[0] if len(objs) == 1 else None)
    return lookup


def site_import(*, actor, file) -> ImportResult:
    """Create or update sites (matched by code) from a sheet. Region, unit and site type may be given by
    code or by a unique name. Nothing is written unless every row is valid."""
    _require_office(actor)
    rows, errors = read_sheet(file, SITE_COLUMNS)
    result = ImportResult(errors=errors)
    if errors:
        return result
    types = _unique_lookup(list(SiteType.objects.all()))
    regions = _unique_lookup(list(Region.objects.all()))
    units = _unique_lookup(list(Unit.objects.all()))
    seen: dict[str, int] = {}
    parsed = []
    for number, row in rows:

        def bad(message, _number=number):
            result.errors.append(RowError(_number, message))

        values = {c.key: cell_text(row.get(c.key)) for c in SITE_COLUMNS}
        missing = [c.header for c in SITE_COLUMNS if c.required and not values[c.key]]
        if missing:
            bad(_("Empty required cells: %(columns)s.") % {"columns": "、".join(missing)})
            continue
        problems = []
        if values["code"] in seen:
            problems.append(
                _("Site code %(code)s appears twice (first on row %(row)s).")
                % {"code": values["code"], "row": seen[values["code"]]}
            )
        if len(values["code"]) > 40:
            problems.append(_("The site code is longer than 40 characters."))
        if len(values["name"]) > 200:
            problems.append(_("The site name is longer than 200 characters."))
        if len(values["address"]) > 200:
            problems.append(_("The address is longer than 200 characters."))
        found = {}
        for key, lookup, message in (
            ("site_type", types, _("Unknown site type “%(value)s”.")),
            ("region", regions, _("Unknown region “%(value)s”.")),
            ("unit", units, _("Unknown unit “%(value)s”.")),
        ):
            needle = values[key].lower()
            if needle in lookup and lookup[needle] is None:
                problems.append(
                    _("The name “%(value)s” matches several records: use the code.") % {"value": values[key]}
                )
            elif needle not in lookup:
                problems.append(message % {"value": values[key]})
            else:
                found[key] = lookup[needle]
        coords = {}
        for key, low, high, label in (("lat", -90, 90, _("latitude")), ("lng", -180, 180, _("longitude"))):
            if values[key] == "":
                coords[key] = None
                continue
            try:
                coords[key] = float(values[key])
            except ValueError:
                problems.append(
                    _("The %(field)s “%(value)s” is not a number.") % {"field": label, "value": values[key]}
                )
                continue
            if not low <= coords[key] <= high:
                problems.append(
                    _("The %(field)s must be between %(low)s and %(high)s.")
                    % {"field": label, "low": low, "high": high}
                )
        if len(coords) == 2 and (coords["lat"] is None) != (coords["lng"] is None):
            problems.append(_("Give both latitude and longitude, or neither."))
        key_word = values["is_key"].lower()
        if key_word not in TRUE_WORDS | FALSE_WORDS:
            problems.append(_("Key site must be 是 or 否, not “%(value)s”.") % {"value": values["is_key"]})
        seen.setdefault(values["code"], number)
        if problems:
            for message in problems:
                bad(message)
            continue
        parsed.append(
            {
                "code": values["code"],
                "name": values["name"],
                "address": values["address"],
                "site_type": found["site_type"],
                "region": found["region"],
                "unit": found["unit"],
                "lat": coords["lat"],
                "lng": coords["lng"],
                "is_key": key_word in TRUE_WORDS,
            }
        )
    if result.errors:
        return result
    fields = ["name", "address", "site_type", "region", "unit", "lat", "lng", "is_key"]
    with transaction.atomic():
        locked = {s.code: s for s in Site.objects.select_for_update().filter(code__in=[p["code"] for p in parsed])}
        to_create, to_update = [], []
        for data in parsed:
            site = locked.get(data["code"])
            if site is None:
                to_create.append(Site(**data))
            else:
                for name in fields:
                    setattr(site, name, data[name])
                to_update.append(site)
        bulk_create_with_history(to_create, Site, batch_size=500, default_user=actor)
        bulk_update_with_history(to_update, Site, fields, batch_size=500, default_user=actor)
    result.created, result.updated = len(to_create), len(to_update)
    return result


def site_export_rows(queryset):
    """Rows for the site ledger, in the column order of `site_export_headers`, streamed from the database."""
    return queryset.values_list(
        "code",
        "name",
        "site_type__name",
        "region__code",
        "unit__code",
        "address",
        "lat",
        "lng",
        "is_key",
        "region__name",
        "unit__name",
        "open_ticket_count",
        "last_visit_at",
    ).iterator(chunk_size=1000)


def site_export_headers() -> list[str]:
    """Chinese ledgers carry the offices' own column names (the import's format); other languages the
    translated labels (the import accepts those too)."""
    from django.utils.translation import get_language

    chinese = (get_language() or "").startswith("zh")
    return [c.header if chinese else str(c.label) for c in SITE_COLUMNS] + [
        _("Region name"),
        _("Unit name"),
        _("Open tickets"),
        _("Last visit"),
    ]


# --- Patrols -------------------------------------------------------------------------------------------

SOURCE_FOR_KIND = {
    Patrol.Kind.SELF_INSPECTION: Ticket.Source.SELF_INSPECTION,
    Patrol.Kind.MOCK_EVALUATION: Ticket.Source.MOCK_EVALUATION,
    Patrol.Kind.LEADER_SPLIT: Ticket.Source.LEADER,
    Patrol.Kind.LEADER_JOINT: Ticket.Source.LEADER,
}


LEADER_KINDS = (Patrol.Kind.LEADER_SPLIT, Patrol.Kind.LEADER_JOINT)


def patrol_kinds_for(user) -> list[tuple[str, str]]:
    """The kinds of patrol a user may start: the office any; a leader the leaders' patrols, special and
    unannounced checks and video patrols; a supervisor every kind but the leaders' own; a unit liaison only
    its self-inspection (自查自纠)."""
    K = Patrol.Kind
    scope = scope_of(user)
    if scope.is_office:
        kinds = list(K)
    elif scope.is_unit:
        kinds = [K.SELF_INSPECTION]
    elif scope.is_leader:
        kinds = [K.LEADER_SPLIT, K.LEADER_JOINT, K.SPECIAL, K.UNANNOUNCED, K.VIDEO]
    elif scope.is_supervisor:
        kinds = [k for k in K if k not in LEADER_KINDS and k != K.SELF_INSPECTION]
    else:
        kinds = []
    return [(k.value, k.label) for k in kinds]


@transaction.atomic
def patrol_start(
    *,
    actor,
    kind: str,
    title: str = "",
    members=(),
    command_body=None,
    note: str = "",
    started_at: datetime | None = None,
) -> Patrol:
    if kind not in Patrol.Kind.values:
        raise ValidationError({"kind": _("Unknown kind of patrol.")})
    if kind not in {k for k, _label in patrol_kinds_for(actor)}:
        if scope_of(actor).is_unit:
            raise NotPermitted(_("A unit liaison may only start a self-inspection."))
        raise NotPermitted(_("Your role may not start this kind of patrol."))
    if len(title) > 200:
        raise ValidationError({"title": _("The title is longer than 200 characters.")})
    patrol = Patrol.objects.create(
        kind=kind,
        title=title.strip(),
        leader=actor,
        command_body=command_body,
        note=note.strip(),
        started_at=started_at or timezone.now(),
    )
    members = [m for m in members if m.pk != actor.pk]
    if any(not m.is_active for m in members):
        raise ValidationError({"members": _("Only active accounts can join a patrol.")})
    if scope_of(actor).is_unit and any(m.unit_id != actor.unit_id for m in members):
        raise ValidationError({"members": _("A self-inspection is done by the people of one unit.")})
    if members:
        patrol.members.set(members)
    return patrol


def _check_patrol_member(*, actor, patrol: Patrol):
    if actor.is_office or patrol.leader_id == actor.pk:
        return
    if patrol.members.filter(pk=actor.pk).exists():
        return
    raise NotPermitted(_("Only the members of this patrol may record on it."))


def _lock_open_patrol(patrol: Patrol) -> Patrol:
    patrol = Patrol.objects.select_for_update().get(pk=patrol.pk)
    if patrol.status != Patrol.Status.OPEN:
        raise InvalidTransition(_("This patrol is finished: nothing more can be recorded on it."))
    return patrol


@transaction.atomic
def patrol_check_in(
    *,
    actor,
    patrol: Patrol,
    site: Site,
    lat: float | None = None,
    lng: float | None = None,
    note: str = "",
    at: datetime | None = None,
) -> PatrolVisit:
    """Check in at a site. The distance from the reported position to the site is kept; a check-in farther
    than CHECKIN_MAX_DISTANCE_M is flagged too far. Video patrols are watched from the operations centre:
    they need no position."""
    patrol = _lock_open_patrol(patrol)
    _check_patrol_member(actor=actor, patrol=patrol)
    if not sites_visible_to(actor).filter(pk=site.pk).exists():
        raise NotInScope(_("No such site."))
    if not site.is_active:
        raise DomainError(_("This site is no longer active."))
    if patrol.visits.filter(site=site).exists():
        raise DomainError(_("This site is already checked in on this patrol."))
    distance, too_far = None, False
    if patrol.kind == Patrol.Kind.VIDEO:
        lat = lng = None
    else:
        if lat is None or lng is None:
            raise ValidationError(
                {"lat": _("Your position is needed to check in: allow location access and try again.")}
            )
        _check_coordinates(lat, lng)
        if site.lat is not None and site.lng is not None:
            distance = round(haversine_m(lat, lng, site.lat, site.lng), 1)
            too_far = distance > settings.CHECKIN_MAX_DISTANCE_M
    return PatrolVisit.objects.create(
        patrol=patrol,
        site=site,
        visitor=actor,
        checked_in_at=at or timezone.now(),
        lat=lat,
        lng=lng,
        distance_m=distance,
        too_far=too_far,
        note=note.strip(),
    )


def _ticket_source(patrol: Patrol) -> str:
    return SOURCE_FOR_KIND.get(patrol.kind, Ticket.Source.PATROL)


@transaction.atomic
def patrol_record_results(*, actor, visit: PatrolVisit, results: list[dict]) -> list[ChecklistResult]:
    """Record checklist results for a visit. Each entry: `standard` (an item of the site type's checklist),
    `result` (pass / fail / na), optional `score` (mock evaluations: 0 … the standard's maximum; a pass
    without a score gets the maximum, a fail 0), `note`, and for a fail the problem `category` and optional
    `photos`. Every failed item becomes a ticket linked to its standard."""
    from inspections.tickets.services import ticket_report

    visit = PatrolVisit.objects.select_for_update().select_related("patrol", "site", "site__site_type").get(pk=visit.pk)
    patrol = _lock_open_patrol(visit.patrol)
    _check_patrol_member(actor=actor, patrol=patrol)
    if not results:
        raise ValidationError({"results": _("Record at least one checklist item.")})
    checklist = {s.pk: s for s in visit.site.site_type.standards.all()}
    done = set(visit.results.values_list("standard_id", flat=True))
    mock = patrol.kind == Patrol.Kind.MOCK_EVALUATION
    seen = set()
    prepared = []
    for entry in results:
        standard = entry.get("standard")
        standard_id = getattr(standard, "pk", standard)
        standard = checklist.get(standard_id)
        if standard is None:
            raise ValidationError({"results": _("An item is not on this site type's checklist.")})
        if standard.pk in seen or standard.pk in done:
            raise ValidationError(
                {"results": _("Item %(code)s is already recorded for this visit.") % {"code": standard.code}}
            )
        seen.add(standard.pk)
        result = entry.get("result")
        if result not in ChecklistResult.Result.values:
            raise ValidationError(
                {"results": _("Item %(code)s needs a result: pass, fail or not applicable.") % {"code": standard.code}}
            )
        score = entry.get("score")
        if mock and result != ChecklistResult.Result.NOT_APPLICABLE:
            if score in (None, ""):
                score = standard.max_score if result == ChecklistResult.Result.PASS else Decimal(0)
            try:
                score = Decimal(str(score))
            except InvalidOperation:
                raise ValidationError(
                    {"results": _("The score of item %(code)s is not a number.") % {"code": standard.code}}
                ) from None
            top = standard.max_score if standard.max_score is not None else Decimal(100)
            if score < 0 or score > top:
                raise ValidationError(
                    {
                        "results": _("The score of item %(code)s must be between 0 and %(max)s.")
                        % {"code": standard.code, "max": top}
                    }
                )
        else:
            score = None
        category = entry.get("category")
        if result == ChecklistResult.Result.FAIL:
            if isinstance(category, (int, str)) and category != "":
                category = Category.objects.filter(pk=category, is_active=True).first()
            if not isinstance(category, Category):
                raise ValidationError(
                    {"results": _("Choose a problem category for failed item %(code)s.") % {"code": standard.code}}
                )
        prepared.append(
            (standard, result, score, (entry.get("note") or "").strip(), category, entry.get("photos") or ())
        )

    saved = []
    for standard, result, score, note, category, photos in prepared:
        ticket = None
        if result == ChecklistResult.Result.FAIL:
            ticket = ticket_report(
                actor=actor,
                category=category,
                description=note or f"{standard.code} {standard.text}",
                source=_ticket_source(patrol),
                site=visit.site,
                lat=visit.lat,
                lng=visit.lng,
                photos=photos,
                standard=standard,
                patrol_visit=visit,
            )
        saved.append(
            ChecklistResult.objects.create(
                visit=visit,
                standard=standard,
                result=result,
                score=score,
                note=note,
                ticket=ticket,
            )
        )
    if mock:
        visit.score = visit.results.aggregate(total=Sum("score"))["total"]
        visit.save(update_fields=["score"])
    return saved


@transaction.atomic
def patrol_report_problem(*, actor, visit: PatrolVisit, category: Category, description: str, photos=()) -> Ticket:
    """A problem seen during the visit that is not a checklist item: a ticket from this visit."""
    from inspections.tickets.services import ticket_report

    visit = PatrolVisit.objects.select_related("patrol", "site").get(pk=visit.pk)
    patrol = _lock_open_patrol(visit.patrol)
    _check_patrol_member(actor=actor, patrol=patrol)
    if not description.strip():
        raise ValidationError({"description": _("Describe the problem.")})
    return ticket_report(
        actor=actor,
        category=category,
        description=description.strip(),
        source=_ticket_source(patrol),
        site=visit.site,
        lat=visit.lat,
        lng=visit.lng,
        photos=photos,
        patrol_visit=visit,
    )


@transaction.atomic
def patrol_fix_on_spot(
    *, actor, visit: PatrolVisit, category: Category, description: str, before_photos, after_photos
) -> Ticket:
    """立行立改: a problem found and fixed during the visit, with before and after photos."""
    from inspections.tickets.services import ticket_fix_on_spot

    visit = PatrolVisit.objects.select_related("patrol", "site").get(pk=visit.pk)
    patrol = _lock_open_patrol(visit.patrol)
    _check_patrol_member(actor=actor, patrol=patrol)
    if not description.strip():
        raise ValidationError({"description": _("Describe the problem.")})
    if not before_photos or not after_photos:
        raise ValidationError({"photos": _("A problem fixed on the spot needs photos before and after.")})
    return ticket_fix_on_spot(
        actor=actor,
        category=category,
        description=description.strip(),
        site=visit.site,
        before_photos=before_photos,
        after_photos=after_photos,
        source=_ticket_source(patrol),
        lat=visit.lat,
        lng=visit.lng,
        patrol_visit=visit,
    )


@transaction.atomic
def patrol_finish(*, actor, patrol: Patrol, note: str = "") -> Patrol:
    patrol = Patrol.objects.select_for_update().get(pk=patrol.pk)
    if not (actor.is_office or patrol.leader_id == actor.pk):
        raise NotPermitted(_("Only the leader of the patrol may finish it."))
    if patrol.status != Patrol.Status.OPEN:
        raise InvalidTransition(_("This patrol is already finished."))
    if not patrol.visits.exists():
        raise DomainError(_("Check in at a site before finishing the patrol."))
    patrol.status = Patrol.Status.FINISHED
    patrol.finished_at = timezone.now()
    fields = ["status", "finished_at"]
    if note.strip():
        patrol.note = (patrol.note + "\n" + note.strip()).strip()
        fields.append("note")
    patrol.save(update_fields=fields)
    return patrol
