"""Reads of the evaluation system (测评体系). The responsibility list and material review read through their own
modules; every read starts from `core.registry.visible_to`."""

from __future__ import annotations

from django.db.models import Count, Prefetch, QuerySet

from .models import EvaluationItem, StandardMethod


def evaluation_tree() -> list[dict]:
    """The whole tree in three queries (items, their site types, their methods): a list of projects, each with its
    contents, each with its standards."""
    from inspections.models import SiteType

    items = list(
        EvaluationItem.objects.order_by("sort_order", "code").prefetch_related(
            Prefetch("site_types", queryset=SiteType.objects.order_by("sort_order", "name")),
            Prefetch("methods", queryset=StandardMethod.objects.order_by("method")),
        )
    )
    nodes = {item.pk: {"item": item, "children": []} for item in items}
    roots = []
    for item in items:
        node = nodes[item.pk]
        if item.parent_id and item.parent_id in nodes:
            nodes[item.parent_id]["children"].append(node)
        else:
            roots.append(node)
    return roots


def evaluation_counts() -> dict:
    rows = EvaluationItem.objects.values("level").annotate(n=Count("pk"))
    counts = {level: 0 for level in EvaluationItem.Level.values}
    counts.update({row["level"]: row["n"] for row in rows})
    return counts


def standards(queryset: QuerySet | None = None) -> QuerySet:
    """The standards with their content and project joined, in evaluation order."""
    queryset = EvaluationItem.objects.all() if queryset is None else queryset
    return (
        queryset.filter(level=EvaluationItem.Level.STANDARD)
        .select_related("parent", "parent__parent")
        .order_by("parent__parent__sort_order", "parent__sort_order", "sort_order", "code")
    )


def standards_with_method(method: str) -> QuerySet:
    """The standards collected (also) by `method` (e.g. material review)."""
    return standards(EvaluationItem.objects.filter(methods__method=method))
