"""Development concepts with goals and indicators, projects, funding and continuation.

A concept (integrated development concept, district agreement, social-space concept) belongs
to one area and has fields of action, goals under them and indicators with measurements. A
Fortschreibung (`services.concept_update`) copies the current version into a new one; earlier
versions stay readable and are compared by the indicators' `code`, which the copy keeps.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from quartier.core.models import TimeStampedModel

VALUE = {"max_digits": 16, "decimal_places": 3}
MONEY = {"max_digits": 12, "decimal_places": 2}


class ConceptKind(models.TextChoices):
    DEVELOPMENT = "development", _("Integrated development concept")
    AGREEMENT = "agreement", _("District agreement")
    SOCIAL_SPACE = "social_space", _("Social-space concept")


class Concept(TimeStampedModel):
    area = models.ForeignKey(
        "areas.Area", on_delete=models.PROTECT, related_name="concepts", verbose_name=_("area")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ConceptKind.choices)
    title = models.CharField(_("title"), max_length=250)
    summary = models.TextField(_("summary"), blank=True)
    # All versions of one concept share `lineage` (the first version's id).
    lineage = models.PositiveIntegerField(_("lineage"), null=True, blank=True, editable=False)
    version = models.PositiveSmallIntegerField(_("version"), default=1, editable=False)
    is_current = models.BooleanField(_("current version"), default=True, editable=False)
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    note = models.CharField(_("what this version changes"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("development concept")
        verbose_name_plural = _("development concepts")
        ordering = ["area__name", "title", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["lineage", "version"], name="projects_concept_version")
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.version})"

    def get_absolute_url(self) -> str:
        return reverse("backoffice:projects:concept", kwargs={"pk": self.pk})


class FieldOfAction(models.Model):
    concept = models.ForeignKey(
        Concept, on_delete=models.CASCADE, related_name="fields", verbose_name=_("concept")
    )
    title = models.CharField(_("title"), max_length=250)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("field of action")
        verbose_name_plural = _("fields of action")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title


class Goal(models.Model):
    field = models.ForeignKey(
        FieldOfAction,
        on_delete=models.CASCADE,
        related_name="goals",
        verbose_name=_("field of action"),
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title


class Direction(models.TextChoices):
    HIGHER = "higher", _("higher is better")
    LOWER = "lower", _("lower is better")


class Indicator(models.Model):
    goal = models.ForeignKey(
        Goal, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("goal")
    )
    code = models.SlugField(
        _("code"),
        max_length=60,
        help_text=_("Short key, unique in the concept; CSV imports name indicators by it."),
    )
    name = models.CharField(_("name"), max_length=250)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    baseline = models.DecimalField(_("baseline"), **VALUE)
    baseline_date = models.DateField(_("baseline date"))
    target = models.DecimalField(_("target"), **VALUE)
    target_date = models.DateField(_("target date"))
    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction.choices, default=Direction.HIGHER
    )
    source = models.CharField(_("source"), max_length=250, blank=True)
    # Kept by the database (one per concept version): set by services from goal.field.concept.
    concept = models.ForeignKey(
        Concept, on_delete=models.CASCADE, related_name="indicators", editable=False
    )

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["goal__field__position", "goal__position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["concept", "code"], name="projects_indicator_code")
        ]

    def __str__(self) -> str:
        return self.name


class Measurement(models.Model):
    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.CASCADE,
        related_name="measurements",
        verbose_name=_("indicator"),
    )
    date = models.DateField(_("date"))
    value = models.DecimalField(_("value"), **VALUE)
    note = models.CharField(_("note"), max_length=250, blank=True)

    class Meta:
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "date"], name="projects_measurement_date")
        ]

    def __str__(self) -> str:
        return f"{self.date}: {self.value}"


class ProgrammeKind(models.TextChoices):
    URBAN = "urban", _("Urban development (Soziale Stadt / Sozialer Zusammenhalt)")
    ESF = "esf", _("ESF Plus")
    BIWAQ = "biwaq", _("BIWAQ")
    FUND = "fund", _("District fund (Verfügungsfonds)")
    MUNICIPAL = "municipal", _("Municipal budget")
    OWN = "own", _("Own funds")
    OTHER = "other", _("Other")


class Programme(TimeStampedModel):
    """A funding programme (or one programme area of it) with its own runtime."""

    name = models.CharField(_("name"), max_length=250)
    slug = models.SlugField(_("address"), max_length=250, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=ProgrammeKind.choices)
    areas = models.ManyToManyField(
        "areas.Area", related_name="programmes", verbose_name=_("areas"), blank=True
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible coordinator"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("funding programme")
        verbose_name_plural = _("funding programmes")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="projects_programme_runtime",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Status(models.TextChoices):
    IDEA = "idea", _("idea")
    PLANNED = "planned", _("planned")
    APPLIED = "applied", _("applied")
    APPROVED = "approved", _("approved")
    RUNNING = "running", _("running")
    COMPLETED = "completed", _("completed")
    REJECTED = "rejected", _("rejected")


PUBLIC_STATUSES = (Status.RUNNING, Status.COMPLETED)


class ProjectQuerySet(models.QuerySet):
    def public(self) -> ProjectQuerySet:
        return self.filter(status__in=PUBLIC_STATUSES)


class Project(TimeStampedModel):
    title = models.CharField(_("title"), max_length=250)
    slug = models.SlugField(_("address"), max_length=250, unique=True)
    description = models.TextField(_("description"), blank=True)
    investive = models.BooleanField(
        _("investive"), default=False, help_text=_("Building works rather than activities.")
    )
    lead_organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        related_name="led_projects",
        verbose_name=_("lead organisation"),
    )
    partners = models.ManyToManyField(
        "directory.Organisation",
        related_name="partner_projects",
        verbose_name=_("partners"),
        blank=True,
    )
    areas = models.ManyToManyField("areas.Area", related_name="projects", verbose_name=_("areas"))
    goals = models.ManyToManyField(
        Goal, related_name="projects", verbose_name=_("goals served"), blank=True
    )
    target_groups = models.ManyToManyField(
        "offers.TargetGroup", related_name="projects", verbose_name=_("target groups"), blank=True
    )
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.IDEA)
    results = models.TextField(
        _("results"), blank=True, help_text=_("What was achieved; shown for completed projects.")
    )
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    history = HistoricalRecords(m2m_fields=[areas])

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(starts_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="projects_project_runtime",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("projects:detail", kwargs={"slug": self.slug})

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES


class Milestone(models.Model):
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("project")
    )
    title = models.CharField(_("title"), max_length=250)
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.title


class BudgetLine(models.Model):
    """Money of one programme for one project in one year. Spent beyond approved is allowed
    (invoices come before top-up decisions) and flagged by `overspent`."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="budget_lines", verbose_name=_("project")
    )
    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        related_name="budget_lines",
        verbose_name=_("funding programme"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    planned = models.DecimalField(_("planned"), default=Decimal(0), **MONEY)
    approved = models.DecimalField(_("approved"), default=Decimal(0), **MONEY)
    spent = models.DecimalField(_("spent"), default=Decimal(0), **MONEY)

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["year", "programme__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "programme", "year"], name="projects_budget_line_year"
            ),
            models.CheckConstraint(
                condition=models.Q(planned__gte=0, approved__gte=0, spent__gte=0),
                name="projects_budget_line_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.year} ({self.programme})"

    @property
    def overspent(self) -> bool:
        return self.spent > self.approved


class ContinuationTask(TimeStampedModel):
    """A task of an ending programme or project and who carries it on (Verstetigung)."""

    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="continuation_tasks",
        null=True,
        blank=True,
        verbose_name=_("funding programme"),
    )
    project = models.ForeignKey(
        Project,
        on_delete=models.CASCADE,
        related_name="continuation_tasks",
        null=True,
        blank=True,
        verbose_name=_("project"),
    )
    area = models.ForeignKey(
        "areas.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("area")
    )
    title = models.CharField(_("task"), max_length=250)
    ends_on = models.DateField(_("funding ends on"))
    successor_organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("carried on by (organisation)"),
    )
    successor_body = models.ForeignKey(
        "networks.Body",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("carried on by (network or body)"),
    )
    successor_partnership = models.CharField(
        _("carried on by (partnership)"), max_length=250, blank=True
    )
    last_warned_on = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("continuation task")
        verbose_name_plural = _("continuation tasks")
        ordering = ["ends_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(programme__isnull=False) | models.Q(project__isnull=False),
                name="projects_task_has_origin",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def has_successor(self) -> bool:
        return bool(
            self.successor_organisation_id or self.successor_body_id or self.successor_partnership
        )


def warning_horizon(today: datetime.date) -> datetime.date:
    """Tasks ending before this date without a successor are warned about (six months)."""
    month = today.month + 6
    year = today.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    for day in (today.day, 30, 29, 28):
        try:
            return datetime.date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


class FileKind(models.TextChoices):
    APPLICATION = "application", _("application")
    REPORT = "report", _("report")
    PHOTO = "photo", _("photo")
    OTHER = "other", _("other")


def _file_path(instance: ProjectFile, filename: str) -> str:
    return f"projects/{instance.project_id}/{filename}"


class ProjectFile(TimeStampedModel):
    """An application, report or photo of a project; seen only in the back office."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="files", verbose_name=_("project")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=FileKind.choices)
    title = models.CharField(_("title"), max_length=250)
    file = models.FileField(_("file"), upload_to=_file_path, max_length=500)
    file_name = models.CharField(_("file name"), max_length=250)
    mime_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))

    class Meta:
        verbose_name = _("project file")
        verbose_name_plural = _("project files")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


# --- District fund (Verfügungsfonds) -------------------------------------------------------


class Fund(TimeStampedModel):
    """The district fund of one area for one year: residents and initiatives apply for small
    grants; a body of the networks app decides at a meeting."""

    area = models.ForeignKey(
        "areas.Area", on_delete=models.PROTECT, related_name="funds", verbose_name=_("area")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=250)
    description = models.TextField(
        _("description"), blank=True, help_text=_("What the fund supports; shown publicly.")
    )
    budget = models.DecimalField(_("budget (EUR)"), **MONEY)
    cap = models.DecimalField(_("at most per application (EUR)"), null=True, blank=True, **MONEY)
    programme = models.ForeignKey(
        Programme,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="funds",
        verbose_name=_("funding programme"),
    )
    body = models.ForeignKey(
        "networks.Body",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("deciding body"),
        help_text=_("The district council or another body that decides on the applications."),
    )
    is_open = models.BooleanField(_("accepts applications"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("district fund")
        verbose_name_plural = _("district funds")
        ordering = ["-year", "area__name"]
        constraints = [
            models.UniqueConstraint(fields=["area", "year"], name="projects_fund_area_year"),
            models.CheckConstraint(
                condition=models.Q(budget__gte=0), name="projects_fund_budget_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(cap__isnull=True) | models.Q(cap__gt=0),
                name="projects_fund_cap_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("projects:fund", kwargs={"pk": self.pk})


class FundStatus(models.TextChoices):
    RECEIVED = "received", _("received")
    AGENDA = "agenda", _("on the agenda")
    GRANTED = "granted", _("granted")
    PARTLY = "partly", _("partly granted")
    REFUSED = "refused", _("refused")
    WITHDRAWN = "withdrawn", _("withdrawn")
    PAID = "paid", _("paid / settled")


# Applications whose granted amount counts against the fund.
GRANTING = (FundStatus.GRANTED, FundStatus.PARTLY, FundStatus.PAID)
# Applications still waiting for a decision.
PENDING = (FundStatus.RECEIVED, FundStatus.AGENDA)


class FundApplication(TimeStampedModel):
    """An application for a grant from a district fund. The applicant's name and e-mail
    address are never public, never in the history, and blanked
    QUARTIER_FUND_CONTACT_RETENTION_DAYS after the application was closed."""

    fund = models.ForeignKey(
        Fund, on_delete=models.PROTECT, related_name="applications", verbose_name=_("fund")
    )
    title = models.CharField(_("title of the project"), max_length=200)
    initiative = models.CharField(_("initiative or group"), max_length=200, blank=True)
    purpose = models.TextField(_("what the money is for"))
    amount_requested = models.DecimalField(_("amount requested (EUR)"), **MONEY)
    planned_on = models.DateField(_("planned date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=FundStatus.choices, default=FundStatus.RECEIVED
    )
    agenda_item = models.ForeignKey(
        "networks.AgendaItem",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agenda item"),
    )
    decision = models.ForeignKey(
        "networks.Decision",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decision in the minutes"),
    )
    decided_at_meeting = models.ForeignKey(
        "networks.Meeting",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided at"),
    )
    votes_for = models.PositiveSmallIntegerField(_("votes for"), null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(_("votes against"), null=True, blank=True)
    abstentions = models.PositiveSmallIntegerField(_("abstentions"), null=True, blank=True)
    amount_granted = models.DecimalField(_("amount granted (EUR)"), null=True, blank=True, **MONEY)
    decision_note = models.TextField(_("reasons (public)"), blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # Personal data: never public, never in the history, purged after closing.
    applicant_name = models.CharField(_("name"), max_length=150, blank=True)
    applicant_email = models.EmailField(_("e-mail address"), blank=True)
    contact_purged_at = models.DateTimeField(_("contact data deleted"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=10, default="de")
    consents = GenericRelation("core.ConsentRecord")
    history = HistoricalRecords(excluded_fields=["applicant_name", "applicant_email"])

    class Meta:
        verbose_name = _("fund application")
        verbose_name_plural = _("fund applications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount_requested__gt=0),
                name="projects_fund_application_amount_positive",
            ),
            models.CheckConstraint(
                condition=models.Q(amount_granted__isnull=True) | models.Q(amount_granted__gte=0),
                name="projects_fund_application_granted_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def number(self) -> str:
        """The short number applicants quote on the phone."""
        year = self.created_at.year if self.created_at else ""
        return f"VF-{year}-{self.pk}"

    @property
    def is_pending(self) -> bool:
        return self.status in PENDING

    @property
    def is_granted(self) -> bool:
        return self.status in GRANTING

    def get_absolute_url(self) -> str:
        return reverse("backoffice:projects:application", kwargs={"pk": self.pk})
