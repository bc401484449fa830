"""Data subjects' rights (DSGVO Art. 15, 17, 20, 30) as one registry every app contributes to.

Each app that holds personal data has a module `quartier.<app>.privacy` (found by app label,
like `retention.py`) with:

- `CATEGORIES`: a list of `Category` (what is stored, why, about whom, who receives it, how
  long it is kept, the legal basis). The processing register (Art. 30) is built from these
  (`register()`), shown to admins in the back office and by `quartier privacy_register`.
- `export(subject) -> dict[str, list[dict]]`: every record tied to the person, by category
  key, as JSON-ready dicts (strings, numbers, booleans, None; times as ISO strings).
- `erase(subject) -> dict[str, int]`: delete (or, where a row must stay for statistics or
  another person's record, anonymise) everything tied to the person; returns the number of
  rows per category key. Called inside one transaction with every other app's `erase`, in
  reverse app order (later apps first, so the account goes last).

A `Subject` is an e-mail address plus the account with that address, if any. Apps match their
rows by the account and, case-insensitively, by the address: a registration made without
logging in belongs to the person as much as one made with the account.

`export_data()` and `erase_data()` run every app's hook; `accounts/privacy_views.py` offers them
to account holders, to people without an account (confirmed by a mailed link) and to admins
(for a request received by letter, recorded as an `accounts.PrivacyRequest`).
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from django.apps import apps
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.functional import Promise

# Addresses of anonymised rows that must keep a (unique) e-mail value: the reserved top-level
# domain "invalid" (RFC 2606) can never receive mail.
ERASED_DOMAIN = "erased.invalid"


def erased_address(pk: Any) -> str:
    return f"erased-{pk}@{ERASED_DOMAIN}"


def address_digest(email: str) -> str:
    """A keyed hash of an address, for records of requests that must not hold the address."""
    return salted_hmac(
        "quartier.privacy.address", email.strip().lower(), algorithm="sha256"
    ).hexdigest()


@dataclass(frozen=True)
class Category:
    """One kind of personal data an app processes (one line of the processing register)."""

    key: str
    name: str | Promise
    purpose: str | Promise
    data: str | Promise
    subjects: str | Promise
    recipients: str | Promise
    retention: str | Promise
    legal_basis: str | Promise = ""
    # What stays (anonymised) after an erasure request, if anything.
    kept: str | Promise = ""


@dataclass
class Subject:
    """The person whose data are exported or erased."""

    email: str
    user: Any = None
    # True when the person is logged in to the account (second factor included): only then
    # may an account with a role or admin rights be deleted.
    logged_in: bool = False
    notes: list[str] = field(default_factory=list)

    @classmethod
    def for_user(cls, user: Any) -> Subject:
        return cls(email=user.email.strip().lower(), user=user, logged_in=True)

    @classmethod
    def for_email(cls, email: str) -> Subject:
        """The address and the account that has it (an address proven by a mailed link or
        a letter covers the account too: its owner could reset the password with it)."""
        user_model = apps.get_model("accounts", "User")
        email = email.strip().lower()
        return cls(email=email, user=user_model.objects.filter(email__iexact=email).first())


def hooks() -> list[tuple[str, ModuleType]]:
    """(app label, privacy module) in app order."""
    found = []
    for config in apps.get_app_configs():
        # core.privacy is this registry itself.
        if not config.name.startswith("quartier.") or config.name == "quartier.core":
            continue
        try:
            module = importlib.import_module(f"{config.name}.privacy")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.privacy":
                raise
            continue
        found.append((config.label, module))
    return found


def categories() -> list[tuple[str, Category]]:
    return [(label, c) for label, module in hooks() for c in getattr(module, "CATEGORIES", [])]


def value(obj: Any) -> Any:
    """A JSON-ready value."""
    if isinstance(obj, dt.datetime | dt.date | dt.time):
        return obj.isoformat()
    if isinstance(obj, Promise):
        return str(obj)
    if isinstance(obj, Model):
        return str(obj)
    if obj is None or isinstance(obj, bool | int | float | str):
        return obj
    return str(obj)


def rows(objects: Iterable[Any], fields: Iterable[str | tuple[str, Callable[[Any], Any]]]) -> list:
    """Export helper: each object as {field: value}; a field is a name (dotted paths follow
    relations) or (label, function of the object)."""
    result = []
    fields = list(fields)
    for obj in objects:
        item = {}
        for spec in fields:
            if isinstance(spec, tuple):
                label, fetch = spec
                item[label] = value(fetch(obj))
                continue
            current = obj
            for part in spec.split("."):
                current = getattr(current, part, None) if current is not None else None
            item[spec] = value(current)
        result.append(item)
    return result


def export_data(subject: Subject) -> dict[str, Any]:
    """Everything every app holds about the subject, as one JSON-ready document."""
    names = {c.key: str(c.name) for _label, c in categories()}
    data: dict[str, Any] = {}
    for _label, module in hooks():
        for key, items in module.export(subject).items():
            if items:
                data[key] = {"name": names.get(key, key), "records": items}
    return {
        "created_at": timezone.now().isoformat(),
        "email": subject.email,
        "account": subject.user.username if subject.user is not None else None,
        "data": data,
    }


def count(export: dict[str, Any]) -> int:
    return sum(len(part["records"]) for part in export["data"].values())


@transaction.atomic
def erase_data(subject: Subject) -> dict[str, int]:
    """Erase everything tied to the subject in every app (later apps first: the account,
    which other rows may point to, goes last). Returns rows per category key."""
    counts: dict[str, int] = {}
    for _label, module in reversed(hooks()):
        for key, number in module.erase(subject).items():
            counts[key] = counts.get(key, 0) + number
    return counts


def register() -> list[dict[str, str]]:
    """The processing register (Verzeichnis von Verarbeitungstätigkeiten, Art. 30): one entry
    per category, with the retention rule of the app's retention.py named where it has one."""
    entries = []
    for label, category in categories():
        retention_module = _retention(label)
        entries.append(
            {
                "app": label,
                "key": category.key,
                "name": str(category.name),
                "purpose": str(category.purpose),
                "data": str(category.data),
                "subjects": str(category.subjects),
                "recipients": str(category.recipients),
                "retention": str(category.retention),
                "legal_basis": str(category.legal_basis),
                "kept": str(category.kept),
                "applied_by": (
                    f"quartier purge_personal_data ({retention_module})" if retention_module else ""
                ),
            }
        )
    return entries


def _retention(label: str) -> str:
    config = apps.get_app_config(label)
    try:
        importlib.import_module(f"{config.name}.retention")
    except ModuleNotFoundError as exc:
        if exc.name != f"{config.name}.retention":
            raise
        return ""
    return f"{config.name}.retention"
