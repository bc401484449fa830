from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from quartier.accounts.forms import RoleAssignmentForm
from quartier.accounts.models import Role
from quartier.accounts.rules import is_platform_admin
from quartier.areas.models import Area
from quartier.areas.rules import managed_area_ids
from quartier.core.geo import validate_lat_lon
from quartier.core.text import unique_slug
from quartier.directory.models import (
    Organisation,
    OrganisationKind,
    PartnerNote,
    Person,
    Position,
)
from quartier.directory.rules import AREA_ROLES


class OrganisationForm(forms.ModelForm):
    website = forms.URLField(
        label=_("website"), required=False, max_length=200, assume_scheme="https"
    )

    class Meta:
        model = Organisation
        fields = [
            "name",
            "slug",
            "kind",
            "parent",
            "description",
            "street",
            "postcode",
            "city",
            "lat",
            "lon",
            "areas",
            "website",
            "email",
            "phone",
            "internal_notes",
            "is_active",
        ]
        widgets = {
            "areas": forms.SelectMultiple(attrs={"size": 10}),
            "description": forms.Textarea(attrs={"rows": 4}),
            "internal_notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, user, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["slug"].required = False
        self.fields["slug"].help_text = _("Part of the web address; made from the name if empty.")
        self.fields["internal_notes"].help_text = _(
            "Only visible in the back office, to everyone who may edit the organisation "
            "(its own editors too). Notes on the cooperation go into the partner notes."
        )
        self.fields["lat"].help_text = _(
            "Leave latitude and longitude empty to have the point looked up from the address."
        )
        parents = Organisation.objects.active().order_by("name")
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents
        areas = Area.objects.select_related("kind").order_by("kind__level", "name")
        if not is_platform_admin(user):
            current = (
                list(self.instance.areas.values_list("pk", flat=True)) if self.instance.pk else []
            )
            areas = areas.filter(
                Q(is_public=True) | Q(pk__in=managed_area_ids(user)) | Q(pk__in=current)
            )
        self.fields["areas"].queryset = areas

    def clean_slug(self) -> str:
        slug = self.cleaned_data.get("slug")
        if slug:
            return slug
        own = self.instance.pk
        return unique_slug(
            self.cleaned_data.get("name") or "",
            lambda s: Organisation.objects.filter(slug=s).exclude(pk=own).exists(),
            max_length=250,
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        lat, lon = data.get("lat"), data.get("lon")
        if (lat is None) != (lon is None):
            self.add_error("lon", _("Give both latitude and longitude, or neither."))
        elif lat is not None:
            try:
                validate_lat_lon(lat, lon)
            except forms.ValidationError as exc:
                self.add_error("lat", exc)
        return data


class PartnerNoteForm(forms.ModelForm):
    """A staff note on a partner. Dates are optional; at least one of the texts or the date
    of the last contact says something."""

    class Meta:
        model = PartnerNote
        fields = ["kind", "last_contact", "agreements", "next_step", "follow_up"]
        widgets = {
            "last_contact": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "follow_up": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "agreements": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "agreements": _(
                "About the cooperation only: no names or details of clients, families or "
                "children (no case data). Seen by the staff of the organisation's areas, "
                "never by the organisation itself or the public."
            ),
            "follow_up": _("When to get back in touch (optional)."),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not (
            (data.get("agreements") or "").strip()
            or (data.get("next_step") or "").strip()
            or data.get("last_contact")
        ):
            raise forms.ValidationError(
                _("Give the date of the last contact, the agreements or the next step.")
            )
        last, follow = data.get("last_contact"), data.get("follow_up")
        if last and last > timezone.localdate():
            self.add_error("last_contact", _("The last contact cannot be in the future."))
        if last and follow and follow < last:
            self.add_error("follow_up", _("The follow-up cannot be before the last contact."))
        return data


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = [
            "title",
            "given_name",
            "family_name",
            "email",
            "email_public",
            "phone",
            "phone_public",
            "mobile",
            "mobile_public",
            "office_hours",
            "office_hours_public",
        ]


class PositionForm(forms.ModelForm):
    class Meta:
        model = Position
        fields = ["role", "is_public", "start_date"]
        widgets = {"start_date": forms.DateInput(attrs={"type": "date"})}


class OrganisationFilterForm(forms.Form):
    """The public index of organisations (/organisationen/): words, area and kind."""

    q = forms.CharField(label=_("Search for"), required=False, max_length=100, strip=True)
    area = forms.ModelChoiceField(
        Area.objects.public().order_by("name"),
        to_field_name="slug",
        required=False,
        label=_("Area"),
        empty_label=_("all areas"),
    )
    kind = forms.ChoiceField(
        choices=[("", _("all kinds")), *OrganisationKind.choices],
        required=False,
        label=_("Kind"),
    )


class AreaRoleForm(RoleAssignmentForm):
    """A planner's form: editor or coordinator, for their areas and the organisations there."""

    def __init__(self, *args: Any, areas: QuerySet, organisations: QuerySet, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [
            (value, label) for value, label in Role.choices if value in AREA_ROLES
        ]
        self.fields["area"].queryset = areas
        self.fields["area"].help_text = _("One of your areas; optional for coordinators.")
        self.fields["organisation"].queryset = organisations
        self.fields["organisation"].help_text = _(
            "An organisation working in your areas; needed for editors."
        )
