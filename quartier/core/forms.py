"""Form pieces shared by the apps."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class HoneypotField(forms.CharField):
    """A field people never see (hidden by CSS, skipped by keyboard and screen readers) and
    scripts fill in. `layout/form_fields.html` renders it in a hidden box."""

    is_honeypot = True

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Leave this field empty"))
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
        )
        super().__init__(**kwargs)


class HoneypotMixin:
    """Mix into every form that anonymous visitors can send (`class F(HoneypotMixin,
    forms.Form)`): a filled honeypot makes the form
    invalid with a neutral message, so nothing is written and no mail is queued."""

    HONEYPOT_NAME = "website_url"

    fields: dict[str, forms.Field]
    data: Any

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields[self.HONEYPOT_NAME] = HoneypotField()

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean()  # type: ignore[misc]
        if self.data.get(self.add_prefix(self.HONEYPOT_NAME)):  # type: ignore[attr-defined]
            raise forms.ValidationError(
                _("The form could not be sent. Please try again."), code="honeypot"
            )
        # Not data of the form: views may pass cleaned_data on as keyword arguments.
        cleaned.pop(self.HONEYPOT_NAME, None)
        return cleaned


def add_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form that fed it: each message at its field
    where the form has that field, else among the form's own errors. The one way the views
    turn a refused write into a form error (tests/core/test_structure.py keeps it so)."""
    if hasattr(exc, "error_dict"):
        for field, messages in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, exc.messages)
