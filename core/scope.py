"""A user's scope, computed once per request, and the one function that turns it into a query filter.

`scope_of(user)` answers a frozen `Scope` (role, the region ids it covers or None for everything, the unit, the
command bodies, read-only or not) and keeps it on the user object, so every read of the same request (page, its
counts, its links, the media view) shares one computation: no middleware, the attribute is filled lazily.

`scope.filter(queryset, region="region", unit="unit")` is the rule of CONTRACT.md written once:

| role        | rows                                                                                       |
|-------------|--------------------------------------------------------------------------------------------|
| office      | all                                                                                        |
| leader      | all (read only: `scope.read_only`)                                                         |
| supervisor  | `region` in the regions of their command bodies and every region under them                |
| unit        | `unit` = their unit; with `unit_reads_region=True` also `region` under their unit's region |
| no role, signed out, unit liaison without a unit, supervisor without a body | nothing                  |

A model names its paths once (`core.registry.register`); code outside the registry rarely calls `filter` itself.

Wide reads (bulletins, nightly jobs, the office dashboard) never make up a user: they use `CITY_WIDE` (the whole
city, read only) or `district_wide(district)` (one district's subtree), which go through the same `filter`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet, Subquery

from .roles import Role

_CACHE_ATTRIBUTE = "_scope_cache"

# The kinds of scope: a person's, or a named wide read.
PERSON = "person"
CITY = "city"
DISTRICT = "district"


@dataclass(frozen=True)
class Scope:
    """What one user (or one named wide read) may see. `region_ids` None means every region."""

    role: str = ""
    is_authenticated: bool = False
    user_id: int | None = None
    region_ids: frozenset[int] | None = frozenset()
    unit_id: int | None = None
    unit_region_ids: frozenset[int] = frozenset()  # the unit's region and everything under it
    body_ids: frozenset[int] = frozenset()
    read_only: bool = True
    kind: str = PERSON
    label: str = field(default="", compare=False)

    # --- What the role is -------------------------------------------------------------------------
    @property
    def sees_everything(self) -> bool:
        """Office, leader (read only), superuser and the city-wide read."""
        return self.is_authenticated and self.region_ids is None

    @property
    def is_office(self) -> bool:
        return self.is_authenticated and self.role == Role.OFFICE

    @property
    def is_leader(self) -> bool:
        return self.is_authenticated and self.role == Role.LEADER

    @property
    def is_supervisor(self) -> bool:
        return self.is_authenticated and self.role == Role.SUPERVISOR

    @property
    def is_unit(self) -> bool:
        return self.is_authenticated and self.role == Role.UNIT

    @property
    def is_wide(self) -> bool:
        """A named wide read (city or district), not a person."""
        return self.kind != PERSON

    # --- The one rule -----------------------------------------------------------------------------
    def q(self, *, region: str | None = None, unit: str | None = None, unit_reads_region: bool = False) -> Q | None:
        """The condition along the model's region path and unit path; None means "no row at all".

        `region` and `unit` are lookups from the model (e.g. "region", "ticket__region", "site__unit"). A model
        without a region path is invisible to a supervisor; without a unit path, to a unit liaison — unless the
        unit reads its region (`unit_reads_region`)."""
        if not self.is_authenticated:
            return None
        if self.region_ids is None:
            return Q()
        if self.kind == DISTRICT:
            return Q(**{f"{region}__in": self.region_ids}) if region else None
        if self.role == Role.SUPERVISOR:
            return Q(**{f"{region}__in": self.region_ids}) if region and self.region_ids else None
        if self.role == Role.UNIT and self.unit_id:
            condition = Q(**{unit: self.unit_id}) if unit else None
            if unit_reads_region and region and self.unit_region_ids:
                by_region = Q(**{f"{region}__in": self.unit_region_ids})
                condition = by_region if condition is None else condition | by_region
            return condition
        return None

    def admits(self, *, region_id=None, unit_id=None, has_region=False, has_unit=False, unit_reads_region=False):
        """`q` for one row already in memory (its region and unit ids): the same rule, no query. Keep it beside
        `q`; tests/scope/test_findings.py checks they agree for every role."""
        if not self.is_authenticated:
            return False
        if self.region_ids is None:
            return True
        if self.kind == DISTRICT or self.role == Role.SUPERVISOR:
            return has_region and region_id in self.region_ids
        if self.role == Role.UNIT and self.unit_id:
            if has_unit and unit_id == self.unit_id:
                return True
            return unit_reads_region and has_region and region_id in self.unit_region_ids
        return False

    def filter(
        self, queryset: QuerySet, *, region: str | None = None, unit: str | None = None, unit_reads_region: bool = False
    ) -> QuerySet:
        condition = self.q(region=region, unit=unit, unit_reads_region=unit_reads_region)
        if condition is None:
            return queryset.none()
        return queryset.filter(condition) if condition else queryset

    def covers_region(self, region_id: int | None) -> bool:
        """In memory: is this region in scope (for one object already loaded)."""
        return self.region_ids is None or (region_id is not None and region_id in self.region_ids)


NOBODY = Scope(label="nobody")
CITY_WIDE = Scope(
    role=Role.OFFICE, is_authenticated=True, region_ids=None, read_only=True, kind=CITY, label="city-wide read"
)


def district_wide(district) -> Scope:
    """One district's subtree, read only: for a district office's bulletins (issue 11 and after). Rows are kept by
    their region path only; a model without one has no district-wide read (`filter` answers nothing)."""
    from campaign.models import Region

    ids = frozenset(Region.objects.filter(path__startswith=district.path).values_list("id", flat=True))
    return Scope(
        role=Role.OFFICE,
        is_authenticated=True,
        region_ids=ids,
        read_only=True,
        kind=DISTRICT,
        label=f"district {district.pk}",
    )


def _subtree_ids(roots) -> frozenset[int]:
    from campaign.models import Region

    paths = set(roots)
    if not paths:
        return frozenset()
    condition = Q()
    for path in paths:
        condition |= Q(path__startswith=path)
    return frozenset(Region.objects.filter(condition).values_list("id", flat=True))


def compute_scope(user) -> Scope:
    """The scope from the database (two or three small queries). Prefer `scope_of`, which keeps it."""
    from campaign.models import CommandBody, Region

    if user is None or not getattr(user, "is_authenticated", False):
        return NOBODY
    if isinstance(user, Scope):
        return user
    role = user.role or ""
    if user.is_superuser:
        role = Role.OFFICE
    common = {"role": role, "is_authenticated": True, "user_id": user.pk, "label": user.get_username()}
    if role in (Role.OFFICE, Role.LEADER):
        return Scope(**common, region_ids=None, unit_id=user.unit_id, read_only=role == Role.LEADER)
    if role == Role.SUPERVISOR:
        # One query for the bodies and the paths of their regions, one for the regions under those.
        rows = list(CommandBody.objects.filter(memberships__person__user=user).values_list("id", "regions__path"))
        bodies = frozenset(body for body, _path in rows)
        roots = [path for _body, path in rows if path]
        return Scope(**common, region_ids=_subtree_ids(roots), body_ids=bodies, read_only=False)
    if role == Role.UNIT and user.unit_id:
        # One query: the regions whose path starts with the unit's region's path.
        unit_path = Region.objects.filter(units__id=user.unit_id).values("path")[:1]
        ids = frozenset(Region.objects.filter(path__startswith=Subquery(unit_path)).values_list("id", flat=True))
        return Scope(**common, region_ids=ids, unit_id=user.unit_id, unit_region_ids=ids, read_only=False)
    return Scope(**common, region_ids=frozenset(), read_only=True)


def scope_of(user, *, refresh: bool = False) -> Scope:
    """The user's scope, computed once and kept on the user object (request.user lives as long as the request).
    A Scope passed in is answered as it is, so readers accept either a user or a wide read."""
    if isinstance(user, Scope):
        return user
    if user is None or not getattr(user, "is_authenticated", False):
        return NOBODY
    cached = None if refresh else getattr(user, _CACHE_ATTRIBUTE, None)
    if (
        cached is None
        or cached.user_id != user.pk
        or cached.role != (Role.OFFICE if user.is_superuser else user.role or "")
    ):
        cached = compute_scope(user)
        try:
            setattr(user, _CACHE_ATTRIBUTE, cached)
        except AttributeError:  # an object that refuses attributes: compute every time
            pass
    return cached


def forget_scope(user) -> None:
    """After a change of the user's role, unit or memberships within the same request (tests, the admin)."""
    if hasattr(user, _CACHE_ATTRIBUTE):
        delattr(user, _CACHE_ATTRIBUTE)
