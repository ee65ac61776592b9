"""The rates API (`survey-rates/?round=&group_by=region|group|question|standard`)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import selectors
from ..params import parse_group_by, parse_round
from .serializers import OverallSerializer, RoundSerializer, RowSerializer, figure_json, number


def row_json(row: selectors.Row, group_by: str) -> dict:
    data = {"id": row.key, "name": row.label}
    if group_by == "region":
        data["depth"] = row.depth
    elif group_by == "question":
        data.update(code=row.extra["code"], name=row.extra["text"], rate_kind=row.extra["rate"])
        data["target"] = number(row.extra["target"])
    elif group_by == "standard":
        overall = row.extra["overall"]
        data.update(code=row.extra["code"], name=row.extra["name"], target=number(overall.get("target")))
        data["overall"] = {
            "rate": number(overall.get("rate")),
            "n": overall.get("n", 0),
            "positive": overall.get("positive", 0),
            "interval": [number(overall["low"]), number(overall["high"])] if overall.get("rate") is not None else None,
            "n_effective": number(overall.get("n_effective")),
            "weighted": bool(overall.get("weighted")),
        }
    for rate in selectors.RATES:
        data[rate] = figure_json(row.rates[rate])
    return data


def payload(*, round, user, group_by) -> dict:
    sets = () if group_by == "standard" else (group_by,)
    previous, changes, cells = selectors.overall_with_change(round=round, user_or_scope=user, sets=sets)
    rows = selectors.ROWS_BY[group_by](round=round, user_or_scope=user, cells=cells.get(group_by))
    return {
        "round": {
            "id": round.pk,
            "name": round.name,
            "start_date": round.start_date,
            "end_date": round.end_date,
            "status": round.status,
            "source_weights": round.source_weights if isinstance(round.source_weights, dict) else {},
        },
        "previous_round": {"id": previous.pk, "name": previous.name} if previous else None,
        "group_by": group_by,
        "overall": {
            rate: figure_json(c["figure"], previous=c["previous"], change=c["change"], with_change=True)
            for rate, c in changes.items()
        },
        "results": [row_json(row, group_by) for row in rows],
    }


class SurveyRatesView(APIView):
    """The four rates (awareness 知晓率, support 支持率, satisfaction 满意度, participation 参与率) of a survey round
    over the areas you can see: `overall` (each with `n`, `positive`, a 95% Wilson `interval`, `n_effective` and the
    `change` from the previous round) and `results` per region (rolled up the region tree), respondent group,
    question or standard. Without `round`: the latest round that is not a draft. A rate is positive / answered over
    the counted answers; a round with `source_weights` weighs its sources (Σ w·p / Σ w over the sources present) and
    reports the interval with Kish's effective sample size."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("round", OpenApiTypes.INT),
            OpenApiParameter("group_by", OpenApiTypes.STR, enum=list(selectors.GROUP_BYS)),
        ],
        responses=inline_serializer(
            "SurveyRates",
            {
                "round": RoundSerializer(allow_null=True),
                "previous_round": inline_serializer(
                    "SurveyRatesPreviousRound",
                    {"id": serializers.IntegerField(), "name": serializers.CharField()},
                    allow_null=True,
                ),
                "group_by": serializers.CharField(),
                "overall": OverallSerializer(),
                "results": RowSerializer(many=True),
            },
        ),
    )
    def get(self, request):
        group_by = parse_group_by(request.query_params.get("group_by"))
        survey_round = parse_round(request.user, request.query_params.get("round"))
        if survey_round is None:
            return Response({"round": None, "previous_round": None, "group_by": group_by, "overall": {}, "results": []})
        return Response(payload(round=survey_round, user=request.user, group_by=group_by))
