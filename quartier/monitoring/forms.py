from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Semicolon separated, decimal comma, UTF-8 or Windows-1252. Columns: area (official "
            "key or address), year, then indicator and value, or one column per indicator key."
        ),
    )
    dry_run = forms.BooleanField(label=_("Only check, do not save"), required=False)
