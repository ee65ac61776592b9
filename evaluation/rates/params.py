"""The query parameters of the rates page and API: `round` (a round's id; none: the latest round that is not a
draft) and `group_by` (region, group, question, standard). Bad values are a translated 400 (DomainError)."""

from django.utils.translation import gettext as _

from core.exceptions import DomainError
from core.registry import visible_to
from evaluation.models import SurveyRound

from .selectors import GROUP_BYS


def latest_round(user):
    return visible_to(SurveyRound, user).exclude(status=SurveyRound.Status.DRAFT).order_by("-end_date", "-id").first()


def parse_round(user, value, *, required=False):
    """The round named by `value` (visible to the user), or the latest one when `value` is empty (None if there is
    none and it is not required)."""
    if value in (None, ""):
        found = latest_round(user)
        if found is None and required:
            raise DomainError(_("There is no survey round yet."), field="round")
        return found
    try:
        pk = int(str(value))
    except (TypeError, ValueError):
        pk = None
    found = visible_to(SurveyRound, user).filter(pk=pk).first() if pk is not None and 0 < pk < 2**31 else None
    if found is None:
        raise DomainError(_("Choose an existing survey round."), field="round")
    return found


def parse_group_by(value, *, default="region"):
    if value in (None, ""):
        return default
    if value not in GROUP_BYS:
        raise DomainError(_("Group by region, group, question or standard."), field="group_by")
    return value
