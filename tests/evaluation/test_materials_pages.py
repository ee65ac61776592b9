"""Material review pages and API: a unit uploads and submits, a reviewer returns and accepts; roles (office,
review body member, lead unit, responsible unit, other unit 404, leader 403), file serving scope, the API's
400/403/404/409 answers."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from evaluation.materials import services
from evaluation.models import MaterialFile, MaterialRequirement, MaterialSubmission
from tests.evaluation.materials_world import mcity, png_bytes, tiny_pdf  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db
S = MaterialSubmission.Status


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def detail_url(submission):
    return reverse("evaluation:material_submission_detail", args=[submission.pk])


def submitted(c):
    draft = services.submission_create(actor=c.ua, requirement=c.requirement, files=[tiny_pdf()])
    return services.submission_submit(actor=c.ua, submission=draft)


# --- pages --------------------------------------------------------------------------------------------------


def test_unit_uploads_and_submits_from_its_page(mcity):
    c = mcity
    ua = client_for(c.ua)
    page = ua.get(reverse("evaluation:material_unit"))
    assert page.status_code == 200 and c.requirement.title in page.content.decode()
    response = ua.post(
        reverse("evaluation:material_submission_create", args=[c.requirement.pk]),
        {"note": "制度文件两份", "files": [tiny_pdf("a.pdf"), tiny_pdf("b.pdf")], "submit": "1"},
    )
    submission = MaterialSubmission.objects.get()
    assert response.status_code == 302 and response["Location"] == detail_url(submission)
    assert (submission.status, submission.files.count(), submission.note) == (S.SUBMITTED, 2, "制度文件两份")


def test_bad_file_on_the_page_is_a_message_and_nothing_saved(mcity):
    c = mcity
    ua = client_for(c.ua)
    response = ua.post(
        reverse("evaluation:material_submission_create", args=[c.requirement.pk]),
        {"files": [SimpleUploadedFile("照片.pdf", png_bytes())], "submit": "1"},
        follow=True,
    )
    assert "照片.pdf" in response.content.decode()
    assert not MaterialSubmission.objects.exists() and not MaterialFile.objects.exists()


def test_other_unit_and_lead_unit_cannot_submit(mcity):
    c = mcity
    url = reverse("evaluation:material_submission_create", args=[c.requirement.pk])
    assert client_for(c.uc).post(url, {"files": [tiny_pdf()]}).status_code == 404  # does not even see it
    assert client_for(c.ub).post(url, {"files": [tiny_pdf()]}).status_code == 404  # reads it, does not submit
    assert client_for(c.leader).post(url, {"files": [tiny_pdf()]}).status_code == 403
    assert not MaterialSubmission.objects.exists()


def test_review_on_the_page(mcity):
    c = mcity
    sent = submitted(c)
    office = client_for(c.office)
    page = office.get(detail_url(sent)).content.decode()
    assert reverse("evaluation:material_submission_accept", args=[sent.pk]) in page
    # A return without a reason: a message, nothing changed.
    office.post(reverse("evaluation:material_submission_return", args=[sent.pk]), {"reason": ""})
    assert MaterialSubmission.objects.get(pk=sent.pk).status == S.SUBMITTED
    office.post(reverse("evaluation:material_submission_return", args=[sent.pk]), {"reason": "缺少盖章页"})
    assert MaterialSubmission.objects.get(pk=sent.pk).status == S.RETURNED
    # Returning again: a message (409 in the API), nothing changed.
    response = office.post(
        reverse("evaluation:material_submission_return", args=[sent.pk]), {"reason": "again"}, follow=True
    )
    assert MaterialSubmission.objects.get(pk=sent.pk).return_reason == "缺少盖章页"
    assert response.status_code == 200
    ua = client_for(c.ua)
    page = ua.get(detail_url(sent)).content.decode()
    assert "缺少盖章页" in page and reverse("evaluation:material_submission_resubmit", args=[sent.pk]) in page
    response = ua.post(
        reverse("evaluation:material_submission_resubmit", args=[sent.pk]), {"files": [tiny_pdf()], "note": "已补"}
    )
    second = MaterialSubmission.objects.get(is_current=True)
    assert second.version == 2 and response["Location"] == detail_url(second)
    ua.post(reverse("evaluation:material_submission_submit", args=[second.pk]), {"note": ""})
    client_for(c.reviewer).post(reverse("evaluation:material_submission_accept", args=[second.pk]), {"note": "好"})
    assert MaterialSubmission.objects.get(pk=second.pk).status == S.ACCEPTED


def test_page_roles(mcity):
    c = mcity
    sent = submitted(c)
    accept = reverse("evaluation:material_submission_accept", args=[sent.pk])
    assert client_for(c.leader).get(detail_url(sent)).status_code == 200
    assert client_for(c.leader).post(accept).status_code == 403
    assert client_for(c.ub).get(detail_url(sent)).status_code == 200  # the lead unit reads
    assert client_for(c.ub).post(accept).status_code == 403  # but does not review
    assert client_for(c.ua).post(accept).status_code == 403
    assert client_for(c.uc).get(detail_url(sent)).status_code == 404
    assert client_for(c.uc).post(accept).status_code == 404
    assert MaterialSubmission.objects.get(pk=sent.pk).status == S.SUBMITTED
    queue = client_for(c.reviewer).get(reverse("evaluation:material_review_queue")).content.decode()
    assert detail_url(sent) in queue
    assert detail_url(sent) not in client_for(c.sup).get(reverse("evaluation:material_review_queue")).content.decode()


def test_file_served_only_to_those_who_see_the_submission(mcity):
    c = mcity
    sent = submitted(c)
    url = reverse("media", args=[sent.files.get().file.name])
    for user in (c.ua, c.ub, c.office, c.reviewer, c.leader, c.sup):
        response = client_for(user).get(url)
        assert response.status_code == 200, user.username
        assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(client_for(c.ua).get(url).streaming_content).startswith(b"%PDF")
    assert client_for(c.uc).get(url).status_code == 404


def test_requirement_pages(mcity):
    c = mcity
    office = client_for(c.office)
    response = office.post(
        reverse("evaluation:material_requirement_create"),
        {"standard": c.s1.pk, "kind": "photos", "title": "实景图片", "due_in_working_days": "5"},
    )
    created = MaterialRequirement.objects.get(title="实景图片")
    assert response.status_code == 302 and list(created.units.all()) == [c.unit_a]
    response = office.post(
        reverse("evaluation:material_requirement_create"),
        {"standard": c.s2.pk, "kind": "photos", "title": "不该有", "due_in_working_days": "5"},
    )
    assert response.status_code == 200 and not MaterialRequirement.objects.filter(title="不该有").exists()
    submitted(c)
    detail = office.get(reverse("evaluation:material_requirement_detail", args=[c.requirement.pk])).content.decode()
    assert c.unit_a.name in detail and "v1" in detail
    listing = office.get(reverse("evaluation:material_requirement_list"), {"q": "实景"}).content.decode()
    assert "实景图片" in listing and "制度文件" not in listing
    assert client_for(c.ua).get(reverse("evaluation:material_requirement_create")).status_code == 403
    edit = reverse("evaluation:material_requirement_edit", args=[c.requirement.pk])
    assert client_for(c.uc).get(edit).status_code == 404
    assert client_for(c.leader).get(edit).status_code == 403


# --- API ----------------------------------------------------------------------------------------------------


def api_create(client, standard, files=None, **extra):
    return client.post(
        reverse("api_material-submission-list"), {"standard": standard, "note": "n", "files": files or [], **extra}
    )


def test_api_flow_and_refusals(mcity):
    c = mcity
    ua = client_for(c.ua)
    response = api_create(ua, c.s1.pk, files=[tiny_pdf()])
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["version"], len(body["files"])) == ("draft", 1, 1)
    pk = body["id"]
    act = lambda client, name, data=None: client.post(  # noqa: E731
        reverse(f"api_material-submission-{name}", args=[pk]), data or {}, content_type="application/json"
    )
    assert act(ua, "submit").json()["status"] == "submitted"
    assert act(ua, "submit").status_code == 409
    office = client_for(c.office)
    response = act(office, "return", {"reason": ""})
    assert response.status_code == 400 and "reason" in response.json()
    assert act(client_for(c.leader), "accept").status_code == 403
    assert act(client_for(c.ub), "accept").status_code == 403
    assert act(client_for(c.uc), "accept").status_code == 404
    assert act(office, "return", {"reason": "缺页"}).json()["status"] == "returned"
    assert act(office, "return", {"reason": "缺页"}).status_code == 409
    assert act(office, "accept").status_code == 409
    # After a return, POST again: the next version.
    response = api_create(ua, c.s1.pk, files=[tiny_pdf()])
    assert response.status_code == 201 and response.json()["version"] == 2
    events = ua.get(reverse("api_material-submission-events", args=[pk])).json()
    assert [e["verb"] for e in events] == ["created", "file_added", "submitted", "returned"]


def test_api_create_refusals(mcity):
    c = mcity
    assert api_create(client_for(c.uc), c.s1.pk, files=[tiny_pdf()]).status_code == 404
    assert api_create(client_for(c.ub), c.s1.pk, files=[tiny_pdf()]).status_code == 404
    assert api_create(client_for(c.ua), c.s2.pk, files=[tiny_pdf()]).status_code == 404
    assert api_create(client_for(c.leader), c.s1.pk, files=[tiny_pdf()]).status_code == 403
    assert api_create(client_for(c.office), c.s1.pk, files=[tiny_pdf()]).status_code == 403
    response = api_create(client_for(c.ua), c.s1.pk, files=[SimpleUploadedFile("空.pdf", b"")])
    assert response.status_code == 400 and "files" in response.json()
    assert not MaterialSubmission.objects.exists()
    second = services.requirement_create(
        actor=c.office, standard=c.s1, kind="photos", title="实景图片", due_in_working_days=4
    )
    response = api_create(client_for(c.ua), c.s1.pk, files=[tiny_pdf()])
    assert response.status_code == 400 and "requirement" in response.json()
    response = api_create(client_for(c.ua), c.s1.pk, files=[tiny_pdf()], requirement=second.pk)
    assert response.status_code == 201 and response.json()["requirement"] == second.pk


def test_api_lists_by_role(mcity):
    c = mcity
    sent = submitted(c)
    url = reverse("api_material-submission-list")
    ids = lambda user: {r["id"] for r in client_for(user).get(url).json()["results"]}  # noqa: E731
    assert ids(c.ua) == ids(c.ub) == ids(c.office) == ids(c.reviewer) == ids(c.leader) == {sent.pk}
    assert ids(c.uc) == set()
    requirements = client_for(c.ua).get(reverse("api_material-requirement-list")).json()["results"]
    assert [r["id"] for r in requirements] == [c.requirement.pk]
    assert client_for(c.uc).get(reverse("api_material-requirement-list")).json()["count"] == 0
    filtered = client_for(c.office).get(url, {"status": "accepted"}).json()
    assert filtered["count"] == 0
