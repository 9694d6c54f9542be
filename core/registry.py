"""What each app contributes to the site shell, merged once at start-up.

An app declares its contributions in a `site` module (for example `placement/site.py`); CoreConfig.ready()
imports every installed app's `site` module and merges them here. Every name in a `site` module is optional:

- `ACCESS`: the app's rows of the access table, {URL key: audience} (accounts/access.py explains both);
- `OPTIONAL_ACCESS_KEYS`: keys of URLs that exist only when an optional integration is configured;
- `NAVIGATION`: the app's links in the main menu, as NavigationEntry items;
- `home_panels(request)` and `dashboard_panels(request)`: the Panels the app shows on those pages;
- `PERSONAL_DATA`: the app's PersonalDataContributor items, which export and erase what it holds about a
  candidate (the privacy app calls them, so it never reads another app's models itself).

This module imports no app, so any app (accounts included) may read the merged results without an import cycle,
and the shell shows every app's pages without importing any of them.
"""
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from importlib import import_module
from types import MappingProxyType, ModuleType

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from django.utils.module_loading import module_has_submodule

SITE_MODULE = "site"


@dataclass(frozen=True)
class NavigationEntry:
    """One link of the main menu; it shows only to users whom the access table lets reach `url_name`."""

    url_name: str
    label: str
    # The menu mixes entries from several apps in one order, so each entry carries its place in it.
    position: int
    # For a URL that takes arguments: return its kwargs for this request, or None to leave the link out.
    # Entries sharing one function get a single answer per request, so a lookup they all need runs once.
    url_kwargs: Callable[[HttpRequest], dict | None] | None = None
    # URL names of the pages that sit under this entry in the breadcrumb trail (besides those whose address
    # begins with the entry's), e.g. a run's page under "Placement runs".
    pages: tuple[str, ...] = ()


@dataclass(frozen=True)
class Panel:
    """A block of a shell page: a template rendered with the page's context plus the panel's own values."""

    template_name: str
    context: Mapping = field(default_factory=dict)


_site_modules: tuple[ModuleType, ...] = ()
_access_table: Mapping[str, frozenset[str]] = MappingProxyType({})
_optional_access_keys: frozenset[str] = frozenset()
_navigation: tuple[NavigationEntry, ...] = ()
_personal_data: tuple["PersonalDataContributor", ...] = ()


@dataclass(frozen=True)
class StoredFile:
    """A file in the default storage that belongs in a candidate's data archive, and its path in the archive."""

    name: str
    archive_path: str


@dataclass(frozen=True)
class PersonalData:
    """What one contributor holds about a candidate: JSON-able data and the stored files that go with it."""

    data: object
    files: tuple[StoredFile, ...] = ()


@dataclass(frozen=True)
class PersonalDataContributor:
    """One app's part of a candidate's personal data: how to export it and how to erase it.

    `export(candidate)` returns a PersonalData. `erase(candidate)` removes or blanks the rows inside the caller's
    transaction and returns the names of the files in the default storage to delete once it commits (a rollback
    must keep them). `models` names ("app_label.ModelName") every model with a foreign key to the candidate that
    the contributor answers for, whether it exports, erases or deliberately keeps it, so a test can tell when a
    new model is forgotten.
    """

    key: str
    models: tuple[str, ...]
    export: Callable[[object], PersonalData]
    erase: Callable[[object], list[str]]


def discover() -> None:
    """Import every installed app's `site` module and merge what they contribute."""
    global _site_modules, _access_table, _optional_access_keys, _navigation, _personal_data
    _site_modules = tuple(
        import_module(f"{app_config.name}.{SITE_MODULE}")
        for app_config in apps.get_app_configs()
        if module_has_submodule(app_config.module, SITE_MODULE)
    )
    _access_table = MappingProxyType(merge_access_tables(_site_modules))
    _optional_access_keys = frozenset().union(
        *(getattr(module, "OPTIONAL_ACCESS_KEYS", ()) for module in _site_modules)
    )
    _navigation = tuple(sorted(
        (entry for module in _site_modules for entry in getattr(module, "NAVIGATION", ())),
        key=lambda entry: entry.position,
    ))
    _personal_data = tuple(entry for module in _site_modules for entry in getattr(module, "PERSONAL_DATA", ()))


def merge_access_tables(site_modules: Iterable[ModuleType]) -> dict[str, frozenset[str]]:
    """Return the union of the modules' ACCESS tables; refuse a key that two modules both list."""
    merged: dict[str, frozenset[str]] = {}
    owners: dict[str, str] = {}
    for module in site_modules:
        for key, audience in getattr(module, "ACCESS", {}).items():
            if key in merged:
                raise ImproperlyConfigured(
                    f"The access-table key {key!r} is listed by both {owners[key]} and {module.__name__}; "
                    "keep it only in the site module of the app that owns the URL."
                )
            merged[key] = audience
            owners[key] = module.__name__
    return merged


def access_table() -> Mapping[str, frozenset[str]]:
    """Return the merged access table: every app's URL keys and who may reach them."""
    return _access_table


def optional_access_keys() -> frozenset[str]:
    """Return the keys of URLs that exist only when an optional integration is configured."""
    return _optional_access_keys


def navigation_entries() -> tuple[NavigationEntry, ...]:
    """Return every app's menu entries in menu order."""
    return _navigation


def personal_data_contributors() -> tuple[PersonalDataContributor, ...]:
    """Return every app's personal-data contributors, in INSTALLED_APPS order (apps a later one builds on first)."""
    return _personal_data


def home_panels(request: HttpRequest) -> list[Panel]:
    """Return every app's panels for the home page, in INSTALLED_APPS order."""
    return _panels("home_panels", request)


def dashboard_panels(request: HttpRequest) -> list[Panel]:
    """Return every app's panels for this user's dashboard, in INSTALLED_APPS order."""
    return _panels("dashboard_panels", request)


def _panels(function_name: str, request: HttpRequest) -> list[Panel]:
    return [
        panel
        for module in _site_modules if hasattr(module, function_name)
        for panel in getattr(module, function_name)(request)
    ]
