"""The demo data framework: `quartier seed_demo` calls each app's `demo.load(ctx)` in app order.

Apps share objects through `ctx` (for example `ctx.areas["trier"]`), and write the demo logins
they create into `ctx.logins` so that the command can print them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import models

from quartier.core.registry import app_modules

DEMO_PASSWORD = "quartier-demo"


@dataclass
class DemoContext:
    areas: dict[str, Any] = field(default_factory=dict)
    organisations: dict[str, Any] = field(default_factory=dict)
    people: dict[str, Any] = field(default_factory=dict)
    users: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    # (role, username, what the login shows)
    logins: list[tuple[str, str, str]] = field(default_factory=list)
    verbosity: int = 1

    def log(self, message: str) -> None:
        if self.verbosity > 1:
            print(message)


def _snapshot(obj: Any) -> dict[str, Any]:
    # updated_at changes on every save by design; it is not a change of the data.
    return {
        f.attname: getattr(obj, f.attname)
        for f in obj._meta.concrete_fields
        if f.attname != "updated_at"
    }


def upsert(
    model: type[models.Model],
    *,
    lookup: dict[str, Any],
    values: dict[str, Any] | None = None,
    clean: bool = True,
) -> models.Model:
    """Create or update the object found by `lookup`, saving only when something changed.

    `update_or_create` saves on every call, which writes a new django-simple-history row each
    time; demo loading must be idempotent down to the history tables, so unchanged objects are
    left alone. With `clean`, `full_clean()` runs first (it derives fields such as an area's
    bounding box, so those are compared too).
    """
    found = model._default_manager.filter(**lookup).first()
    created = found is None
    obj = model(**lookup) if found is None else found
    before = None if created else _snapshot(obj)
    for name, value in (values or {}).items():
        setattr(obj, name, value)
    if clean:
        obj.full_clean()
    if created or _snapshot(obj) != before:
        obj.save()
    return obj


def load_all(ctx: DemoContext) -> DemoContext:
    """Call every Quartier app's `demo.load(ctx)` in app (dependency) order."""
    for _config, module in app_modules("demo"):
        if hasattr(module, "load"):
            module.load(ctx)
    return ctx
