from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from quartier.core.forms import HoneypotMixin
from quartier.core.recurrence_field import RecurrenceField, rule_for
from quartier.directory.models import Organisation
from quartier.venues.models import ClosingDay, OpeningHours, Room, RoomPhoto, Venue


class SlotForm(forms.Form):
    """Date, start and end time. An end at or before the start means: the next day."""

    title = forms.CharField(label=_("Title"), max_length=200)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(
        label=_("From"), widget=forms.TimeInput(attrs={"type": "time", "step": 900})
    )
    end_time = forms.TimeField(
        label=_("Until"),
        widget=forms.TimeInput(attrs={"type": "time", "step": 900}),
        help_text=_("An end before the start means the booking runs past midnight."),
    )
    attendees = forms.IntegerField(
        label=_("Expected attendees"), min_value=1, max_value=10000, required=False
    )

    def clean(self) -> dict:
        data = super().clean()
        day, start, end = data.get("date"), data.get("start_time"), data.get("end_time")
        if day is None or start is None or end is None:
            return data
        end_day = day + dt.timedelta(days=1) if end <= start else day
        zone = timezone.get_current_timezone()
        try:
            data["start"] = _aware(dt.datetime.combine(day, start), zone)
            data["end"] = _aware(dt.datetime.combine(end_day, end), zone)
        except ValueError:
            raise forms.ValidationError(
                _("This time does not exist or exists twice on that day (clock change).")
            ) from None
        return data


def _aware(naive: dt.datetime, zone) -> dt.datetime:
    """Refuse wall times that the clock change skips or repeats instead of guessing."""
    first = naive.replace(tzinfo=zone, fold=0)
    second = naive.replace(tzinfo=zone, fold=1)
    if first.utcoffset() != second.utcoffset():
        raise ValueError("ambiguous or missing local time")
    return first


class BookingForm(SlotForm):
    """Back-office booking, optionally repeating."""

    # Plain choices instead of RRULE text (quartier/core/recurrence_field.py); the end is
    # `until`, kept apart from the rule (Booking.recurrence_until).
    repeat = RecurrenceField(label=_("Repeats"), required=False, ends=False)
    until = forms.DateField(
        label=_("Repeats until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Empty: repeats without end (held one year ahead, extended daily)."),
    )
    organisation = forms.ModelChoiceField(
        label=_("For organisation"), queryset=Organisation.objects.none(), required=False
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations or Organisation.objects.none()

    def clean(self) -> dict:
        data = super().clean()
        try:
            data["recurrence"] = rule_for(data.get("repeat"), data.get("start"))
        except forms.ValidationError as exc:
            self.add_error("repeat", exc)
            data["recurrence"] = ""
        if not data["recurrence"]:
            data["until"] = None
        return data


class PublicRequestForm(HoneypotMixin, SlotForm):
    """A resident's or group's request; the contact data is shown only to the venue."""

    name = forms.CharField(label=_("Your name"), max_length=200)
    email = forms.EmailField(label=_("E-mail"))
    phone = forms.CharField(label=_("Phone (optional)"), max_length=40, required=False)
    group = forms.CharField(
        label=_("Group or initiative (optional)"), max_length=200, required=False
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that the venue stores my contact details to handle this request. They are "
            "deleted 30 days after the booking."
        )
    )


class DecisionForm(forms.Form):
    action = forms.ChoiceField(choices=[("approve", _("Approve")), ("reject", _("Reject"))])
    note = forms.CharField(
        label=_("Message to the requester"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class RoomForm(forms.ModelForm):
    class Meta:
        model = Room
        fields = [
            "name",
            "description",
            "capacity",
            "equipment",
            "barrier_free",
            "accessibility_notes",
            "has_kitchen",
            "house_rules",
            "is_active",
            "bookable_by",
            "bookable_by_bodies",
            "public_requests",
            "lead_time_hours",
            "max_length_minutes",
            "buffer_minutes",
            "booking_window_days",
            "approval",
        ]
        widgets = {
            "bookable_by": forms.CheckboxSelectMultiple,
            "bookable_by_bodies": forms.CheckboxSelectMultiple,
        }


class VenueForm(forms.ModelForm):
    """The venue's own data. Slug, organisation and area stay with the platform admins:
    changing them would change who manages the venue."""

    class Meta:
        model = Venue
        fields = [
            "name",
            "description",
            "street",
            "postcode",
            "city",
            "lat",
            "lon",
            "house_rules",
            "email",
            "is_active",
        ]


class OpeningHoursForm(forms.ModelForm):
    class Meta:
        model = OpeningHours
        fields = ["weekday", "opens", "closes"]
        widgets = {
            "opens": forms.TimeInput(attrs={"type": "time"}),
            "closes": forms.TimeInput(attrs={"type": "time"}),
        }
        help_texts = {"closes": _("A time at or before the opening means: past midnight.")}


class ClosingDayForm(forms.ModelForm):
    class Meta:
        model = ClosingDay
        fields = ["first_day", "last_day", "reason"]
        widgets = {
            "first_day": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "last_day": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def clean(self) -> dict:
        data = super().clean()
        first, last = data.get("first_day"), data.get("last_day")
        if first and last and last < first:
            self.add_error("last_day", _("The last day must not be before the first day."))
        return data


class RoomPhotoForm(forms.ModelForm):
    class Meta:
        model = RoomPhoto
        fields = ["image", "alt_text", "position"]
        help_texts = {
            "image": _("JPEG, PNG or WebP, at most 5 MB."),
        }


OpeningHoursFormSet = forms.inlineformset_factory(
    Venue, OpeningHours, form=OpeningHoursForm, extra=2, can_delete=True, max_num=28
)
ClosingDayFormSet = forms.inlineformset_factory(
    Venue, ClosingDay, form=ClosingDayForm, extra=1, can_delete=True, max_num=100
)
RoomPhotoFormSet = forms.inlineformset_factory(
    Room, RoomPhoto, form=RoomPhotoForm, extra=1, can_delete=True, max_num=20
)
