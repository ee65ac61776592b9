"""Every write of the volunteers app. Services own their transactions, check who may act, lock what they
change and raise translated domain errors; views, the API, imports and the demo data all call them."""

import copy
import re
import secrets
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from campaign.models import Region, Unit
from core.exceptions import DomainError, InvalidTransition, NotPermitted
from core.inputs import validate_calendar_day
from core.scope import scope_of

from . import tally
from .models import (
    Activity,
    JointActivity,
    MicroWish,
    Pairing,
    Participation,
    PartyReport,
    Team,
    TeamMembership,
    Volunteer,
)

PHONE_RE = re.compile(r"^1[3-9]\d{9}$")
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CODES = "10X98765432"
MAX_HOURS = Decimal("24")
SIGN_IN_OPENS_BEFORE = timedelta(hours=2)
SIGN_IN_CLOSES_AFTER = timedelta(hours=12)


# --- Validation shared by forms, the API and the import -------------------------------------------


def phone_is_valid(phone: str) -> bool:
    return bool(PHONE_RE.match(phone or ""))


def id_number_is_valid(id_number: str) -> bool:
    """An 18-character resident ID number: 17 digits, a real birth date and the ISO 7064 check character."""
    value = (id_number or "").upper()
    if len(value) != 18 or not (value[:17].isascii() and value[:17].isdigit()):
        return False
    try:
        date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return False
    total = sum(int(digit) * weight for digit, weight in zip(value[:17], ID_WEIGHTS))
    return ID_CHECK_CODES[total % 11] == value[17]


def id_number_with_checksum(first17: str) -> str:
    total = sum(int(digit) * weight for digit, weight in zip(first17, ID_WEIGHTS))
    return first17 + ID_CHECK_CODES[total % 11]


def _clean_hours(hours) -> Decimal:
    try:
        value = Decimal(str(hours)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError({"hours": _("Enter the hours as a number.")}) from None
    if value < 0 or value > MAX_HOURS:
        raise ValidationError({"hours": _("Hours must be between 0 and 24.")})
    return value


# --- Who may do what --------------------------------------------------------------------------------


def can_manage_volunteers(user) -> bool:
    scope = scope_of(user)
    return scope.is_office and not scope.read_only


def can_manage_team(user, team: Team) -> bool:
    """The office, or the liaison of the team's organising unit."""
    scope = scope_of(user)
    return can_manage_volunteers(scope) or (
        scope.is_unit and scope.unit_id is not None and team.unit_id == scope.unit_id
    )


def is_unit_liaison(user) -> bool:
    """A unit liaison with a unit (the volunteers' second writer after the office)."""
    scope = scope_of(user)
    return scope.is_unit and scope.unit_id is not None


def is_liaison_of(user, unit_id) -> bool:
    return is_unit_liaison(user) and unit_id is not None and scope_of(user).unit_id == unit_id


def _require_office(actor):
    if not can_manage_volunteers(actor):
        raise NotPermitted(_("Only campaign office staff may do this."))


# --- Teams and volunteers ------------------------------------------------------------------------------


@transaction.atomic
def team_create(
    *,
    actor,
    name: str,
    is_brand: bool = False,
    unit: Unit | None = None,
    region: Region | None = None,
    leader_name: str = "",
    contact_phone: str = "",
    description: str = "",
    founded_on: date | None = None,
) -> Team:
    _require_office(actor)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Enter the team's name.")})
    if Team.objects.filter(name=name).exists():
        raise ValidationError({"name": _("A team with this name already exists.")})
    return Team.objects.create(
        name=name,
        is_brand=is_brand,
        unit=unit,
        region=region,
        leader_name=leader_name,
        contact_phone=contact_phone,
        description=description,
        founded_on=founded_on,
    )


def _check_volunteer_fields(*, name, gender, phone, id_number, exclude_pk=None):
    errors = {}
    if not (name or "").strip():
        errors["name"] = _("Enter the name.")
    if gender not in Volunteer.Gender.values:
        errors["gender"] = _("Choose male or female.")
    if not phone_is_valid(phone):
        errors["phone"] = _("Enter an 11-digit mobile number starting with 1.")
    elif Volunteer.objects.filter(phone=phone).exclude(pk=exclude_pk).exists():
        errors["phone"] = _("A volunteer with this phone number is already registered.")
    if not id_number_is_valid(id_number):
        errors["id_number"] = _("Enter a valid 18-character ID number.")
    elif Volunteer.objects.filter(id_number=id_number.upper()).exclude(pk=exclude_pk).exists():
        errors["id_number"] = _("A volunteer with this ID number is already registered.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def volunteer_create(
    *,
    actor,
    name: str,
    gender: str,
    phone: str,
    id_number: str,
    region: Region | None = None,
    is_party_member: bool = False,
    registered_on: date | None = None,
    teams=(),
) -> Volunteer:
    _require_office(actor)
    phone, id_number = (phone or "").strip(), (id_number or "").strip().upper()
    _check_volunteer_fields(name=name, gender=gender, phone=phone, id_number=id_number)
    volunteer = Volunteer(
        name=name.strip(),
        gender=gender,
        phone=phone,
        id_number=id_number,
        region=region,
        is_party_member=is_party_member,
        registered_on=registered_on or timezone.localdate(),
    )
    volunteer._history_user = actor  # the history names the actor also outside a request (API token, shell)
    volunteer.save()
    TeamMembership.objects.bulk_create(
        [TeamMembership(team=team, volunteer=volunteer, joined_on=volunteer.registered_on) for team in teams]
    )
    return volunteer


@transaction.atomic
def volunteer_update(
    *,
    actor,
    volunteer: Volunteer,
    name: str,
    gender: str,
    phone: str,
    id_number: str,
    region: Region | None,
    is_party_member: bool,
    registered_on: date | None = None,
    teams=None,
) -> Volunteer:
    """Correct a volunteer's record (office only). Only changed fields are saved, and the change is in the
    volunteer's history; an edit that changes nothing writes nothing."""
    _require_office(actor)
    volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
    phone, id_number = (phone or "").strip(), (id_number or "").strip().upper()
    _check_volunteer_fields(name=name, gender=gender, phone=phone, id_number=id_number, exclude_pk=volunteer.pk)
    if registered_on is not None and registered_on > timezone.localdate():
        raise ValidationError({"registered_on": _("The registration date cannot be in the future.")})
    values = {
        "name": name.strip(),
        "gender": gender,
        "phone": phone,
        "id_number": id_number,
        "region": region,
        "is_party_member": is_party_member,
        "registered_on": registered_on or volunteer.registered_on,
    }
    changed = [field for field, value in values.items() if getattr(volunteer, field) != value]
    for field in changed:
        setattr(volunteer, field, values[field])
    if changed:
        volunteer._history_user = actor  # the history names the actor also outside a request (API token, shell)
        volunteer.save(update_fields=changed)
    if teams is not None:
        wanted = {team.pk for team in teams}
        volunteer.memberships.exclude(team_id__in=wanted).delete()
        have = set(volunteer.memberships.values_list("team_id", flat=True))
        TeamMembership.objects.bulk_create([TeamMembership(team_id=pk, volunteer=volunteer) for pk in wanted - have])
    return volunteer


# --- Import from .xlsx ----------------------------------------------------------------------------------

# Column titles of the import sheet: Chinese (what the offices use) or English.
IMPORT_COLUMNS = {
    "name": ("姓名", "Name"),
    "gender": ("性别", "Gender"),
    "phone": ("手机号", "Phone"),
    "id_number": ("身份证号", "ID number"),
    "region": ("所属区域", "Region"),
    "party": ("党员", "Party member"),
    "registered_on": ("注册日期", "Registered on"),
    "teams": ("服务队", "Teams"),
}
REQUIRED_COLUMNS = ("name", "gender", "phone", "id_number")
GENDER_WORDS = {"男": "male", "male": "male", "m": "male", "女": "female", "female": "female", "f": "female"}
YES_WORDS = {"是", "党员", "yes", "y", "true", "1"}
NO_WORDS = {"", "否", "no", "n", "false", "0", "none"}


class ImportRejected(DomainError):
    """The file has bad rows; nothing was imported. `errors` is [(row number or None, message), …]."""

    def __init__(self, *, errors):
        self.errors = errors
        super().__init__(_("The file has %(count)d errors; nothing was imported.") % {"count": len(errors)})


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _read_sheet(file):
    from core.xlsx import read_rows

    last_error = None
    for language in (0, 1):  # the Chinese headers, then the English ones
        required = [IMPORT_COLUMNS[key][language] for key in REQUIRED_COLUMNS]
        file.seek(0)
        try:
            rows = list(read_rows(file, expected_headers=required))
        except ValueError as exc:
            last_error = exc
            if str(exc) == "not-a-workbook":
                raise ImportRejected(errors=[(None, _("The file is not an .xlsx workbook."))]) from exc
            continue
        return [
            (number, {key: row.get(IMPORT_COLUMNS[key][language]) for key in IMPORT_COLUMNS}) for number, row in rows
        ]
    missing = str(last_error).split(":", 1)[-1] if last_error else ""
    raise ImportRejected(errors=[(1, _("Missing columns: %(columns)s") % {"columns": missing})])


def volunteer_import(*, actor, file) -> int:
    """Validate every row, report every bad row with its number, and import only a clean file (all or nothing).
    Returns the number of volunteers created."""
    _require_office(actor)
    rows = _read_sheet(file)
    if not rows:
        raise ImportRejected(errors=[(None, _("The file has no rows to import."))])
    teams = {team.name: team.pk for team in Team.objects.only("id", "name")}
    regions = {}
    for pk, name, code in Region.objects.values_list("id", "name", "code"):
        regions.setdefault(name, pk)
        regions[code] = pk
    phones = [_text(r["phone"]) for _n, r in rows]
    ids = [_text(r["id_number"]).upper() for _n, r in rows]
    taken_phones = set(Volunteer.objects.filter(phone__in=phones).values_list("phone", flat=True))
    taken_ids = set(Volunteer.objects.filter(id_number__in=ids).values_list("id_number", flat=True))
    seen_phones, seen_ids = {}, {}
    errors, volunteers, memberships = [], [], []
    today = timezone.localdate()
    for number, row in rows:
        row_errors = []
        name = _text(row["name"])
        gender = GENDER_WORDS.get(_text(row["gender"]).lower())
        phone = _text(row["phone"])
        id_number = _text(row["id_number"]).upper()
        if not name:
            row_errors.append(_("the name is missing"))
        if not gender:
            row_errors.append(_("the gender must be 男 or 女"))
        if not phone:
            row_errors.append(_("the phone number is missing"))
        elif not phone_is_valid(phone):
            row_errors.append(_("“%(value)s” is not an 11-digit mobile number") % {"value": phone})
        elif phone in seen_phones:
            row_errors.append(_("the phone number is the same as in row %(row)d") % {"row": seen_phones[phone]})
        elif phone in taken_phones:
            row_errors.append(_("a volunteer with this phone number is already registered"))
        if not id_number:
            row_errors.append(_("the ID number is missing"))
        elif not id_number_is_valid(id_number):
            row_errors.append(_("“%(value)s” is not a valid 18-character ID number") % {"value": id_number})
        elif id_number in seen_ids:
            row_errors.append(_("the ID number is the same as in row %(row)d") % {"row": seen_ids[id_number]})
        elif id_number in taken_ids:
            row_errors.append(_("a volunteer with this ID number is already registered"))
        seen_phones.setdefault(phone, number)
        seen_ids.setdefault(id_number, number)
        region_name = _text(row["region"])
        region_id = None
        if region_name:
            region_id = regions.get(region_name)
            if region_id is None:
                row_errors.append(_("unknown region “%(value)s”") % {"value": region_name})
        party_word = _text(row["party"]).lower()
        if party_word not in YES_WORDS | NO_WORDS:
            row_errors.append(_("party member must be 是 or 否"))
        registered_on = row["registered_on"]
        if isinstance(registered_on, datetime):
            registered_on = registered_on.date()
        elif isinstance(registered_on, date):
            pass
        elif _text(registered_on):
            try:
                registered_on = date.fromisoformat(_text(registered_on).replace("/", "-"))
            except ValueError:
                row_errors.append(_("“%(value)s” is not a date (YYYY-MM-DD)") % {"value": _text(registered_on)})
        else:
            registered_on = today
        team_ids = []
        for team_name in re.split(r"[;；,，、]", _text(row["teams"])):
            team_name = team_name.strip()
            if not team_name:
                continue
            if team_name not in teams:
                row_errors.append(_("unknown team “%(value)s”") % {"value": team_name})
            else:
                team_ids.append(teams[team_name])
        if row_errors:
            errors.append((number, "; ".join(row_errors)))
            continue
        volunteer = Volunteer(
            name=name,
            gender=gender,
            phone=phone,
            id_number=id_number,
            region_id=region_id,
            is_party_member=party_word in YES_WORDS,
            registered_on=registered_on,
        )
        volunteers.append(volunteer)
        memberships.append(team_ids)
    if errors:
        raise ImportRejected(errors=errors)
    try:
        with transaction.atomic():
            volunteers = bulk_create_with_history(volunteers, Volunteer, batch_size=1000, default_user=actor)
            TeamMembership.objects.bulk_create(
                [
                    TeamMembership(team_id=t, volunteer=v, joined_on=v.registered_on)
                    for v, ids in zip(volunteers, memberships)
                    for t in set(ids)
                ],
                batch_size=2000,
            )
    except IntegrityError:
        # Someone registered the same person while the file was being checked.
        raise ImportRejected(
            errors=[(None, _("A phone or ID number in the file was registered meanwhile; try again."))]
        ) from None
    return len(volunteers)


# --- Activities, participants and hours --------------------------------------------------------------


def _activity_day(start_at) -> date:
    return timezone.localtime(start_at).date()


def _default_hours(activity: Activity) -> Decimal:
    seconds = max(0, (activity.end_at - activity.start_at).total_seconds())
    return min(MAX_HOURS, (Decimal(seconds) / Decimal(3600)).quantize(Decimal("0.1")))


def _check_activity_fields(*, theme, kind, start_at, end_at, site, address):
    errors = {}
    if not (theme or "").strip():
        errors["theme"] = _("Enter the theme.")
    if kind not in Activity.Kind.values:
        errors["kind"] = _("Choose a kind of activity.")
    if start_at and end_at and end_at <= start_at:
        errors["end_at"] = _("The end must be after the start.")
    for field, value in (("start_at", start_at), ("end_at", end_at)):
        try:
            validate_calendar_day(value)
        except ValidationError as exc:
            errors[field] = exc.messages[0]
    if site is None and not (address or "").strip():
        errors["address"] = _("Choose a site or enter an address.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def activity_create(
    *, actor, theme: str, kind: str, start_at, end_at, team: Team, site=None, address: str = "", description: str = ""
) -> Activity:
    if not can_manage_team(actor, team):
        raise NotPermitted(_("Only the office or the team's organising unit may add its activities."))
    _check_activity_fields(theme=theme, kind=kind, start_at=start_at, end_at=end_at, site=site, address=address)
    activity = Activity(
        theme=theme.strip(),
        kind=kind,
        start_at=start_at,
        end_at=end_at,
        team=team,
        site=site,
        address=address.strip(),
        description=description,
        region_id=site.region_id if site else team.region_id,
        sign_in_token=secrets.token_urlsafe(16),
        created_by=actor,
    )
    activity._history_user = actor
    activity.save()
    return activity


@transaction.atomic
def activity_update(
    *,
    actor,
    activity: Activity,
    theme: str,
    kind: str,
    start_at,
    end_at,
    team: Team,
    site=None,
    address: str = "",
    description: str = "",
) -> Activity:
    """Correct an activity. Its participants copy its date, team and region (for the figures), so when one of those
    changes every participation follows, and the tallies move with them; the participants' hours stay as entered."""
    activity = Activity.objects.select_for_update().select_related("team").get(pk=activity.pk)
    if not (can_manage_team(actor, activity.team) and can_manage_team(actor, team)):
        raise NotPermitted(_("Only the office or the team's organising unit may change its activities."))
    _check_activity_fields(theme=theme, kind=kind, start_at=start_at, end_at=end_at, site=site, address=address)
    values = {
        "theme": theme.strip(),
        "kind": kind,
        "start_at": start_at,
        "end_at": end_at,
        "team": team,
        "site": site,
        "address": (address or "").strip(),
        "description": description,
        "region_id": site.region_id if site else team.region_id,
    }
    changed = [field for field, value in values.items() if getattr(activity, field) != value]
    if not changed:
        return activity
    for field in changed:
        setattr(activity, field, values[field])
    activity._history_user = actor
    activity.save(update_fields=[field.removesuffix("_id") for field in changed])
    copied = {"day": _activity_day(activity.start_at), "team_id": activity.team_id, "region_id": activity.region_id}
    moved = list(Participation.objects.filter(activity=activity).exclude(**copied).select_for_update().order_by("pk"))
    if moved:
        Participation.objects.filter(pk__in=[p.pk for p in moved]).update(**copied)
        after = [copy.copy(p) for p in moved]
        for participation in after:
            for field, value in copied.items():
                setattr(participation, field, value)
        tally.move(moved, after)
    return activity


@transaction.atomic
def activity_sign_in(*, activity: Activity, phone: str, name: str, now=None) -> tuple[Participation, bool]:
    """The QR sign-in: a registered volunteer (phone and name must match) joins the activity once.
    Returns (participation, created)."""
    now = now or timezone.now()
    phone, name = (phone or "").strip(), (name or "").strip()
    if not phone_is_valid(phone):
        raise ValidationError({"phone": _("Enter an 11-digit mobile number starting with 1.")})
    if now < activity.start_at - SIGN_IN_OPENS_BEFORE:
        raise DomainError(_("Sign-in opens two hours before the activity starts."))
    if now > activity.end_at + SIGN_IN_CLOSES_AFTER:
        raise DomainError(_("Sign-in for this activity has closed."))
    volunteer = Volunteer.objects.filter(phone=phone).first()
    if volunteer is None or volunteer.name != name:
        raise ValidationError({"phone": _("No registered volunteer has this phone number and name.")})
    participation, created = Participation.objects.get_or_create(
        activity=activity,
        volunteer=volunteer,
        defaults={
            "hours": _default_hours(activity),
            "day": _activity_day(activity.start_at),
            "team_id": activity.team_id,
            "region_id": activity.region_id,
            "source": Participation.Source.QR,
            "signed_in_at": now,
        },
    )
    if created:
        tally.add(participation)
    return participation, created


@transaction.atomic
def participation_add(*, actor, activity: Activity, volunteer: Volunteer, hours=None) -> Participation:
    if not can_manage_team(actor, activity.team):
        raise NotPermitted(_("Only the office or the organising unit may change the participants."))
    if Participation.objects.filter(activity=activity, volunteer=volunteer).exists():
        raise ValidationError({"volunteer": _("This volunteer already takes part in the activity.")})
    participation = Participation.objects.create(
        activity=activity,
        volunteer=volunteer,
        day=_activity_day(activity.start_at),
        team_id=activity.team_id,
        region_id=activity.region_id,
        hours=_default_hours(activity) if hours in (None, "") else _clean_hours(hours),
        source=Participation.Source.ORGANISER,
    )
    tally.add(participation)
    return participation


@transaction.atomic
def participation_set_hours(*, actor, participation: Participation, hours) -> Participation:
    participation = Participation.objects.select_for_update().select_related("activity__team").get(pk=participation.pk)
    if not can_manage_team(actor, participation.activity.team):
        raise NotPermitted(_("Only the office or the organising unit may set the hours."))
    old, participation.hours = participation.hours, _clean_hours(hours)
    if participation.hours != old:
        participation.save(update_fields=["hours"])
        tally.add_hours(participation, participation.hours - old)
    return participation


@transaction.atomic
def participation_remove(*, actor, participation: Participation) -> None:
    """Take a volunteer out of an activity (added by mistake, or did not come)."""
    participation = Participation.objects.select_for_update().select_related("activity__team").get(pk=participation.pk)
    if not can_manage_team(actor, participation.activity.team):
        raise NotPermitted(_("Only the office or the organising unit may change the participants."))
    tally.remove(participation)
    participation.delete()


# --- Pairings, party members' reports and micro-wishes ------------------------------------------------


def _check_community(community: Region, field_name: str = "community"):
    if community is None or community.level != Region.Level.COMMUNITY:
        raise ValidationError({field_name: _("Choose a community (a level-4 region).")})


@transaction.atomic
def pairing_create(
    *, actor, unit: Unit, community: Region, start_date: date | None = None, content: str = ""
) -> Pairing:
    _require_office(actor)
    if not unit.civilized_level:
        raise ValidationError({"unit": _("Only a civilized unit can be paired with a community.")})
    _check_community(community)
    if Pairing.objects.filter(unit=unit, community=community).exists():
        raise ValidationError({"community": _("This unit is already paired with this community.")})
    return Pairing.objects.create(
        unit=unit, community=community, start_date=start_date or timezone.localdate(), content=content
    )


@transaction.atomic
def joint_activity_add(
    *, actor, pairing: Pairing, title: str, held_on: date, participants: int = 0, content: str = ""
) -> JointActivity:
    if not (can_manage_volunteers(actor) or is_liaison_of(actor, pairing.unit_id)):
        raise NotPermitted(_("Only the office or the paired unit may record joint activities."))
    if not (title or "").strip():
        raise ValidationError({"title": _("Enter the title.")})
    if held_on < pairing.start_date:
        raise ValidationError({"held_on": _("The activity cannot be before the pairing started.")})
    return JointActivity.objects.create(
        pairing=pairing, title=title.strip(), held_on=held_on, participants=participants, content=content
    )


@transaction.atomic
def party_report_create(
    *, actor, member: Volunteer, community: Region, month: date, service: str, hours=0
) -> PartyReport:
    if not (can_manage_volunteers(actor) or scope_of(actor).is_unit):
        raise NotPermitted(_("Only the office or a unit liaison may record party members' reports."))
    if not member.is_party_member:
        raise ValidationError({"member": _("This volunteer is not a party member.")})
    _check_community(community)
    if not (service or "").strip():
        raise ValidationError({"service": _("Describe the service done.")})
    month = month.replace(day=1)
    if PartyReport.objects.filter(member=member, month=month).exists():
        raise ValidationError({"month": _("This member has already reported for this month.")})
    return PartyReport.objects.create(
        member=member, community=community, month=month, service=service.strip(), hours=_clean_hours(hours)
    )


@transaction.atomic
def microwish_post(
    *, actor, community: Region, resident_name: str, title: str, resident_phone: str = "", description: str = ""
) -> MicroWish:
    if not (can_manage_volunteers(actor) or scope_of(actor).is_unit):
        raise NotPermitted(_("Only the office or a unit liaison may post micro-wishes."))
    _check_community(community)
    errors = {}
    if not (resident_name or "").strip():
        errors["resident_name"] = _("Enter the resident's name.")
    if not (title or "").strip():
        errors["title"] = _("Enter the wish.")
    if resident_phone and not phone_is_valid(resident_phone):
        errors["resident_phone"] = _("Enter an 11-digit mobile number starting with 1.")
    if errors:
        raise ValidationError(errors)
    return MicroWish.objects.create(
        community=community,
        resident_name=resident_name.strip(),
        title=title.strip(),
        resident_phone=resident_phone,
        description=description,
        posted_by=actor,
    )


@transaction.atomic
def microwish_claim(
    *, actor, wish: MicroWish, volunteer: Volunteer | None = None, unit: Unit | None = None
) -> MicroWish:
    """A volunteer (party member or not) or a unit takes the wish on. A unit liaison claims for their unit."""
    wish = MicroWish.objects.select_for_update().get(pk=wish.pk)
    if wish.status != MicroWish.Status.POSTED:
        raise InvalidTransition(_("Only a posted wish can be claimed."))
    scope = scope_of(actor)
    if scope.is_unit:
        if volunteer is not None or (unit is not None and unit.pk != scope.unit_id) or not scope.unit_id:
            raise NotPermitted(_("A unit liaison may claim wishes for their own unit only."))
        unit = Unit.objects.get(pk=scope.unit_id)
    elif not can_manage_volunteers(scope):
        raise NotPermitted(_("Only the office or a unit liaison may claim micro-wishes."))
    if (volunteer is None) == (unit is None):
        raise ValidationError({"volunteer": _("Choose either a volunteer or a unit.")})
    wish.claimed_by_volunteer, wish.claimed_by_unit = volunteer, unit
    wish.status, wish.claimed_at = MicroWish.Status.CLAIMED, timezone.now()
    wish.save(update_fields=["claimed_by_volunteer", "claimed_by_unit", "status", "claimed_at"])
    return wish


@transaction.atomic
def microwish_fulfil(*, actor, wish: MicroWish, photo, note: str = "") -> MicroWish:
    from core.files import prepare_images, random_name

    wish = MicroWish.objects.select_for_update().get(pk=wish.pk)
    if wish.status != MicroWish.Status.CLAIMED:
        raise InvalidTransition(_("Only a claimed wish can be fulfilled."))
    if not (can_manage_volunteers(actor) or is_liaison_of(actor, wish.claimed_by_unit_id)):
        raise NotPermitted(_("Only the office or the claiming unit may mark the wish fulfilled."))
    # core.files: checked by content, re-encoded, stored under a random name (never the client's bytes or name).
    (image,) = prepare_images(
        [photo] if photo else [],
        field="photo",
        required=True,
        max_count=1,
        message=_("Add a photo of the fulfilled wish."),
    )
    wish.fulfilment_photo.save(random_name(image.extension), image.content_file(), save=False)
    wish.status, wish.fulfilled_at, wish.fulfilment_note = MicroWish.Status.FULFILLED, timezone.now(), note
    wish.save(update_fields=["fulfilment_photo", "status", "fulfilled_at", "fulfilment_note"])
    return wish
