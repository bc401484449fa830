from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from quartier.areas.models import Area
from quartier.core.forms import HoneypotMixin
from quartier.directory.models import Organisation
from quartier.events import fetch
from quartier.events.models import Category, Event, IcalFeed, Shift
from quartier.events.rules import area_ids, organisation_ids
from quartier.events.services import FEED_OWNED_FIELDS
from quartier.offers.forms import TopicChoiceField
from quartier.offers.models import TargetGroup, TaxonomyTerm
from quartier.offers.taxonomy import SOCIAL_SPACE_TAXONOMY
from quartier.venues.models import Room

IMAGE_FORMATS = {"JPEG", "PNG", "WEBP"}
DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def topic_terms() -> QuerySet[TaxonomyTerm]:
    """The topics events are filed under: the offers' social-space vocabulary."""
    return (
        TaxonomyTerm.objects.filter(taxonomy__slug=SOCIAL_SPACE_TAXONOMY)
        .select_related("parent")
        .order_by("position", "name")
    )


class TopicFilterField(forms.ModelChoiceField):
    def label_from_instance(self, obj: TaxonomyTerm) -> str:
        return f"{obj.parent.name} › {obj.name}" if obj.parent_id else obj.name


def image_max_bytes() -> int:
    return int(getattr(settings, "QUARTIER_EVENTS_IMAGE_MAX_BYTES", 2 * 1024 * 1024))


class CalendarFilterForm(forms.Form):
    """The calendar's filters; the same query parameters drive the page, the iCal feed and the
    JSON API."""

    area = forms.ModelChoiceField(
        Area.objects.public().select_related("kind").order_by("name"),
        to_field_name="slug",
        required=False,
        label=_("Area"),
        empty_label=_("all areas"),
    )
    category = forms.ModelChoiceField(
        Category.objects.all(),
        to_field_name="slug",
        required=False,
        label=_("Category"),
        empty_label=_("all categories"),
    )
    # One topic and the narrower ones below it (selectors.calendar_events).
    topic = TopicFilterField(
        TaxonomyTerm.objects.none(),
        required=False,
        label=_("Topic"),
        empty_label=_("all topics"),
    )
    target_group = forms.ModelChoiceField(
        TargetGroup.objects.all(),
        to_field_name="slug",
        required=False,
        label=_("Target group"),
        empty_label=_("everyone"),
    )
    free = forms.BooleanField(required=False, label=_("free of charge only"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = topic_terms()  # type: ignore[attr-defined]


class RegistrationForm(HoneypotMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    email = forms.EmailField(label=_("E-mail"))
    consent = forms.BooleanField(
        label=_("I agree that my name and e-mail are stored for this event and deleted after it.")
    )


class ShiftSignupForm(HoneypotMixin, forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=80)
    last_name = forms.CharField(label=_("Last name"), max_length=80, required=False)
    email = forms.EmailField(
        label=_("E-mail"), help_text=_("For the confirmation and the reminder the day before.")
    )
    show_name = forms.BooleanField(
        label=_("Show my first name on the event page"),
        required=False,
        initial=False,
        help_text=_("Otherwise the page only counts you among the helpers."),
    )


class EventForm(forms.ModelForm):
    class Meta:
        model = Event
        fields = [
            "title", "description", "category", "topics", "starts_at", "ends_at", "all_day",
            "organisations", "bodies", "areas", "target_groups", "room", "place_name",
            "street", "postcode", "city", "lat", "lon", "accessibility", "is_free", "cost",
            "image", "image_alt",
            "is_published", "registration_required", "capacity", "registration_closes_at",
        ]  # fmt: skip
        widgets = {
            "starts_at": DATETIME_WIDGET,
            "ends_at": DATETIME_WIDGET,
            "registration_closes_at": DATETIME_WIDGET,
        }

    def __init__(self, *args: Any, user, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["topics"] = TopicChoiceField(
            queryset=topic_terms(),
            widget=forms.CheckboxSelectMultiple,
            required=False,
            label=_("Topics"),
            help_text=_(
                "What the event is about, in the topics of the offers; the category says "
                "what kind of event it is."
            ),
        )
        if not user.is_superuser:
            # The event's current co-organisers stay selectable, so saving keeps them.
            current = self.instance.organisations.all() if self.instance.pk else []
            self.fields["organisations"].queryset = Organisation.objects.filter(
                Q(pk__in=organisation_ids(user))
                | Q(areas__in=area_ids(user))
                | Q(pk__in=[org.pk for org in current])
            ).distinct()
        self.fields["areas"].queryset = (
            Area.objects.public().select_related("kind").order_by("name")
        )
        self.fields["room"].queryset = Room.objects.filter(
            is_active=True, venue__is_active=True
        ).select_related("venue")
        self.fields["image"].help_text = _("JPEG, PNG or WebP, at most %(mb)s MB.") % {
            "mb": image_max_bytes() // (1024 * 1024)
        }
        if self.instance.source_feed_id:
            # The source calendar owns these (services.FEED_OWNED_FIELDS); a disabled field
            # keeps its current value whatever is posted.
            for name in FEED_OWNED_FIELDS & set(self.fields):
                self.fields[name].disabled = True
                self.fields[name].help_text = _("From the iCal feed; change it there.")

    def clean_image(self):
        image = self.cleaned_data.get("image")
        if not image or not hasattr(image, "image"):
            return image  # unchanged or removed
        if image.size > image_max_bytes():
            raise forms.ValidationError(_("The image is too large."))
        if getattr(image.image, "format", None) not in IMAGE_FORMATS:
            raise forms.ValidationError(_("Please upload a JPEG, PNG or WebP image."))
        return image

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends < starts:
            self.add_error("ends_at", _("The end lies before the start."))
        if data.get("registration_required") and not data.get("capacity"):
            self.add_error("capacity", _("Give the number of places for registration."))
        if data.get("image") and not data.get("image_alt"):
            self.add_error("image_alt", _("Describe the image for people who cannot see it."))
        if not self.user.is_superuser and not self.errors:
            orgs = {org.pk for org in data.get("organisations") or []}
            areas = {area.pk for area in data.get("areas") or []}
            if not (orgs & organisation_ids(self.user) or areas & area_ids(self.user)):
                raise forms.ValidationError(
                    _("Choose at least one of your organisations or one of your areas.")
                )
        return data


class ShiftForm(forms.ModelForm):
    class Meta:
        model = Shift
        fields = ["kind", "title", "starts_at", "ends_at", "needed"]
        widgets = {"starts_at": DATETIME_WIDGET, "ends_at": DATETIME_WIDGET}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", _("The end lies before the start."))
        return data


class IcalFeedForm(forms.ModelForm):
    url = forms.URLField(label=_("Feed address (iCal)"), max_length=500, assume_scheme="https")

    class Meta:
        model = IcalFeed
        fields = ["organisation", "url", "category", "areas", "is_active"]

    def __init__(self, *args: Any, user, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not user.is_superuser:
            self.fields["organisation"].queryset = Organisation.objects.filter(
                pk__in=organisation_ids(user)
            )
        self.fields["areas"].queryset = (
            Area.objects.public().select_related("kind").order_by("name")
        )

    def clean_url(self) -> str:
        """Refuse addresses inside the server's own networks now, so staff see why; the
        import checks again at every run (events.fetch)."""
        url = self.cleaned_data["url"]
        try:
            fetch.check_url(url)
        except fetch.FetchError as exc:
            raise forms.ValidationError(str(exc), code="unsafe_url") from exc
        return url
