import pytest
from django.urls import reverse

from inspections.models import Patrol, Ticket
from inspections.sites.selectors import site_checklist
from inspections.sites.services import patrol_check_in, patrol_record_results, patrol_start

pytestmark = pytest.mark.django_db


def test_admin_lists_every_inspections_model_and_tickets_are_read_only(client, district):
    from django.contrib import admin

    patrol = patrol_start(actor=district.supervisor, kind=Patrol.Kind.SUPERVISION_GROUP)
    visit = patrol_check_in(actor=district.supervisor, patrol=patrol, site=district.site_a, lat=40.0768, lng=113.3001)
    patrol_record_results(
        actor=district.supervisor,
        visit=visit,
        results=[
            {"standard": site_checklist(district.market).first(), "result": "fail", "category": district.category}
        ],
    )
    ticket = Ticket.objects.get()
    district.office.is_superuser = district.office.is_staff = True
    district.office.save()
    client.force_login(district.office)
    models = [m for m in admin.site._registry if m._meta.app_label == "inspections"]
    assert {m.__name__ for m in models} >= {
        "SiteType",
        "Site",
        "Category",
        "Patrol",
        "PatrolVisit",
        "ChecklistResult",
        "Ticket",
        "TicketEvent",
    }
    for model in models:
        url = reverse(f"admin:inspections_{model._meta.model_name}_changelist")
        assert client.get(url, {"q": "南关"} if admin.site._registry[model].search_fields else {}).status_code == 200, (
            url
        )
    for obj in (district.site_a, patrol, visit, ticket):
        assert client.get(reverse(f"admin:inspections_{obj._meta.model_name}_change", args=[obj.pk])).status_code == 200
    # A ticket cannot be added, changed or deleted here: only the services change tickets.
    assert client.get(reverse("admin:inspections_ticket_add")).status_code == 403
    response = client.post(reverse("admin:inspections_ticket_change", args=[ticket.pk]), {"description": "改掉"})
    assert response.status_code == 403
    ticket.refresh_from_db()
    assert ticket.description != "改掉"
    assert client.post(reverse("admin:inspections_ticket_delete", args=[ticket.pk]), {"post": "yes"}).status_code == 403
    assert Ticket.objects.filter(pk=ticket.pk).exists()
