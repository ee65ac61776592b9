"""Every write of survey responses: a surveyor's interview or a public self-fill (`response_submit`), and the office's
decision on a flagged one (`response_accept`, `response_reject`).

`response_submit` checks everything before it writes (the round is open and uses the questionnaire, every answer
belongs to the questionnaire and fits its question, the required ones are there, a public device or phone answers
once), decides each answer's `positive` from its question's rule, flags what looks wrong (too fast, duplicate,
outside the area: stored as `flagged`, out of the rates until the office accepts it), stores phone and device only as
HMAC digests, is idempotent on `client_key` (an offline retry gets the same response back) and keeps the tallies
(evaluation/surveys/tally.py) in the same transaction."""

from __future__ import annotations

import hashlib
import hmac
import math
import re
from datetime import datetime, timedelta

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Avg
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import DomainError, InvalidTransition, NotInScope, NotPermitted
from core.registry import REGISTRY
from core.scope import scope_of
from evaluation.models import (
    Question,
    RespondentGroup,
    SurveyAnswer,
    SurveyQuota,
    SurveyResponse,
    SurveyRound,
)

from . import tally

Q = SurveyResponse.Quality
Kind = Question.Kind

PUBLIC = "public"  # actor_or_public for the public self-fill link
PHONE_RE = re.compile(r"^1[3-9]\d{9}$")
CLIENT_KEY_RE = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")
DUPLICATE_WINDOW = timedelta(minutes=10)  # identical answers from one surveyor within this window: a duplicate
MAX_TEXT = 2000


def digest(value: str) -> str:
    """An HMAC-SHA256 of a phone number or device id with the secret key: the only form they are stored in."""
    if not value:
        return ""
    return hmac.new(settings.SECRET_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()


def distance_m(lat1, lng1, lat2, lng2) -> float:
    """Great-circle distance in metres."""
    r = 6371000.0
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(min(1.0, math.sqrt(a)))


def area_centre(region) -> tuple[float, float] | None:
    """The mean position of the sites in the area's subtree, or None when it has none."""
    site = apps.get_model("inspections", "Site")
    centre = (
        site.objects.filter(region__path__startswith=region.path, lat__isnull=False, lng__isnull=False)
        .order_by()
        .aggregate(lat=Avg("lat"), lng=Avg("lng"))
    )
    if centre["lat"] is None:
        return None
    return centre["lat"], centre["lng"]


def is_public(actor_or_public) -> bool:
    return (
        actor_or_public is None or actor_or_public == PUBLIC or not getattr(actor_or_public, "is_authenticated", False)
    )


def may_interview(actor, round: SurveyRound) -> bool:
    scope = scope_of(actor)
    if scope.read_only:
        return False
    return scope.is_office or round.surveyors.filter(pk=actor.pk).exists()


# --- Answers ------------------------------------------------------------------------------------------------------


def _answer_items(answers) -> list[tuple[object, object]]:
    """answers: {question id: value} or [{"question": id, "value": value}] → [(question id, value)]."""
    if isinstance(answers, dict):
        return list(answers.items())
    if isinstance(answers, list | tuple):
        items = []
        for item in answers:
            if not isinstance(item, dict) or "question" not in item:
                raise ValidationError({"answers": _("Each answer needs its question and a value.")})
            items.append((item["question"], item.get("value")))
        return items
    raise ValidationError({"answers": _("Send the answers as a list of questions and values.")})


def _empty(value) -> bool:
    return value is None or value == "" or value == [] or (isinstance(value, str) and not value.strip())


def _codes(value) -> list[str]:
    if isinstance(value, str):
        parts = [p.strip() for p in value.split(",")]
    elif isinstance(value, list | tuple):
        parts = [p.strip() if isinstance(p, str) else p for p in value]
    else:
        parts = [value]
    if not all(isinstance(p, str) and p for p in parts):
        raise ValueError
    return parts


def _parse_answer(question: Question, value, options: dict) -> SurveyAnswer:
    """One answer built from its value and checked against its question (ValidationError naming it), with its
    `positive` decided by the question's rule."""
    label = _("Question %(number)s") % {"number": question.number}
    answer = SurveyAnswer(question=question)
    if question.kind in (Kind.SINGLE, Kind.MULTIPLE):
        try:
            codes = _codes(value)
        except ValueError:
            raise ValidationError(
                {"answers": _("%(question)s: choose among its options.") % {"question": label}}
            ) from None
        unknown = [c for c in codes if c not in options]
        if unknown:
            raise ValidationError(
                {
                    "answers": _("%(question)s has no option %(code)s.")
                    % {"question": label, "code": ", ".join(str(c)[:10] for c in unknown)}
                }
            )
        if len(set(codes)) != len(codes):
            raise ValidationError({"answers": _("%(question)s: an option is chosen twice.") % {"question": label}})
        if question.kind == Kind.SINGLE and len(codes) != 1:
            raise ValidationError({"answers": _("%(question)s takes one option only.") % {"question": label}})
        codes = sorted(codes, key=lambda c: (options[c][1], c))
        answer.option_codes = ",".join(codes)
        if len(answer.option_codes) > 100:
            raise ValidationError({"answers": _("%(question)s: too many options.") % {"question": label}})
        # The rule as evaluation/questionnaires/rules.py states it: no option marked positive → no rule (None).
        has_rule = any(positive for positive, _order in options.values())
        answer.positive = any(options[c][0] for c in codes) if has_rule else None
    elif question.kind == Kind.RATING:
        if isinstance(value, bool) or not isinstance(value, int | str):
            rating = None
        else:
            try:
                rating = int(value)
            except ValueError:
                rating = None
        if rating is None or not 1 <= rating <= 5:
            raise ValidationError({"answers": _("%(question)s: give a rating from 1 to 5.") % {"question": label}})
        answer.rating = rating
        answer.positive = None if question.positive_min_rating is None else rating >= question.positive_min_rating
    elif question.kind == Kind.YES_NO:
        if isinstance(value, bool):
            yes = value
        elif isinstance(value, str) and value.lower() in ("yes", "true", "1", "no", "false", "0"):
            yes = value.lower() in ("yes", "true", "1")
        else:
            raise ValidationError({"answers": _("%(question)s: answer yes or no.") % {"question": label}})
        answer.yes = yes
        answer.positive = None if question.positive_answer is None else yes == question.positive_answer
    else:
        if not isinstance(value, str):
            raise ValidationError({"answers": _("%(question)s: answer with text.") % {"question": label}})
        if len(value) > MAX_TEXT:
            raise ValidationError(
                {"answers": _("%(question)s: at most %(n)s characters.") % {"question": label, "n": MAX_TEXT}}
            )
        answer.text = value.strip().replace("\x00", "")
        answer.positive = None
    return answer


def positive_of_fields(question: Question, options, fields: dict) -> bool | None:
    """The positive bit of an answer given as its stored fields (option_codes, rating, yes, text), by the same rule
    as `_parse_answer` (bulk loads: the demo data, the benchmark)."""
    kind = question.kind
    if kind in (Kind.SINGLE, Kind.MULTIPLE):
        positive_codes = {o.code for o in options if o.is_positive}
        chosen = {c for c in (fields.get("option_codes") or "").split(",") if c}
        return bool(chosen & positive_codes) if positive_codes and chosen else None
    if kind == Kind.RATING:
        rating = fields.get("rating")
        return (
            None if rating is None or question.positive_min_rating is None else rating >= question.positive_min_rating
        )
    if kind == Kind.YES_NO:
        yes = fields.get("yes")
        return None if yes is None or question.positive_answer is None else yes == question.positive_answer
    return None


def build_answers(questionnaire, answers) -> list[SurveyAnswer]:
    """The answers checked against the questionnaire's questions (unsaved, without their response)."""
    questions = {q.pk: q for q in questionnaire.questions.prefetch_related("options")}
    by_number = {q.number: q for q in questions.values()}
    built, seen = [], set()
    for key, value in _answer_items(answers):
        try:
            question_id = int(key)
        except (TypeError, ValueError):
            raise ValidationError(
                {"answers": _("%(question)s is not a question of this questionnaire.") % {"question": str(key)[:20]}}
            ) from None
        question = questions.get(question_id)
        if question is None:
            raise ValidationError(
                {"answers": _("Question %(id)s is not a question of this questionnaire.") % {"id": question_id}}
            )
        if question_id in seen:
            raise ValidationError(
                {"answers": _("Question %(number)s is answered twice.") % {"number": question.number}}
            )
        seen.add(question_id)
        if _empty(value):
            continue
        options = {o.code: (o.is_positive, o.sort_order) for o in question.options.all()}
        built.append(_parse_answer(question, value, options))
    answered = {a.question_id for a in built}
    missing = [n for n, q in sorted(by_number.items()) if q.is_required and q.pk not in answered]
    if missing:
        raise ValidationError(
            {"answers": _("Answer the required questions: %(numbers)s.") % {"numbers": ", ".join(map(str, missing))}}
        )
    if not built:
        raise ValidationError({"answers": _("Answer at least one question.")})
    return built


def _signature(pairs) -> tuple:
    return tuple(sorted(pairs))


def _answer_signature(answers) -> tuple:
    return _signature((a.question_id, a.option_codes, a.rating, a.yes, a.text) for a in answers)


# --- Submitting ---------------------------------------------------------------------------------------------------


def _check_round(round: SurveyRound, questionnaire) -> None:
    if round.status == SurveyRound.Status.CLOSED:
        raise InvalidTransition(_("This survey round is closed: it takes no more responses."))
    if round.status != SurveyRound.Status.OPEN:
        raise InvalidTransition(_("This survey round is not open yet."))
    if questionnaire is None or not round.questionnaires.filter(pk=questionnaire.pk).exists():
        raise ValidationError({"questionnaire": _("This questionnaire is not used in this survey round.")})


def _check_position(lat, lng):
    if lat is None and lng is None:
        return None, None
    try:
        lat, lng = float(lat), float(lng)
    except (TypeError, ValueError):
        raise ValidationError({"lat": _("Send both latitude and longitude, or neither.")}) from None
    if not (math.isfinite(lat) and math.isfinite(lng) and -90 <= lat <= 90 and -180 <= lng <= 180):
        raise ValidationError({"lat": _("The position is not a valid latitude and longitude.")})
    return lat, lng


def _check_times(started_at, finished_at, now):
    for name, value in (("started_at", started_at), ("finished_at", finished_at)):
        if value is not None and not isinstance(value, datetime):
            raise ValidationError({name: _("Enter a valid date and time.")})
        if value is not None and timezone.is_naive(value):
            raise ValidationError({name: _("Enter a valid date and time.")})
        if value is not None and value > now + timedelta(minutes=5):
            raise ValidationError({name: _("This time is in the future.")})
        if value is not None and value < now - timedelta(days=366):
            raise ValidationError({name: _("This time is too long ago.")})
    if started_at and finished_at and finished_at < started_at:
        raise ValidationError({"finished_at": _("The interview cannot end before it started.")})
    if started_at is None:
        return None
    return int(((finished_at or now) - started_at).total_seconds())


def _replay(round, client_key, actor, public):
    existing = SurveyResponse.objects.filter(round=round, client_key=client_key).first()
    if existing is None:
        return None
    same_sender = (existing.source == SurveyResponse.Source.SELF_FILL) if public else existing.surveyor_id == actor.pk
    if not same_sender:
        raise InvalidTransition(_("This key was already used for another response."))
    existing.created_now = False
    return existing


def response_submit(
    *,
    actor_or_public,
    round: SurveyRound,
    questionnaire,
    region,
    group: str = "",
    source: str = "",
    answers,
    lat=None,
    lng=None,
    started_at=None,
    finished_at=None,
    device: str = "",
    phone: str = "",
    client_key: str = "",
    now=None,
) -> SurveyResponse:
    """Record one filled questionnaire (see the module's description). `actor_or_public`: the surveyor (or the
    office) for an interview or fieldworker scoring, or `PUBLIC` for the public link (then `source` is self-fill).
    Returns the response; `response.created_now` is False when an offline retry found its earlier copy."""
    now = now or timezone.now()
    public = is_public(actor_or_public)
    client_key = (client_key or "").strip()
    if client_key and not CLIENT_KEY_RE.match(client_key):
        raise ValidationError({"client_key": _("The client key may hold only letters, digits and - _ . :")})
    if public:
        if not round.public_token:
            raise NotInScope(_("Survey round not found."))
        source = SurveyResponse.Source.SELF_FILL
        actor = None
    else:
        actor = actor_or_public
        REGISTRY.require_writable(actor)
        if not may_interview(actor, round):
            raise NotPermitted(_("You are not a surveyor of this survey round."))
        source = source or SurveyResponse.Source.INTERVIEW
        if source not in (SurveyResponse.Source.INTERVIEW, SurveyResponse.Source.FIELDWORKER):
            raise ValidationError({"source": _("Choose interview or fieldworker scoring.")})
    if client_key:
        existing = _replay(round, client_key, actor, public)
        if existing is not None:
            return existing

    _check_round(round, questionnaire)
    if region is None:
        raise ValidationError({"region": _("Choose the area.")})
    quotas = list(SurveyQuota.objects.filter(round=round).values_list("region_id", "group", "surveyor_id"))
    if public and quotas and region.pk not in {r for r, _g, _s in quotas}:
        raise ValidationError({"region": _("Choose one of the areas of this survey round.")})
    group = group or questionnaire.group
    if group not in RespondentGroup.values:
        raise ValidationError({"group": _("Choose a respondent group.")})
    lat, lng = _check_position(lat, lng)
    duration = _check_times(started_at, finished_at, now)
    phone = re.sub(r"[\s-]", "", phone or "")
    if phone and not PHONE_RE.match(phone):
        raise ValidationError({"phone": _("Enter an 11-digit mobile number.")})
    device = (device or "").strip()[:200]
    built = build_answers(questionnaire, answers)
    phone_digest, device_digest = digest(phone), digest(device)

    if public:
        if device_digest and SurveyResponse.objects.filter(round=round, device_digest=device_digest).exists():
            raise InvalidTransition(_("This device has already answered this survey. Thank you!"))
        if phone_digest and SurveyResponse.objects.filter(round=round, phone_digest=phone_digest).exists():
            raise InvalidTransition(_("This phone number has already answered this survey. Thank you!"))

    # Flags.
    too_fast = duration is not None and duration < round.min_seconds
    duplicate = False
    if not public:
        same_person = SurveyResponse.objects.filter(round=round)
        if phone_digest and same_person.filter(phone_digest=phone_digest).exists():
            duplicate = True
        elif device_digest and same_person.filter(device_digest=device_digest).exists():
            duplicate = True
        else:
            recent = list(
                SurveyResponse.objects.filter(
                    round=round,
                    surveyor=actor,
                    questionnaire=questionnaire,
                    submitted_at__gte=now - DUPLICATE_WINDOW,
                ).values_list("pk", flat=True)[:50]
            )
            if recent:
                mine = _answer_signature(built)
                theirs = {}
                for response_id, *values in SurveyAnswer.objects.filter(response_id__in=recent).values_list(
                    "response_id", "question_id", "option_codes", "rating", "yes", "text"
                ):
                    theirs.setdefault(response_id, []).append(tuple(values))
                duplicate = any(_signature(pairs) == mine for pairs in theirs.values())
    outside = False
    if not public:
        allowed = {r for r, _g, s in quotas if s is None or s == actor.pk}
        if region.pk not in allowed:
            outside = True
        elif lat is not None:
            centre = area_centre(region)
            if centre is not None and distance_m(lat, lng, *centre) > round.area_radius_m:
                outside = True

    response = SurveyResponse(
        round=round,
        questionnaire=questionnaire,
        region=region,
        group=group,
        source=source,
        surveyor=actor,
        lat=lat,
        lng=lng,
        started_at=started_at,
        submitted_at=now,
        duration_seconds=max(duration, 0) if duration is not None else None,
        device_digest=device_digest,
        phone_digest=phone_digest,
        client_key=client_key,
        too_fast=too_fast,
        duplicate=duplicate,
        outside_area=outside,
        quality=Q.FLAGGED if (too_fast or duplicate or outside) else Q.VALID,
    )
    try:
        with transaction.atomic():
            response.save()
            for answer in built:
                answer.response = response
            SurveyAnswer.objects.bulk_create(built)
            if response.counts:
                tally.add(response, built)
    except IntegrityError:
        # Two copies of one offline response arrived at once: the other one was saved first.
        if client_key:
            existing = _replay(round, client_key, actor, public)
            if existing is not None:
                return existing
        raise DomainError(_("The response could not be saved. Try again.")) from None
    response.created_now = True
    return response


# --- The office's decision ----------------------------------------------------------------------------------------


def _lock_for_review(*, actor, response) -> SurveyResponse:
    REGISTRY.require_writable(actor)
    if not scope_of(actor).is_office:
        raise NotPermitted(_("Only the campaign office reviews survey responses."))
    locked = SurveyResponse.objects.select_for_update().filter(pk=response.pk).first()
    if locked is None:
        raise NotInScope(_("Response not found."))
    return locked


@transaction.atomic
def response_accept(*, actor, response: SurveyResponse) -> SurveyResponse:
    """The office accepts a flagged response: it counts in the rates from now on."""
    locked = _lock_for_review(actor=actor, response=response)
    if locked.quality != Q.FLAGGED:
        raise InvalidTransition(_("Only a flagged response can be accepted."))
    locked.quality, locked.reviewed_by = Q.ACCEPTED, actor
    locked.save(update_fields=["quality", "reviewed_by"])
    tally.add(locked)
    return locked


@transaction.atomic
def response_reject(*, actor, response: SurveyResponse) -> SurveyResponse:
    """The office rejects a response (flagged, or one that counted): it leaves the rates."""
    locked = _lock_for_review(actor=actor, response=response)
    if locked.quality == Q.REJECTED:
        raise InvalidTransition(_("This response is already rejected."))
    counted = locked.counts
    locked.quality, locked.reviewed_by = Q.REJECTED, actor
    locked.save(update_fields=["quality", "reviewed_by"])
    if counted:
        tally.remove(locked)
    return locked
