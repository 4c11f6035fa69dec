"""The plugin contract and registry.

A plugin hands the host one ``Plugin`` object. The host loads the plugins named in the
``PLUGINS`` setting and those declared under the ``lms.plugins`` entry-point group, checks
names and requirements, orders them so that a plugin comes after those it requires, and
keeps the registry in ``app.extensions["lms.plugins"]``. The host never imports a plugin
by name.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from importlib.metadata import entry_points
from typing import TYPE_CHECKING, Any, TypeVar

import click
from flask import Blueprint, Flask, current_app
from markupsafe import Markup

from lms.dates import span_in_window
from lms.db import isolated

if TYPE_CHECKING:
    from lms.auth.models import Role, User
    from lms.consent.purposes import ConsentPurpose
    from lms.erasure import Erasure
    from lms.retention import RetentionSection

ENTRY_POINT_GROUP = "lms.plugins"
EXTENSION_KEY = "lms.plugins"

logger = logging.getLogger(__name__)
R = TypeVar("R")


class PluginError(RuntimeError):
    """A plugin is missing, malformed, duplicated or requires one that is not loaded."""


@dataclass(frozen=True)
class NavEntry:
    """A link in the main navigation."""

    label: Any  # a lazy translated string, rendered per request
    endpoint: str
    #: who sees it; empty means every signed-in person
    roles: frozenset[Role] = frozenset()
    #: also shown to people who are not signed in
    public: bool = False
    order: int = 100

    def visible_to(self, user: User | None) -> bool:
        if user is None or not user.is_authenticated:
            return self.public
        return not self.roles or user.has_role(*self.roles)


@dataclass(frozen=True)
class DashboardPanel:
    """A block on a person's dashboard, rendered by the plugin that owns it."""

    title: str
    body: Markup
    order: int = 100


@dataclass(frozen=True)
class PersonColumn:
    """A column a plugin adds to a cohort's tables of people (the gradebook and its export,
    the roster export): a heading, and each person's cell by user id. A person the mapping
    does not name gets an empty cell."""

    label: str
    values: Mapping[int, object]

    def value_for(self, user_id: int | None) -> object:
        return None if user_id is None else self.values.get(user_id)


#: a plugin's person columns for a cohort (by id) as ``viewer`` may read them: a plugin
#: answers only what the viewer may see, and nothing for a cohort it does not know
PersonColumns = Callable[[int, "User"], Iterable[PersonColumn]]


@dataclass(frozen=True)
class CalendarEvent:
    """One dated item a plugin offers to the calendar page and the iCalendar feeds."""

    #: stable across exports, for example "session-12@lehrgang"
    uid: str
    title: str
    #: aware datetimes for timed items, dates for all-day items (end exclusive)
    start: datetime | date
    end: datetime | date
    #: "session", "deadline", "congress", "committee", ...
    kind: str
    location: str = ""
    description: str = ""
    url: str | None = None
    cancelled: bool = False
    sequence: int = 0
    last_modified: datetime | None = None
    cohort_id: int | None = None

    @property
    def all_day(self) -> bool:
        return not isinstance(self.start, datetime)


def rows_as_events(rows: Iterable[R],
                   build: Callable[[R], Iterable[CalendarEvent]]) -> Iterator[CalendarEvent]:
    """The events ``build`` makes of each row, for a calendar source.

    A row whose events cannot be computed (an old date near the end of the calendar, where
    adding a duration overflows) is logged and skipped: it costs its own events only.
    """
    for row in rows:
        try:
            events = list(build(row))
        except (ArithmeticError, ValueError):
            logger.exception("calendar: no event can be made of %r; it is left out", row)
            continue
        yield from events


@dataclass(frozen=True)
class CalendarQuery:
    """What a calendar asks of every source: whose view, and which part of it."""

    #: None for public calendars: only public items
    viewer: User | None
    cohort_ids: frozenset[int] | None = None
    kinds: frozenset[str] | None = None
    start: datetime | None = None
    end: datetime | None = None

    def wants(self, kind: str) -> bool:
        """Whether items of ``kind`` belong in this calendar (no filter: every kind)."""
        return self.kinds is None or kind in self.kinds

    @property
    def signed_in(self) -> bool:
        """Whether the calendar is a signed-in, active person's own."""
        viewer = self.viewer
        return viewer is not None and viewer.is_authenticated and viewer.active


@dataclass(frozen=True)
class PersonalData:
    """One kind of personal data kept, for the record of processing activities (Art. 30
    GDPR): whose, what, why, for how long, and in which tables (a test holds every table
    that names a person to a declaration)."""

    #: what the data is about: "Accounts", "Module work" (lazy strings, like all four texts)
    title: Any
    #: whose data: "participants, lecturers and organisers"
    subjects: Any
    #: which data: "name, email address, roles, language, sign-in times"
    data: Any
    #: why it is kept
    purpose: Any
    #: for how long
    retention: Any
    tables: tuple[str, ...] = ()


@dataclass(frozen=True)
class ExportedFile:
    """A stored file in a person's data export: its place in the ZIP and its bytes."""

    #: the path inside the ZIP, made with ``lms.personal_export.file_path``
    path: str
    sha256: str


@dataclass(frozen=True)
class PersonalSection:
    """A plugin's part of a person's data export (Art. 15 GDPR).

    ``data`` is written as JSON: mappings, lists, text, numbers, dates and datetimes
    (written ISO 8601), enums (their value). It holds only the person's own data: where
    they share a record with others (a team's submission) it shows the record, never the
    others' names or addresses. ``files`` are the person's stored files the data names.
    """

    data: Mapping[str, Any]
    files: tuple[ExportedFile, ...] = ()


@dataclass
class Plugin:
    """What a plugin hands the host.

    A plugin with a ``calendar_source`` names in ``calendar_models`` every model whose
    rows the source reads: those it makes events of, and those that decide who sees
    them or what they say (enrollments, extensions, a municipality's name). The host
    then renews the calendar's change stamp on any write to one of them, from any view,
    service or command (``lms.calendar.stamp``), and serves feeds from its cache until
    then. Forgetting one leaves feeds stale after such a write; leaving the field None
    is safe but slow: every feed is then built on every request.
    For example ``calendar_models=(Consultation, Adviser)``.
    """

    name: str
    #: names of plugins that must be loaded before this one
    requires: tuple[str, ...] = ()
    blueprint: Blueprint | None = None
    url_prefix: str | None = None
    #: further blueprints with their URL prefixes, e.g. a part with public pages
    more_blueprints: tuple[tuple[Blueprint, str | None], ...] = ()
    navigation: tuple[NavEntry, ...] = ()
    calendar_source: Callable[[CalendarQuery], Iterable[CalendarEvent]] | None = None
    #: every model ``calendar_source`` reads (see above); None: not known, never cached
    calendar_models: tuple[type, ...] | None = None
    dashboard: Callable[[User], Iterable[DashboardPanel]] | None = None
    #: adds columns to the tables of a cohort's people (``PluginRegistry.person_columns``)
    person_columns: PersonColumns | None = None
    #: added as ``flask lms <name> ...``
    cli: click.Group | None = None
    #: adds this plugin's part of the demo; must be idempotent
    seed_demo: Callable[[], None] | None = None
    #: connects signals and access policies
    setup: Callable[[Flask], None] | None = None
    #: every model column that holds the sha256 of stored bytes (``Model.sha256``): the
    #: host never deletes bytes such a row refers to (``lms.uploads.referenced``)
    file_references: tuple[Any, ...] = ()
    #: the personal data it keeps (``PersonalData``), for the record of processing
    personal_data: tuple[PersonalData, ...] = ()
    #: what it asks people's consent for (``lms.consent``): texts, versions, withdrawal
    consent_purposes: tuple[ConsentPurpose, ...] = ()
    #: a person's data in this plugin's tables, for their export (Art. 15 GDPR)
    export_personal_data: Callable[[User], PersonalSection] | None = None
    #: erases a person from this plugin's tables (Art. 17 GDPR): pseudonymises what the
    #: programme's records need, deletes the rest (``lms.erasure``)
    erase_personal_data: Callable[[Erasure], None] | None = None
    #: what of this plugin's data is past its retention period on a given day
    #: (``lms.retention``)
    retention_due: Callable[[date], RetentionSection] | None = None
    extra: dict[str, Any] = field(default_factory=dict)


class PluginRegistry:
    """The loaded plugins, in an order where each comes after those it requires."""

    def __init__(self, plugins: Iterable[Plugin]):
        self._plugins = _ordered(_unique(plugins))

    def __iter__(self) -> Iterator[Plugin]:
        return iter(self._plugins)

    def __contains__(self, name: object) -> bool:
        return any(plugin.name == name for plugin in self._plugins)

    @property
    def names(self) -> list[str]:
        return [plugin.name for plugin in self._plugins]

    def navigation_for(self, user: User | None) -> list[NavEntry]:
        entries = [entry for plugin in self for entry in plugin.navigation]
        return sorted((e for e in entries if e.visible_to(user)), key=lambda e: e.order)

    def dashboard_for(self, user: User) -> list[DashboardPanel]:
        panels = [panel for plugin in self if plugin.dashboard for panel in plugin.dashboard(user)]
        return sorted(panels, key=lambda panel: panel.order)

    def person_columns(self, cohort_id: int, viewer: User) -> list[PersonColumn]:
        """Every plugin's extra columns for the tables of the people of cohort
        ``cohort_id``, in plugin order, as ``viewer`` may read them. The host knows no
        cohort: the plugin that owns a person table asks this and adds the columns."""
        return [column for plugin in self if plugin.person_columns
                for column in plugin.person_columns(cohort_id, viewer)]

    def calendar_models(self) -> tuple[type, ...] | None:
        """The models all calendar sources read, or None if a source does not name them."""
        models: list[type] = []
        for plugin in self:
            if plugin.calendar_source is None:
                continue
            if plugin.calendar_models is None:
                return None
            models += plugin.calendar_models
        return tuple(dict.fromkeys(models))

    def calendar_events(self, query: CalendarQuery) -> list[CalendarEvent]:
        """Every source's events, sorted; a source that fails is left out, not the calendar."""
        events = [event for plugin in self if plugin.calendar_source
                  for event in _source_events(plugin.name, plugin.calendar_source, query)]
        return sorted(events, key=_event_sort_key)


def _source_events(name: str, source: Callable[[CalendarQuery], Iterable[CalendarEvent]],
                   query: CalendarQuery) -> list[CalendarEvent]:
    """What plugin ``name``'s source yields, without the events no calendar can show.

    A failing source (a bug, a row it cannot read) is logged and costs its own events
    only; a savepoint keeps its failed query from spoiling the others' on PostgreSQL.
    """
    try:
        with isolated():
            events = list(source(query))
    except Exception:
        logger.exception("calendar source of plugin %r failed; its events are left out", name)
        return []
    return dated_in_window(events, f"plugin {name!r}")


def dated_in_window(events: list[CalendarEvent], source: str) -> list[CalendarEvent]:
    """``events`` without those dated outside the accepted window, which are logged.

    Old rows may hold such dates; no page or feed could convert them to Berlin time or
    give them a time zone, so they are left out rather than take the calendar down.
    """
    left_out = [event.uid for event in events if not span_in_window(event.start, event.end)]
    if not left_out:
        return events
    logger.error("calendar events of %s dated outside the accepted window are left out: %s",
                 source, ", ".join(left_out))
    return [event for event in events if event.uid not in left_out]


def _event_sort_key(event: CalendarEvent) -> tuple[str, str]:
    return (event.start.isoformat(), event.uid)


def load_plugins(app: Flask) -> PluginRegistry:
    """Load configured and entry-point plugins and register them with ``app``."""
    found = [_import_plugin(spec) for spec in app.config["PLUGINS"]]
    if app.config["LOAD_ENTRY_POINTS"]:
        found += [_checked(ep.load(), ep.value) for ep in entry_points(group=ENTRY_POINT_GROUP)]
    registry = PluginRegistry(found)
    app.extensions[EXTENSION_KEY] = registry
    for plugin in registry:
        if plugin.setup:
            plugin.setup(app)
        if plugin.blueprint:
            app.register_blueprint(plugin.blueprint, url_prefix=plugin.url_prefix)
        for blueprint, url_prefix in plugin.more_blueprints:
            app.register_blueprint(blueprint, url_prefix=url_prefix)
    return registry


def current_plugins() -> PluginRegistry:
    return current_app.extensions[EXTENSION_KEY]


def _import_plugin(spec: str) -> Plugin:
    module_name, _, attribute = spec.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise PluginError(f"plugin {spec!r} cannot be imported: {exc}") from exc
    obj = getattr(module, attribute or "plugin", None)
    return _checked(obj, spec)


def _checked(obj: object, origin: str) -> Plugin:
    if not isinstance(obj, Plugin):
        raise PluginError(f"{origin!r} does not name a lms.plugins.Plugin object")
    if obj.blueprint is not None and obj.blueprint.name != obj.name:
        raise PluginError(
            f"plugin {obj.name!r} has blueprint {obj.blueprint.name!r}; the names must match"
        )
    return obj


def _unique(plugins: Iterable[Plugin]) -> list[Plugin]:
    seen: dict[str, Plugin] = {}
    for plugin in plugins:
        other = seen.get(plugin.name)
        if other is not None and other is not plugin:
            raise PluginError(f"two different plugins are called {plugin.name!r}")
        seen[plugin.name] = plugin
    return list(seen.values())


def _ordered(plugins: list[Plugin]) -> list[Plugin]:
    by_name = {plugin.name: plugin for plugin in plugins}
    ordered: list[Plugin] = []
    done: set[str] = set()
    visiting: set[str] = set()

    def visit(plugin: Plugin) -> None:
        if plugin.name in done:
            return
        if plugin.name in visiting:
            raise PluginError(f"plugin {plugin.name!r} is part of a requirement cycle")
        visiting.add(plugin.name)
        for required in plugin.requires:
            if required not in by_name:
                raise PluginError(
                    f"plugin {plugin.name!r} requires {required!r}, which is not loaded"
                )
            visit(by_name[required])
        visiting.discard(plugin.name)
        done.add(plugin.name)
        ordered.append(plugin)

    for plugin in plugins:
        visit(plugin)
    return ordered
