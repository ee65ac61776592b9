from datetime import date

import pytest

from publicity.models import Post

pytestmark = pytest.mark.django_db


def test_posts_api_and_page(client, vcity):
    client.force_login(vcity.office)
    response = client.post(
        "/api/v1/publicity-posts/",
        {
            "channel": "wechat",
            "title": "创城进行时",
            "published_on": "2026-03-01",
            "views": 1200,
            "url": "https://example.org/a",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    bad = client.post(
        "/api/v1/publicity-posts/",
        {"channel": "tiktok", "title": "", "published_on": "2026-03-01"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and {"channel", "title"} <= set(bad.json())
    assert client.get("/api/v1/publicity-posts/?channel=wechat").json()["count"] == 1
    response = client.post(
        "/publicity/posts/",
        {"channel": "douyin", "title": "文明交通", "published_on": "2026-03-02", "views": "800", "url": ""},
    )
    assert response.status_code == 302 and Post.objects.count() == 2
    client.force_login(vcity.unit)
    assert (
        client.post(
            "/api/v1/publicity-posts/",
            {"channel": "wechat", "title": "x", "published_on": "2026-03-01"},
            content_type="application/json",
        ).status_code
        == 403
    )
    html = client.get("/publicity/posts/").content.decode()
    assert "文明交通" in html and "登记稿件" not in html  # read-only for a unit liaison
    assert Post.objects.filter(published_on=date(2026, 3, 2)).exists()
