"""The arithmetic of readiness (evaluation/readiness/scoring.py) against hand-made numbers, and the rules the worked
example does not reach: no evidence, the street fallback, settings overrides."""

import pytest

from evaluation.readiness import scoring


def test_field_share_weighs_mock_evaluations_by_their_score():
    # two ordinary results (pass, fail) and a mock evaluation scored 8 of 10 weighing 3
    assert scoring.field_share(passed=1 + 0 + 3 * 0.8, weight=5) == pytest.approx(0.68)
    assert scoring.field_share(passed=0, weight=0) is None


def test_material_and_questionnaire_shares():
    assert scoring.material_share(accepted=1, pairs=4) == 0.25
    assert scoring.material_share(accepted=0, pairs=0) is None
    assert scoring.questionnaire_share(rate=0.7, target=0.8) == pytest.approx(0.875)
    assert scoring.questionnaire_share(rate=0.95, target=0.8) == 1.0  # capped
    assert scoring.questionnaire_share(rate=0.45, target=None) == pytest.approx(0.5)  # default target 0.90
    assert scoring.questionnaire_share(rate=None, target=0.8) is None


def test_estimates_and_no_evidence(settings):
    assert scoring.estimate_share(None) == (0.8, scoring.ESTIMATE)
    assert scoring.estimate_share(0.55) == (0.55, scoring.INPUT)
    missing = scoring.part("field", None)
    assert (missing.share, missing.source) == (0.6, scoring.NONE)
    street = scoring.part("material", None, fallback=0.4)
    assert (street.share, street.source) == (0.4, scoring.CITY)
    settings.READINESS = {"NO_EVIDENCE_DEFAULT": 0.5, "ESTIMATE_DEFAULT": 0.7}
    assert scoring.part("field", None).share == 0.5
    assert scoring.estimate_share(None)[0] == 0.7


def test_standard_score_is_the_mean_of_its_methods_and_parts_add_up():
    parts = [scoring.Part("field", 0.5, scoring.EVIDENCE, 4), scoring.Part("material", 1.0, scoring.EVIDENCE, 2)]
    row = scoring.standard_score(8, parts)
    assert (row["share"], row["score"], row["points_at_risk"]) == (0.75, 6.0, 2.0)
    assert row["parts"]["field"] == {
        "share": 0.5,
        "source": "evidence",
        "n": 4,
        "points": 4.0,
        "score": 2.0,
        "points_at_risk": 2.0,
    }
    assert sum(p["points_at_risk"] for p in row["parts"].values()) == row["points_at_risk"]
    assert row["no_evidence"] is False


def test_a_standard_without_methods_has_no_evidence():
    row = scoring.standard_score(5, [])
    assert row["no_evidence"] is True and row["share"] == 0.6 and row["score"] == 3.0


def test_add_up_sums_points_scores_and_parts():
    rows = [
        scoring.standard_score(10, [scoring.Part("field", 0.68, scoring.EVIDENCE, 3)]),
        scoring.standard_score(
            4, [scoring.Part("online", 0.9, scoring.INPUT), scoring.Part("briefing", 0.8, "estimate")]
        ),
    ]
    total = scoring.add_up(rows)
    assert total["points"] == 14 and total["score"] == pytest.approx(10.2)
    assert total["points_at_risk"] == pytest.approx(3.8)
    assert total["parts"]["field"]["points_at_risk"] == pytest.approx(3.2)
    assert total["parts"]["online"]["points_at_risk"] == pytest.approx(0.2)
    assert scoring.add_up([])["share"] is None
