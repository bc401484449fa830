from __future__ import annotations

import json
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from shapely.geometry import mapping

from quartier.accounts.rules import is_platform_admin
from quartier.areas.models import Area, Coverage
from quartier.areas.rules import managed_area_ids
from quartier.areas.selectors import descendant_ids
from quartier.core import geo
from quartier.core.text import unique_slug


def parent_choices(user, area: Area | None):
    """Areas the user may link as parents: all (admins) or the managed ones (planners), never
    the area itself or one below it (that would make a cycle)."""
    areas = Area.objects.select_related("kind").order_by("kind__level", "name")
    if not is_platform_admin(user):
        areas = areas.filter(pk__in=managed_area_ids(user))
    if area is not None and area.pk:
        areas = areas.exclude(pk__in=descendant_ids([area.pk]))
    return areas


class AreaForm(forms.ModelForm):
    boundary_text = forms.CharField(
        label=_("Boundary (GeoJSON)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
        help_text=_(
            "Paste a GeoJSON Polygon, MultiPolygon, Feature or FeatureCollection (the first "
            "feature is used), coordinates in WGS 84 as longitude, latitude. Leave empty for no "
            "boundary."
        ),
    )
    boundary_file = forms.FileField(
        label=_("…or upload a GeoJSON file"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".geojson,.json,application/geo+json"}),
    )
    parents_full = forms.ModelMultipleChoiceField(
        queryset=Area.objects.none(),
        required=False,
        label=_("Lies completely in"),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    parents_partial = forms.ModelMultipleChoiceField(
        queryset=Area.objects.none(),
        required=False,
        label=_("Lies partly in"),
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("For example a Verbandsgemeinde that only partly belongs to a Sozialraum."),
    )

    class Meta:
        model = Area
        fields = [
            "kind",
            "name",
            "slug",
            "official_key",
            "description",
            "boundary_note",
            "centre_lat",
            "centre_lon",
            "is_public",
        ]

    def __init__(self, *args: Any, user, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["slug"].required = False
        self.fields["slug"].help_text = _("Part of the web address; made from the name if empty.")
        choices = parent_choices(user, self.instance if self.instance.pk else None)
        self.fields["parents_full"].queryset = choices
        self.fields["parents_partial"].queryset = choices
        if self.instance.pk:
            links = list(self.instance.parent_links.all())
            self.initial["parents_full"] = [
                link.parent_id for link in links if link.coverage == Coverage.FULL
            ]
            self.initial["parents_partial"] = [
                link.parent_id for link in links if link.coverage == Coverage.PARTIAL
            ]
            if self.instance.boundary:
                self.initial["boundary_text"] = json.dumps(self.instance.boundary)

    def clean_slug(self) -> str:
        slug = self.cleaned_data.get("slug")
        if slug:
            return slug
        name = self.cleaned_data.get("name") or ""
        own = self.instance.pk
        return unique_slug(
            name, lambda s: Area.objects.filter(slug=s).exclude(pk=own).exists(), max_length=200
        )

    def clean_boundary_file(self) -> str | None:
        upload = self.cleaned_data.get("boundary_file")
        if not upload:
            return None
        if upload.size > settings.QUARTIER_MAX_UPLOAD_BYTES:
            raise ValidationError(_("The file is too large."))
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ValidationError(_("The file is not a UTF-8 text file.")) from exc

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        self._clean_boundary(data)
        full = set(data.get("parents_full") or [])
        partial = set(data.get("parents_partial") or [])
        if full & partial:
            self.add_error(
                "parents_partial",
                _("An area cannot lie both completely and partly in the same area."),
            )
        self.parents = {area.pk: Coverage.FULL for area in full} | {
            area.pk: Coverage.PARTIAL for area in partial
        }
        if not is_platform_admin(self.user) and not self.parents:
            own_roots = set(
                self.user.role_assignments.filter(role="planner").values_list("area_id", flat=True)
            )
            if self.instance.pk not in own_roots:
                self.add_error(
                    "parents_full", _("Choose at least one parent area that you manage.")
                )
        return data

    def _clean_boundary(self, data: dict[str, Any]) -> None:
        source_field = "boundary_file" if data.get("boundary_file") else "boundary_text"
        text = (data.get("boundary_file") or data.get("boundary_text") or "").strip()
        if not text:
            self.instance.boundary = None
            return
        try:
            parsed = json.loads(text)
        except ValueError:
            self.add_error(source_field, _("This is not valid JSON."))
            return
        try:
            geometry = geo.geometry_from_geojson(parsed)
        except ValidationError as exc:
            self.add_error(source_field, exc)
            return
        # Store the bare geometry (a Feature's properties are not ours to keep), as plain lists.
        self.instance.boundary = json.loads(json.dumps(mapping(geometry)))
