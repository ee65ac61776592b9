"""Who may see what in the command structure: each model declares its visibility once (core.registry), here.

Imported from CampaignConfig.ready(). Pages, API, exports and the media view read through
`core.registry.visible_to(Model, user)`; tests/scope/test_matrix.py checks every surface named here.

Everyone signed in reads the command structure (it is the campaign's public organisation), except:
- people: a unit liaison reads only the people of their own unit (phone numbers are personal data);
- responsibility letters (责任书, signed personal documents): the rows are public, the files are not — the office
  opens every letter, anybody else only the letters of their own assignments (`media_visible`).
"""

import os

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.registry import EVERYONE, office_or_own, own_unit_for_units, register

from .models import Assignment, CommandBody, Membership, Person, Region, Unit


def regions_rule(scope, queryset, registry=None):
    """Every signed-in user reads every region; a district-wide read (or a district office, issue 11) reads the
    regions of its subtree. A rule of its own because a region's "region path" is the row itself."""
    if scope.kind == "district":
        return queryset.filter(pk__in=scope.region_ids)
    return queryset


def letter_filename(assignment, name: str) -> str:
    """The name a downloaded responsibility letter gets (never the stored random name)."""
    extension = os.path.splitext(name)[1].lower() or ".pdf"
    return gettext("responsibility-letter-%(id)s") % {"id": assignment.pk} + extension


register(
    Region,
    visible=regions_rule,
    filterset="campaign.filtersets.RegionFilterSet",
    serializer="campaign.api.serializers.RegionSerializer",
    surfaces={
        "list": "campaign:region_list",
        "detail": "campaign:region_detail",
        "api_list": "region-list",
        "api_detail": "region-detail",
    },
    not_found=_("Region not found."),
)
register(
    Unit,
    visible=EVERYONE,
    region="region",
    filterset="campaign.filtersets.UnitFilterSet",
    serializer="campaign.api.serializers.UnitSerializer",
    surfaces={
        "list": "campaign:unit_list",
        "detail": "campaign:unit_detail",
        "api_list": "unit-list",
        "api_detail": "unit-detail",
        "export": "campaign:unit_export",
    },
    not_found=_("Unit not found."),
)
register(
    Person,
    visible=own_unit_for_units("unit_id"),
    filterset="campaign.filtersets.PersonFilterSet",
    serializer="campaign.api.serializers.PersonSerializer",
    surfaces={
        "list": "campaign:person_list",
        "detail": "campaign:person_detail",
        "api_list": "person-list",
        "api_detail": "person-detail",
        "export": "campaign:person_export",
    },
    not_found=_("Person not found."),
)
register(
    CommandBody,
    visible=EVERYONE,
    filterset="campaign.filtersets.CommandBodyFilterSet",
    serializer="campaign.api.serializers.CommandBodySerializer",
    surfaces={"detail": "campaign:body_detail", "api_list": "command-body-list", "api_detail": "command-body-detail"},
    not_found=_("Command body not found."),
)
register(
    Membership,
    visible=EVERYONE,
    serializer="campaign.api.serializers.MembershipSerializer",
    surfaces={"api_list": "membership-list", "api_detail": "membership-detail"},
)
register(
    Assignment,
    visible=EVERYONE,
    region="region",
    filterset="campaign.filtersets.AssignmentFilterSet",
    serializer="campaign.api.serializers.AssignmentSerializer",
    surfaces={
        "list": "campaign:assignment_list",
        "detail": "campaign:assignment_detail",
        "api_list": "assignment-list",
        "api_detail": "assignment-detail",
        "export": "campaign:assignment_export",
        "media": "responsibility_letter",
    },
    media=("responsibility-letters/", ("responsibility_letter",), True, letter_filename),
    media_visible=office_or_own("person__user"),
    not_found=_("Assignment not found."),
)
