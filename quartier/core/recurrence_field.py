"""A form field for recurrences in plain terms: people choose "every second week on Tuesday
and Thursday, until 30 June" and the form gets the RRULE (quartier/core/recurrence.py).

The field's value is a `recurrence.Plain` (or "" for "does not repeat"); the form, which knows
the first date, turns it into a rule with `rule_for(value, start)`. A rule posted as text
(FREQ=...; older forms, scripts) is still accepted, checked by `recurrence.check`.

Rendered as a group of ordinary controls (select, number, checkboxes, date) that work without
JavaScript: the first is named like the field, the others `<name>_interval`, `<name>_days`,
`<name>_nth`, `<name>_ends`, `<name>_until`, `<name>_count`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from quartier.core import recurrence
from quartier.core.recurrence import WEEKDAYS, Plain

MAX_COUNT = 500


def kind_choices(*, optional: bool) -> list[tuple[str, Any]]:
    choices = [
        ("daily", _("every day")),
        ("weekly", _("every week (on the weekdays chosen below)")),
        ("biweekly", _("every second week")),
        ("monthly_nth", _("every month on the same weekday (for example the second Tuesday)")),
        ("monthly", _("every month on the same date")),
    ]
    return [("", _("does not repeat")), *choices] if optional else choices


def day_choices() -> list[tuple[str, Any]]:
    names = [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")]
    return list(zip(WEEKDAYS, names, strict=True))


def nth_choices() -> list[tuple[str, Any]]:
    return [
        ("", _("as on the first date")),
        ("1", _("first")),
        ("2", _("second")),
        ("3", _("third")),
        ("4", _("fourth")),
        ("-1", _("last")),
    ]


def end_choices() -> list[tuple[str, Any]]:
    return [
        ("never", _("no end")),
        ("until", _("on a date")),
        ("count", _("after a number of dates")),
    ]


class RecurrenceWidget(forms.Widget):
    template_name = "core/widgets/recurrence.html"

    def __init__(self, *, optional: bool = True, ends: bool = True, attrs=None) -> None:
        super().__init__(attrs)
        self.optional = optional
        self.ends = ends

    def value_from_datadict(self, data, files, name: str) -> dict[str, Any]:
        days = data.getlist(f"{name}_days") if hasattr(data, "getlist") else []
        return {
            "kind": data.get(name, ""),
            "interval": data.get(f"{name}_interval", ""),
            "days": days,
            "nth": data.get(f"{name}_nth", ""),
            "ends": data.get(f"{name}_ends", ""),
            "until": data.get(f"{name}_until", ""),
            "count": data.get(f"{name}_count", ""),
        }

    def value_omitted_from_data(self, data, files, name: str) -> bool:
        return name not in data

    def format_value(self, value: Any) -> dict[str, Any]:
        if isinstance(value, dict):
            return value
        if isinstance(value, str):
            plain = recurrence.plain_from_rule(value)
            if plain is None:  # a rule the choices cannot show: kept as text
                return {"kind": value}
            value = plain
        if isinstance(value, Plain):
            ends = "until" if value.until else "count" if value.count else "never"
            return {
                "kind": value.kind,
                "interval": value.interval,
                "days": list(value.weekdays),
                "nth": str(value.nth) if value.nth else "",
                "ends": ends,
                "until": value.until.isoformat() if value.until else "",
                "count": value.count or "",
            }
        return {}

    def get_context(self, name: str, value: Any, attrs) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        current = self.format_value(value)
        kinds = kind_choices(optional=self.optional)
        raw = current.get("kind", "")
        if raw and raw not in dict(kinds):  # a rule as text: offered as it is
            kinds = [(raw, recurrence.describe(raw)), *kinds]
        context["recurrence"] = {
            "kinds": kinds,
            "days": day_choices(),
            "nths": nth_choices(),
            "ends_choices": end_choices() if self.ends else [],
            "value": {
                "kind": raw,
                "interval": current.get("interval") or 1,
                "days": current.get("days") or [],
                "nth": current.get("nth", ""),
                "ends": current.get("ends") or "never",
                "until": current.get("until", ""),
                "count": current.get("count", ""),
            },
        }
        return context


class RecurrenceField(forms.Field):
    """A recurrence chosen in plain terms; cleans to a `Plain`, a checked rule text, or ""."""

    default_error_messages = {
        "required": _("Choose how often it repeats."),
        "kind": _("Choose one of the offered repetitions."),
        "interval": _("Enter a whole number from 1 to 52 for the interval."),
        "until": _("Enter the last date, or choose another end."),
        "count": _("Enter how many dates (1 to %(max)s), or choose another end."),
    }

    def __init__(self, *, ends: bool = True, **kwargs: Any) -> None:
        required = kwargs.get("required", True)
        self.ends = ends
        kwargs.setdefault("widget", RecurrenceWidget(optional=not required, ends=ends))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Plain | str:
        if not isinstance(value, dict):
            value = RecurrenceWidget().format_value(value)
        kind = (value.get("kind") or "").strip()
        if not kind:
            return ""
        if kind.upper().removeprefix("RRULE:").startswith("FREQ="):
            return recurrence.check(kind)
        if kind not in {key for key, _label in kind_choices(optional=False)}:
            raise ValidationError(self.error_messages["kind"], code="kind")
        return Plain(
            kind="weekly" if kind == "biweekly" else kind,
            interval=2 if kind == "biweekly" else self._interval(value.get("interval")),
            weekdays=tuple(day for day in value.get("days") or [] if day in WEEKDAYS),
            nth=self._nth(value.get("nth")),
            **self._end(value) if self.ends else {},
        )

    def _interval(self, raw: Any) -> int:
        try:
            interval = int(raw or 1)
        except (TypeError, ValueError):
            raise ValidationError(self.error_messages["interval"], code="interval") from None
        if not 1 <= interval <= 52:
            raise ValidationError(self.error_messages["interval"], code="interval")
        return interval

    @staticmethod
    def _nth(raw: Any) -> int:
        return int(raw) if str(raw) in {"1", "2", "3", "4", "-1"} else 0

    def _end(self, value: dict[str, Any]) -> dict[str, Any]:
        ends = value.get("ends") or "never"
        if ends == "until":
            try:
                return {"until": dt.date.fromisoformat(str(value.get("until") or ""))}
            except ValueError:
                raise ValidationError(self.error_messages["until"], code="until") from None
        if ends == "count":
            try:
                count = int(value.get("count") or 0)
            except (TypeError, ValueError):
                count = 0
            if not 1 <= count <= MAX_COUNT:
                raise ValidationError(
                    self.error_messages["count"], code="count", params={"max": MAX_COUNT}
                )
            return {"count": count}
        return {}

    def validate(self, value: Plain | str) -> None:
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")


def rule_for(value: Plain | str | None, start: dt.datetime | None) -> str:
    """The RRULE of a cleaned RecurrenceField value for a series beginning at `start`."""
    if not value:
        return ""
    if isinstance(value, str):
        return value
    return recurrence.check(recurrence.build(value, start))
