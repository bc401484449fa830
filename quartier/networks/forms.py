"""Forms: parse and validate input at the view edge; services do the writing."""

from __future__ import annotations

import datetime

from django import forms
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from quartier.areas.models import Area
from quartier.core.forms import HoneypotMixin
from quartier.core.recurrence_field import RecurrenceField, rule_for
from quartier.directory.models import Organisation, OrganisationKind, Person
from quartier.networks.models import (
    ActionItem,
    Body,
    DocumentKind,
    MeetingKind,
    Membership,
    MembershipRole,
    Visibility,
)

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _https_urls(field, **kwargs):
    # Django 6 assumes https for scheme-less URLs; say so now (warnings are errors in tests).
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


class BodyForm(forms.ModelForm):
    class Meta:
        formfield_callback = _https_urls
        model = Body
        fields = [
            "name",
            "short_name",
            "slug",
            "kind",
            "description",
            "areas",
            "topics",
            "coordinating_organisation",
            "contact_persons",
            "contact_email",
            "website",
            "founded_on",
            "is_public",
            "minutes_visibility",
            "default_meeting_minutes",
            "agenda_deadline_days",
        ]
        widgets = {"founded_on": DATE_WIDGET}


class JoinForm(forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=_("Organisation")
    )
    reason = forms.CharField(
        label=_("Why does your organisation want to join?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


ORGANISATION_REQUEST_CONSENT = _(
    "I agree that my name and e-mail address are passed on to the coordination of this body "
    "to answer the request, and deleted six months after it."
)


class OrganisationRequestForm(HoneypotMixin, forms.Form):
    """An organisation not yet on the platform asks to be added (public, no login)."""

    organisation_name = forms.CharField(label=_("Name of the organisation"), max_length=250)
    website = forms.URLField(label=_("Website (optional)"), required=False, assume_scheme="https")
    message = forms.CharField(
        label=_("What does the organisation do, and why does it want to join?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )
    contact_name = forms.CharField(label=_("Your name"), max_length=200)
    contact_email = forms.EmailField(
        label=_("Your e-mail address"), help_text=_("The coordination answers to this address.")
    )
    consent = forms.BooleanField(label=ORGANISATION_REQUEST_CONSENT)

    def clean_message(self) -> str:
        message = self.cleaned_data["message"].strip()
        if not message:
            raise forms.ValidationError(_("Please say in a few words why you want to join."))
        return message


class OrganisationRequestAcceptForm(forms.Form):
    """Accepting a request to add an organisation: the directory entry, prefilled from the
    request and corrected by the decider, and how it joins the body."""

    name = forms.CharField(label=_("Name of the organisation"), max_length=250)
    kind = forms.ChoiceField(
        label=_("Kind of organisation"),
        choices=OrganisationKind.choices,
        initial=OrganisationKind.OTHER,
    )
    areas = forms.ModelMultipleChoiceField(
        queryset=Area.objects.none(),
        label=_("Areas of work"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
        help_text=_("The areas of the body; more can be added in the directory later."),
    )
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    email = forms.EmailField(
        label=_("Public e-mail of the organisation"),
        required=False,
        help_text=_(
            "Shown publicly: the organisation's own address, not the requester's personal one."
        ),
    )
    description = forms.CharField(
        label=_("Description (public)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_("Prefilled with the request's message: take out anything personal."),
    )
    member_now = forms.BooleanField(
        label=_("Make it a member of the body at once"),
        required=False,
        help_text=_("Otherwise it appears in the body's requests to join, to be decided there."),
    )

    def __init__(self, *args, organisation_request, **kwargs) -> None:
        request = organisation_request
        kwargs.setdefault(
            "initial",
            {
                "name": request.organisation_name,
                "website": request.website,
                "description": request.message,
                "areas": list(request.body.areas.values_list("pk", flat=True)),
            },
        )
        kwargs.setdefault("prefix", "accept")
        super().__init__(*args, **kwargs)
        self.fields["areas"].queryset = request.body.areas.select_related("kind").order_by(
            "kind__level", "name"
        )


class OrganisationRequestDeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (sent to the requester)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("prefix", "decline")
        super().__init__(*args, **kwargs)

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Say why the request is declined: it is mailed."))
        return reason


class OrganisationRequestFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=(("open", _("open requests")), ("decided", _("decided requests"))),
    )


class ContactForm(forms.Form):
    name = forms.CharField(label=_("Your name (optional)"), max_length=200, required=False)
    email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_("Used once to send your message; the platform does not keep it."),
    )
    message = forms.CharField(
        label=_("Your message"), widget=forms.Textarea(attrs={"rows": 6}), max_length=5000
    )
    # A field people do not see: bots fill it in.
    website = forms.CharField(
        required=False,
        label=_("Leave this field empty"),
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )


class RsvpForm(forms.Form):
    pass


class MembershipForm(forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.active(), label=_("Organisation")
    )
    role = forms.ChoiceField(
        choices=MembershipRole.choices, label=_("Role"), initial=MembershipRole.MEMBER
    )
    start_date = forms.DateField(label=_("Member since"), required=False, widget=DATE_WIDGET)
    room_capacity = forms.IntegerField(
        label=_("Room for how many people"), required=False, min_value=1, max_value=1000
    )
    room_name = forms.CharField(label=_("Room"), required=False, max_length=200)


class MembershipRoomForm(forms.Form):
    """The member's room for the host rotation; an empty capacity: it cannot host."""

    room_capacity = forms.IntegerField(
        label=_("Room for how many people"), required=False, min_value=1, max_value=1000
    )
    room_name = forms.CharField(label=_("Room"), required=False, max_length=200)


class DelegateForm(forms.Form):
    """Delegate one of the people of the member organisation (a current position there)."""

    person = forms.ModelChoiceField(
        queryset=Person.objects.none(),
        label=_("Person"),
        error_messages={
            "invalid_choice": _(
                "Choose a person who works for the member organisation (a current position "
                "in the directory)."
            )
        },
    )
    is_deputy = forms.BooleanField(label=_("Deputy"), required=False)
    may_sign = forms.BooleanField(label=_("May sign for the organisation"), required=False)

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        if people is not None:
            self.fields["person"].queryset = people


class DecideForm(forms.Form):
    accept = forms.TypedChoiceField(
        choices=(("1", _("Accept")), ("0", _("Decline"))),
        coerce=lambda v: v == "1",
        label=_("Decision"),
    )
    message = forms.CharField(
        label=_("Message to the organisation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class MeetingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=250)
    kind = forms.ChoiceField(
        choices=MeetingKind.choices, label=_("Kind"), initial=MeetingKind.MEETING
    )
    start = forms.DateTimeField(label=_("Start"), widget=DATETIME_WIDGET)
    end = forms.DateTimeField(label=_("End"), widget=DATETIME_WIDGET)
    is_public = forms.BooleanField(label=_("Public"), required=False, initial=True)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] <= data["start"]:
            self.add_error("end", _("The meeting must end after it starts."))
        return data


class SeriesForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=250)
    first_start = forms.DateTimeField(label=_("First meeting starts"), widget=DATETIME_WIDGET)
    duration_minutes = forms.IntegerField(
        label=_("Length (minutes)"), min_value=5, max_value=1440, initial=120
    )
    # Plain choices instead of RRULE text (quartier/core/recurrence_field.py); the default,
    # every 3 months on the same date, is the quarterly meeting most bodies hold.
    rrule = RecurrenceField(
        label=_("Repeats"),
        initial="FREQ=MONTHLY;INTERVAL=3",
        help_text=_("Meetings are planned one year ahead; an end is optional."),
    )
    is_public = forms.BooleanField(label=_("Public meetings"), required=False, initial=True)

    def clean(self) -> dict:
        data = super().clean()
        if data.get("rrule") and data.get("first_start"):
            try:
                data["rrule"] = rule_for(data["rrule"], data["first_start"])
            except forms.ValidationError as exc:
                self.add_error("rrule", exc)
        return data

    def clean_first_start(self) -> datetime.datetime:
        value = self.cleaned_data["first_start"]
        if value < timezone.now() - datetime.timedelta(days=366):
            raise forms.ValidationError(_("Start the series within the last year or later."))
        return value


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, max_length=300)


class HostAnswerForm(forms.Form):
    accept = forms.TypedChoiceField(
        choices=(("1", _("We host")), ("0", _("We pass this time"))),
        coerce=lambda v: v == "1",
        label=_("Answer"),
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


class InviteContactForm(forms.Form):
    """Which member's general address to invite: a member of the meeting's body."""

    membership = forms.ModelChoiceField(
        queryset=Membership.objects.none(),
        label=_("Member"),
        error_messages={"invalid_choice": _("Choose a member of this body.")},
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["membership"].queryset = Membership.objects.filter(
            body_id=meeting.body_id
        ).select_related("organisation")


class AgendaProposalForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    membership = forms.ModelChoiceField(
        queryset=Membership.objects.none(), label=_("Proposed by"), required=False
    )
    file = forms.FileField(label=_("Document (optional)"), required=False)

    def __init__(self, *args, memberships, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["membership"].queryset = memberships


class MinutesForm(forms.Form):
    text = forms.CharField(
        label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 14}), required=False
    )
    visibility = forms.ChoiceField(choices=Visibility.choices, label=_("Visible to"))


class MinutesApproveForm(forms.Form):
    """Which held meeting approved the minutes; a meeting still to come cannot."""

    at_meeting = forms.ModelChoiceField(
        queryset=None,
        label=_("Approved at the meeting of"),
        error_messages={
            "required": _("Choose the meeting that approved the minutes."),
            "invalid_choice": _(
                "Minutes can only be approved at a later meeting of the same body that has "
                "taken place; record the approval after that meeting."
            ),
        },
    )

    def __init__(self, *args, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["at_meeting"].queryset = meetings
        self.fields["at_meeting"].label_from_instance = lambda m: (
            f"{timezone.localtime(m.start):%d.%m.%Y} – {m.title}"
        )


class DecisionForm(forms.Form):
    text = forms.CharField(label=_("Decision"), widget=forms.Textarea(attrs={"rows": 2}))


class ActionItemForm(forms.Form):
    title = forms.CharField(label=_("Task"), max_length=300)
    owner = forms.ModelChoiceField(
        queryset=Membership.objects.none(), label=_("Responsible member"), required=False
    )
    due_date = forms.DateField(label=_("Due"), required=False, widget=DATE_WIDGET)

    def __init__(self, *args, memberships, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = memberships


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(choices=ActionItem.Status.choices, label=_("Status"))


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    kind = forms.ChoiceField(choices=DocumentKind.choices, label=_("Kind"))
    visibility = forms.ChoiceField(choices=Visibility.choices, label=_("Visible to"))
    date = forms.DateField(label=_("Date"), required=False, widget=DATE_WIDGET)
    file = forms.FileField(label=_("File"))
