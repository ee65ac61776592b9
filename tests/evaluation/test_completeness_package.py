"""The material package: exactly the accepted current versions' files, in project/content/standard/unit folders,
with an index that matches; safe names; progress; refusals; files served to office and leader only."""

import zipfile
from io import BytesIO

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from core.exceptions import NotPermitted
from evaluation.completeness import package
from evaluation.models import MaterialFile, MaterialPackage
from tests.evaluation.builders_completeness import Material, jpeg_bytes, pdf_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def material(make_user):
    return Material(make_user)


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def built(material, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        row = package.package_request(actor=material.office)
    result = package.package_build(package_id=row.pk)
    assert result.status == "ready", result.error
    return result


def read_zip(row):
    with row.file.open("rb") as handle:
        data = handle.read()
    return zipfile.ZipFile(BytesIO(data))


def test_folders_and_index_match_the_accepted_submissions_exactly(material, django_capture_on_commit_callbacks):
    row = built(material, django_capture_on_commit_callbacks)
    archive = read_zip(row)
    names = set(archive.namelist())
    p1 = "P1 基础指标/C1 公共文明_秩序/S1 制定文明行为促进条例/城管局"
    p2 = "P2 特色指标/C2 志愿服务/S3 志愿服务常态化/教育局"
    files = {f"{p1}/条例.pdf", f"{p1}/条例 (2).pdf", f"{p2}/现场_照片.jpg"}
    assert names == files | {"材料索引.xlsx"}
    # the bytes are the accepted version's, not the returned v1's
    assert {archive.read(f"{p1}/条例.pdf"), archive.read(f"{p1}/条例 (2).pdf")} == {
        pdf_bytes("v2"),
        pdf_bytes("v2 again"),
    }
    assert archive.read(f"{p2}/现场_照片.jpg") == jpeg_bytes()
    assert archive.getinfo(f"{p2}/现场_照片.jpg").compress_type == zipfile.ZIP_STORED
    assert archive.getinfo(f"{p1}/条例.pdf").compress_type == zipfile.ZIP_DEFLATED
    index = list(load_workbook(BytesIO(archive.read("材料索引.xlsx"))).active.iter_rows(values_only=True))
    assert {(r[0], r[3], r[4], r[5], r[6]) for r in index[1:]} == {
        ("S1", f"{p1}/条例.pdf", "城管局", 2, "m-office"),
        ("S1", f"{p1}/条例 (2).pdf", "城管局", 2, "m-office"),
        ("S3", f"{p2}/现场_照片.jpg", "教育局", 1, "m-office"),
    }
    assert all(r[7] is not None for r in index[1:])  # accepted at
    assert (row.files_total, row.files_done) == (3, 3) and row.size > 0 and row.finished_at
    assert row.file.name.startswith("packages/") and row.file.name.endswith(".zip")
    # nothing of a returned, draft, submitted or old version
    excluded = MaterialFile.objects.exclude(submission__in=[material.a1_v2, material.b3])
    assert excluded.count() == 5


def test_a_second_run_does_nothing_and_only_the_office_starts_one(material, django_capture_on_commit_callbacks):
    row = built(material, django_capture_on_commit_callbacks)
    name = row.file.name
    again = package.package_build(package_id=row.pk)
    assert again.file.name == name and again.status == "ready"
    for user in (material.leader, material.unit_a):
        with pytest.raises(NotPermitted):
            package.package_request(actor=user)
    assert MaterialPackage.objects.count() == 1
    assert package.package_build(package_id=987654) is None


def test_a_missing_file_fails_the_package_with_its_error(material, django_capture_on_commit_callbacks):
    stored = material.b3.files.get()
    stored.file.storage.delete(stored.file.name)
    with django_capture_on_commit_callbacks(execute=False):
        row = package.package_request(actor=material.office)
    result = package.package_build(package_id=row.pk)
    assert result.status == "failed" and result.error and not result.file


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a/b\\c", "a_b_c"),
        ("../../etc/passwd", "_.._etc_passwd"),
        ("  名称  ", "名称"),
        ('con:*?"<>|x', "con_x"),
        ("", "_"),
        ("\x00\x07", "_"),
    ],
)
def test_safe_names(text, expected):
    assert package.safe_name(text) == expected


def test_long_names_are_trimmed_and_keep_the_extension():
    name = package.safe_name("很" * 200 + ".pdf")
    assert len(name) == package.NAME_LIMIT and name.endswith(".pdf")
    taken = set()
    assert [package.unique_name("a.pdf", taken) for _ in range(3)] == ["a.pdf", "a (2).pdf", "a (3).pdf"]


def test_pages_api_and_media(material, django_capture_on_commit_callbacks):
    office, leader, unit = client_for(material.office), client_for(material.leader), client_for(material.unit_a)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = office.post(reverse("evaluation:package_create"))
    assert response.status_code == 302 and len(callbacks) == 1
    row = MaterialPackage.objects.get()
    page = office.get(reverse("evaluation:package_list")).content.decode()
    assert 'hx-trigger="every 2s"' in page  # queued: the row polls
    package.package_build(package_id=row.pk)
    row.refresh_from_db()
    page = leader.get(reverse("evaluation:package_list")).content.decode()
    assert reverse("media", args=[row.file.name]) in page and "every 2s" not in page
    assert "package_create" not in page and reverse("evaluation:package_create") not in page
    assert leader.post(reverse("evaluation:package_create")).status_code == 403
    assert unit.get(reverse("evaluation:package_list")).status_code == 403
    assert unit.get(reverse("evaluation:package_detail", args=[row.pk])).status_code == 404
    htmx = office.get(reverse("evaluation:package_detail", args=[row.pk]), HTTP_HX_REQUEST="true")
    assert htmx.content.decode().lstrip().startswith("<tr")
    # files: office and leader, nobody else
    media = reverse("media", args=[row.file.name])
    assert office.get(media).status_code == 200 and leader.get(media).status_code == 200
    assert unit.get(media).status_code == 404 and Client().get(media).status_code in (302, 403, 404)
    # API: 202 for the office, 403 for the leader; the list for office and leader only
    with django_capture_on_commit_callbacks(execute=False):
        created = office.post("/api/v1/material-packages/")
    assert created.status_code == 202 and created.json()["status"] == "queued"
    assert leader.post("/api/v1/material-packages/").status_code == 403
    assert leader.get("/api/v1/material-packages/").json()["count"] == 2
    assert unit.get("/api/v1/material-packages/").json()["count"] == 0
    assert unit.get(f"/api/v1/material-packages/{row.pk}/").status_code == 404


PACKAGE_LIST_QUERIES = {"evaluation:package_list": 9, "material-package-list": 7}


@pytest.mark.parametrize("url_name", sorted(PACKAGE_LIST_QUERIES))
@pytest.mark.parametrize("page_size", [20, 100])
def test_the_package_lists_cost_the_same_at_20_and_100_rows(material, django_assert_num_queries, url_name, page_size):
    """The package list page and API list: a pinned number of queries whatever the page size (no N+1)."""
    MaterialPackage.objects.bulk_create(
        [MaterialPackage(created_by=material.office, status=MaterialPackage.Status.READY) for _ in range(105)]
    )
    client = client_for(material.office)
    client.get(reverse(url_name))  # the session's first write is not the page's cost
    with django_assert_num_queries(PACKAGE_LIST_QUERIES[url_name]):
        response = client.get(reverse(url_name), {"page_size": page_size})
    assert response.status_code == 200
