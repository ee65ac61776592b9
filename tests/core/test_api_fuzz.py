"""The API fuzz (issue 9, "Must show"): schemathesis generates requests for every operation of /api/schema/ and
sends them to the app in-process (its WSGI handler, on the test database), as the campaign office and as a unit
liaison. Every answer must be no server error, and must conform to the schema: a documented status code, the
documented content type and a body that matches the documented schema.

Bounded: a fixed number of examples per operation and role (valid and invalid input), derandomized, so a run is
repeatable and takes about a minute or two. Each request runs in a savepoint that is rolled back, so every case
sees the same data (and pytest-django rolls the rest back after the test). The test prints how many requests it
made. Nothing is excluded: multipart uploads, the token endpoint and the PDF are fuzzed like the rest.
"""

import os
import traceback
from collections import Counter
from contextlib import contextmanager
from datetime import date, timedelta

import hypothesis
import pytest
import schemathesis
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import got_request_exception, request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from werkzeug.test import Client

from core.roles import Role
from tests.conftest import DEMO_PASSWORD
from tests.volunteers.builders import add_volunteer, jpeg, vcity  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# Examples per operation, role and mode: valid input (with real ids in the path, see _strategy) and invalid input.
# API_FUZZ_SCALE=10 multiplies them for a deeper run by hand (the suite's run stays around two minutes), and
# API_FUZZ_RANDOM=1 draws new examples (the suite's run is derandomized: the same requests every time).
SCALE = int(os.environ.get("API_FUZZ_SCALE", "1"))
DERANDOMIZE = os.environ.get("API_FUZZ_RANDOM") != "1"
EXAMPLES = {GenerationMode.POSITIVE: 10 * SCALE, GenerationMode.NEGATIVE: 8 * SCALE}
SCHEMA_URL = "/api/schema/?format=json"
# Valid input with random ids stops at "no such object"; half of the valid bodies name real objects instead, so
# the input reaches the services. Body field → the fuzz_city entry it takes its id from.
BODY_IDS = {
    "site": "sites",
    "unit": "units",
    "category": "categories",
    "region": "regions",
    "community": "communities",
    "team": "volunteer-teams",
    "volunteer": "volunteers",
    "asset": "publicity-assets",
    "person": "people",
    "body": "command-bodies",
    "visit": "visits",
    "standard": "evaluation-items",
    "ticket": "tickets",
    "site_type": "site-types",
    "claimed_by_unit": "units",
    "into": "tickets",
    "teams": "volunteer-teams",
    "members": "users",
    "standards": "evaluation-items",
    "regions": "regions",
    "requirement": "material-requirements",
    "questionnaire": "questionnaires",
    "round": "survey-rounds",
}


def _with_real_ids(body, ids):
    """The body with every id field that names a kind of object (BODY_IDS) set to a real one, nested lists too."""
    if isinstance(body, list):
        return [_with_real_ids(item, ids) for item in body]
    if not isinstance(body, dict):
        return body
    real = {}
    for key, value in body.items():
        pks = ids.get(BODY_IDS.get(key, ""), [])
        if pks and isinstance(value, int) and not isinstance(value, bool):
            real[key] = pks[0]
        elif pks and isinstance(value, list):
            real[key] = pks[:1]
        else:
            real[key] = _with_real_ids(value, ids)
    return real


@contextmanager
def in_process_requests(server_errors):
    """Like Django's test client: a request must not close the test's connection (it is inside a transaction).
    The traceback of an exception in a view is kept, to be shown with the failure."""

    def keep(sender, request=None, **kwargs):
        server_errors.append(traceback.format_exc())

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    got_request_exception.connect(keep)
    try:
        yield
    finally:
        got_request_exception.disconnect(keep)
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def fuzz_city(vcity, add_volunteer, django_capture_on_commit_callbacks):  # noqa: F811
    """A little of everything, built through the services, so that ids in URLs and bodies name real objects."""
    from campaign import services as campaign_services
    from campaign.models import Campaign, Membership
    from evaluation.models import EvaluationItem
    from inspections.models import Category
    from inspections.sites import services as site_services
    from inspections.tickets import services as ticket_services
    from publicity import services as publicity_services
    from reports import services as report_services
    from volunteers import services as volunteer_services

    c = vcity
    project = EvaluationItem.objects.create(level="project", code="P1", text="公共环境")
    content = EvaluationItem.objects.create(level="content", code="P1.1", text="农贸市场", parent=project)
    standard = EvaluationItem.objects.create(
        level="standard", code="P1.1.1", text="干净整洁", parent=content, max_score=2
    )
    litter = Category.objects.create(name="垃圾未清运", code="litter", group="cleanup")
    reported = ticket_services.ticket_report(
        actor=c.office, category=litter, description="垃圾堆积", source="office", site=c.site_a
    )
    dispatched = ticket_services.ticket_report(
        actor=c.office, category=litter, description="广告乱贴", source="office", site=c.site_a
    )
    dispatched = ticket_services.ticket_dispatch(actor=c.office, ticket=dispatched, unit=c.unit_a)
    signed = ticket_services.ticket_report(
        actor=c.office, category=litter, description="占道经营", source="office", site=c.site_a
    )
    signed = ticket_services.ticket_dispatch(actor=c.office, ticket=signed, unit=c.unit_a)
    signed = ticket_services.ticket_sign(actor=c.unit, ticket=signed)
    submitted = ticket_services.ticket_report(
        actor=c.office, category=litter, description="井盖破损", source="office", site=c.site_a
    )
    submitted = ticket_services.ticket_dispatch(actor=c.office, ticket=submitted, unit=c.unit_a)
    submitted = ticket_services.ticket_sign(actor=c.unit, ticket=submitted)
    submitted = ticket_services.ticket_submit(actor=c.unit, ticket=submitted, note="已整改", photos=[jpeg("a.jpg")])
    patrol = site_services.patrol_start(actor=c.office, kind="unannounced")
    visit = site_services.patrol_check_in(actor=c.office, patrol=patrol, site=c.site_a, lat=40.07, lng=113.30, note="")
    unit_patrol = site_services.patrol_start(actor=c.unit, kind="self_inspection")
    week = date.today() - timedelta(days=date.today().weekday() + 7)
    ready = report_services.bulletin_request(actor=c.office, kind="weekly", period_start=week, enqueue=False)
    report_services.bulletin_generate(bulletin_id=ready.pk)
    report_services.bulletin_publish(actor=c.office, bulletin=ready)
    draft = report_services.bulletin_request(actor=c.office, kind="daily", period_start=week, enqueue=False)
    asset = publicity_services.asset_create(actor=c.office, kind="public_ad", theme="讲文明 树新风", site=c.site_a)
    check = publicity_services.asset_check_record(actor=c.office, asset=asset, condition="good")
    post = publicity_services.post_create(actor=c.office, channel="wechat", title="创城进行时", published_on=week)
    volunteer = add_volunteer(teams=[c.team_red])
    activity = volunteer_services.activity_create(
        actor=c.office,
        theme="清洁家园",
        kind="environment",
        team=c.team_red,
        site=c.site_a,
        start_at=f"{week}T09:00:00+08:00",
        end_at=f"{week}T11:00:00+08:00",
    )
    pairing = volunteer_services.pairing_create(actor=c.office, unit=c.unit_a, community=c.community_a)
    wish = volunteer_services.microwish_post(
        actor=c.office, community=c.community_a, resident_name="张大爷", title="修好楼道灯"
    )
    person = campaign_services.person_create(actor=c.office, name="王副区长", rank="district_leader", unit=c.unit_a)
    assignment = campaign_services.assignment_create(
        actor=c.office,
        campaign=Campaign.objects.get(),
        person=person,
        region=c.street_a,
        start_date=week,
    )
    # Material review: a draft (with a file) and a submitted version of unit_a's, and a returned one.
    from evaluation.materials import services as material_services
    from evaluation.models import StandardMethod

    StandardMethod.objects.create(standard=standard, method="material")
    pdf_bytes = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<</Root 1 0 R>>\nstartxref\n0\n%%EOF\n"
    material_ids = []
    requirements = [
        material_services.requirement_create(
            actor=c.office, standard=standard, kind=kind, title=kind, due_in_working_days=5, units=[c.unit_a]
        )
        for kind in ("policy", "photos", "statistics")
    ]
    for n, requirement in enumerate(requirements):
        draft = material_services.submission_create(
            actor=c.unit, requirement=requirement, files=[SimpleUploadedFile("材料.pdf", pdf_bytes)]
        )
        if n:
            draft = material_services.submission_submit(actor=c.unit, submission=draft)
        if n == 2:
            draft = material_services.submission_return(actor=c.office, submission=draft, reason="缺页")
        material_ids.append(draft.pk)
    # Surveys: an open round with a public link, questionnaire A (a single choice and a rating), a quota for the
    # office in community A, and one response.
    from evaluation.models import Question, Questionnaire, QuestionOption, SurveyQuota, SurveyRound
    from evaluation.surveys import services as survey_services

    questionnaire = Questionnaire.objects.create(code="A", title="居民问卷", group="residents")
    single = Question.objects.create(questionnaire=questionnaire, number=1, text="知道吗", kind="single")
    QuestionOption.objects.create(question=single, code="A", text="知道", is_positive=True)
    QuestionOption.objects.create(question=single, code="B", text="不知道")
    rating = Question.objects.create(
        questionnaire=questionnaire, number=2, text="满意吗", kind="rating", positive_min_rating=4
    )
    survey_round = SurveyRound.objects.create(
        name="模拟测评", start_date=week, end_date=week + timedelta(days=30), status="open", created_by=c.office
    )
    survey_round.public_token = "fuzz-public-token"
    survey_round.save()
    survey_round.questionnaires.add(questionnaire)
    SurveyQuota.objects.create(round=survey_round, region=c.community_a, group="residents", target=5, surveyor=c.office)
    response = survey_services.response_submit(
        actor_or_public=c.office,
        round=survey_round,
        questionnaire=questionnaire,
        region=c.community_a,
        answers={single.pk: "A", rating.pk: 5},
    )
    return {
        "questionnaires": [questionnaire.pk],
        "survey-rounds": [survey_round.pk],
        "survey-responses": [response.pk],
        "material-requirements": [r.pk for r in requirements],
        "material-submissions": material_ids,
        "regions": [c.street_a.pk, c.community_a.pk],
        "units": [c.unit_a.pk, c.unit_b.pk],
        "people": [person.pk],
        "command-bodies": [Membership.objects.first().body_id],
        "memberships": [Membership.objects.first().pk],
        "assignments": [assignment.pk],
        "evaluation-items": [standard.pk],
        "site-types": [c.site_a.site_type_id],
        "sites": [c.site_a.pk, c.site_b.pk],
        "categories": [litter.pk],
        "patrols": [patrol.pk, unit_patrol.pk],
        "tickets": [reported.pk, dispatched.pk, signed.pk, submitted.pk],
        "bulletins": [ready.pk, draft.pk],
        "volunteer-teams": [c.team_red.pk],
        "volunteers": [volunteer.pk],
        "activities": [activity.pk],
        "pairings": [pairing.pk],
        "micro-wishes": [wish.pk],
        "publicity-assets": [asset.pk],
        "asset-checks": [check.pk],
        "publicity-posts": [post.pk],
        # Not collections: ids that request bodies name (see BODY_IDS).
        "visits": [visit.pk],
        "communities": [c.community_a.pk],
        "users": [c.unit.pk, c.supervisor.pk],
    }


def _token(app, username):
    """Signed in as an API client is: a token from the token endpoint."""
    client = Client(app)
    response = client.post("/api/v1/auth/token/", json={"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 200, response.get_data(as_text=True)
    return {"Authorization": f"Token {response.get_json()['token']}"}


def _strategy(operation, ids, mode):
    """Generated input; for valid input on one object, also the ids of real objects (random ids are all 404)."""
    collection = operation.path.removeprefix("/api/v1/").split("/")[0]
    strategies = [operation.as_strategy(generation_mode=mode)]
    if "{id}" in operation.path and mode is GenerationMode.POSITIVE:
        strategies += [
            operation.as_strategy(generation_mode=mode, path_parameters={"id": pk}) for pk in ids.get(collection, [])
        ]
    return st.one_of(strategies)


def fuzz(ids, username, show):
    app = WSGIHandler()
    server_errors = []
    statuses, failures, nothing_to_negate = Counter(), {}, []
    with in_process_requests(server_errors):
        headers = _token(app, username)
        schema = schemathesis.openapi.from_wsgi(SCHEMA_URL, app, headers=headers)
        operations = [result.ok() for result in schema.get_all_operations()]

        def send(operation, case, real_ids):
            if real_ids and isinstance(case.body, dict):
                case.body = _with_real_ids(case.body, ids)
            with transaction.atomic():  # a savepoint: every case sees the same data
                del server_errors[:]
                response = case.call(headers=headers)
                statuses[response.status_code] += 1
                try:
                    case.validate_response(response, checks=CHECKS, headers=headers)
                except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - recorded, the fuzz goes on
                    statuses["failed"] += 1
                    key = (operation.label, type(exc).__name__, str(exc).splitlines()[0][:120])
                    failures.setdefault(key, "\n".join([str(exc)[:3000], *server_errors]))
                transaction.set_rollback(True)

        for operation in operations:
            for mode, examples in EXAMPLES.items():

                @hypothesis.settings(
                    max_examples=examples,
                    deadline=None,
                    derandomize=DERANDOMIZE,
                    database=None,
                    phases=[Phase.explicit, Phase.generate],  # no shrinking: failures are collected, not raised
                    suppress_health_check=list(HealthCheck),
                )
                @hypothesis.given(case=_strategy(operation, ids, mode), real_ids=st.booleans())
                def run(case, real_ids):
                    send(operation, case, real_ids and mode is GenerationMode.POSITIVE)  # noqa: B023 (run now)

                try:
                    run()
                except hypothesis.errors.Unsatisfiable:
                    # Nothing to make invalid (no parameters and no body, e.g. GET /me/): only valid input is sent.
                    assert mode is GenerationMode.NEGATIVE, operation.label
                    nothing_to_negate.append(operation.label)
    failed = statuses.pop("failed", 0)
    requests = sum(statuses.values())
    server_errors = sum(n for code, n in statuses.items() if code >= 500)
    show(
        f"API fuzz as {username}: {len(operations)} operations, {requests} requests "
        f"({', '.join(f'{code}: {n}' for code, n in sorted(statuses.items()))}); "
        f"{server_errors} server errors, {failed} responses failing a check ({len(failures)} distinct); "
        f"no invalid input possible for {len(nothing_to_negate)}: {', '.join(nothing_to_negate)}"
    )
    return requests, failures


def _report(failures):
    return "\n\n".join(f"{label} [{kind}] {title}\n{detail}" for (label, kind, title), detail in failures.items())


@pytest.mark.parametrize("role", [Role.OFFICE, Role.UNIT])
def test_api_fuzz(fuzz_city, role, show):
    username = {Role.OFFICE: "office", Role.UNIT: "unit"}[role]
    requests, failures = fuzz(fuzz_city, username, show)
    assert requests > 500
    assert not failures, _report(failures)
