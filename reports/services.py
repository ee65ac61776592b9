"""Every write to bulletins: request, generate, publish, retry, sweep, and the schedule's times.

Numbering rule (what `bulletin_request` does; "a job that runs twice for the same period makes one bulletin"):
- Daily, weekly and monthly bulletins are keyed by (kind, period). The period is normalised first (the day;
  Monday–Sunday; the 1st to the last day of the month), so any day of a week asks for that week.
- No bulletin for the period yet → a new number: the next 第N期 of that kind in the year the period ends,
  revision 1, queued; the job is enqueued after commit.
- The period already has a bulletin → its latest revision is returned and nothing new is numbered:
  queued or generating → returned as is (its job is under way); ready or published → returned as is;
  failed → queued again (a retry) and its job enqueued.
- `regenerate=True` (the office's "regenerate" button) on a period whose latest revision is ready, published
  or failed → a new revision with the same number, queued. The earlier revision and its PDF stay untouched:
  a published revision is never overwritten. While a revision is queued or generating, it is returned instead.
- Special reports (专报) are made on demand: every request is a new number.
Two concurrent requests for one period race on the unique constraints; the loser re-reads and returns the
winner's bulletin.
"""

import logging
from datetime import date, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.exceptions import InvalidTransition, NotPermitted

from . import figures as figure_module
from .models import Bulletin, BulletinEvent

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
TRANSIENT_ERRORS = (OperationalError, InterfaceError, ConnectionError, TimeoutError)
DEFAULT_DISTRIBUTION = gettext_lazy(
    "Leaders of the district Party committee and government; member units of the campaign headquarters; "
    "street and town offices"
)
SCHEDULED_TASKS = {
    "daily": "reports.daily_bulletin",
    "weekly": "reports.weekly_bulletin",
    "monthly": "reports.monthly_bulletin",
}


class TransientGenerationError(Exception):
    """Generation hit an error that may go away (database or broker connection); the task retries."""


def stuck_after() -> timedelta:
    return timedelta(minutes=int(getattr(settings, "BULLETIN_STUCK_MINUTES", 15)))


# --- Request -------------------------------------------------------------------------------------------


def _check_office(actor):
    if actor is not None and not actor.is_office:
        raise NotPermitted(_("Only the campaign office may generate or publish bulletins."))


def bulletin_title(kind: str, start: date, end: date, title: str = "") -> str:
    if kind == Bulletin.Kind.SPECIAL:
        return title
    with translation.override(settings.LANGUAGE_CODE):
        if kind == Bulletin.Kind.DAILY:
            return _("Daily report on the campaign, %(day)s") % {"day": _cn_date(start)}
        if kind == Bulletin.Kind.MONTHLY:
            return _("Monthly review of the campaign, %(year)d-%(month)02d") % {
                "year": start.year,
                "month": start.month,
            }
        return _("Weekly bulletin on the campaign, %(start)s to %(end)s") % {
            "start": _cn_date(start),
            "end": _cn_date(end),
        }


def _cn_date(day: date) -> str:
    return _("%(year)d-%(month)02d-%(day)02d") % {"year": day.year, "month": day.month, "day": day.day}


def _validate_request(*, kind, period_start, period_end, title, today):
    if kind not in Bulletin.Kind.values:
        raise ValidationError({"kind": _("Choose daily, weekly, monthly or special.")})
    if not isinstance(period_start, date):
        raise ValidationError({"period_start": _("Enter the first day of the period (YYYY-MM-DD).")})
    if kind == Bulletin.Kind.SPECIAL:
        if not (title or "").strip():
            raise ValidationError({"title": _("A special report needs a title.")})
        period_end = period_end or period_start
        if period_end < period_start:
            raise ValidationError({"period_end": _("The period cannot end before it starts.")})
        start, end = period_start, period_end
    else:
        start, end = figure_module.period_bounds(kind, period_start)
    if start > today:
        raise ValidationError({"period_start": _("A bulletin cannot cover a period that has not started yet.")})
    return start, end


def bulletin_request(
    *,
    actor,
    kind: str,
    period_start: date,
    period_end: date | None = None,
    title: str = "",
    body: str = "",
    distribution: str = "",
    regenerate: bool = False,
    today: date | None = None,
    enqueue: bool = True,
) -> Bulletin:
    """Ask for a bulletin (the 202 of the API): returns the queued — or reused — record at once; the PDF is
    made by the `generate_bulletin` task (`enqueue=False`: the caller generates it itself, as the demo does).
    `actor` None means the schedule. See the module docstring."""
    _check_office(actor)
    today = today or timezone.localdate()
    start, end = _validate_request(
        kind=kind, period_start=period_start, period_end=period_end, title=title, today=today
    )
    for attempt in range(3):
        try:
            with transaction.atomic():
                return _request_once(
                    actor=actor,
                    kind=kind,
                    start=start,
                    end=end,
                    title=(title or "").strip(),
                    body=body,
                    distribution=distribution,
                    regenerate=regenerate,
                    enqueue=enqueue,
                )
        except IntegrityError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _request_once(*, actor, kind, start, end, title, body, distribution, regenerate, enqueue) -> Bulletin:
    year = end.year
    latest = None
    if kind != Bulletin.Kind.SPECIAL:
        latest = (
            Bulletin.objects.select_for_update().filter(kind=kind, period_start=start).order_by("-revision").first()
        )
    if latest is not None:
        if latest.is_in_progress:
            return latest
        if latest.status == Bulletin.Status.FAILED and not regenerate:
            return _requeue(
                bulletin=latest,
                actor=actor,
                action="retried",
                note=_("Requested again after a failure."),
                enqueue=enqueue,
            )
        if not regenerate:
            return latest
        number, revision = latest.number, latest.revision + 1
        year = latest.year
    else:
        last = Bulletin.objects.filter(kind=kind, year=year).aggregate(n=Max("number"))["n"] or 0
        number, revision = last + 1, 1
    bulletin = Bulletin.objects.create(
        kind=kind,
        period_start=start,
        period_end=end,
        year=year,
        number=number,
        revision=revision,
        title=bulletin_title(kind, start, end, title),
        body=body,
        distribution=distribution or _default_distribution(),
        created_by=actor,
    )
    note = (
        _("Revision %(revision)d of issue %(number)d.") % {"revision": revision, "number": number}
        if revision > 1
        else ""
    )
    BulletinEvent.objects.create(bulletin=bulletin, action="requested", actor=actor, note=note)
    if enqueue:
        _enqueue_after_commit(bulletin.pk)
    return bulletin


def _default_distribution() -> str:
    with translation.override(settings.LANGUAGE_CODE):  # the document's language, whoever asks
        return str(DEFAULT_DISTRIBUTION)


def _enqueue_after_commit(bulletin_id: int):
    from .tasks import generate_bulletin

    transaction.on_commit(lambda: generate_bulletin.delay(bulletin_id))


def _requeue(
    *, bulletin: Bulletin, actor, action: str, note: str = "", reset_attempts: bool = False, enqueue: bool = True
) -> Bulletin:
    bulletin.status = Bulletin.Status.QUEUED
    bulletin.started_at = None
    fields = ["status", "started_at", "updated_at"]
    if reset_attempts:
        bulletin.attempts = 0
        fields.append("attempts")
    bulletin.save(update_fields=fields)
    BulletinEvent.objects.create(bulletin=bulletin, action=action, actor=actor, note=note)
    if enqueue:
        _enqueue_after_commit(bulletin.pk)
    return bulletin


# --- Generate ------------------------------------------------------------------------------------------


def bulletin_generate(*, bulletin_id: int) -> Bulletin | None:
    """Compute the figures and render the PDF of a queued bulletin. Only a queued bulletin is claimed (under a
    row lock), so a second worker, or a redelivered message, does nothing. Transient errors put the bulletin
    back in the queue and raise TransientGenerationError (the task retries); other errors mark it failed
    with the reason, for the office to see and retry."""
    with transaction.atomic():
        bulletin = Bulletin.objects.select_for_update().filter(pk=bulletin_id).first()
        if bulletin is None or bulletin.status != Bulletin.Status.QUEUED:
            return bulletin
        bulletin.status = Bulletin.Status.GENERATING
        bulletin.started_at = timezone.now()
        bulletin.attempts += 1
        bulletin.failure_reason = ""
        bulletin.save(update_fields=["status", "started_at", "attempts", "failure_reason", "updated_at"])
        BulletinEvent.objects.create(
            bulletin=bulletin, action="started", note=_("Attempt %(n)d.") % {"n": bulletin.attempts}
        )
    claim = bulletin.started_at
    try:
        data = figure_module.compute(kind=bulletin.kind, start=bulletin.period_start, end=bulletin.period_end)
        pdf = render_bulletin_pdf(bulletin=bulletin, figures=data)
    except TRANSIENT_ERRORS as exc:
        logger.warning("bulletin %s: transient error %r", bulletin_id, exc)
        requeued = _record_failure(bulletin_id=bulletin_id, claim=claim, exc=exc, transient=True)
        if requeued:
            raise TransientGenerationError(str(exc)) from exc
        return Bulletin.objects.get(pk=bulletin_id)
    except Exception as exc:  # noqa: BLE001 - any error must leave a visible, retryable failure
        logger.exception("bulletin %s failed", bulletin_id)
        _record_failure(bulletin_id=bulletin_id, claim=claim, exc=exc, transient=False)
        return Bulletin.objects.get(pk=bulletin_id)
    with transaction.atomic():
        bulletin = Bulletin.objects.select_for_update().get(pk=bulletin_id)
        if bulletin.status != Bulletin.Status.GENERATING or bulletin.started_at != claim:
            return bulletin  # swept and re-queued meanwhile: the newer attempt wins
        bulletin.figures = data
        bulletin.pdf.save(_pdf_name(bulletin), ContentFile(pdf), save=False)
        bulletin.status = Bulletin.Status.READY
        bulletin.generated_at = timezone.now()
        bulletin.save(update_fields=["figures", "pdf", "status", "generated_at", "updated_at"])
        BulletinEvent.objects.create(bulletin=bulletin, action="generated")
    return bulletin


def pdf_filename(bulletin: Bulletin) -> str:
    """The readable name a downloaded PDF gets (Content-Disposition), e.g. bulletin-daily-2026-001-r1.pdf."""
    return f"bulletin-{bulletin.kind}-{bulletin.year}-{bulletin.number:03d}-r{bulletin.revision}.pdf"


def _pdf_name(bulletin: Bulletin) -> str:
    """The stored name: readable, with 128 random bits, so no URL under /media/ can be guessed (issue 9)."""
    from core.files import random_name

    return random_name("pdf", prefix=pdf_filename(bulletin)[: -len(".pdf")] + "-")


def _record_failure(*, bulletin_id, claim, exc, transient: bool) -> bool:
    """Back to the queue (transient, attempts left) or failed. Returns True when re-queued."""
    reason = f"{exc.__class__.__name__}: {exc}"[:2000]
    with transaction.atomic():
        bulletin = Bulletin.objects.select_for_update().get(pk=bulletin_id)
        if bulletin.status != Bulletin.Status.GENERATING or bulletin.started_at != claim:
            return False
        bulletin.failure_reason = reason
        if transient and bulletin.attempts < MAX_ATTEMPTS:
            bulletin.status = Bulletin.Status.QUEUED
            bulletin.started_at = None
            bulletin.save(update_fields=["status", "started_at", "failure_reason", "updated_at"])
            BulletinEvent.objects.create(bulletin=bulletin, action="requeued", note=reason)
            return True
        bulletin.status = Bulletin.Status.FAILED
        bulletin.save(update_fields=["status", "failure_reason", "updated_at"])
        BulletinEvent.objects.create(bulletin=bulletin, action="failed", note=reason)
        return False


def render_bulletin_pdf(*, bulletin: Bulletin, figures: dict) -> bytes:
    """The official layout (红头) from the figures alone; always in Chinese, the language of the document."""
    from core.pdf import render_pdf

    from . import charts

    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "bulletin": bulletin,
            "f": figures,
            "trend_svg": charts.trend_chart(figures["trend"]) if figures.get("trend") else "",
            "category_svg": charts.category_chart(figures["categories"])
            if figures.get("categories") is not None
            else "",
            "body_paragraphs": [line.strip() for line in bulletin.body.splitlines() if line.strip()],
            "volunteer_rows": figure_module.volunteer_rows(figures.get("volunteers")),
            "publicity_rows": figure_module.publicity_rows(figures.get("publicity")),
        }
        return render_pdf("reports/pdf/bulletin.html", context)


# --- Publish, retry, sweep -------------------------------------------------------------------------------


@transaction.atomic
def bulletin_publish(*, actor, bulletin: Bulletin) -> Bulletin:
    """Publish a ready revision: leaders and units may then read it, and they are notified after commit."""
    if actor is None:
        raise NotPermitted(_("Only the campaign office may generate or publish bulletins."))
    _check_office(actor)
    bulletin = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
    if bulletin.is_published:
        raise InvalidTransition(_("This bulletin has already been published."))
    if bulletin.status != Bulletin.Status.READY:
        raise InvalidTransition(_("Only a bulletin whose PDF is ready can be published."))
    bulletin.published_at = timezone.now()
    bulletin.published_by = actor
    bulletin.save(update_fields=["published_at", "published_by", "updated_at"])
    BulletinEvent.objects.create(bulletin=bulletin, action="published", actor=actor)
    transaction.on_commit(lambda: _notify_published(bulletin.pk))
    return bulletin


def _notify_published(bulletin_id: int):
    from core.models import User
    from core.roles import Role
    from core.services import notification_send

    bulletin = Bulletin.objects.get(pk=bulletin_id)
    recipients = list(User.objects.filter(is_active=True, role__in=[Role.LEADER, Role.UNIT]).order_by("pk"))
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Published: %(kind)s, issue %(number)d of %(year)d") % {
            "kind": bulletin.get_kind_display(),
            "number": bulletin.number,
            "year": bulletin.year,
        }
        notification_send(
            recipients=recipients,
            verb="bulletin_published",
            title=title,
            body=bulletin.title,
            url=reverse("reports:bulletin_detail", args=[bulletin.pk]),
        )


@transaction.atomic
def bulletin_retry(*, actor, bulletin: Bulletin) -> Bulletin:
    """The office puts a failed bulletin back in the queue (attempts start again)."""
    if actor is None:
        raise NotPermitted(_("Only the campaign office may generate or publish bulletins."))
    _check_office(actor)
    bulletin = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
    if bulletin.status != Bulletin.Status.FAILED:
        raise InvalidTransition(_("Only a failed bulletin can be retried."))
    return _requeue(bulletin=bulletin, actor=actor, action="retried", reset_attempts=True)


def bulletins_sweep_stuck(*, now=None, max_attempts: int = MAX_ATTEMPTS) -> dict:
    """A worker that died mid-task leaves its bulletin "generating": past `stuck_after()` it is re-queued
    (while attempts remain) or marked failed with the reason. Bulletins queued for that long (their message
    was lost) are enqueued again; generation only starts from "queued", so a duplicate message is harmless."""
    now = now or timezone.now()
    cutoff = now - stuck_after()
    result = {"requeued": 0, "failed": 0, "resent": 0}
    with transaction.atomic():
        stuck = Bulletin.objects.select_for_update(skip_locked=True).filter(
            status=Bulletin.Status.GENERATING, started_at__lt=cutoff
        )
        minutes = int(stuck_after().total_seconds() // 60)
        for bulletin in stuck:
            if bulletin.attempts < max_attempts:
                _requeue(
                    bulletin=bulletin,
                    actor=None,
                    action="requeued",
                    note=_(
                        "Generation did not finish within %(minutes)d minutes (the worker may have stopped); queued again."  # noqa: E501
                    )
                    % {"minutes": minutes},
                )
                result["requeued"] += 1
            else:
                bulletin.status = Bulletin.Status.FAILED
                bulletin.failure_reason = _(
                    "Generation did not finish within %(minutes)d minutes, %(attempts)d times (the worker may have "
                    "stopped). Retry it once the workers are running."
                ) % {"minutes": minutes, "attempts": bulletin.attempts}
                bulletin.save(update_fields=["status", "failure_reason", "updated_at"])
                BulletinEvent.objects.create(bulletin=bulletin, action="failed", note=bulletin.failure_reason)
                result["failed"] += 1
        lost = list(
            Bulletin.objects.filter(status=Bulletin.Status.QUEUED, updated_at__lt=cutoff).values_list("pk", flat=True)
        )
        # touched, so a bulletin whose workers are all down is resent once per period, not every five minutes
        Bulletin.objects.filter(pk__in=lost).update(updated_at=now)
        for pk in lost:
            _enqueue_after_commit(pk)
        result["resent"] = len(lost)
    return result


# --- The schedule ---------------------------------------------------------------------------------------


def scheduled_period_start(kind: str, today: date) -> date:
    """What the scheduled job covers: today (daily), the previous week (weekly, run on Monday), the previous
    month (monthly, run on the 1st)."""
    if kind == Bulletin.Kind.WEEKLY:
        return figure_module.monday_of(today) - timedelta(days=7)
    if kind == Bulletin.Kind.MONTHLY:
        return figure_module.previous_month(today)
    return today


def bulletin_request_scheduled(*, kind: str, today: date | None = None) -> Bulletin:
    today = today or timezone.localdate()
    return bulletin_request(actor=None, kind=kind, period_start=scheduled_period_start(kind, today), today=today)


def schedule_times() -> dict:
    """The time of day of each scheduled bulletin job (None when its row was removed)."""
    from django_celery_beat.models import PeriodicTask

    tasks = {
        t.name: t for t in PeriodicTask.objects.filter(name__in=SCHEDULED_TASKS.values()).select_related("crontab")
    }
    times = {}
    for kind, name in SCHEDULED_TASKS.items():
        task = tasks.get(name)
        crontab = task.crontab if task else None
        try:
            times[kind] = time(int(crontab.hour), int(crontab.minute)) if crontab else None
        except ValueError:
            times[kind] = None
        times[f"{kind}_enabled"] = bool(task and task.enabled)
    return times


@transaction.atomic
def schedule_update(*, actor, daily: time, weekly: time, monthly: time) -> dict:
    """Move the three scheduled jobs to new times of day (Asia/Shanghai). Each task gets a crontab of its
    own (get_or_create), so a schedule shared with another task is never changed under it."""
    from django_celery_beat.models import CrontabSchedule, PeriodicTask, PeriodicTasks

    if actor is None:
        raise NotPermitted(_("Only the campaign office may change the bulletin schedule."))
    if not actor.is_office:
        raise NotPermitted(_("Only the campaign office may change the bulletin schedule."))
    days = {"daily": ("*", "*"), "weekly": ("1", "*"), "monthly": ("*", "1")}
    for kind, at in (("daily", daily), ("weekly", weekly), ("monthly", monthly)):
        if not isinstance(at, time):
            raise ValidationError({kind: _("Enter a time of day (HH:MM).")})
        day_of_week, day_of_month = days[kind]
        crontab, _created = CrontabSchedule.objects.get_or_create(
            minute=str(at.minute),
            hour=str(at.hour),
            day_of_week=day_of_week,
            day_of_month=day_of_month,
            month_of_year="*",
            timezone=settings.TIME_ZONE,
        )
        task, created = PeriodicTask.objects.select_for_update().get_or_create(
            name=SCHEDULED_TASKS[kind],
            defaults={
                "task": "reports.tasks.scheduled_bulletin",
                "kwargs": f'{{"kind": "{kind}"}}',
                "crontab": crontab,
            },
        )
        if not created and task.crontab_id != crontab.pk:
            task.crontab = crontab
            task.save(update_fields=["crontab"])
    PeriodicTasks.update_changed()
    return schedule_times()
