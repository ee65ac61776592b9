"""Pages of surveys: the surveyor's phone (their open rounds and quotas, the interview form), the public self-fill
page of a round (no account), and the office's data-quality page (flagged responses, quota progress).

The interview and self-fill forms are one vanilla module, static/js/survey.js: one question per screen, answers kept
in the phone's localStorage until the API (`api_survey-response-list`) has them (offline retries with a client key)."""

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.exceptions import DomainError
from core.pages import show_service_error
from core.registry import visible_to
from core.scope import scope_of
from evaluation.models import RespondentGroup, SurveyQuota, SurveyResponse, SurveyRound

from . import selectors, services
from .filtersets import SurveyResponseFilterSet

DEVICE_COOKIE = "cwt_survey_device"


def _questionnaires_data(round):
    rows = []
    for questionnaire in round.questionnaires.filter(is_active=True).prefetch_related("questions__options"):
        rows.append(
            {
                "id": questionnaire.pk,
                "code": questionnaire.code,
                "title": questionnaire.title,
                "group": questionnaire.group,
                "intro": questionnaire.intro,
                "questions": [
                    {
                        "id": q.pk,
                        "number": q.number,
                        "text": q.text,
                        "kind": q.kind,
                        "required": q.is_required,
                        "options": [{"code": o.code, "text": o.text} for o in q.options.all()],
                    }
                    for q in questionnaire.questions.all()
                ],
            }
        )
    return rows


def _texts():
    return {
        "next": _("Next question"),
        "back": _("Previous question"),
        "submit": _("Submit"),
        "yes": _("Yes"),
        "no": _("No"),
        "required": _("Please answer this question."),
        "question_of": _("Question %(n)s of %(total)s"),
        "saved": _("Saved on this phone. It is sent as soon as there is a connection."),
        "sent": _("Sent. Thank you!"),
        "waiting": _("Waiting to be sent: %(n)s"),
        "sending": _("Sending…"),
        "refused": _("Not accepted: %(reason)s"),
        "again": _("Next respondent"),
        "choose": _("Choose the questionnaire, the area and the group."),
        "no_position": _("Position not recorded."),
        "position": _("Position recorded."),
        "select": _("Choose several if they apply."),
    }


def _survey_context(round, *, mode, areas, groups, request, device=""):
    return {
        "round": round,
        "mode": mode,
        "survey_data": {
            "questionnaires": _questionnaires_data(round),
            "areas": areas,
            "groups": groups,
        },
        "survey_text": _texts(),
        "api_url": reverse("api_survey-response-list"),
        "device": device,
    }


@login_required
def survey_home(request):
    """The surveyor's phone: their open rounds, their quotas with progress, and where to start an interview."""
    rounds = list(selectors.open_rounds_for(request.user))
    surveyor = None if scope_of(request.user).is_office else request.user
    progress = selectors.quota_progress(rounds, surveyor=surveyor)
    by_round = {r.pk: [] for r in rounds}
    for row in progress:
        by_round[row["quota"].round_id].append(row)
    mine = visible_to(SurveyResponse, request.user).filter(surveyor=request.user)
    return render(
        request,
        "evaluation/surveys/home.html",
        {
            "rounds": [(r, by_round[r.pk]) for r in rounds],
            "my_count": mine.count(),
            "my_flagged": mine.filter(quality=SurveyResponse.Quality.FLAGGED).count(),
        },
    )


@login_required
def survey_fill(request, pk):
    """Interviewer mode for one open round (its surveyors, and the office)."""
    round = get_object_or_404(SurveyRound, pk=pk)
    if round.status != SurveyRound.Status.OPEN:
        messages.error(request, _("This survey round is not open."))
        return redirect("evaluation:survey_home")
    if not services.may_interview(request.user, round):
        raise PermissionDenied(_("You are not a surveyor of this survey round."))
    quotas = SurveyQuota.objects.filter(round=round).select_related("region").order_by("region__path", "group")
    if not scope_of(request.user).is_office:
        quotas = [q for q in quotas if q.surveyor_id in (None, request.user.pk)]
    areas, groups = {}, {}
    for quota in quotas:
        areas.setdefault(quota.region_id, {"id": quota.region_id, "name": quota.region.name, "groups": []})
        areas[quota.region_id]["groups"].append(quota.group)
        groups[quota.group] = str(RespondentGroup(quota.group).label)
    if not groups:
        groups = {value: str(label) for value, label in RespondentGroup.choices}
    context = _survey_context(round, mode="interview", areas=list(areas.values()), groups=groups, request=request)
    return render(request, "evaluation/surveys/fill.html", context)


def _public_round(token):
    round = SurveyRound.objects.filter(public_token=token).first() if token else None
    if round is None:
        raise Http404(_("This survey link does not exist."))
    return round


def survey_public(request, token):
    """The public self-fill page of a round (no account): one response per device (a cookie) and per phone."""
    round = _public_round(token)
    if round.status != SurveyRound.Status.OPEN:
        return render(request, "evaluation/surveys/public_closed.html", {"round": round}, status=410)
    quotas = SurveyQuota.objects.filter(round=round).select_related("region").order_by("region__path")
    areas = {}
    for quota in quotas:
        areas.setdefault(quota.region_id, {"id": quota.region_id, "name": quota.region.name, "groups": []})
    device = request.COOKIES.get(DEVICE_COOKIE) or ""
    if not (0 < len(device) <= 64 and device.replace("-", "").replace("_", "").isalnum()):
        device = secrets.token_urlsafe(24)
    answered = SurveyResponse.objects.filter(round=round, device_digest=services.digest(device)).exists()
    if answered and "again" not in request.GET:
        return render(request, "evaluation/surveys/public_thanks.html", {"round": round, "already": True})
    context = _survey_context(
        round,
        mode="public",
        areas=list(areas.values()),
        groups={value: str(label) for value, label in RespondentGroup.choices},
        request=request,
        device=device,
    )
    context["token"] = token
    context["thanks_url"] = reverse("evaluation:survey_public_thanks", args=[token])
    answer = render(request, "evaluation/surveys/fill.html", context)
    answer.set_cookie(DEVICE_COOKIE, device, max_age=3 * 365 * 86400, httponly=True, samesite="Lax")
    return answer


def survey_public_thanks(request, token):
    round = _public_round(token)
    return render(request, "evaluation/surveys/public_thanks.html", {"round": round})


def _office_only(user):
    if not scope_of(user).is_office and not scope_of(user).is_leader:
        raise PermissionDenied(_("Only the campaign office reviews survey responses."))


@login_required
def survey_quality(request):
    """The office's data-quality page: flagged responses with their reasons (accept or reject), filtered."""
    _office_only(request.user)
    params = request.GET.copy()
    if "quality" not in params:
        params["quality"] = SurveyResponse.Quality.FLAGGED
    queryset = visible_to(SurveyResponse, request.user).select_related("round", "questionnaire", "region", "surveyor")
    filterset = SurveyResponseFilterSet(params, queryset=queryset)
    rows = filterset.qs.order_by("-submitted_at", "-id")[:100] if filterset.is_valid() else queryset.none()
    rows = [(r, selectors.reasons(r)) for r in rows]
    rounds = SurveyRound.objects.exclude(status=SurveyRound.Status.DRAFT).order_by("-start_date", "-id")[:12]
    return render(
        request,
        "evaluation/surveys/quality.html",
        {
            "filter": filterset,
            "rows": rows,
            "rounds": rounds,
            "can_review": scope_of(request.user).is_office,
        },
    )


def _review(request, pk, service, done):
    response = get_object_or_404(visible_to(SurveyResponse, request.user), pk=pk)
    try:
        service(actor=request.user, response=response)
    except DomainError as exc:
        show_service_error(request, exc)
    else:
        messages.success(request, done)
    back = request.POST.get("next") or ""
    if back.startswith("/evaluation/") and "//" not in back:
        return redirect(back)
    return redirect("evaluation:survey_quality")


@login_required
@require_POST
def survey_response_accept(request, pk):
    return _review(request, pk, services.response_accept, _("The response was accepted: it counts in the rates."))


@login_required
@require_POST
def survey_response_reject(request, pk):
    return _review(request, pk, services.response_reject, _("The response was rejected: it is left out of the rates."))


@login_required
def survey_quota_progress(request, pk):
    """Quota progress of one round by area × group (target, valid, flagged); htmx refreshes the table."""
    round = get_object_or_404(SurveyRound, pk=pk)
    scope = scope_of(request.user)
    surveyor = None if (scope.is_office or scope.is_leader) else request.user
    if surveyor is not None and not round.surveyors.filter(pk=request.user.pk).exists():
        raise Http404(_("Survey round not found."))
    rows = selectors.quota_progress([round], surveyor=surveyor)
    totals = {
        "target": sum(r["quota"].target for r in rows),
        "counted": sum(r["counted"] for r in rows),
        "flagged": sum(r["flagged"] for r in rows),
    }
    template = "evaluation/surveys/_progress.html" if request.htmx else "evaluation/surveys/progress.html"
    return render(request, template, {"round": round, "rows": rows, "totals": totals})
