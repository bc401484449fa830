from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from quartier.areas.models import Area
from quartier.areas.selectors import descendant_ids
from quartier.directory.models import Organisation
from quartier.networks.models import Topic
from quartier.statements.models import MAX_TEXT, State
from quartier.statements.services import MAX_COMMENT


class StatementForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    topic = forms.ModelChoiceField(
        label=_("Topic"), queryset=Topic.objects.order_by("name"), required=False
    )
    areas = forms.ModelMultipleChoiceField(
        label=_("Areas"),
        queryset=Area.objects.none(),
        required=False,
        help_text=_("The areas the statement is about (those of the body and below)."),
    )
    text = forms.CharField(
        label=_("Text"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 18})
    )
    note = forms.CharField(label=_("What changed (optional)"), max_length=300, required=False)

    def __init__(self, *args, body, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        area_ids = descendant_ids(body.areas.values_list("pk", flat=True))
        areas = cast(forms.ModelMultipleChoiceField, self.fields["areas"])
        areas.queryset = Area.objects.filter(pk__in=area_ids).order_by("name")


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Comment"), max_length=MAX_COMMENT, widget=forms.Textarea(attrs={"rows": 3})
    )


class SignForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        error_messages={"invalid_choice": _("You may not sign for this organisation.")},
    )

    def __init__(self, *args, organisation_ids, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["organisation"])
        field.queryset = Organisation.objects.filter(pk__in=organisation_ids).order_by("name")


class CompareForm(forms.Form):
    a = forms.IntegerField(label=_("Older version"), min_value=1)
    b = forms.IntegerField(label=_("Newer version"), min_value=1)


class OverviewFilter(forms.Form):
    area = forms.ModelChoiceField(
        label=_("Area"),
        queryset=Area.objects.order_by("name"),
        required=False,
        to_field_name="slug",
    )
    state = forms.ChoiceField(
        label=_("State"), choices=[("", _("all")), *list(State.choices)], required=False
    )
    body = forms.IntegerField(label=_("Body"), required=False, widget=forms.Select)

    def __init__(self, *args, bodies, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.bodies = {body.pk: body for body in bodies}
        self.fields["body"].widget.choices = [("", _("all"))] + [
            (body.pk, body.name) for body in bodies
        ]

    def clean_body(self):
        pk = self.cleaned_data.get("body")
        if pk is None:
            return None
        if pk not in self.bodies:
            raise forms.ValidationError(_("Choose one of the bodies in the list."))
        return self.bodies[pk]
