"""The structure, guarded: an app imports only from the apps before it, and other apps reach
the search only through its front door.

The order is settings.INSTALLED_APPS (the README's order), read at test time, so a new app is
covered as soon as it is installed (an app nested in another's package, such as api.hsds,
counts as part of that one). Every import statement of the package counts, also those
inside functions and under `if TYPE_CHECKING:`. The one reference back that
docs/architecture.md allows is no import: accounts.RoleAssignment names areas and
organisations by string, and `test_model_relations_follow_the_app_order` lets exactly that one
through.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings

import quartier

PACKAGE = Path(quartier.__file__).resolve().parent
ROOT = PACKAGE.parent
SEARCH = "quartier.search"
# What other apps may import of the search: its services (docs/architecture.md, "Search").
SEARCH_FRONT_DOOR = frozenset({"quartier.search.services"})
# (model, field) -> the later app the relation may point to (docs/architecture.md).
ALLOWED_BACK_REFERENCES = {
    ("accounts.RoleAssignment", "area"): "areas",
    ("accounts.RoleAssignment", "organisation"): "directory",
}


def our_apps() -> list[str]:
    return [name for name in settings.INSTALLED_APPS if name.startswith("quartier.")]


@dataclass(frozen=True)
class Import:
    path: str  # the importing file, relative to the repository
    line: int
    module: str  # the importing module
    target: str  # the imported module


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def is_module(name: str) -> bool:
    """Whether `name` is a module or package of this repository's `quartier` package."""
    base = ROOT.joinpath(*name.split("."))
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


def imports_of(source: str, module: str, path: str, *, package: bool = False) -> Iterator[Import]:
    """The modules of `quartier` that `source` imports (`from x import y` counts as x.y when
    y is a module, else as x)."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: resolved against the importing package
                parent = module.split(".")
                parent = parent if package else parent[:-1]
                parent = parent[: len(parent) - (node.level - 1)]
                base = ".".join([*parent, base] if base else parent)
            targets = [
                f"{base}.{alias.name}" if is_module(f"{base}.{alias.name}") else base
                for alias in node.names
            ]
        else:
            continue
        for target in targets:
            if target == "quartier" or target.startswith("quartier."):
                yield Import(path, node.lineno, module, target)


def package_imports() -> list[Import]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        found += imports_of(
            path.read_text(encoding="utf-8"),
            module_name(path),
            str(path.relative_to(ROOT)),
            package=path.name == "__init__.py",
        )
    return found


def app_of(module: str, order: list[str]) -> str | None:
    """The installed app a module belongs to, None for the project's own modules (settings,
    urls, ...). An app inside another app's package belongs to that one: `api.hsds` is part of
    `api`, as the README's table says (the standard APIs live in the api app)."""
    owners = [app for app in order if module == app or module.startswith(app + ".")]
    return min(owners, key=len) if owners else None


def order_violations(found: list[Import], order: list[str]) -> list[str]:
    position = {app: number for number, app in enumerate(order)}
    problems = []
    for item in found:
        importer, imported = app_of(item.module, order), app_of(item.target, order)
        if importer and imported and position[imported] > position[importer]:
            problems.append(
                f"{item.path}:{item.line}: {importer} imports {item.target}, "
                f"but {imported} comes after {importer} in INSTALLED_APPS"
            )
    return problems


def search_violations(found: list[Import]) -> list[str]:
    problems = []
    for item in found:
        inside = item.module == SEARCH or item.module.startswith(SEARCH + ".")
        internal = item.target == SEARCH or item.target.startswith(SEARCH + ".")
        if internal and not inside and item.target not in SEARCH_FRONT_DOOR:
            problems.append(
                f"{item.path}:{item.line}: {item.module} imports {item.target}, an internal "
                f"module of the search; use {', '.join(sorted(SEARCH_FRONT_DOOR))}"
            )
    return problems


def test_apps_import_only_apps_before_them():
    problems = order_violations(package_imports(), our_apps())
    assert not problems, "\n".join(["Imports against the app order:", *problems])


def test_other_apps_use_the_search_through_its_services():
    problems = search_violations(package_imports())
    assert not problems, "\n".join(["Imports of the search's internals:", *problems])


def test_model_relations_follow_the_app_order():
    """Relations by string are no imports: a foreign key to a later app is caught here."""
    order = our_apps()
    position = {
        config.label: order.index(app_of(config.name, order))
        for config in apps.get_app_configs()
        if app_of(config.name, order)
    }
    problems = []
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.app_label
        # A history table (django-simple-history) follows the model it records.
        recorded = getattr(model, "instance_type", model)._meta.label
        for field in model._meta.get_fields():
            if not field.is_relation or field.auto_created or field.related_model is None:
                continue
            target = field.related_model._meta.app_label
            if label not in position or target not in position:
                continue
            if position[target] <= position[label]:
                continue
            if ALLOWED_BACK_REFERENCES.get((recorded, field.name)) == target:
                continue
            problems.append(f"{model._meta.label}.{field.name} refers to {target}")
    assert not problems, "\n".join(["Model relations against the app order:", *problems])


# The checks above must be able to fail: they are run on made-up modules here.
ORDER = ["quartier.core", "quartier.offers", "quartier.search", "quartier.alerts"]


def _found(module: str, source: str, *, package: bool = False) -> list[Import]:
    return list(imports_of(source, module, module.replace(".", "/") + ".py", package=package))


def test_the_order_check_finds_an_import_of_a_later_app():
    found = _found(
        "quartier.offers.selectors",
        "from quartier.core import geo\n"
        "def f():\n"
        "    from quartier.alerts.models import Subscription\n",
    )
    assert order_violations(found, ORDER) == [
        "quartier/offers/selectors.py:3: quartier.offers imports quartier.alerts.models, "
        "but quartier.alerts comes after quartier.offers in INSTALLED_APPS"
    ]


def test_the_order_check_reads_relative_imports():
    found = _found("quartier.offers", "from ..alerts import models\n", package=True)
    assert [item.target for item in found] == ["quartier.alerts.models"]
    assert len(order_violations(found, ORDER)) == 1


def test_the_search_check_allows_only_the_services():
    found = _found(
        "quartier.alerts.selectors",
        "from quartier.search import services\n"
        "from quartier.search.services import search_offers\n"
        "import quartier.search.facetindex\n"
        "from quartier.search import analysis\n",
    )
    problems = search_violations(found)
    assert [problem.split(":")[1] for problem in problems] == ["3", "4"]
    assert not search_violations(_found("quartier.search.views", "from . import facetindex\n"))


# Django internals the search once reached into; the search uses public APIs only.
PRIVATE_DJANGO_ATTRIBUTES = frozenset(
    {"_result_cache", "_prefetch_done", "_prefetched_objects_cache", "_choices", "_state"}
)


def private_attributes(source: str) -> list[tuple[int, str]]:
    """(line, name) of every `x._name` in `source` that is one of Django's private attributes."""
    return [
        (node.lineno, node.attr)
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Attribute) and node.attr in PRIVATE_DJANGO_ATTRIBUTES
    ]


def test_the_search_uses_no_private_django_attributes():
    found = [
        f"{path.relative_to(ROOT)}:{line}: {name}"
        for path in sorted((PACKAGE / "search").rglob("*.py"))
        for line, name in private_attributes(path.read_text())
    ]
    assert found == []


def test_the_private_attribute_check_finds_one():
    assert private_attributes("qs = x.all()\nqs._result_cache = []\n") == [(2, "_result_cache")]


# Where a service's ValidationError may be taken apart by its `error_dict`: the forms' one
# helper (core.forms.add_service_errors) and the JSON API's error handler. Eleven copies of
# the helper lived in the views before.
ERROR_DICT_READERS = {"quartier/core/forms.py", "quartier/api/base.py"}


def error_dict_readers(source: str) -> list[int]:
    """Lines of `source` that ask whether an exception has an `error_dict`."""
    return [
        node.lineno
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "hasattr"
        and len(node.args) == 2
        and isinstance(node.args[1], ast.Constant)
        and node.args[1].value == "error_dict"
    ]


def test_views_show_service_errors_through_the_one_helper():
    found = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if "migrations" not in path.parts and str(path.relative_to(ROOT)) not in ERROR_DICT_READERS
        for line in error_dict_readers(path.read_text())
    ]
    assert found == [], "use quartier.core.forms.add_service_errors"


def test_the_error_dict_check_finds_a_copy():
    source = 'def f(form, exc):\n    if hasattr(exc, "error_dict"):\n        pass\n'
    assert error_dict_readers(source) == [2]
