"""Requesting, generating, failing, retrying, sweeping and publishing bulletins (services, real PDF)."""

import subprocess
from datetime import timedelta
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.exceptions import InvalidTransition, NotPermitted
from core.models import Notification
from core.roles import Role
from reports import services
from reports.models import Bulletin

pytestmark = pytest.mark.django_db


def pdf_text(bulletin) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", bulletin.pdf.path, "-"], capture_output=True, text=True, check=True
    ).stdout


def test_request_numbers_per_kind_and_year_and_reuses_the_period(office, week, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        first = services.bulletin_request(actor=office, kind="weekly", period_start=week + timedelta(days=3))
    assert len(callbacks) == 1  # the job is enqueued after commit
    assert (first.status, first.number, first.revision) == ("queued", 1, 1)
    assert (first.period_start, first.period_end) == (week, week + timedelta(days=6))  # normalised to the week
    assert first.year == first.period_end.year
    # the same period again (a job that runs twice): the same bulletin, nothing enqueued
    with django_capture_on_commit_callbacks() as callbacks:
        again = services.bulletin_request(actor=None, kind="weekly", period_start=week)
    assert again.pk == first.pk and not callbacks
    other = services.bulletin_request(actor=office, kind="weekly", period_start=week - timedelta(days=7))
    monthly = services.bulletin_request(actor=office, kind="monthly", period_start=week)
    assert (other.number, monthly.number) == (2, 1)
    assert Bulletin.objects.count() == 3


def test_generate_makes_the_official_pdf(scenario, office, week):
    bulletin = services.bulletin_request(actor=office, kind="weekly", period_start=week)
    result = services.bulletin_generate(bulletin_id=bulletin.pk)
    assert result.status == "ready" and result.attempts == 1 and result.generated_at
    assert result.figures["headline"]["found"] == 10
    text = pdf_text(result)
    assert "创建全国文明城市工作通报" in text
    assert f"{result.year}年第1期" in text
    assert "创建全国文明城市指挥部办公室" in text
    assert "70.0%" in text  # the rectification rate
    assert "红榜" in text and "黑榜" in text and "交通局" in text and "西一路街道办" in text
    assert "王副区长" in text and "幸福市场" in text
    fonts = subprocess.run(["pdffonts", result.pdf.path], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows, fonts
    # columns from the right: emb sub uni object-number generation (font names may be long)
    assert all(row.split()[-5] == "yes" for row in rows), fonts
    assert any("WenQuanYi" in row or "CJK" in row for row in rows), fonts
    # a second run of the job does nothing: the bulletin is no longer queued
    again = services.bulletin_generate(bulletin_id=bulletin.pk)
    assert again.attempts == 1 and again.pdf.name == result.pdf.name


def test_daily_monthly_and_special_pdfs(scenario, office, week):
    daily = services.bulletin_request(actor=office, kind="daily", period_start=week)
    monthly = services.bulletin_request(actor=office, kind="monthly", period_start=week)
    special = services.bulletin_request(
        actor=office,
        kind="special",
        period_start=week,
        period_end=week + timedelta(days=6),
        title="关于农贸市场环境整治的专报",
        body="第一段。\n第二段说明。",
    )
    for bulletin in (daily, monthly, special):
        assert services.bulletin_generate(bulletin_id=bulletin.pk).status == "ready"
    assert "创建全国文明城市工作日报" in pdf_text(Bulletin.objects.get(pk=daily.pk))
    assert "创建全国文明城市月度点评" in pdf_text(Bulletin.objects.get(pk=monthly.pk))
    text = pdf_text(Bulletin.objects.get(pk=special.pk))
    assert "创建全国文明城市工作专报" in text and "关于农贸市场环境整治的专报" in text and "第二段说明" in text


def test_bad_requests_change_nothing(office, week):
    cases = [
        dict(kind="yearly", period_start=week),
        dict(kind="weekly", period_start="2026-01-01"),
        dict(kind="weekly", period_start=timezone.localdate() + timedelta(days=8)),
        dict(kind="special", period_start=week, title=" "),
    ]
    for kwargs in cases:
        with pytest.raises(ValidationError):
            services.bulletin_request(actor=office, **kwargs)
    assert not Bulletin.objects.exists()


def test_only_the_office_requests_publishes_and_retries(make_user, office, week):
    bulletin = services.bulletin_request(actor=office, kind="weekly", period_start=week)
    for role in (Role.LEADER, Role.UNIT, Role.SUPERVISOR):
        user = make_user(f"u-{role}", role)
        with pytest.raises(NotPermitted):
            services.bulletin_request(actor=user, kind="weekly", period_start=week - timedelta(days=7))
        with pytest.raises(NotPermitted):
            services.bulletin_publish(actor=user, bulletin=bulletin)
        with pytest.raises(NotPermitted):
            services.bulletin_retry(actor=user, bulletin=bulletin)
    assert Bulletin.objects.count() == 1


def test_a_failed_job_is_visible_and_can_be_retried(scenario, office, week, django_capture_on_commit_callbacks):
    bulletin = services.bulletin_request(actor=office, kind="weekly", period_start=week)
    with mock.patch("core.pdf.render_pdf", side_effect=RuntimeError("font missing")):
        failed = services.bulletin_generate(bulletin_id=bulletin.pk)
    assert failed.status == "failed" and "font missing" in failed.failure_reason
    with pytest.raises(InvalidTransition):
        services.bulletin_publish(actor=office, bulletin=failed)
    with django_capture_on_commit_callbacks() as callbacks:
        queued = services.bulletin_retry(actor=office, bulletin=failed)
    assert queued.status == "queued" and queued.attempts == 0 and len(callbacks) == 1
    with pytest.raises(InvalidTransition):
        services.bulletin_retry(actor=office, bulletin=queued)
    ready = services.bulletin_generate(bulletin_id=bulletin.pk)
    assert ready.status == "ready" and ready.number == 1
    actions = list(ready.events.values_list("action", flat=True))
    assert actions == ["requested", "started", "failed", "retried", "started", "generated"]


def test_transient_errors_requeue_until_the_attempts_run_out(office, week):
    from django.db import OperationalError

    bulletin = services.bulletin_request(actor=office, kind="daily", period_start=week)
    with mock.patch("reports.figures.compute", side_effect=OperationalError("connection lost")):
        for attempt in range(1, services.MAX_ATTEMPTS):
            with pytest.raises(services.TransientGenerationError):
                services.bulletin_generate(bulletin_id=bulletin.pk)
            bulletin.refresh_from_db()
            assert (bulletin.status, bulletin.attempts) == ("queued", attempt)
        last = services.bulletin_generate(bulletin_id=bulletin.pk)
    assert last.status == "failed" and "connection lost" in last.failure_reason


def test_a_bulletin_stuck_in_generating_is_swept(office, week, django_capture_on_commit_callbacks):
    bulletin = services.bulletin_request(actor=office, kind="weekly", period_start=week)
    long_ago = timezone.now() - services.stuck_after() - timedelta(minutes=1)
    Bulletin.objects.filter(pk=bulletin.pk).update(status="generating", started_at=long_ago, attempts=1)
    fresh = services.bulletin_request(actor=office, kind="weekly", period_start=week - timedelta(days=7))
    Bulletin.objects.filter(pk=fresh.pk).update(status="generating", started_at=timezone.now(), attempts=1)
    with django_capture_on_commit_callbacks() as callbacks:
        result = services.bulletins_sweep_stuck()
    assert result["requeued"] == 1 and len(callbacks) == 1
    bulletin.refresh_from_db()
    fresh.refresh_from_db()
    assert bulletin.status == "queued" and fresh.status == "generating"
    # out of attempts: failed, with a reason the office can read, and retryable
    Bulletin.objects.filter(pk=bulletin.pk).update(
        status="generating", started_at=long_ago, attempts=services.MAX_ATTEMPTS
    )
    assert services.bulletins_sweep_stuck()["failed"] == 1
    bulletin.refresh_from_db()
    assert (
        bulletin.status == "failed"
        and str(int(services.stuck_after().total_seconds() // 60)) in bulletin.failure_reason
    )
    assert services.bulletin_retry(actor=office, bulletin=bulletin).status == "queued"


def test_a_lost_queued_message_is_sent_again_once_per_period(office, week, django_capture_on_commit_callbacks):
    bulletin = services.bulletin_request(actor=office, kind="weekly", period_start=week, enqueue=False)
    Bulletin.objects.filter(pk=bulletin.pk).update(updated_at=timezone.now() - services.stuck_after() * 2)
    with django_capture_on_commit_callbacks() as callbacks:
        assert services.bulletins_sweep_stuck()["resent"] == 1
    assert len(callbacks) == 1
    assert services.bulletins_sweep_stuck()["resent"] == 0  # not again five minutes later


def test_a_late_result_from_a_swept_attempt_is_dropped(office, week):
    bulletin = services.bulletin_request(actor=office, kind="daily", period_start=week)

    def swept_meanwhile(**kwargs):
        Bulletin.objects.filter(pk=bulletin.pk).update(status="failed", failure_reason="swept")
        return b"%PDF-late"

    with mock.patch("reports.services.render_bulletin_pdf", side_effect=swept_meanwhile):
        result = services.bulletin_generate(bulletin_id=bulletin.pk)
    assert result.status == "failed" and not result.pdf


def test_publish_notifies_leaders_and_units(
    scenario, office, leader_user, make_user, week, django_capture_on_commit_callbacks
):
    unit_user = make_user("unit", Role.UNIT, unit=scenario.unit_a)
    supervisor = make_user("supervisor", Role.SUPERVISOR)
    bulletin = services.bulletin_request(actor=office, kind="weekly", period_start=week)
    with pytest.raises(InvalidTransition):
        services.bulletin_publish(actor=office, bulletin=bulletin)  # not generated yet
    services.bulletin_generate(bulletin_id=bulletin.pk)
    with django_capture_on_commit_callbacks(execute=True):
        published = services.bulletin_publish(actor=office, bulletin=bulletin)
    assert published.published_by == office and published.published_at
    notified = set(Notification.objects.filter(verb="bulletin_published").values_list("recipient__username", flat=True))
    assert notified == {leader_user.username, unit_user.username}
    assert supervisor.username not in notified
    note = Notification.objects.filter(recipient=leader_user).get()
    assert "第1期" in note.title or "issue 1" in note.title
    assert note.url.endswith(f"/reports/bulletins/{bulletin.pk}/")
    with pytest.raises(InvalidTransition):
        services.bulletin_publish(actor=office, bulletin=published)


def test_regenerating_a_published_period_makes_a_new_revision(scenario, office, week):
    bulletin = services.bulletin_request(actor=office, kind="weekly", period_start=week)
    services.bulletin_generate(bulletin_id=bulletin.pk)
    published = services.bulletin_publish(actor=office, bulletin=bulletin)
    pdf_name = published.pdf.name
    assert services.bulletin_request(actor=office, kind="weekly", period_start=week).pk == bulletin.pk
    revision = services.bulletin_request(actor=office, kind="weekly", period_start=week, regenerate=True)
    assert (revision.number, revision.revision, revision.status) == (1, 2, "queued")
    services.bulletin_generate(bulletin_id=revision.pk)
    published.refresh_from_db()
    assert published.pdf.name == pdf_name and published.revision == 1  # the published one is untouched
    assert "修订" in pdf_text(Bulletin.objects.get(pk=revision.pk))


def test_scheduled_periods():
    from datetime import date

    monday = date(2026, 11, 16)
    assert services.scheduled_period_start("weekly", monday) == date(2026, 11, 9)
    assert services.scheduled_period_start("monthly", date(2026, 12, 1)) == date(2026, 11, 1)
    assert services.scheduled_period_start("monthly", date(2026, 1, 1)) == date(2025, 12, 1)
    assert services.scheduled_period_start("daily", monday) == monday


def test_schedule_rows_exist_and_the_office_can_move_them(office, make_user):
    from datetime import time

    from django_celery_beat.models import PeriodicTask

    times = services.schedule_times()
    assert (times["daily"], times["weekly"], times["monthly"]) == (time(18, 0), time(8, 0), time(8, 0))
    weekly = PeriodicTask.objects.get(name="reports.weekly_bulletin")
    assert (weekly.crontab.day_of_week, str(weekly.crontab.timezone)) == ("1", "Asia/Shanghai")
    assert PeriodicTask.objects.get(name="reports.sweep_stuck_bulletins").crontab.minute == "*/5"
    new = services.schedule_update(actor=office, daily=time(17, 30), weekly=time(9, 0), monthly=time(7, 45))
    assert (new["daily"], new["weekly"], new["monthly"]) == (time(17, 30), time(9, 0), time(7, 45))
    assert PeriodicTask.objects.get(name="reports.monthly_bulletin").crontab.day_of_month == "1"
    with pytest.raises(NotPermitted):
        services.schedule_update(
            actor=make_user("l2", Role.LEADER), daily=time(1, 0), weekly=time(1, 0), monthly=time(1, 0)
        )
