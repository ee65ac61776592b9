"""The rates page (office, leader; a supervisor for its areas — the tallies are scoped by region): the four rates of a
round with their sample size, 95% interval and change from the previous round; tables by area, group, question and
standard; the weakest questions with their responsible units; a round picker; each table exported as .xlsx."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBadRequest
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.exceptions import DomainError
from core.registry import visible_to
from core.scope import scope_of
from core.xlsx import xlsx_response
from evaluation.models import Rate, SurveyResponse, SurveyRound

from . import selectors
from .params import parse_round

TABLE_ROWS = 50  # rows of the question table on the page; the export has them all
EXPORT_TABLES = ("region", "group", "question", "standard", "weakest")
EXPORT_TITLES = {
    "region": gettext_lazy("Rates by area"),
    "group": gettext_lazy("Rates by group"),
    "question": gettext_lazy("Rates by question"),
    "standard": gettext_lazy("Rates by standard"),
    "weakest": gettext_lazy("Weakest questions"),
}


def _reader(user):
    """Office and leader (everything) and supervisors (their areas) read the rates."""
    scope = scope_of(user)
    if not (scope.sees_everything or scope.is_supervisor):
        raise PermissionDenied(_("Your role does not allow this action."))
    return scope


def _round(request):
    try:
        return parse_round(request.user, request.GET.get("round")), None
    except DomainError as exc:
        return None, exc.message


@login_required
def rates(request):
    _reader(request.user)
    survey_round, error = _round(request)
    if error:
        return HttpResponseBadRequest(error)
    rounds = list(
        visible_to(SurveyRound, request.user)
        .exclude(status=SurveyRound.Status.DRAFT)
        .order_by("-end_date", "-id")
        .values("pk", "name", "start_date", "end_date")
    )
    context = {"round": survey_round, "rounds": rounds, "rate_labels": dict(Rate.choices)}
    if survey_round is not None:
        user = request.user
        previous, changes, cells = selectors.overall_with_change(
            round=survey_round, user_or_scope=user, sets=("region", "group", "question")
        )
        questions = selectors.by_question(round=survey_round, user_or_scope=user, cells=cells["question"])
        context.update(
            previous=previous,
            kpis=[
                {
                    "rate": rate,
                    "label": Rate(rate).label,
                    "change_points": None if change["change"] is None else f"{change['change'] * 100:+.1f}",
                    **change,
                }
                for rate, change in changes.items()
            ],
            regions=selectors.by_region(round=survey_round, user_or_scope=user, cells=cells["region"]),
            groups=selectors.by_group(round=survey_round, user_or_scope=user, cells=cells["group"]),
            questions=questions[:TABLE_ROWS],
            question_count=len(questions),
            table_rows=TABLE_ROWS,
            standards=selectors.by_standard(round=survey_round, user_or_scope=user),
            weakest=selectors.weakest_questions(round=survey_round, user_or_scope=user, rows=questions),
            weakest_min_n=selectors.WEAKEST_MIN_N,
            rates=selectors.RATES,
            weights=[
                (str(dict(SurveyResponse.Source.choices).get(source, source)), weight)
                for source, weight in (
                    survey_round.source_weights if isinstance(survey_round.source_weights, dict) else {}
                ).items()
            ],
        )
    return render(request, "evaluation/rates/rates.html", context)


def _pct(value):
    return None if value is None else float(value)


def _figure_cells(figure):
    return [_pct(figure.rate), figure.n, _pct(figure.low), _pct(figure.high)]


@login_required
def rates_export(request):
    _reader(request.user)
    table = request.GET.get("table") or "region"
    if table not in EXPORT_TABLES:
        return HttpResponseBadRequest(
            _("Export a table by area, group, question or standard, or the weakest questions.")
        )
    survey_round, error = _round(request)
    if error or survey_round is None:
        return HttpResponseBadRequest(error or _("There is no survey round yet."))
    user = request.user
    rate_headers = []
    for _rate, label in Rate.choices:
        rate_headers += [label, _("%(rate)s n") % {"rate": label}, _("Low (95%)"), _("High (95%)")]
    if table == "weakest":
        headers = [_("Question"), _("Text"), _("Rate"), _("Share positive"), _("Sample size"), _("Low (95%)")]
        headers += [_("High (95%)"), _("Standards"), _("Lead unit"), _("Responsible units")]
        labels = dict(Rate.choices)
        rows = (
            [
                w["code"],
                w["text"],
                str(labels.get(w["rate_kind"], w["rate_kind"])),
                *_figure_cells(w["figure"]),
                "、".join(f"{s['code']} {s['name']}" for s in w["standards"]),
                "、".join(u["name"] for u in w["lead_units"]),
                "、".join(u["name"] for u in w["units"]),
            ]
            for w in selectors.weakest_questions(round=survey_round, user_or_scope=user)
        )
    else:
        rows_of = selectors.ROWS_BY[table](round=survey_round, user_or_scope=user)
        first = {"region": _("Area"), "group": _("Respondent group"), "question": _("Question")}.get(table)
        headers = [first or _("Standard"), *rate_headers]
        if table == "standard":
            headers += [_("All its questions"), _("Sample size"), _("Target")]
        rows = []
        for row in rows_of:
            label = ("　" * row.depth + row.label) if table == "region" else row.label
            cells = [label]
            for rate in selectors.RATES:
                cells += _figure_cells(row.rates[rate])
            if table == "standard":
                overall = row.extra["overall"]
                cells += [_pct(overall.get("rate")), overall.get("n", 0), _pct(overall.get("target"))]
            rows.append(cells)
    title = str(EXPORT_TITLES[table])
    return xlsx_response(
        filename=f"{title}-{survey_round.end_date:%Y%m}.xlsx", headers=headers, rows=rows, sheet_title=title
    )
