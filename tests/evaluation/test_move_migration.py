"""The evaluation system moved from inspections to evaluation (evaluation 0001–0003, inspections 0007): an office's
existing tree, its checklists, checklist results and tickets keep their rows, ids and links, and each standard's one
method becomes its first collection method."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("inspections", "0006_site_history"), ("evaluation", None)]


def _migrate(targets):
    """Migrate to `targets`; the apps of that state (an app at None: the state of the others)."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state([t for t in targets if t[1] is not None]).apps


@pytest.mark.django_db(transaction=True)
def test_the_tree_and_everything_linked_to_it_survive_the_move():
    old = _migrate(BEFORE)
    Item = old.get_model("inspections", "EvaluationItem")
    SiteType = old.get_model("inspections", "SiteType")
    project = Item.objects.create(level="project", code="P1", text="公共秩序", sort_order=1)
    content = Item.objects.create(level="content", code="P1.1", text="交通秩序", parent=project)
    field = Item.objects.create(
        level="standard", code="P1.1.1", text="各行其道", parent=content, method="field", max_score=3
    )
    material = Item.objects.create(
        level="standard", code="P1.1.2", text="台账齐全", parent=content, method="material", max_score=2
    )
    crossing = SiteType.objects.create(name="交通路口", code="crossing")
    crossing.standards.add(field)

    latest = _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    Moved = latest.get_model("evaluation", "EvaluationItem")
    assert Moved._meta.db_table == "evaluation_evaluationitem"
    assert {(i.pk, i.code, i.parent_id) for i in Moved.objects.all()} == {
        (project.pk, "P1", None),
        (content.pk, "P1.1", project.pk),
        (field.pk, "P1.1.1", content.pk),
        (material.pk, "P1.1.2", content.pk),
    }
    assert Moved.objects.get(pk=field.pk).max_score == 3
    methods = latest.get_model("evaluation", "StandardMethod").objects.values_list("standard_id", "method")
    assert set(methods) == {(field.pk, "field"), (material.pk, "material")}
    checklist = latest.get_model("inspections", "SiteType").objects.get(code="crossing").standards
    assert list(checklist.values_list("pk", flat=True)) == [field.pk]
    # New rows get fresh ids after the renamed table's sequence.
    assert Moved.objects.create(level="project", code="P2", text="新项目").pk > material.pk
    ContentType = latest.get_model("contenttypes", "ContentType")
    assert ContentType.objects.filter(app_label="evaluation", model="evaluationitem").exists()
