from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from quartier.core import geocoding
from quartier.core.models import TimeStampedModel


class OrganisationKind(models.TextChoices):
    CARRIER = "carrier", _("Carrier (free welfare)")
    ASSOCIATION = "association", _("Association")
    INITIATIVE = "initiative", _("Initiative")
    KITA = "kita", _("Day-care centre (Kita)")
    SCHOOL = "school", _("School")
    HOUSING = "housing", _("Housing company")
    ADMINISTRATION = "administration", _("Administration unit")
    BUSINESS = "business", _("Shop or business")
    PLANNING = "planning", _("Planning office")
    QUARTER_OFFICE = "quarter_office", _("Quarter or district management office")
    SOCIAL_SPACE_CENTRE = "social_space_centre", _("Social-space centre")
    CHURCH = "church", _("Church or religious community")
    OTHER = "other", _("Other")


class OrganisationQuerySet(models.QuerySet):
    def active(self) -> OrganisationQuerySet:
        return self.filter(is_active=True)

    def in_areas(self, area_ids) -> OrganisationQuerySet:
        return self.filter(areas__in=area_ids).distinct()


class Organisation(TimeStampedModel):
    """An institution: carrier, association, Kita, school, office, business...

    Everything stored here is public except `internal_notes` (general notes, seen by everyone
    who may edit the organisation, its own editors included) and its `partner_notes`
    (`PartnerNote`: the area staff's record of the cooperation, never seen by the
    organisation's editors).
    """

    name = models.CharField(_("name"), max_length=250)
    slug = models.SlugField(_("address"), max_length=250, unique=True)
    kind = models.CharField(
        _("kind"), max_length=30, choices=OrganisationKind.choices, default=OrganisationKind.OTHER
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="units",
        verbose_name=_("carrier / parent organisation"),
    )
    description = models.TextField(_("description"), blank=True)
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    # Where the point came from (core/geocoding.py), as offers.Location.position_source: ""
    # for none (or one from before this field), "manual" for one typed or set on the map.
    position_source = models.CharField(
        _("source of the position"),
        max_length=20,
        choices=geocoding.Source.choices,
        blank=True,
        default="",
    )
    areas = models.ManyToManyField(
        "areas.Area", related_name="organisations", verbose_name=_("areas of work"), blank=True
    )
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("public e-mail"), blank=True)
    phone = models.CharField(_("public phone"), max_length=40, blank=True)
    internal_notes = models.TextField(_("general notes (internal)"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()
    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(lat__isnull=True) & Q(lon__isnull=True))
                | (Q(lat__gte=-90, lat__lte=90) & Q(lon__gte=-180, lon__lte=180)),
                name="organisation_point_valid",
            ),
        ]
        indexes = [models.Index(fields=["lat", "lon"], name="organisation_point_idx")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("directory:organisation", kwargs={"slug": self.slug})

    def clean(self) -> None:
        if (self.lat is None) != (self.lon is None):
            raise ValidationError({"lon": _("Give both latitude and longitude, or neither.")})

    @property
    def address_line(self) -> str:
        place = " ".join(part for part in (self.postcode, self.city) if part)
        return ", ".join(part for part in (self.street, place) if part)

    @property
    def has_point(self) -> bool:
        return self.lat is not None and self.lon is not None

    @property
    def position_estimated(self) -> bool:
        """A point guessed from something coarser than the address (the postcode area)."""
        return self.has_point and self.position_source in geocoding.ESTIMATED


class CooperationKind(models.TextChoices):
    CONTRACT = "contract", _("Cooperation agreement")
    EXCHANGE = "exchange", _("Regular exchange")
    CASE_CONSULTATION = "case_consultation", _("Case consultation without personal data")
    EVENT_PARTNER = "event_partner", _("Event partner")
    OTHER = "other", _("Other")


class PartnerNoteQuerySet(models.QuerySet):
    def stale(self, cutoff) -> PartnerNoteQuerySet:
        """Notes not changed since `cutoff` (directory/retention.py)."""
        return self.filter(updated_at__lt=cutoff)


class PartnerNote(TimeStampedModel):
    """A staff note on a cooperation partner (Netzwerkkatalog): the kind of cooperation, the
    last contact, what was agreed and what comes next.

    Internal: seen only by the staff of the organisation's areas and by platform admins
    (`directory.view_partner_notes`), never by the organisation's own editors, on public
    pages, in the APIs or exports. About the cooperation only, never about clients, families
    or children (the form says so). No change history: an edit replaces the text, and the
    retention rule (directory/retention.py) removes a note some years after its last edit.
    """

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="partner_notes",
        verbose_name=_("organisation"),
    )
    kind = models.CharField(
        _("kind of cooperation"),
        max_length=30,
        choices=CooperationKind.choices,
        default=CooperationKind.EXCHANGE,
    )
    last_contact = models.DateField(_("last contact"), null=True, blank=True)
    agreements = models.TextField(_("agreements"), max_length=4000, blank=True)
    next_step = models.CharField(_("next step"), max_length=500, blank=True)
    follow_up = models.DateField(_("follow up on"), null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )

    objects = PartnerNoteQuerySet.as_manager()

    class Meta:
        verbose_name = _("partner note")
        verbose_name_plural = _("partner notes")
        ordering = ["-updated_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "-updated_at"], name="partnernote_org_idx")]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.get_kind_display()}"


class Person(TimeStampedModel):
    """A contact person. Needs no login; each contact field is public or internal on its own.

    Retention: a person without a current position for `PERSON_RETENTION_DAYS` is deleted by
    `purge_personal_data` (docs/privacy.md). No data about clients, families or children here.
    """

    given_name = models.CharField(_("given name"), max_length=100)
    family_name = models.CharField(_("family name"), max_length=100)
    title = models.CharField(_("title / form of address"), max_length=50, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        verbose_name=_("login"),
    )
    email = models.EmailField(_("e-mail"), blank=True)
    email_public = models.BooleanField(_("e-mail is public"), default=False)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    phone_public = models.BooleanField(_("phone is public"), default=False)
    mobile = models.CharField(_("mobile"), max_length=40, blank=True)
    mobile_public = models.BooleanField(_("mobile is public"), default=False)
    office_hours = models.CharField(_("office hours"), max_length=200, blank=True)
    office_hours_public = models.BooleanField(_("office hours are public"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["family_name", "given_name"]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.title, self.given_name, self.family_name) if part)

    def public_contact(self) -> dict[str, str]:
        """Only the fields marked public: what pages and APIs may show."""
        fields = {
            "email": (self.email, self.email_public),
            "phone": (self.phone, self.phone_public),
            "mobile": (self.mobile, self.mobile_public),
            "office_hours": (self.office_hours, self.office_hours_public),
        }
        return {key: value for key, (value, public) in fields.items() if value and public}


class PositionQuerySet(models.QuerySet):
    def current(self) -> PositionQuerySet:
        return self.filter(end_date__isnull=True)

    def public(self) -> PositionQuerySet:
        return self.current().filter(is_public=True)


class Position(TimeStampedModel):
    """A person's role in an organisation (Quartiersmanagerin, Leitung, Ansprechpartner...)."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="positions", verbose_name=_("person")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="positions",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=150)
    is_public = models.BooleanField(
        _("public contact person"),
        default=True,
        help_text=_("Shown on public pages with the contact fields marked public."),
    )
    start_date = models.DateField(_("since"), null=True, blank=True)
    end_date = models.DateField(_("until"), null=True, blank=True)

    history = HistoricalRecords()
    objects = PositionQuerySet.as_manager()

    class Meta:
        verbose_name = pgettext_lazy("job", "position")
        verbose_name_plural = _("positions")
        ordering = ["organisation__name", "role"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="position_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.role}, {self.organisation}"
