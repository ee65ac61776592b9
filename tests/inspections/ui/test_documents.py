"""The rectification notice and the supervision order: real PDFs with the Chinese text and the CJK font
embedded, a QR code of the ticket page, the before photos."""

import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse

from inspections.models import SupervisionOrder, Ticket

from .world import dispatched, report

pytestmark = pytest.mark.django_db
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


def pdf_text(content: bytes, name: str) -> tuple[str, str]:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    path.write_bytes(content)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True).stdout.decode()
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True).stdout.decode()
    return text, fonts


def assert_cjk_font_embedded(fonts: str):
    rows = [line for line in fonts.splitlines()[2:] if line.strip()]
    cjk = [row for row in rows if "WenQuanYi" in row or "Noto" in row or "CJK" in row]
    assert cjk, fonts
    # pdffonts columns: name type encoding emb sub uni …; "yes" in the emb column for every CJK font
    assert all(row.split()[-5] == "yes" for row in cjk), fonts


def test_rectification_notice_pdf(world, client_for):
    ticket = dispatched(world, photos=2)
    response = client_for(world.unit).get(reverse("inspections:ticket_notice_pdf", args=[ticket.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    text, fonts = pdf_text(response.content, "rectification-notice.pdf")
    flat = "".join(text.split())
    for expected in (
        "整改通知单",
        ticket.number,
        world.unit_a.name,
        world.site_a.name,
        "占道经营",
        ticket.deadline.isoformat(),
        "签收人",
        "创建全国文明城市指挥部办公室",
    ):
        assert expected in flat, expected
    assert_cjk_font_embedded(fonts)
    images = (
        subprocess.run(
            ["pdfimages", "-list", str(ARTIFACTS / "rectification-notice.pdf")], capture_output=True, check=True
        )
        .stdout.decode()
        .splitlines()[2:]
    )
    assert len(images) >= 3  # two before photos and the QR code


def test_notice_in_english(world, client_for):
    ticket = dispatched(world)
    client = client_for(world.office)
    response = client.get(reverse("inspections:ticket_notice_pdf", args=[ticket.pk]), HTTP_ACCEPT_LANGUAGE="en")
    text, _fonts = pdf_text(response.content, "rectification-notice-en.pdf")
    assert "Rectification notice" in text and ticket.number in text


def test_no_notice_before_dispatch(world, client_for):
    ticket = report(world)  # the site's unit is already on it, but nothing is dispatched yet
    client = client_for(world.office)
    url = reverse("inspections:ticket_notice_pdf", args=[ticket.pk])
    assert url not in client.get(reverse("inspections:ticket_detail", args=[ticket.pk])).content.decode()
    response = client.get(url, follow=True)
    assert response.redirect_chain and "整改通知单" in response.content.decode()
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize(
    "days_late, level, colour_word",
    [
        (1, Ticket.Escalation.WHITE, "白色"),
        (3, Ticket.Escalation.YELLOW, "黄色"),
        (8, Ticket.Escalation.RED, "红色"),
    ],
)
def test_supervision_order_pdf(world, client_for, days_late, level, colour_word):
    from inspections.tickets.services import ticket_escalate_all

    ticket = dispatched(world)
    today = ticket.deadline + timedelta(days=days_late)
    ticket_escalate_all(today=today)
    order = SupervisionOrder.objects.get(ticket=ticket, level=level)
    client = client_for(world.office)
    page = client.get(reverse("inspections:ticket_detail", args=[ticket.pk])).content.decode()
    url = reverse("inspections:supervision_order_pdf", args=[ticket.pk, order.pk])
    assert url in page
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text, fonts = pdf_text(response.content, f"supervision-order-{level}.pdf")
    flat = "".join(text.split())
    for expected in ("督办单", order.number, ticket.number, world.unit_a.name, colour_word):
        assert expected in flat, expected
    assert_cjk_font_embedded(fonts)


def test_supervision_order_of_another_ticket_is_404(world, client_for):
    from inspections.tickets.services import ticket_escalate_all

    a = dispatched(world)
    b = dispatched(world, site=world.site_b)
    ticket_escalate_all(today=a.deadline + timedelta(days=2))
    order = SupervisionOrder.objects.filter(ticket=a).first()
    assert order is not None
    client = client_for(world.office)
    assert client.get(reverse("inspections:supervision_order_pdf", args=[b.pk, order.pk])).status_code == 404
    # and a unit that cannot see the ticket cannot get its order either
    assert (
        client_for(world.unit2).get(reverse("inspections:supervision_order_pdf", args=[a.pk, order.pk])).status_code
        == 404
    )
