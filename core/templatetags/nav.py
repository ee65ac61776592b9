"""The main navigation, one list for every page. An entry shows when its URL exists and the role may use it."""

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from core.roles import Role

register = template.Library()

ALL = (Role.OFFICE, Role.SUPERVISOR, Role.UNIT, Role.LEADER)
OFFICE = (Role.OFFICE,)

NAV = [
    (
        _("Work"),
        [
            ("reports:dashboard", _("Dashboard"), ALL),
            ("inspections:ticket_list", _("Tickets"), (Role.OFFICE, Role.SUPERVISOR, Role.LEADER)),
            ("inspections:unit_inbox", _("My unit's tickets"), (Role.UNIT,)),
            ("inspections:verify_queue", _("Verification queue"), (Role.OFFICE, Role.SUPERVISOR)),
            ("inspections:patrol_list", _("Patrols"), (Role.OFFICE, Role.SUPERVISOR, Role.LEADER, Role.UNIT)),
            ("inspections:map_wall", _("Map wall"), (Role.OFFICE, Role.SUPERVISOR, Role.LEADER)),
            ("reports:bulletin_list", _("Bulletins"), ALL),
        ],
    ),
    (
        _("Sites"),
        [
            ("inspections:site_list", _("Sites"), ALL),
            ("inspections:visit_frequency", _("Leaders' visits"), (Role.OFFICE, Role.LEADER)),
            ("inspections:site_type_list", _("Site types"), OFFICE),
            ("inspections:category_list", _("Problem categories"), OFFICE),
        ],
    ),
    (
        _("Evaluation"),
        [
            ("evaluation:item_tree", _("Evaluation system"), (Role.OFFICE, Role.SUPERVISOR)),
            ("evaluation:responsibility_list", _("Responsibility list"), (Role.OFFICE, Role.SUPERVISOR, Role.LEADER)),
            ("evaluation:responsibility_mine", _("My responsibilities"), (Role.UNIT,)),
            ("evaluation:responsibility_three_lists", _("Three lists"), (Role.UNIT,)),
            ("evaluation:material_unit", _("Material submission"), (Role.UNIT,)),
            ("evaluation:material_requirement_list", _("Material requirements"), ALL),
            ("evaluation:material_review_queue", _("Material review"), (Role.OFFICE, Role.SUPERVISOR)),
            ("evaluation:completeness", _("Material completeness"), ALL),
            ("evaluation:package_list", _("Material packages"), (Role.OFFICE, Role.LEADER)),
            ("evaluation:readiness", _("Predicted evaluation score"), (Role.OFFICE, Role.SUPERVISOR, Role.LEADER)),
            ("evaluation:readiness_input_list", _("Online survey and briefing estimates"), (Role.OFFICE,)),
            ("evaluation:questionnaire_list", _("Questionnaires"), ALL),
            ("evaluation:survey_round_list", _("Survey rounds"), ALL),
            ("evaluation:survey_home", _("My surveys"), (Role.SUPERVISOR,)),
            ("evaluation:survey_quality", _("Survey data quality"), (Role.OFFICE, Role.LEADER)),
            ("evaluation:survey_rates", _("Survey rates"), (Role.OFFICE, Role.SUPERVISOR, Role.LEADER)),
        ],
    ),
    (
        _("Command structure"),
        [
            ("campaign:org_chart", _("Organisation chart"), ALL),
            ("campaign:region_list", _("Regions"), ALL),
            ("campaign:unit_list", _("Units"), ALL),
            ("campaign:person_list", _("People"), (Role.OFFICE, Role.LEADER, Role.SUPERVISOR)),
            ("campaign:assignment_list", _("Assignments"), ALL),
        ],
    ),
    (
        _("Security"),
        [
            ("core:security_log", _("Security log"), OFFICE),
        ],
    ),
    (
        _("Volunteers and publicity"),
        [
            ("volunteers:team_list", _("Volunteer teams"), ALL),
            ("volunteers:volunteer_list", _("Volunteers"), ALL),
            ("volunteers:activity_list", _("Activities"), ALL),
            ("volunteers:figures", _("Volunteer figures"), ALL),
            ("publicity:asset_list", _("Publicity assets"), ALL),
            ("publicity:figures", _("Publicity figures"), ALL),
            ("publicity:check_start", _("Look-back check"), (Role.OFFICE, Role.SUPERVISOR, Role.UNIT)),
        ],
    ),
]


@register.simple_tag(takes_context=True)
def nav_sections(context):
    request = context["request"]
    user = request.user
    role = Role.OFFICE if user.is_superuser else user.role
    sections = []
    for title, entries in NAV:
        items = []
        for name, label, roles in entries:
            if role not in roles:
                continue
            try:
                url = reverse(name)
            except NoReverseMatch:
                continue
            items.append({"url": url, "label": label, "active": False})
        if items:
            sections.append({"title": title, "items": items})
    # The entry whose address is the longest start of this page's (so /evaluation/ does not light up on every page
    # under it).
    matching = [item for section in sections for item in section["items"] if request.path.startswith(item["url"])]
    if matching:
        max(matching, key=lambda item: len(item["url"]))["active"] = True
    return sections
