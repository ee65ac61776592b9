"""Submitting survey responses: every bad input refused with nothing saved, the positive rules, the flags, the
idempotent client key, the public link's one-per-device/phone, the office's accept/reject; tally == rebuild."""

import random
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.exceptions import InvalidTransition, NotInScope, NotPermitted
from evaluation.models import SurveyAnswer, SurveyResponse, SurveyRound, SurveyTally
from evaluation.surveys import services, tally
from tests.evaluation.surveys_world import good_answers, submit, sw  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    from django.utils import translation

    with translation.override("en"):
        yield


def nothing_saved():
    assert SurveyResponse.objects.count() == 0
    assert SurveyAnswer.objects.count() == 0
    assert SurveyTally.objects.count() == 0


def message(exc) -> str:
    if isinstance(exc.value, ValidationError):
        return " ".join(m for ms in exc.value.message_dict.values() for m in ms)
    return exc.value.message


def test_good_interview_counts_and_decides_positive(sw):
    response = submit(sw, answers=good_answers(sw, rating=3, yes=False, multiple=("A", "C"), text="更多垃圾桶"))
    assert response.quality == SurveyResponse.Quality.VALID and response.created_now
    positive = {a.question.number: a.positive for a in response.answers.select_related("question")}
    assert positive == {1: True, 2: True, 3: False, 4: False, 5: None}
    assert response.answers.get(question__number=2).option_codes == "A,C"
    cells = {(c["question_id"]): (c["answered"], c["positive"]) for c in tally.cells()}
    assert cells == {
        sw.questions[1].pk: (1, 1),
        sw.questions[2].pk: (1, 1),
        sw.questions[3].pk: (1, 0),
        sw.questions[4].pk: (1, 0),
    }


def test_positive_rules_edges(sw):
    submit(sw, answers=good_answers(sw, rating=4, single="B", multiple=("A",)))
    answers = {a.question.number: a.positive for a in SurveyAnswer.objects.select_related("question")}
    assert answers[1] is False and answers[2] is False and answers[3] is True and answers[4] is True


@pytest.mark.parametrize(
    "change, words",
    [
        (lambda w, a: a.append({"question": w.questions["b1"].pk, "value": 3}), "is not a question"),
        (lambda w, a: a.append({"question": 999999, "value": 3}), "999999"),
        (lambda w, a: a.append({"question": "x1", "value": 3}), "x1"),
        (lambda w, a: a[2].update(value=6), "from 1 to 5"),
        (lambda w, a: a[2].update(value=0), "from 1 to 5"),
        (lambda w, a: a[2].update(value="五"), "from 1 to 5"),
        (lambda w, a: a[2].update(value=True), "from 1 to 5"),
        (lambda w, a: a[0].update(value="Z"), "no option Z"),
        (lambda w, a: a[0].update(value=["A", "B"]), "one option only"),
        (lambda w, a: a[1].update(value=["B", "B"]), "twice"),
        (lambda w, a: a[1].update(value=[1]), "choose among"),
        (lambda w, a: a[3].update(value="maybe"), "yes or no"),
        (lambda w, a: a.pop(0), "required questions: 1"),
        (lambda w, a: a[0].update(value=""), "required questions: 1"),
        (lambda w, a: a.append({"question": w.questions[5].pk, "value": 5}), "with text"),
        (lambda w, a: a.append({"question": w.questions[5].pk, "value": "x" * 3000}), "at most"),
        (lambda w, a: a.append(dict(a[0])), "answered twice"),
        (lambda w, a: a.append("A"), "Each answer"),
    ],
)
def test_bad_answers_refused_nothing_saved(sw, change, words):
    answers = good_answers(sw)
    change(sw, answers)
    with pytest.raises(ValidationError) as exc:
        submit(sw, answers=answers)
    assert words in message(exc)
    nothing_saved()


def test_bad_answer_shapes(sw):
    for answers in ("A", 5, [], {}):
        with pytest.raises(ValidationError):
            submit(sw, answers=answers)
    nothing_saved()


def test_round_state_and_questionnaire(sw):
    with pytest.raises(ValidationError) as exc:
        submit(sw, questionnaire=sw.qb, answers=[{"question": sw.questions["b1"].pk, "value": 3}])
    assert "not used in this survey round" in message(exc)
    for status, words in ((SurveyRound.Status.CLOSED, "closed"), (SurveyRound.Status.DRAFT, "not open")):
        sw.round.status = status
        sw.round.save()
        with pytest.raises(InvalidTransition) as exc:
            submit(sw)
        assert words in exc.value.message
        with pytest.raises(InvalidTransition):
            submit(sw, actor=services.PUBLIC, device="dev-1")
    nothing_saved()


def test_who_may_interview(sw):
    with pytest.raises(NotPermitted):
        submit(sw, actor=sw.outsider)
    with pytest.raises(NotPermitted):
        submit(sw, actor=sw.leader)
    nothing_saved()
    assert submit(sw, actor=sw.office).quality == SurveyResponse.Quality.FLAGGED  # the office has no quota


def test_bad_fields(sw):
    now = timezone.now()
    cases = [
        {"lat": 95, "lng": 113},
        {"lat": "x", "lng": 113},
        {"lat": 40.0, "lng": None},
        {"lat": float("nan"), "lng": 113},
        {"phone": "12345"},
        {"client_key": "bad key!"},
        {"client_key": "k" * 65},
        {"group": "aliens"},
        {"source": "self_fill"},
        {"started_at": now + timedelta(hours=2)},
        {"started_at": now - timedelta(minutes=5), "finished_at": now - timedelta(minutes=6)},
    ]
    for extra in cases:
        with pytest.raises(ValidationError):
            submit(sw, **extra)
    with pytest.raises(ValidationError):
        submit(sw, region=None)
    with pytest.raises(ValidationError):
        submit(sw, actor=services.PUBLIC, region=sw.sb)
    nothing_saved()


def test_flags(sw):
    fast = submit(sw, minutes=0.5)
    assert fast.too_fast and fast.quality == SurveyResponse.Quality.FLAGGED
    # outside: an area without the surveyor's quota; a position 5 km from the area's sites
    assert submit(sw, region=sw.sb, answers=good_answers(sw, rating=4)).outside_area
    far = submit(sw, lat=40.07 + 0.05, lng=113.30, answers=good_answers(sw, rating=1))
    assert far.outside_area
    near = submit(sw, lat=40.071, lng=113.301, answers=good_answers(sw, rating=2))
    assert not near.outside_area and near.quality == SurveyResponse.Quality.VALID
    # a quota for nobody in particular is open to every surveyor of the round
    assert not submit(sw, actor=sw.surveyor2, region=sw.cb).outside_area
    # identical answers from the same surveyor within minutes
    again = submit(sw, lat=40.071, lng=113.301, answers=good_answers(sw, rating=2))
    assert again.duplicate and not again.outside_area
    # the same phone interviewed twice in the round
    first = submit(sw, phone="13800138000", answers=good_answers(sw, rating=3))
    assert not first.duplicate and first.phone_digest and "13800138000" not in first.phone_digest
    assert submit(
        sw, actor=sw.surveyor2, region=sw.cb, phone="138 0013 8000", answers=good_answers(sw, rating=4)
    ).duplicate
    # flagged ones stay out of the tallies
    counted = SurveyResponse.objects.filter(quality=SurveyResponse.Quality.VALID).count()
    assert sum(c["answered"] for c in tally.cells() if c["question_id"] == sw.questions[1].pk) == counted


def test_client_key_is_idempotent(sw):
    first = submit(sw, client_key="abc-1")
    again = submit(sw, client_key="abc-1", answers=good_answers(sw, rating=1))
    assert again.pk == first.pk and again.created_now is False
    assert SurveyResponse.objects.count() == 1
    sw.round.status = SurveyRound.Status.CLOSED
    sw.round.save()
    assert submit(sw, client_key="abc-1").pk == first.pk  # a retry after the round closed
    with pytest.raises(InvalidTransition):
        submit(sw, actor=sw.surveyor2, region=sw.cb, client_key="abc-1")
    assert SurveyAnswer.objects.filter(question=sw.questions[3]).get().rating == 5


def test_public_one_per_device_and_phone(sw):
    r = submit(sw, actor=services.PUBLIC, device="dev-1", phone="13900139000", client_key="p1")
    assert r.source == SurveyResponse.Source.SELF_FILL and r.surveyor is None and r.device_digest
    assert r.quality == SurveyResponse.Quality.VALID
    assert submit(sw, actor=services.PUBLIC, device="dev-1", client_key="p1").pk == r.pk
    with pytest.raises(InvalidTransition) as exc:
        submit(sw, actor=services.PUBLIC, device="dev-1")
    assert "device" in exc.value.message
    with pytest.raises(InvalidTransition) as exc:
        submit(sw, actor=services.PUBLIC, device="dev-2", phone="13900139000")
    assert "phone number" in exc.value.message
    assert SurveyResponse.objects.count() == 1
    sw.round.public_token = None
    sw.round.save()
    with pytest.raises(NotInScope):
        submit(sw, actor=services.PUBLIC, device="dev-3")


def test_accept_reject(sw):
    flagged = submit(sw, minutes=0.2)
    valid = submit(sw, answers=good_answers(sw, rating=2))
    with pytest.raises(NotPermitted):
        services.response_accept(actor=sw.surveyor, response=flagged)
    with pytest.raises(NotPermitted):
        services.response_accept(actor=sw.leader, response=flagged)
    with pytest.raises(InvalidTransition):
        services.response_accept(actor=sw.office, response=valid)
    services.response_accept(actor=sw.office, response=flagged)
    with pytest.raises(InvalidTransition):
        services.response_accept(actor=sw.office, response=flagged)
    assert sum(c["answered"] for c in tally.cells() if c["question_id"] == sw.questions[1].pk) == 2
    services.response_reject(actor=sw.office, response=valid)
    with pytest.raises(InvalidTransition):
        services.response_reject(actor=sw.office, response=valid)
    q3 = [c for c in tally.cells() if c["question_id"] == sw.questions[3].pk]
    assert [(c["answered"], c["positive"]) for c in q3] == [(1, 1)]


def _snapshot():
    return sorted(
        (c["round_id"], c["region_id"], c["group"], c["source"], c["question_id"], c["answered"], c["positive"])
        for c in tally.cells()
        if c["answered"]
    )


def test_tally_equals_rebuild_after_random_sequences(sw):
    rng = random.Random(12)
    for step in range(40):
        move = rng.random()
        responses = list(SurveyResponse.objects.all())
        if move < 0.6 or not responses:
            answers = good_answers(
                sw,
                rating=rng.randint(1, 5),
                yes=rng.random() < 0.7,
                single=rng.choice("ABC"),
                multiple=rng.sample("ABC", rng.randint(1, 3)),
            )
            submit(
                sw,
                actor=rng.choice([sw.surveyor, sw.surveyor2, services.PUBLIC]),
                region=rng.choice([sw.ca, sw.cb]),
                minutes=rng.choice([0.2, 3, 8]),
                answers=answers,
                device=f"d{step}",
            )
        else:
            response = rng.choice(responses)
            action = services.response_accept if rng.random() < 0.5 else services.response_reject
            try:
                action(actor=sw.office, response=response)
            except InvalidTransition:
                pass
    kept = _snapshot()
    tally.rebuild()
    assert _snapshot() == kept
    assert kept  # something was counted
    tally.rebuild(round_ids=[sw.round.pk])
    assert _snapshot() == kept


def test_nightly_rebuild_is_scheduled_and_repairs(sw):
    from django_celery_beat.models import PeriodicTask

    from evaluation.surveys.tasks import survey_tally_rebuild_task

    task = PeriodicTask.objects.get(name="survey tally rebuild")
    assert task.task == "evaluation.survey_tally_rebuild" and task.enabled
    assert (task.crontab.hour, task.crontab.minute) == ("2", "50")
    submit(sw)
    SurveyTally.objects.update(answered=9, positive=9)  # an edit outside the services
    survey_tally_rebuild_task()
    assert {(c["answered"], c["positive"]) for c in tally.cells()} == {(1, 1)}
