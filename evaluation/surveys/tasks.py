"""Background jobs of survey responses: thin, safe to run twice."""

from celery import shared_task

from evaluation.surveys import tally

__all__ = ["survey_tally_rebuild_task"]


@shared_task(name="evaluation.survey_tally_rebuild")
def survey_tally_rebuild_task() -> int:
    """Recompute every survey tally from the answers (beat runs it every night at 02:50; repairs edits made outside
    the services)."""
    return tally.rebuild()
