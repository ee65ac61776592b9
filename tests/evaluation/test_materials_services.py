"""Material review services: every transition and every refusal of the issue's "Bad input", the roles, the events
and versions, and the reminder job (idempotent)."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from core.exceptions import InvalidTransition, NotInScope, NotPermitted
from core.models import Notification
from evaluation.materials import selectors, services
from evaluation.models import MaterialEvent, MaterialFile, MaterialRequirement, MaterialSubmission
from inspections.tickets.working_days import add_working_days
from tests.evaluation.materials_world import mcity, png_bytes, tiny_pdf  # noqa: F401 - fixture
from tests.uploads import jpeg, xlsx

pytestmark = pytest.mark.django_db
S = MaterialSubmission.Status
V = MaterialEvent.Verb


def verbs(submission):
    return list(MaterialEvent.objects.filter(submission=submission).order_by("id").values_list("verb", flat=True))


def submitted(c, files=None):
    draft = services.submission_create(
        actor=c.ua, requirement=c.requirement, note="见附件", files=files or [tiny_pdf()]
    )
    return services.submission_submit(actor=c.ua, submission=draft)


# --- requirements -------------------------------------------------------------------------------------------


def test_requirement_defaults(mcity):
    c = mcity
    r = c.requirement
    today = selectors.local_today()
    first = today.replace(day=1)
    assert (r.window_start, r.window_end) == (first.replace(year=first.year - 1), first - timedelta(days=1))
    assert r.due_date == add_working_days(today, 10)
    assert list(r.units.all()) == [c.unit_a]  # the responsible unit on the responsibility list


def test_requirement_refusals(mcity):
    c = mcity
    with pytest.raises(ValidationError) as error:
        services.requirement_create(actor=c.office, standard=c.s2, kind="policy", title="x", due_in_working_days=3)
    assert "standard" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.requirement_create(actor=c.office, standard=c.s1, kind="policy", title="x")
    assert "due_date" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.requirement_create(
            actor=c.office, standard=c.s1, kind="policy", title="x", due_date=date.today() - timedelta(days=2)
        )
    assert "due_date" in error.value.message_dict
    for actor in (c.leader, c.ua, c.reviewer):
        with pytest.raises(NotPermitted):
            services.requirement_create(actor=actor, standard=c.s1, kind="policy", title="x", due_in_working_days=3)
    assert MaterialRequirement.objects.count() == 1


def test_requirement_update_keeps_units_that_submitted(mcity):
    c = mcity
    submitted(c)
    with pytest.raises(ValidationError) as error:
        services.requirement_update(actor=c.office, requirement=c.requirement, units=[c.unit_c])
    assert "units" in error.value.message_dict
    updated = services.requirement_update(
        actor=c.office, requirement=c.requirement, units=[c.unit_a, c.unit_c], title="制度文件（正式）"
    )
    assert set(updated.units.all()) == {c.unit_a, c.unit_c} and updated.title == "制度文件（正式）"


# --- submissions: the path through every state --------------------------------------------------------------


def test_draft_submit_return_resubmit_accept(mcity, django_capture_on_commit_callbacks):
    c = mcity
    with django_capture_on_commit_callbacks(execute=True):
        draft = services.submission_create(
            actor=c.ua, requirement=c.requirement, note="初稿", files=[tiny_pdf(), jpeg("现场.jpg")]
        )
    assert (draft.status, draft.version, draft.is_current, draft.created_by) == (S.DRAFT, 1, True, c.ua)
    stored = list(MaterialFile.objects.filter(submission=draft).order_by("id"))
    assert [f.kind for f in stored] == ["pdf", "jpg"] and [f.name for f in stored] == ["材料.pdf", "现场.jpg"]
    assert all(f.file.name.startswith("materials/") and "材料" not in f.file.name for f in stored)  # random names
    assert verbs(draft) == [V.CREATED, V.FILE_ADDED, V.FILE_ADDED]

    with django_capture_on_commit_callbacks(execute=True):
        sent = services.submission_submit(actor=c.ua, submission=draft)
    assert sent.status == S.SUBMITTED and sent.submitted_at and not sent.is_late
    notified = set(Notification.objects.filter(verb="material_submitted").values_list("recipient__username", flat=True))
    assert notified == {"office", "reviewer"}  # the office and the review body, not the unit or other supervisors

    with pytest.raises(ValidationError) as error:
        services.submission_return(actor=c.office, submission=sent, reason="   ")
    assert "reason" in error.value.message_dict
    assert MaterialSubmission.objects.get(pk=sent.pk).status == S.SUBMITTED

    with django_capture_on_commit_callbacks(execute=True):
        returned = services.submission_return(actor=c.reviewer, submission=sent, reason="缺少盖章页")
    assert (returned.status, returned.return_reason, returned.reviewed_by) == (S.RETURNED, "缺少盖章页", c.reviewer)
    assert Notification.objects.filter(verb="material_returned", recipient=c.ua, body="缺少盖章页").exists()
    assert not Notification.objects.filter(verb="material_returned", recipient=c.uc).exists()

    with pytest.raises(InvalidTransition):
        services.submission_return(actor=c.office, submission=returned, reason="again")
    with pytest.raises(InvalidTransition):
        services.submission_accept(actor=c.office, submission=returned)

    second = services.submission_resubmit(actor=c.ua, submission=returned, note="已补充")
    old = MaterialSubmission.objects.get(pk=returned.pk)
    assert (old.status, old.is_current, old.files.count()) == (S.RETURNED, False, 2)  # kept as it was
    assert (second.version, second.is_current, second.status, second.files.count()) == (2, True, S.DRAFT, 0)
    assert verbs(second) == [V.RESUBMITTED]
    with pytest.raises(ValidationError) as error:  # files are not copied: nothing to submit yet
        services.submission_submit(actor=c.ua, submission=second)
    assert "files" in error.value.message_dict

    services.submission_add_files(actor=c.ua, submission=second, files=[xlsx(["月份", "数量"], [["1月", 3]])])
    second = services.submission_submit(actor=c.ua, submission=second)
    with django_capture_on_commit_callbacks(execute=True):
        accepted = services.submission_accept(actor=c.office, submission=second, note="符合要求")
    assert accepted.status == S.ACCEPTED and accepted.reviewed_by == c.office
    assert Notification.objects.filter(verb="material_accepted", recipient=c.ua).exists()
    assert verbs(accepted) == [V.RESUBMITTED, V.FILE_ADDED, V.SUBMITTED, V.ACCEPTED]
    with pytest.raises(InvalidTransition):  # accepting twice
        services.submission_accept(actor=c.office, submission=accepted)
    with pytest.raises(InvalidTransition):
        services.submission_return(actor=c.office, submission=accepted, reason="晚了")
    assert MaterialSubmission.objects.filter(requirement=c.requirement, unit=c.unit_a).count() == 2
    assert (
        MaterialSubmission.objects.filter(requirement=c.requirement, unit=c.unit_a, is_current=True).get() == accepted
    )


def test_create_again_joins_the_draft_and_refuses_after_submit(mcity):
    c = mcity
    first = services.submission_create(actor=c.ua, requirement=c.requirement, files=[tiny_pdf()])
    again = services.submission_create(actor=c.ua, requirement=c.requirement, note="补充", files=[tiny_pdf("b.pdf")])
    assert again.pk == first.pk and again.files.count() == 2 and again.note == "补充"
    services.submission_submit(actor=c.ua, submission=again)
    with pytest.raises(InvalidTransition):
        services.submission_create(actor=c.ua, requirement=c.requirement, files=[tiny_pdf()])
    with pytest.raises(InvalidTransition):  # submitting twice
        services.submission_submit(actor=c.ua, submission=again)


def test_late_submission_is_taken_and_marked(mcity):
    c = mcity
    draft = services.submission_create(actor=c.ua, requirement=c.requirement, files=[tiny_pdf()])
    MaterialRequirement.objects.filter(pk=c.requirement.pk).update(due_date=date.today() - timedelta(days=3))
    sent = services.submission_submit(actor=c.ua, submission=draft)
    assert sent.status == S.SUBMITTED and sent.is_late
    event = MaterialEvent.objects.get(submission=sent, verb=V.SUBMITTED)
    assert (date.today() - timedelta(days=3)).isoformat() in event.note


def test_remove_file_only_on_a_draft(mcity):
    c = mcity
    draft = services.submission_create(actor=c.ua, requirement=c.requirement, files=[tiny_pdf(), tiny_pdf("b.pdf")])
    first = draft.files.order_by("id").first()
    services.submission_remove_file(actor=c.ua, file=first)
    assert draft.files.count() == 1 and V.FILE_REMOVED in verbs(draft)
    services.submission_submit(actor=c.ua, submission=draft)
    with pytest.raises(InvalidTransition):
        services.submission_remove_file(actor=c.ua, file=draft.files.get())
    with pytest.raises(InvalidTransition):
        services.submission_add_files(actor=c.ua, submission=draft, files=[tiny_pdf()])


# --- refusals: who ------------------------------------------------------------------------------------------


def test_who_may_submit(mcity):
    c = mcity
    with pytest.raises(NotInScope):  # a unit that is not to submit this (and does not see it)
        services.submission_create(actor=c.uc, requirement=c.requirement, files=[tiny_pdf()])
    with pytest.raises(NotInScope):  # the lead unit reads it but does not submit it
        services.submission_create(actor=c.ub, requirement=c.requirement, files=[tiny_pdf()])
    for actor in (c.office, c.reviewer):
        with pytest.raises(NotPermitted):
            services.submission_create(actor=actor, requirement=c.requirement, files=[tiny_pdf()])
    with pytest.raises(NotPermitted):  # the leader is read only
        services.submission_create(actor=c.leader, requirement=c.requirement, files=[tiny_pdf()])
    assert not MaterialSubmission.objects.exists() and not MaterialFile.objects.exists()


def test_who_may_review(mcity):
    c = mcity
    sent = submitted(c)
    for actor in (c.ua, c.ub, c.sup, c.leader):  # the unit itself, the lead unit, a supervisor, the leader
        with pytest.raises(NotPermitted):
            services.submission_accept(actor=actor, submission=sent)
        with pytest.raises(NotPermitted):
            services.submission_return(actor=actor, submission=sent, reason="x")
    with pytest.raises(NotInScope):  # another unit does not see it
        services.submission_accept(actor=c.uc, submission=sent)
    assert MaterialSubmission.objects.get(pk=sent.pk).status == S.SUBMITTED
    assert not MaterialEvent.objects.filter(verb__in=[V.ACCEPTED, V.RETURNED]).exists()
    assert services.submission_accept(actor=c.reviewer, submission=sent).status == S.ACCEPTED


def test_review_body_limited_to_its_projects(mcity):
    from evaluation.models import EvaluationItem

    c = mcity
    other = EvaluationItem.objects.create(level="project", code="P9", text="特色指标")
    c.body.material_review.projects.add(other)  # now it reviews P9 only, not P1
    sent = submitted(c)
    with pytest.raises(NotInScope):  # and no longer sees P1's material at all
        services.submission_accept(actor=c.reviewer, submission=sent)
    c.body.material_review.projects.add(c.project)
    assert services.submission_accept(actor=c.reviewer, submission=sent).status == S.ACCEPTED


# --- refusals: files ----------------------------------------------------------------------------------------


BAD_FILES = {
    "empty": lambda: SimpleUploadedFile("空.pdf", b""),
    "content not the name": lambda: SimpleUploadedFile("照片.pdf", png_bytes()),
    "image named as sheet": lambda: SimpleUploadedFile("表.xlsx", png_bytes()),
    "script": lambda: SimpleUploadedFile("a.exe", b"MZ\x90\x00"),
    "text as pdf": lambda: SimpleUploadedFile("说明.pdf", "这是文本".encode()),
    "no extension": lambda: SimpleUploadedFile("readme", b"%PDF-1.4\n%%EOF\n"),
}


@pytest.mark.parametrize("kind", list(BAD_FILES))
def test_bad_files_refused_and_nothing_saved(mcity, kind, settings, tmp_path):
    c = mcity
    settings.MEDIA_ROOT = str(tmp_path)
    with pytest.raises(ValidationError) as error:
        services.submission_create(actor=c.ua, requirement=c.requirement, files=[tiny_pdf(), BAD_FILES[kind]()])
    assert list(error.value.message_dict) == ["files"]
    assert not MaterialSubmission.objects.exists() and not MaterialFile.objects.exists()
    assert not any(p.is_file() for p in tmp_path.rglob("*"))


def test_over_size_refused(mcity, settings):
    c = mcity
    settings.UPLOAD_MAX_DOCUMENT_BYTES = 20
    with pytest.raises(ValidationError) as error:
        services.submission_create(actor=c.ua, requirement=c.requirement, files=[tiny_pdf()])
    assert "材料.pdf" in error.value.message_dict["files"][0]
    assert not MaterialFile.objects.exists()


def test_images_are_reencoded(mcity):
    c = mcity
    draft = services.submission_create(
        actor=c.ua, requirement=c.requirement, files=[SimpleUploadedFile("现场.png", png_bytes())]
    )
    row = draft.files.get()
    assert row.kind == "jpg" and row.name == "现场.jpg"
    with row.file.open("rb") as handle:
        assert handle.read(3) == b"\xff\xd8\xff"


# --- reminders, overdue notices, escalation -----------------------------------------------------------------


def test_reminder_overdue_and_escalation_are_sent_once(mcity, django_capture_on_commit_callbacks):
    c = mcity
    due = c.requirement.due_date
    before = add_working_days(due, -services.REMINDER_WORKING_DAYS_BEFORE)
    assert services.material_remind_all(today=add_working_days(before, -1)) == {
        "reminded": 0,
        "overdue": 0,
        "escalated": 0,
    }
    with django_capture_on_commit_callbacks(execute=True):
        assert services.material_remind_all(today=before)["reminded"] == 1
    assert services.material_remind_all(today=before)["reminded"] == 0  # safe to run twice
    row = MaterialSubmission.objects.get(requirement=c.requirement, unit=c.unit_a)
    assert row.status == S.DRAFT and row.created_by is None and row.reminded_at
    assert Notification.objects.filter(verb="material_due_soon", recipient=c.ua).count() == 1

    assert services.material_remind_all(today=due)["overdue"] == 0  # the due date itself is still on time
    first_after = add_working_days(due, 1)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.material_remind_all(today=first_after) == {"reminded": 0, "overdue": 1, "escalated": 0}
    assert services.material_remind_all(today=first_after)["overdue"] == 0
    assert Notification.objects.filter(verb="material_overdue", recipient=c.ua).count() == 1

    level2 = add_working_days(due, services.ESCALATION_LEVELS[2])
    with django_capture_on_commit_callbacks(execute=True):
        assert services.material_remind_all(today=level2)["escalated"] == 1
    assert services.material_remind_all(today=level2)["escalated"] == 0
    assert Notification.objects.filter(verb="material_overdue", recipient=c.office).count() == 1
    level3 = add_working_days(due, services.ESCALATION_LEVELS[3])
    with django_capture_on_commit_callbacks(execute=True):
        assert services.material_remind_all(today=level3)["escalated"] == 1
    assert Notification.objects.filter(verb="material_overdue", recipient=c.leader).count() == 1
    row.refresh_from_db()
    assert row.escalation_level == 3
    assert verbs(row) == [V.CREATED, V.REMINDED, V.OVERDUE, V.ESCALATED, V.ESCALATED]

    # The unit opens the row the job made, and its first version carries on from there.
    draft = services.submission_create(actor=c.ua, requirement=c.requirement, files=[tiny_pdf()])
    assert draft.pk == row.pk and draft.created_by == c.ua
    services.submission_submit(actor=c.ua, submission=draft)
    assert services.material_remind_all(today=add_working_days(due, 20)) == {
        "reminded": 0,
        "overdue": 0,
        "escalated": 0,
    }


def test_units_that_submitted_are_not_chased(mcity):
    c = mcity
    submitted(c)
    assert services.material_remind_all(today=add_working_days(c.requirement.due_date, 8)) == {
        "reminded": 0,
        "overdue": 0,
        "escalated": 0,
    }


def test_task_and_beat_row():
    from celery import current_app
    from django_celery_beat.models import PeriodicTask

    import evaluation.tasks  # noqa: F401 - registers the tasks

    assert "evaluation.material_remind_all" in current_app.tasks
    task = PeriodicTask.objects.get(name="material reminders")
    assert task.task == "evaluation.material_remind_all" and task.enabled
