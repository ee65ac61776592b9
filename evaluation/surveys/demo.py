"""The demo city's survey responses: a few thousand over the three rounds of evaluation/questionnaires/demo.py, with a
believable spread (some communities and groups better than others, a rise month on month, about 5% flagged: too
fast, duplicates, outside the area), mostly surveyors' interviews, some fieldworker scoring, and public self-fills in
the open round. Bulk-created, then the tallies are rebuilt (evaluation/surveys/tally.py). Idempotent: nothing happens
when responses exist."""

from __future__ import annotations

import math
from datetime import datetime, time, timedelta

from django.apps import apps
from django.db import connection, transaction
from django.db.models import Avg
from django.utils import timezone
from psycopg2.extras import execute_values

from evaluation.models import Question, SurveyAnswer, SurveyQuota, SurveyResponse, SurveyRound

from . import services, tally

COMMENTS = ["希望多设置垃圾桶", "背街小巷路灯要修", "停车太难", "公厕保洁要加强", "很好，继续保持", "流浪犬要管一管"]
FIELDWORKER_SHARE = 0.1
FLAGGED_SHARE = 0.05


def _logistic(x: float) -> float:
    return 1 / (1 + math.exp(-x))


def _value(question, options, positive: bool, rng):
    """An answer's stored fields that make it positive (or not) under the question's rule."""
    kind = question.kind
    if kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
        good = [o.code for o in options if o.is_positive]
        bad = [o.code for o in options if not o.is_positive]
        pool = good if (positive and good) or not bad else bad
        if not good:  # no rule: any option
            pool = [o.code for o in options]
        if kind == Question.Kind.SINGLE or len(pool) == 1:
            return {"option_codes": rng.choice(pool)}
        chosen = sorted(rng.sample(pool, rng.randint(1, min(3, len(pool)))))
        return {"option_codes": ",".join(chosen)}
    if kind == Question.Kind.RATING:
        floor = question.positive_min_rating or 4
        return {"rating": rng.randint(floor, 5) if positive else rng.randint(1, max(1, floor - 1))}
    if kind == Question.Kind.YES_NO:
        wanted = True if question.positive_answer is None else question.positive_answer
        return {"yes": wanted if positive else not wanted}
    return {"text": rng.choice(COMMENTS)}


def _aware(dt):
    return timezone.make_aware(dt) if timezone.is_naive(dt) else dt


def seed(*, rng, stdout):
    if SurveyResponse.objects.exists():
        stdout.write("evaluation: the demo survey responses are already there")
        return
    rounds = list(SurveyRound.objects.exclude(status=SurveyRound.Status.DRAFT).order_by("start_date", "id"))
    if not rounds:
        stdout.write("evaluation: no survey rounds yet: no responses")
        return
    site_model = apps.get_model("inspections", "Site")
    now = timezone.now()
    communities, centres, community_factor = {}, {}, {}
    quotas = list(
        SurveyQuota.objects.filter(round__in=rounds).select_related("region", "surveyor").order_by("round_id", "id")
    )
    for quota in quotas:
        region = quota.region
        if region.pk not in communities:
            communities[region.pk] = region
            community_factor[region.pk] = rng.gauss(0, 0.55)
            centre = (
                site_model.objects.filter(region__path__startswith=region.path, lat__isnull=False)
                .order_by()
                .aggregate(lat=Avg("lat"), lng=Avg("lng"))
            )
            centres[region.pk] = (centre["lat"], centre["lng"]) if centre["lat"] is not None else None
    group_factor = {"residents": 0.35, "merchants": -0.25, "students": 0.6, "visitors": 0.0, "other": 0.0}
    by_group = {}
    for survey_round in rounds:
        for questionnaire in survey_round.questionnaires.prefetch_related("questions__options"):
            questions = [(q, list(q.options.all()), rng.gauss(0, 0.5)) for q in questionnaire.questions.all()]
            by_group.setdefault(questionnaire.group, (questionnaire, questions))
    round_surveyors = {r.pk: list(r.surveyors.all()) for r in rounds}

    responses, answer_rows = [], []
    for month, survey_round in enumerate(rounds):
        start = _aware(datetime.combine(survey_round.start_date, time(9)))
        end = min(now - timedelta(hours=1), _aware(datetime.combine(survey_round.end_date, time(18))))
        if end <= start:
            end = start + timedelta(hours=2)
        is_open = survey_round.status == SurveyRound.Status.OPEN
        for quota in [q for q in quotas if q.round_id == survey_round.pk]:
            if quota.group not in by_group:
                continue
            questionnaire, questions = by_group[quota.group]
            share = rng.uniform(0.45, 0.8) if is_open else rng.uniform(0.95, 1.15)
            count = max(1, round(quota.target * share))
            surveyor = quota.surveyor or (
                rng.choice(round_surveyors[survey_round.pk]) if round_surveyors[survey_round.pk] else None
            )
            for n in range(count):
                source = SurveyResponse.Source.INTERVIEW
                if surveyor is None or (is_open and rng.random() < 0.12):
                    source = SurveyResponse.Source.SELF_FILL
                elif rng.random() < FIELDWORKER_SHARE:
                    source = SurveyResponse.Source.FIELDWORKER
                submitted = start + (end - start) * rng.random()
                duration = rng.randint(150, 900)
                flags = {"too_fast": False, "duplicate": False, "outside_area": False}
                if source != SurveyResponse.Source.SELF_FILL and rng.random() < FLAGGED_SHARE:
                    flags[rng.choice(["too_fast", "too_fast", "duplicate", "outside_area"])] = True
                if flags["too_fast"]:
                    duration = rng.randint(15, 55)
                centre = centres.get(quota.region_id)
                lat = lng = None
                if centre is not None and source != SurveyResponse.Source.SELF_FILL:
                    spread = 0.08 if flags["outside_area"] else 0.004
                    lat, lng = centre[0] + rng.uniform(-spread, spread), centre[1] + rng.uniform(-spread, spread)
                    if flags["outside_area"]:
                        lat += 0.05
                flagged = any(flags.values())
                quality = SurveyResponse.Quality.FLAGGED if flagged else SurveyResponse.Quality.VALID
                if flagged and not is_open and rng.random() < 0.5:  # the office decided the older ones
                    quality = rng.choice([SurveyResponse.Quality.ACCEPTED, SurveyResponse.Quality.REJECTED])
                response = SurveyResponse(
                    round=survey_round,
                    questionnaire=questionnaire,
                    region_id=quota.region_id,
                    group=quota.group,
                    source=source,
                    surveyor=None if source == SurveyResponse.Source.SELF_FILL else surveyor,
                    lat=lat,
                    lng=lng,
                    started_at=submitted - timedelta(seconds=duration),
                    submitted_at=submitted,
                    duration_seconds=duration,
                    device_digest=services.digest(f"demo-device-{survey_round.pk}-{quota.pk}-{n}")
                    if source == SurveyResponse.Source.SELF_FILL
                    else "",
                    quality=quality,
                    **flags,
                )
                level = (
                    0.9
                    + community_factor[quota.region_id]
                    + group_factor.get(quota.group, 0)
                    + 0.3 * month
                    + (0.25 if source == SurveyResponse.Source.FIELDWORKER else 0)
                )
                answers = []
                for question, options, difficulty in questions:
                    if question.kind == Question.Kind.TEXT and not question.is_required and rng.random() > 0.15:
                        continue
                    positive = rng.random() < _logistic(level + difficulty)
                    fields = _value(question, options, positive, rng)
                    decided = services.positive_of_fields(question, options, fields)
                    answers.append(
                        (
                            question.pk,
                            fields.get("option_codes", ""),
                            fields.get("rating"),
                            fields.get("yes"),
                            fields.get("text", ""),
                            decided,
                        )
                    )
                responses.append(response)
                answer_rows.append(answers)

    with transaction.atomic():
        SurveyResponse.objects.bulk_create(responses, batch_size=2000)
        rows = [
            (response.pk, *answer)
            for response, answers in zip(responses, answer_rows, strict=True)
            for answer in answers
        ]
        table = SurveyAnswer._meta.db_table
        with connection.cursor() as cursor:  # raw rows: a few seconds faster than model instances
            execute_values(
                cursor.cursor if hasattr(cursor, "cursor") else cursor,
                f"INSERT INTO {table} (response_id, question_id, option_codes, rating, yes, text, positive) VALUES %s",
                rows,
                page_size=5000,
            )
        cells = tally.rebuild()
    flagged = sum(1 for r in responses if r.too_fast or r.duplicate or r.outside_area)
    stdout.write(
        f"evaluation: {len(responses)} survey responses ({len(rows)} answers, {flagged} flagged), {cells} tally cells"
    )
