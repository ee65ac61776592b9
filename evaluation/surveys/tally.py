"""The survey tallies behind every rate (model SurveyTally): per round, area, group, source and question, how many
counted answers there are (`answered`) and how many of them are positive (`positive`).

Only answers that can count are tallied: those whose `positive` is decided (not open text), of responses whose
quality counts (valid, or accepted by the office). The response services call `add` when a counting response is
saved or accepted and `remove` when one stops counting (rejected), inside their transaction; bulk loads (the demo
data, the benchmark) call `rebuild`, and the nightly beat job `evaluation.survey_tally_rebuild` rebuilds everything
as a safety net (it also repairs edits made outside the services).

Concurrency (as volunteers/tally.py): every change is one INSERT … ON CONFLICT DO UPDATE over the response's cells,
sorted in a fixed order, so two writers never lock the same cells in opposite orders; `rebuild` takes a SHARE lock on
the answers and responses (writers wait) and an EXCLUSIVE lock on the tallies.

Rates read by the rates helper: `cells(round_ids=…)` (the rows) or the model itself (`SurveyTally.objects`), summing
`answered` and `positive` over whatever dimensions a rate needs."""

from collections import defaultdict

from django.db import connection, transaction

from evaluation.models import SurveyAnswer, SurveyResponse, SurveyTally

COUNTING = (SurveyResponse.Quality.VALID, SurveyResponse.Quality.ACCEPTED)


def _upsert(rows):
    """rows: [(round, region, group, source, question, answered, positive)] added to the cells (created at 0).
    One statement in a fixed order of the cells."""
    if not rows:
        return
    rows = sorted(rows, key=lambda r: (r[0], r[1], r[2], r[3], r[4]))
    table = SurveyTally._meta.db_table
    values = ", ".join(["(%s, %s, %s, %s, %s, %s, %s)"] * len(rows))
    params = [v for row in rows for v in row]
    with connection.cursor() as cursor:
        cursor.execute(
            f'INSERT INTO {table} (round_id, region_id, "group", source, question_id, answered, positive) '
            f'VALUES {values} ON CONFLICT (round_id, region_id, "group", source, question_id) DO UPDATE SET '
            f"answered = {table}.answered + excluded.answered, positive = {table}.positive + excluded.positive",
            params,
        )


def _subtract(rows):
    """rows: [(round, region, group, source, question, answered, positive)] taken from existing cells (the counts
    are unsigned, so no INSERT of a negative row): the cells are locked in a fixed order, then updated."""
    if not rows:
        return
    rows = sorted(rows, key=lambda r: (r[0], r[1], r[2], r[3], r[4]))
    table = SurveyTally._meta.db_table
    keys = ", ".join(["(%s, %s, %s, %s, %s)"] * len(rows))
    key_params = [v for row in rows for v in row[:5]]
    values = ", ".join(["(%s::bigint, %s::bigint, %s, %s, %s::bigint, %s::int, %s::int)"] * len(rows))
    params = [v for row in rows for v in row]
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT id FROM {table} WHERE (round_id, region_id, "group", source, question_id) IN ({keys}) '
            f'ORDER BY round_id, region_id, "group", source, question_id FOR UPDATE',
            key_params,
        )
        cursor.execute(
            f"UPDATE {table} t SET answered = t.answered - v.answered, positive = t.positive - v.positive "
            f"FROM (VALUES {values}) AS v (round_id, region_id, grp, source, question_id, answered, positive) "
            f'WHERE t.round_id = v.round_id AND t.region_id = v.region_id AND t."group" = v.grp '
            f"AND t.source = v.source AND t.question_id = v.question_id",
            params,
        )


def _apply(response: SurveyResponse, sign: int, answers=None):
    if answers is None:
        answers = list(
            SurveyAnswer.objects.filter(response_id=response.pk, positive__isnull=False).values_list(
                "question_id", "positive"
            )
        )
    else:
        answers = [(a.question_id, a.positive) for a in answers if a.positive is not None]
    cells = defaultdict(lambda: [0, 0])
    for question_id, positive in answers:
        cell = cells[(response.round_id, response.region_id, response.group, response.source, question_id)]
        cell[0] += 1
        cell[1] += 1 if positive else 0
    rows = [(*key, *values) for key, values in cells.items()]
    if sign > 0:
        _upsert(rows)
    else:
        _subtract(rows)


def add(response: SurveyResponse, answers=None):
    """Count a response that has just been saved or accepted (inside the saving transaction). `answers`: its saved
    answers when the caller has them (saves a query)."""
    _apply(response, 1, answers)


def remove(response: SurveyResponse):
    """Take a response that counted out of the tallies (rejected), inside the same transaction."""
    _apply(response, -1)


def cells(*, round_ids=None):
    """The tally rows (as dicts) of some rounds or of all."""
    queryset = SurveyTally.objects.order_by()
    if round_ids is not None:
        queryset = queryset.filter(round_id__in=list(round_ids))
    return list(queryset.values("round_id", "region_id", "group", "source", "question_id", "answered", "positive"))


@transaction.atomic
def rebuild(*, round_ids=None) -> int:
    """Recompute the tallies (of some rounds, or all) from the answers in one INSERT … SELECT. Returns the number of
    cells."""
    tally = SurveyTally._meta.db_table
    response = SurveyResponse._meta.db_table
    answer = SurveyAnswer._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"LOCK TABLE {response}, {answer} IN SHARE MODE")
            cursor.execute(f"LOCK TABLE {tally} IN EXCLUSIVE MODE")
            cursor.execute("SET LOCAL work_mem = '64MB'")
        where, params = "", []
        if round_ids is not None:
            ids = sorted({int(i) for i in round_ids})
            if not ids:
                return 0
            where = " AND r.round_id IN (" + ", ".join(["%s"] * len(ids)) + ")"
            params = ids
            cursor.execute(f"DELETE FROM {tally} WHERE round_id IN ({', '.join(['%s'] * len(ids))})", ids)
        else:
            cursor.execute(f"DELETE FROM {tally}")
        cursor.execute(
            f'INSERT INTO {tally} (round_id, region_id, "group", source, question_id, answered, positive) '
            f'SELECT r.round_id, r.region_id, r."group", r.source, a.question_id, COUNT(*), '
            f"COUNT(*) FILTER (WHERE a.positive) "
            f"FROM {answer} a JOIN {response} r ON r.id = a.response_id "
            f"WHERE a.positive IS NOT NULL AND r.quality IN (%s, %s){where} "
            f'GROUP BY r.round_id, r.region_id, r."group", r.source, a.question_id',
            [*COUNTING, *params],
        )
        return cursor.rowcount
