"""Forms of concerns: the public report form, the public filters, the back office's actions."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from quartier.areas.models import Area
from quartier.concerns.models import Category, NotifyChoice, RoutingRule, Status
from quartier.concerns.services import MAX_DESCRIPTION, MAX_PHOTOS
from quartier.core.forms import HoneypotMixin


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


def _areas():
    return Area.objects.public().select_related("kind").order_by("name")


class ReportForm(HoneypotMixin, forms.Form):
    category = forms.ModelChoiceField(
        Category.objects.filter(is_active=True),
        label=_("What is it about?"),
        empty_label=_("Please choose"),
        error_messages={"invalid_choice": _("Please choose one of the listed categories.")},
    )
    description = forms.CharField(
        label=_("Describe the concern"),
        max_length=MAX_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": MAX_DESCRIPTION}),
        help_text=_(
            "At most %(max)s characters. Please do not name other people or give health data."
        )
        % {"max": MAX_DESCRIPTION},
    )
    area = forms.ModelChoiceField(
        _areas(),
        required=False,
        label=_("Area"),
        empty_label=_("Choose the area, or mark the place on the map"),
        help_text=_("Not needed when you mark the place on the map or use your location."),
    )
    address = forms.CharField(
        label=_("Address or description of the place"),
        max_length=300,
        required=False,
        help_text=_("For example: Am Stern 12, stairwell B; or: the playground behind the school."),
    )
    lat = forms.FloatField(required=False, widget=forms.HiddenInput, min_value=-90, max_value=90)
    lon = forms.FloatField(required=False, widget=forms.HiddenInput, min_value=-180, max_value=180)
    photos = MultipleFileField(
        label=_("Photos (optional)"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text=_(
            "Up to %(n)s photos (JPEG, PNG or WebP). We remove the location and other data "
            "stored in the photo. Photos are seen only by the people handling your concern."
        )
        % {"n": MAX_PHOTOS},
    )
    contact_consent = forms.BooleanField(
        required=False,
        label=_(
            "I would like answers by e-mail. My name and e-mail address are stored for this "
            "and deleted at the latest 180 days after the concern is closed."
        ),
    )
    reporter_name = forms.CharField(label=_("Your name (optional)"), max_length=150, required=False)
    reporter_email = forms.EmailField(label=_("Your e-mail address"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("contact_consent") and not data.get("reporter_email"):
            self.add_error(
                "reporter_email",
                _("Please give an e-mail address for replies, or untick the box above."),
            )
        return data


class FilterForm(forms.Form):
    """The public list's and map's filters (also the GeoJSON's query parameters)."""

    area = forms.ModelChoiceField(
        _areas(), to_field_name="slug", required=False, label=_("Area"), empty_label=_("all areas")
    )
    category = forms.ModelChoiceField(
        Category.objects.all(),
        to_field_name="slug",
        required=False,
        label=_("Category"),
        empty_label=_("all categories"),
    )
    status = forms.ChoiceField(
        choices=[("", _("any status"))] + [c for c in Status.choices if c[0] != Status.MERGED],
        required=False,
        label=_("Status"),
    )


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        choices=[c for c in Status.choices if c[0] != Status.MERGED], label=_("New status")
    )
    forwarded_to = forms.CharField(
        label=_("Forwarded to (administration unit, housing company, ...)"),
        max_length=300,
        required=False,
    )
    forwarded_on = forms.DateField(
        label=_("Forwarded on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=MAX_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    note_public = forms.BooleanField(
        label=_("Show the note on the public page (and mail it to the reporter)"),
        required=False,
        initial=True,
    )


class AnswerForm(forms.Form):
    text = forms.CharField(
        label=_("Answer"), max_length=MAX_DESCRIPTION, widget=forms.Textarea(attrs={"rows": 4})
    )
    is_public = forms.BooleanField(
        label=_("Public answer (shown on the public page and mailed to the reporter)"),
        required=False,
    )


class MergeForm(forms.Form):
    into = forms.IntegerField(
        label=_("Number of the concern this one duplicates (the part after the dash)"),
        min_value=1,
    )


class AgendaForm(forms.Form):
    meeting = forms.ModelChoiceField(queryset=None, label=_("Meeting"))

    def __init__(self, *args, meetings=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings


class RuleForm(forms.ModelForm):
    class Meta:
        model = RoutingRule
        fields = ["area", "category", "body", "organisation", "person"]

    def clean(self):
        data = super().clean()
        if not (data.get("body") or data.get("organisation") or data.get("person")):
            raise forms.ValidationError(
                _("Name the body, organisation or contact person responsible.")
            )
        return data


class ClientForm(forms.Form):
    name = forms.CharField(label=_("Name of the app"), max_length=200)
    contact = forms.CharField(label=_("Contact of its operator"), max_length=300, required=False)


class SettingForm(forms.Form):
    notify = forms.ChoiceField(choices=NotifyChoice.choices, label=_("Tell me of new concerns"))
