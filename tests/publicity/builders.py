import pytest


@pytest.fixture
def make_asset(vcity):
    from publicity.services import asset_create

    def _make(
        *, site=None, kind="public_ad", theme="讲文明 树新风", lat=None, lng=None, region=None, unit=None, **extra
    ):
        if site is None and lat is None:
            site = vcity.site_a
        return asset_create(
            actor=vcity.office, kind=kind, theme=theme, site=site, lat=lat, lng=lng, region=region, unit=unit, **extra
        )

    return _make


def close_ticket(vcity, ticket):
    """Bring a ticket from reported to closed through the inspections services."""
    from inspections.tickets import services
    from tests.volunteers.builders import jpeg

    unit_user = vcity.unit if ticket.unit_id == vcity.unit_a.pk else vcity.unit2
    ticket = services.ticket_dispatch(actor=vcity.office, ticket=ticket, unit=ticket.unit)
    ticket = services.ticket_sign(actor=unit_user, ticket=ticket)
    ticket = services.ticket_submit(actor=unit_user, ticket=ticket, note="已更换", photos=[jpeg("after.jpg")])
    return services.ticket_verify(actor=vcity.office, ticket=ticket, approved=True)
