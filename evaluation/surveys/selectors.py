"""Reads of survey responses shared by the pages and the API: a surveyor's open rounds, quota progress, the
data-quality queue."""

from django.db.models import Count, Q

from core.registry import visible_to
from core.scope import scope_of
from evaluation.models import SurveyQuota, SurveyResponse, SurveyRound

COUNTING = (SurveyResponse.Quality.VALID, SurveyResponse.Quality.ACCEPTED)


def open_rounds_for(user):
    """The open rounds the user surveys (the office: every open round)."""
    rounds = SurveyRound.objects.filter(status=SurveyRound.Status.OPEN)
    if not scope_of(user).is_office:
        rounds = rounds.filter(surveyors=user)
    return rounds.prefetch_related("questionnaires").order_by("-start_date", "-id")


def response_counts(round_ids) -> dict:
    """{(round, region, group): (counted, flagged)} over the responses of the rounds."""
    rows = (
        SurveyResponse.objects.filter(round_id__in=list(round_ids))
        .order_by()
        .values("round_id", "region_id", "group")
        .annotate(
            counted=Count("id", filter=Q(quality__in=COUNTING)),
            flagged=Count("id", filter=Q(quality=SurveyResponse.Quality.FLAGGED)),
        )
    )
    return {(r["round_id"], r["region_id"], r["group"]): (r["counted"], r["flagged"]) for r in rows}


def quota_progress(rounds, *, surveyor=None) -> list[dict]:
    """Quota rows (round, area, group, target, surveyor) with the valid and flagged counts and the share done;
    only the surveyor's quotas (theirs or nobody's) when `surveyor` is given."""
    round_ids = [r.pk for r in rounds]
    quotas = SurveyQuota.objects.filter(round_id__in=round_ids).select_related("region", "surveyor")
    if surveyor is not None:
        quotas = quotas.filter(Q(surveyor=surveyor) | Q(surveyor__isnull=True))
    counts = response_counts(round_ids)
    rows = []
    for quota in quotas.order_by("round_id", "region__path", "group"):
        counted, flagged = counts.get((quota.round_id, quota.region_id, quota.group), (0, 0))
        percent = min(100, round(100 * counted / quota.target)) if quota.target else 100
        rows.append({"quota": quota, "counted": counted, "flagged": flagged, "percent": percent})
    return rows


def flagged_responses(user, *, round_id=None, reason="", quality=SurveyResponse.Quality.FLAGGED):
    """Responses waiting for (or after) the office's decision, newest first."""
    responses = visible_to(SurveyResponse, user).select_related("round", "questionnaire", "region", "surveyor")
    if quality:
        responses = responses.filter(quality=quality)
    else:
        responses = responses.filter(Q(too_fast=True) | Q(duplicate=True) | Q(outside_area=True))
    if round_id:
        responses = responses.filter(round_id=round_id)
    if reason in ("too_fast", "duplicate", "outside_area"):
        responses = responses.filter(**{reason: True})
    return responses.order_by("-submitted_at", "-id")


def reasons(response) -> list[str]:
    from django.utils.translation import gettext as _

    out = []
    if response.too_fast:
        out.append(_("too fast (%(seconds)s s)") % {"seconds": response.duration_seconds})
    if response.duplicate:
        out.append(_("duplicate"))
    if response.outside_area:
        out.append(_("outside the assigned area"))
    return out
