"""The shape of the rates API (for the schema) and the conversion of the selectors' figures to JSON numbers."""

from rest_framework import serializers

from ..selectors import RATES, Figure


def number(value):
    return None if value is None else float(value)


def figure_json(figure: Figure, *, previous: Figure | None = None, change=None, with_change=False) -> dict:
    data = {
        "rate": number(figure.rate),
        "n": figure.n,
        "positive": figure.positive,
        "interval": [number(figure.low), number(figure.high)] if figure.rate is not None else None,
        "n_effective": number(figure.n_effective),
        "weighted": figure.weighted,
    }
    if with_change:
        data["previous_rate"] = number(previous.rate) if previous is not None else None
        data["change"] = number(change)
    return data


class FigureSerializer(serializers.Serializer):
    rate = serializers.FloatField(allow_null=True, help_text="positive / answered (weighted between sources)")
    n = serializers.IntegerField(help_text="answers counted")
    positive = serializers.IntegerField()
    interval = serializers.ListField(
        child=serializers.FloatField(), allow_null=True, help_text="95% Wilson score interval [low, high]"
    )
    n_effective = serializers.FloatField(allow_null=True, help_text="Kish's effective sample size (weighted)")
    weighted = serializers.BooleanField()


class OverallFigureSerializer(FigureSerializer):
    previous_rate = serializers.FloatField(allow_null=True, help_text="the same rate in the previous round")
    change = serializers.FloatField(allow_null=True, help_text="rate − previous_rate")


class RoundSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    status = serializers.CharField()
    source_weights = serializers.DictField(child=serializers.FloatField())


def _rates_fields(serializer_class):
    return {rate: serializer_class() for rate in RATES}


OverallSerializer = type("SurveyRatesOverall", (serializers.Serializer,), _rates_fields(OverallFigureSerializer))
RowSerializer = type(
    "SurveyRatesRow",
    (serializers.Serializer,),
    {
        "id": serializers.JSONField(help_text="region, standard or question id (an integer); the group's code (text)"),
        "name": serializers.CharField(),
        "code": serializers.CharField(required=False),
        "depth": serializers.IntegerField(required=False, help_text="group_by=region: depth under the top row"),
        "rate_kind": serializers.CharField(required=False, help_text="group_by=question: the rate it feeds"),
        "target": serializers.FloatField(required=False, allow_null=True),
        "overall": FigureSerializer(required=False, help_text="group_by=standard: all its questions together"),
        **_rates_fields(FigureSerializer),
    },
)
