"""Each model declares who may see it ONCE; pages, API, exports, maps, PDFs, figures and media files read through it.

    # <app>/visibility.py, imported from <App>Config.ready()
    from core.registry import register, SCOPED, EVERYONE, through
    register(Ticket, visible=SCOPED, region="region", unit="unit",
             filterset="inspections.filtersets.TicketFilterSet", serializer="inspections.api.tickets.TicketSerializer",
             surfaces={"list": "inspections:ticket_list", "detail": "inspections:ticket_detail", ...})
    register(TicketPhoto, visible=through("ticket", Ticket), media=("tickets/", ("image", "thumbnail")))

    visible_to(Ticket, request.user)            # the queryset: every reader starts here
    get_visible(Ticket, request.user, pk=pk)    # the row, or NotInScope (404) whether it exists or not
    require_visible(actor, site=site, unit=unit, patrol_visit=visit)   # a write's references: 400 per field
    city_wide(Ticket), district_wide(Ticket, district)                  # named wide reads, never a made-up user

`visible` is one of
- `SCOPED`: `Scope.filter` along `region` / `unit` (office and leader all, supervisor by region, unit by unit;
  `unit_reads_region=True` lets a unit liaison also read the rows in its unit's region subtree: sites);
- `EVERYONE`: every signed-in user (the command structure, volunteer ledgers, posts…); nobody signed out;
- `through("parent_field", Parent)`: a child row is visible when its parent is (photos, events, checks, visits);
- a callable `(scope, queryset, registry) -> queryset` for the few rules of their own
  (bulletins, patrols, people, letters).

A `Registry` instance holds the declarations; the module functions use the project's one `REGISTRY`. Tests build a
`Registry()` of their own (tests/scope/test_matrix.py) so a rule can be proved before the apps are wired.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext as _

from .exceptions import NotInScope
from .scope import CITY_WIDE, Scope, scope_of

SCOPED = "scoped"
EVERYONE = "everyone"

# The surfaces a model may have; the matrix (tests/scope/test_matrix.py) checks each one it names.
SURFACES = ("list", "detail", "api_list", "api_detail", "export", "map", "pdf", "media", "figures")


@dataclass(frozen=True)
class Through:
    """A child model visible exactly when its parent row is."""

    field: str
    parent: type[Model]


def through(field_name: str, parent: type[Model]) -> Through:
    return Through(field_name, parent)


def _dotted(value):
    """Classes may be named by dotted path (no import cycle at registration time)."""
    if isinstance(value, str):
        module, _dot, name = value.rpartition(".")
        return getattr(import_module(module), name)
    return value


@dataclass(frozen=True)
class Visibility:
    model: type[Model]
    visible: str | Through | Callable[[Scope, QuerySet, Registry], QuerySet]
    region: str | None = None
    unit: str | None = None
    unit_reads_region: bool = False
    filterset: object = None
    serializer: object = None
    surfaces: dict = field(default_factory=dict)
    media: tuple | None = None  # (path prefix, (file field, …)[, document]) for core.media
    # Files narrower than the rows (a responsibility letter is personal: the office and its own leader only).
    media_visible: object = None
    not_found: str = ""  # the 404 message ("Ticket not found.")

    @property
    def filterset_class(self):
        return _dotted(self.filterset)

    @property
    def serializer_class(self):
        return _dotted(self.serializer)

    def surface(self, name: str) -> str | None:
        return self.surfaces.get(name)


class Registry:
    def __init__(self):
        self._entries: dict[type[Model], Visibility] = {}

    # --- Declaring -----------------------------------------------------------------------------------
    def register(
        self,
        model: type[Model],
        *,
        visible=SCOPED,
        region: str | None = None,
        unit: str | None = None,
        unit_reads_region: bool = False,
        filterset=None,
        serializer=None,
        surfaces: dict | None = None,
        media: tuple | None = None,
        media_visible=None,
        not_found: str = "",
    ) -> Visibility:
        if model in self._entries:
            raise ImproperlyConfigured(f"{model.__name__} declares its visibility twice")
        if visible == SCOPED and not (region or unit):
            raise ImproperlyConfigured(f"{model.__name__}: a scoped model names a region path or a unit path")
        unknown = set(surfaces or {}) - set(SURFACES)
        if unknown:
            raise ImproperlyConfigured(f"{model.__name__}: unknown surfaces {sorted(unknown)}")
        entry = Visibility(
            model=model,
            visible=visible,
            region=region,
            unit=unit,
            unit_reads_region=unit_reads_region,
            filterset=filterset,
            serializer=serializer,
            surfaces=dict(surfaces or {}),
            media=media,
            media_visible=media_visible,
            not_found=not_found,
        )
        self._entries[model] = entry
        return entry

    def unregister(self, model: type[Model]) -> None:
        self._entries.pop(model, None)

    def entry(self, model: type[Model]) -> Visibility:
        try:
            return self._entries[model]
        except KeyError:
            raise ImproperlyConfigured(
                f"{model.__name__} has no visibility declared (core.registry.register)"
            ) from None

    def __contains__(self, model) -> bool:
        return model in self._entries

    def __iter__(self):
        return iter(list(self._entries.values()))

    def models(self) -> list[type[Model]]:
        return list(self._entries)

    # --- Reading -------------------------------------------------------------------------------------
    def visible_to(self, model: type[Model], user_or_scope, queryset: QuerySet | None = None) -> QuerySet:
        """The rows of `model` the user (or wide read) may see. `queryset` narrows a starting set (a manager's)."""
        entry = self.entry(model)
        scope = scope_of(user_or_scope)
        queryset = model._default_manager.all() if queryset is None else queryset
        if not scope.is_authenticated:
            return queryset.none()
        rule = entry.visible
        if rule == SCOPED:
            return scope.filter(
                queryset, region=entry.region, unit=entry.unit, unit_reads_region=entry.unit_reads_region
            )
        if rule == EVERYONE:
            if scope.kind == "district":
                return queryset.filter(**{f"{entry.region}__in": scope.region_ids}) if entry.region else queryset.none()
            return queryset
        if isinstance(rule, Through):
            return queryset.filter(**{f"{rule.field}__in": self.visible_to(rule.parent, scope)})
        return rule(scope, queryset, self)

    def visible_q(self, model: type[Model], user_or_scope, *, prefix: str) -> Q:
        """The rule as a condition on a join (`prefix` leads from another model to `model`, e.g. "tickets__"),
        where a subquery cannot go (a FilteredRelation's condition). A SCOPED model only; nothing visible gives a
        condition no row meets."""
        entry = self.entry(model)
        if entry.visible != SCOPED:
            raise ImproperlyConfigured(f"{model.__name__}: visible_q is for SCOPED models")
        condition = scope_of(user_or_scope).q(
            region=f"{prefix}{entry.region}" if entry.region else None,
            unit=f"{prefix}{entry.unit}" if entry.unit else None,
            unit_reads_region=entry.unit_reads_region,
        )
        return Q(**{f"{prefix}pk__in": []}) if condition is None else condition

    def is_visible(self, model: type[Model], user_or_scope, pk) -> bool:
        return self.visible_to(model, user_or_scope).filter(pk=pk).exists()

    def row_is_visible(self, obj: Model, user_or_scope) -> bool:
        """`is_visible` for a row already loaded: a SCOPED model with direct paths (`region`, `unit`) is decided in
        memory by `Scope.admits` (no query: action checks run it for every action); anything else asks the
        database."""
        entry = self.entry(type(obj))
        scope = scope_of(user_or_scope)
        paths = [p for p in (entry.region, entry.unit) if p]
        if entry.visible == SCOPED and all("__" not in p for p in paths):
            return scope.admits(
                region_id=getattr(obj, f"{entry.region}_id") if entry.region else None,
                unit_id=getattr(obj, f"{entry.unit}_id") if entry.unit else None,
                has_region=bool(entry.region),
                has_unit=bool(entry.unit),
                unit_reads_region=entry.unit_reads_region,
            )
        return self.is_visible(type(obj), scope, obj.pk)

    def get_visible(self, model: type[Model], user_or_scope, *, pk, queryset: QuerySet | None = None):
        """The row if visible; NotInScope (404) otherwise, whether it exists or not (and for a malformed pk)."""
        try:
            return self.visible_to(model, user_or_scope, queryset).get(pk=pk)
        except (model.DoesNotExist, ValueError, TypeError):
            raise NotInScope(self.entry(model).not_found or _("Not found.")) from None

    def require_visible(self, actor, **references) -> None:
        """For a write: every referenced object (site=…, unit=…, region=…, patrol_visit=…) must be one the actor
        may see; otherwise ValidationError with a message on each such field (400), before anything is written.
        None values are skipped (an optional reference)."""
        errors = {}
        scope = scope_of(actor)
        for name, obj in references.items():
            if obj is None:
                continue
            model = type(obj)
            if model not in self or not self.visible_to(model, scope).filter(pk=obj.pk).exists():
                errors[name] = _("Choose one within your scope.")
        if errors:
            raise ValidationError(errors)

    def require_writable(self, actor) -> None:
        """Leaders and wide reads never write."""
        from .exceptions import NotPermitted

        scope = scope_of(actor)
        if scope.read_only:
            raise NotPermitted(_("Your role does not allow this action."))

    # --- Named wide reads ----------------------------------------------------------------------------
    def city_wide(self, model: type[Model]) -> QuerySet:
        """Every row, for bulletins and nightly jobs (read only; no user is made up)."""
        return self.visible_to(model, CITY_WIDE)

    def district_wide(self, model: type[Model], district) -> QuerySet:
        """The rows under one district along the model's declared region path (a placeholder for the district
        offices of the next issues). Defined only where it is trivially right: a model with a region path, or a
        child `through` such a model. Anything else refuses rather than guess."""
        entry = self.entry(model)
        if isinstance(entry.visible, Through):
            return model._default_manager.filter(
                **{f"{entry.visible.field}__in": self.district_wide(entry.visible.parent, district)}
            )
        if entry.region and entry.visible in (SCOPED, EVERYONE):
            return model._default_manager.filter(**{f"{entry.region}__path__startswith": district.path})
        raise ImproperlyConfigured(f"{model.__name__} has no region path: no district-wide read")

    # --- Files (core.media becomes a client) ---------------------------------------------------------
    def media_files(self, model: type[Model], user_or_scope) -> QuerySet:
        """The rows whose files the user may open: the rows they see, narrowed by `media_visible` if declared."""
        entry = self.entry(model)
        rows = self.visible_to(model, user_or_scope)
        if entry.media_visible is not None:
            rows = entry.media_visible(scope_of(user_or_scope), rows, self)
        return rows

    def media_entries(self):
        """(prefix, fields, visible(user) -> queryset, document, filename) for each model that declares files
        (`media=(prefix, fields[, document[, filename]])`, filename `(row, stored name) -> download name` or None):
        what core.media.REGISTRY is built from (ProtectedFiles(prefix, fields, visible, document, filename))."""
        for entry in self:
            if entry.media:
                prefix, fields, *rest = entry.media
                yield (
                    prefix,
                    tuple(fields),
                    (lambda user, m=entry.model: self.media_files(m, user)),
                    bool(rest and rest[0]),
                    rest[1] if len(rest) > 1 else None,
                )


REGISTRY = Registry()


def register(model, **kwargs) -> Visibility:
    return REGISTRY.register(model, **kwargs)


def visible_to(model, user_or_scope, queryset: QuerySet | None = None) -> QuerySet:
    return REGISTRY.visible_to(model, user_or_scope, queryset)


def is_visible(model, user_or_scope, pk) -> bool:
    return REGISTRY.is_visible(model, user_or_scope, pk)


def visible_q(model, user_or_scope, *, prefix: str) -> Q:
    return REGISTRY.visible_q(model, user_or_scope, prefix=prefix)


def row_is_visible(obj, user_or_scope) -> bool:
    return REGISTRY.row_is_visible(obj, user_or_scope)


def get_visible(model, user_or_scope, *, pk, queryset: QuerySet | None = None):
    return REGISTRY.get_visible(model, user_or_scope, pk=pk, queryset=queryset)


def require_visible(actor, **references) -> None:
    REGISTRY.require_visible(actor, **references)


def city_wide(model) -> QuerySet:
    return REGISTRY.city_wide(model)


def district_wide(model, district) -> QuerySet:
    return REGISTRY.district_wide(model, district)


# Rules of their own, shared by the registrations (written against Scope, never against a role string).


def published_or_office(scope: Scope, queryset: QuerySet, registry=None) -> QuerySet:
    """Bulletins: the office (and a wide read) sees every revision and failure; every other signed-in user only the
    published ones."""
    if scope.is_office or scope.is_wide:
        return queryset
    return queryset.filter(published_at__isnull=False)


def own_unit_for_units(unit_path: str) -> Callable[[Scope, QuerySet, Registry], QuerySet]:
    """People: everyone signed in reads them (today's people_visible_to, a signed-in user without a role too),
    except that a unit liaison reads only the people of their own unit (phone numbers are personal data)."""

    def rule(scope: Scope, queryset: QuerySet, registry=None) -> QuerySet:
        if scope.is_unit:
            return queryset.filter(**{unit_path: scope.unit_id}) if scope.unit_id else queryset.none()
        return queryset

    return rule


def office_or_own(user_path: str) -> Callable[[Scope, QuerySet, Registry], QuerySet]:
    """Responsibility letters: the office every one, anybody else those linked to their own account."""

    def rule(scope: Scope, queryset: QuerySet, registry=None) -> QuerySet:
        if scope.is_office or scope.is_wide:
            return queryset
        return queryset.filter(**{user_path: scope.user_id})

    return rule


def patrols_rule(scope: Scope, queryset: QuerySet, registry: Registry | None = None) -> QuerySet:
    """Patrols (today's patrols_visible_to): all for office and leader; others the patrols they led or joined and
    those that visited a site they can see."""
    if scope.sees_everything:
        return queryset
    from django.apps import apps
    from django.db.models import Exists, OuterRef

    Site = apps.get_model("inspections", "Site")
    PatrolVisit = apps.get_model("inspections", "PatrolVisit")
    Patrol = queryset.model
    registry = registry or REGISTRY
    visible_sites = registry.visible_to(Site, scope)
    joined = Patrol.members.through.objects.filter(patrol_id=OuterRef("pk"), user_id=scope.user_id)
    visited = PatrolVisit.objects.filter(patrol_id=OuterRef("pk"), site__in=visible_sites)
    return queryset.filter(Q(leader_id=scope.user_id) | Exists(joined) | Exists(visited))
