"""The arithmetic of the predicted score (测评得分预估), kept pure: numbers in, numbers out, no database.

`docs/readiness.md` explains every rule with a worked example; `tests/evaluation/test_readiness_example.py` builds that
example and checks these functions' answers against the document.

A standard's **share** (0–1) is the part of its points the city would obtain if evaluated now. Each of its collection
methods (StandardMethod) gives a share from its own evidence; the standard's share is the plain mean of its methods'
shares (each method weighs the same: the evaluators check each method and the standard's points fall with any of them).
Predicted points = share × points; points at risk = points × (1 − share).

Per method:

- field inspection (实地考察) and overall observation (整体观察): the weighted pass rate of the checklist results
  for the standard in the window (`field_share`); a mock-evaluation result counts as its 得分率 (score / the
  standard's points) and weighs `MOCK_WEIGHT` ordinary patrol results; "not applicable" results are left out;
- material review (材料审核): accepted pairs / all pairs (requirement × submitting unit; `material_share`);
- questionnaire (问卷调查): min(1, rate / target) (`questionnaire_share`);
- online survey (网络调查) and briefing (听取汇报): the office's ReadinessInput share, or `ESTIMATE_DEFAULT`.

A method without any evidence counts `NO_EVIDENCE_DEFAULT` and is marked so (`source = "none"`). A street with no
evidence of its own for a method takes the share of the whole scope (`source = "city"`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

# The defaults; a deployment overrides any of them with settings.READINESS = {"WINDOW_WEEKS": 6, …}.
DEFAULTS = {
    "WINDOW_WEEKS": 8,  # field evidence: checklist results of the last 8 weeks
    "MOCK_WEIGHT": 3,  # one mock-evaluation result weighs as much as 3 ordinary patrol results
    "ESTIMATE_DEFAULT": 0.8,  # online survey / briefing when the office has entered nothing
    "NO_EVIDENCE_DEFAULT": 0.6,  # a method with no evidence at all
}

FIELD_METHODS = ("field", "observation")
OBSERVED = ("field", "observation", "material", "questionnaire")
ESTIMATED = ("online", "briefing")
METHOD_ORDER = ("field", "observation", "material", "questionnaire", "online", "briefing")

# Where a method's share came from.
EVIDENCE = "evidence"  # the app's own evidence in the area
CITY = "city"  # a street without evidence of its own: the share of the whole scope
INPUT = "input"  # the office's entered estimate (ReadinessInput)
ESTIMATE = "estimate"  # no entered estimate: ESTIMATE_DEFAULT
NONE = "none"  # no evidence at all: NO_EVIDENCE_DEFAULT


def setting(name: str) -> float:
    return float({**DEFAULTS, **getattr(settings, "READINESS", {})}[name])


def field_share(*, passed: float, weight: float) -> float | None:
    """The weighted pass rate: Σ(weight × value) / Σ weight, where value is 1 for a pass, 0 for a fail, and for a
    mock-evaluation result its score / points (得分率); weight is 1, or MOCK_WEIGHT for a mock-evaluation result.
    None without results."""
    return min(1.0, passed / weight) if weight else None


def material_share(*, accepted: int, pairs: int) -> float | None:
    """The share of requirement × unit pairs whose current version is accepted; None without pairs."""
    return accepted / pairs if pairs else None


def questionnaire_share(*, rate: float | None, target: float | None) -> float | None:
    """min(1, rate / target); a missing or zero target counts as settings.SURVEY_DEFAULT_TARGET (the rates' own
    default). None without a rate."""
    if rate is None:
        return None
    target = target if target else float(settings.SURVEY_DEFAULT_TARGET)
    return min(1.0, rate / target)


def estimate_share(entered: float | None) -> tuple[float, str]:
    """An unobserved method: the office's entered share, or ESTIMATE_DEFAULT."""
    if entered is not None:
        return float(entered), INPUT
    return setting("ESTIMATE_DEFAULT"), ESTIMATE


@dataclass
class Part:
    """One method's share of one standard, with the evidence behind it."""

    method: str
    share: float
    source: str
    n: int = 0  # how many results / pairs / answers stand behind the share

    def as_dict(self, points: float, methods: int) -> dict:
        slice_ = points / methods if methods else 0.0
        return {
            "share": round(self.share, 4),
            "source": self.source,
            "n": self.n,
            "points": round(slice_, 4),
            "score": round(slice_ * self.share, 4),
            "points_at_risk": round(slice_ * (1 - self.share), 4),
        }


def part(method: str, share: float | None, n: int = 0, *, fallback: float | None = None) -> Part:
    """A method's Part from its measured share; without one, the fallback (a street takes the whole scope's share)
    or NO_EVIDENCE_DEFAULT."""
    if share is not None:
        return Part(method, float(share), EVIDENCE, n)
    if fallback is not None:
        return Part(method, float(fallback), CITY, 0)
    return Part(method, setting("NO_EVIDENCE_DEFAULT"), NONE, 0)


def standard_score(points: float | None, parts: list[Part]) -> dict:
    """One standard: `share` (the mean of its methods' shares; NO_EVIDENCE_DEFAULT when it has no method), `score`
    (share × points), `points_at_risk` (points − score) and `parts` per method (each method carries points / k of
    the standard's points, so the parts' scores and points at risk add up to the standard's)."""
    points = float(points or 0)
    if parts:
        share = sum(p.share for p in parts) / len(parts)
        no_evidence = all(p.source == NONE for p in parts)
    else:
        share, no_evidence = setting("NO_EVIDENCE_DEFAULT"), True
    return {
        "points": round(points, 4),
        "share": round(share, 4),
        "score": round(points * share, 4),
        "points_at_risk": round(points * (1 - share), 4),
        "no_evidence": no_evidence,
        "parts": {p.method: p.as_dict(points, len(parts)) for p in parts},
    }


def add_up(rows) -> dict:
    """The sum of standards' scores: `points`, `score`, `points_at_risk`, `share` (score / points) and the parts'
    points at risk per method."""
    points = score = 0.0
    by_method: dict[str, float] = {}
    for row in rows:
        points += row["points"]
        score += row["score"]
        for method, value in row["parts"].items():
            by_method[method] = by_method.get(method, 0.0) + value["points_at_risk"]
    return {
        "points": round(points, 4),
        "score": round(score, 4),
        "points_at_risk": round(points - score, 4),
        "share": round(score / points, 4) if points else None,
        "parts": {m: {"points_at_risk": round(by_method[m], 4)} for m in METHOD_ORDER if m in by_method},
    }
