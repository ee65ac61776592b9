"""Reads of the command structure, and the one place that says which regions a user's scope covers."""

from datetime import date, datetime

from django.db.models import F, Func, IntegerField, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.registry import visible_to
from core.scope import scope_of

from .models import Assignment, Campaign, CommandBody, Membership, Person, Region, Unit


def region_ids_in_scope(user) -> set[int] | None:
    """None means "everything" (office, leader). A thin reading of the one scope (core.scope.scope_of), which is
    computed once per request: a supervisor covers the regions of their command bodies and everything under them,
    a unit liaison the region of their unit and under it."""
    ids = scope_of(user).region_ids
    return None if ids is None else set(ids)


def region_subtree_q(region: Region, field: str = "region") -> Q:
    """A filter for objects whose `field` is this region or under it: one indexed prefix match."""
    return Q(**{f"{field}__path__startswith": region.path})


def campaign_current() -> Campaign | None:
    """The campaign the pages show: the active one that started last."""
    return Campaign.objects.filter(is_active=True).order_by("-start_date", "-id").first()


def count_subquery(queryset):
    """COUNT(*) of a correlated queryset as an annotation (no GROUP BY, 0 when empty)."""
    counted = queryset.order_by().annotate(_n=Func(F("pk"), function="COUNT")).values("_n")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


# --- Visibility: declared once per model in campaign/visibility.py (core.registry); these read it. ------------


def regions_visible_to(user):
    return visible_to(Region, user)


def units_visible_to(user):
    return visible_to(Unit, user)


def people_visible_to(user):
    return visible_to(Person, user)


def command_bodies_visible_to(user):
    return visible_to(CommandBody, user)


def assignments_visible_to(user):
    return visible_to(Assignment, user)


def visible_person_ids(user, person_ids) -> set[int]:
    """Which of these people the user may open (a page naming people links only those: a unit liaison reads the
    people of their own unit only). One query."""
    ids = {pk for pk in person_ids if pk is not None}
    return set(visible_to(Person, user).filter(pk__in=ids).values_list("pk", flat=True)) if ids else set()


def letter_visible(user, assignment) -> bool:
    """Whether the user may open this assignment's responsibility letter (the registry's media rule)."""
    from core.registry import REGISTRY

    return (
        bool(assignment.responsibility_letter)
        and REGISTRY.media_files(Assignment, user).filter(pk=assignment.pk).exists()
    )


# --- Lists --------------------------------------------------------------------------------------------


def region_list(queryset=None):
    """Regions with the number of units and sites in each one's whole subtree, counted by the database."""
    from inspections.models import Site

    queryset = Region.objects.all() if queryset is None else queryset
    return (
        queryset.select_related("parent")
        .annotate(
            units_under=count_subquery(Unit.objects.filter(region__path__startswith=OuterRef("path"))),
            sites_under=count_subquery(Site.objects.filter(region__path__startswith=OuterRef("path"))),
            children_count=count_subquery(Region.objects.filter(parent=OuterRef("pk"))),
        )
        .order_by("path")
    )


def region_tree(queryset=None) -> list[dict]:
    """The region list as nested nodes ({"region", "children"}) for the expandable tree; one query."""
    regions = list(region_list(queryset))
    nodes = {r.pk: {"region": r, "children": []} for r in regions}
    roots = []
    for region in regions:  # ordered by path: a parent always comes before its children
        parent = nodes.get(region.parent_id)
        (parent["children"] if parent else roots).append(nodes[region.pk])
    return roots


def unit_list(queryset):
    from inspections.models import Site

    return queryset.select_related("region", "region__parent").annotate(
        site_count=count_subquery(Site.objects.filter(unit=OuterRef("pk"))),
        people_count=count_subquery(Person.objects.filter(unit=OuterRef("pk"))),
    )


def person_list(queryset):
    return queryset.select_related("unit", "user").annotate(
        assignment_count=count_subquery(Assignment.objects.filter(person=OuterRef("pk"))),
        body_count=count_subquery(Membership.objects.filter(person=OuterRef("pk"))),
    )


def assignment_list(queryset):
    return queryset.select_related("person", "person__unit", "region", "region__parent", "site", "campaign")


def command_body_list(queryset):
    return queryset.select_related("parent", "campaign").prefetch_related(
        Prefetch("memberships", queryset=Membership.objects.select_related("person", "person__unit")),
        Prefetch("regions", queryset=Region.objects.order_by("path")),
    )


def org_chart(*, campaign: Campaign | None, user=None) -> dict:
    """The command structure of one campaign laid out by level: headquarters, office, then the groups.
    Bodies the user belongs to are marked (`is_mine`), so a supervisor finds their group at once."""
    if campaign is None:
        return {
            "campaign": None,
            "headquarters": [],
            "offices": [],
            "supervision_groups": [],
            "task_forces": [],
            "working_groups": [],
        }
    bodies = list(command_body_list(CommandBody.objects.filter(campaign=campaign)))
    mine = set()
    if user is not None and user.is_authenticated:
        mine = set(
            Membership.objects.filter(person__user=user, body__campaign=campaign).values_list("body_id", flat=True)
        )
    # Members link to their person's page only where the user may open it (a unit liaison: their own unit's).
    shown = visible_person_ids(user, [m.person_id for body in bodies for m in body.memberships.all()])
    for body in bodies:
        body.is_mine = body.pk in mine
        for membership in body.memberships.all():
            membership.person_visible = membership.person_id in shown
    by_kind = {kind: [b for b in bodies if b.kind == kind] for kind in CommandBody.Kind.values}
    return {
        "campaign": campaign,
        "headquarters": by_kind[CommandBody.Kind.HEADQUARTERS],
        "offices": by_kind[CommandBody.Kind.OFFICE],
        "supervision_groups": by_kind[CommandBody.Kind.SUPERVISION_GROUP],
        "task_forces": by_kind[CommandBody.Kind.TASK_FORCE],
        "working_groups": by_kind[CommandBody.Kind.WORKING_GROUP],
    }


# --- Change history ---------------------------------------------------------------------------------------


def _display(field, value):
    if value is None or value == "":
        return "—"
    if getattr(field, "choices", None):
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation and field.many_to_many:
        model = field.related_model
        ids = [v.get(model._meta.model_name) if isinstance(v, dict) else v for v in value]
        names = list(model.objects.filter(pk__in=ids).values_list("name", flat=True)) if hasattr(model, "name") else ids
        return "、".join(str(n) for n in names) or "—"
    if field.is_relation:
        obj = field.related_model._default_manager.filter(pk=value).first()
        return str(obj) if obj is not None else f"#{value}"
    if isinstance(value, bool):
        from django.utils.translation import gettext

        return gettext("Yes") if value else gettext("No")
    if isinstance(value, datetime):
        return (
            timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
            if timezone.is_aware(value)
            else f"{value:%Y-%m-%d %H:%M}"
        )
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def history_entries(obj, *, limit: int = 30, personal_fields=(), user=None) -> list[dict]:
    """Who changed what and when, newest first: one query for the records, then a diff of neighbours.
    Changes of `personal_fields` (phone numbers) are masked for `user` by the one rule (core.masking)."""
    from core.masking import personal_masker

    show = personal_masker(user)
    records = list(obj.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    model = type(obj)
    entries = []
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes = []
        if previous is not None and record.history_type == "~":
            for change in record.diff_against(previous).changes:
                try:
                    field = model._meta.get_field(change.field)
                except Exception:  # noqa: BLE001 - a field of the history model only
                    continue
                old, new = change.old, change.new
                if change.field in personal_fields:
                    old, new = show(old), show(new)
                changes.append({"field": field.verbose_name, "old": _display(field, old), "new": _display(field, new)})
        entries.append(
            {
                "when": record.history_date,
                "user": record.history_user,
                "type": record.get_history_type_display(),
                "kind": record.history_type,
                "changes": changes,
            }
        )
    return entries
