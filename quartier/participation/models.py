"""Residents take part in a development concept's update (Fortschreibung).

A participation round belongs to one concept (projects app) and is open for a period. While it
is open, residents propose measures for one of the concept's fields of action (text, an
optional place) and support others' proposals (one support per account or browser). The
coordinator of the concept's area answers each proposal publicly and links those taken up to
the project that carries them.

A round may have one short activating survey. One answer per person: by a signed one-use link
or by a printed code (door-to-door work). Each response holds a unique `ticket` (the link's
nonce or the code), so a second answer with the same link or code is refused by the database.

Personal data: a proposer's optional e-mail address (only with consent to replies, never
public) and a survey respondent's optional e-mail address (only with consent); both deleted
QUARTIER_PARTICIPATION_CONTACT_RETENTION_DAYS after the round closed (retention.py). Supports
store a keyed hash, never an account or a cookie value.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from quartier.core.models import TimeStampedModel

PUBLIC_DECIMALS = 3  # public map positions are rounded (about 100 m)


class Round(TimeStampedModel):
    concept = models.ForeignKey(
        "projects.Concept",
        on_delete=models.PROTECT,
        related_name="participation_rounds",
        verbose_name=_("development concept"),
    )
    title = models.CharField(_("title"), max_length=250)
    slug = models.SlugField(_("address"), max_length=250, unique=True)
    description = models.TextField(_("description"), blank=True)
    opens_on = models.DateField(_("open from"))
    closes_on = models.DateField(_("open until"))
    is_published = models.BooleanField(_("published"), default=True)

    class Meta:
        verbose_name = _("participation round")
        verbose_name_plural = _("participation rounds")
        ordering = ["-opens_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")),
                name="participation_round_period",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("participation:round", kwargs={"slug": self.slug})

    @property
    def is_open(self) -> bool:
        today = timezone.localdate()
        return self.is_published and self.opens_on <= today <= self.closes_on


class Status(models.TextChoices):
    RECEIVED = "received", _("received")
    REVIEW = "review", _("under review")
    TAKEN_UP = "taken_up", _("taken up")
    NOT_TAKEN_UP = "not_taken_up", _("not taken up")


class Proposal(TimeStampedModel):
    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="proposals", verbose_name=_("round")
    )
    field = models.ForeignKey(
        "projects.FieldOfAction",
        on_delete=models.PROTECT,
        related_name="proposals",
        verbose_name=_("field of action"),
    )
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("proposal"))
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED
    )
    answer = models.TextField(_("public answer"), blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    project = models.ForeignKey(
        "projects.Project",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="participation_proposals",
        verbose_name=_("project that carries it"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    contact_email = models.EmailField(_("e-mail address for replies"), blank=True)
    contact_consent = models.BooleanField(_("consent to replies"), default=False)
    contact_purged_at = models.DateTimeField(null=True, blank=True, editable=False)
    supports = models.PositiveIntegerField(_("supports"), default=0, editable=False)
    consents = GenericRelation("core.ConsentRecord")

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["-supports", "-created_at"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("participation:proposal", kwargs={"pk": self.pk})

    @property
    def public_lat(self) -> float | None:
        return None if self.lat is None else round(self.lat, PUBLIC_DECIMALS)

    @property
    def public_lon(self) -> float | None:
        return None if self.lon is None else round(self.lon, PUBLIC_DECIMALS)


class Support(models.Model):
    """One support of a proposal; `supporter` is a keyed hash of the account or browser."""

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="support_rows", verbose_name=_("proposal")
    )
    supporter = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "supporter"], name="participation_one_support"
            )
        ]

    def __str__(self) -> str:
        return f"{self.proposal_id}"


class Survey(TimeStampedModel):
    round = models.OneToOneField(
        Round, on_delete=models.CASCADE, related_name="survey", verbose_name=_("round")
    )
    title = models.CharField(_("title"), max_length=250)
    intro = models.TextField(_("introduction"), blank=True)
    ask_contact = models.BooleanField(
        _("ask for an e-mail address (with consent)"),
        default=False,
        help_text=_("Otherwise the survey is fully anonymous."),
    )

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")

    def __str__(self) -> str:
        return self.title


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("single choice")
    MULTIPLE = "multiple", _("multiple choice")
    SCALE = "scale", _("scale from 1 to 5")
    TEXT = "text", _("free text")


SCALE = range(1, 6)


class Question(models.Model):
    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="questions", verbose_name=_("survey")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=QuestionKind.choices)
    text = models.CharField(_("question"), max_length=300)
    choices = models.JSONField(_("choices"), default=list, blank=True)
    required = models.BooleanField(_("required"), default=False)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text

    def options(self) -> list[tuple[int, str]]:
        """(value, label) of the possible answers of a choice or scale question."""
        if self.kind == QuestionKind.SCALE:
            return [(value, str(value)) for value in SCALE]
        return list(enumerate(self.choices))


class Code(models.Model):
    """A printed code that answers the survey once (door-to-door work)."""

    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="codes", verbose_name=_("survey")
    )
    code = models.CharField(_("code"), max_length=12, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(_("used"), null=True, blank=True)

    class Meta:
        verbose_name = _("survey code")
        verbose_name_plural = _("survey codes")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.code


class Response(models.Model):
    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="responses", verbose_name=_("survey")
    )
    # "link:<nonce>" or "code:<code>": one response per link or code.
    ticket = models.CharField(max_length=80, unique=True, editable=False)
    created_at = models.DateTimeField(_("answered"), auto_now_add=True)
    contact_email = models.EmailField(_("e-mail address"), blank=True)
    contact_consent = models.BooleanField(_("consent to contact"), default=False)
    consents = GenericRelation("core.ConsentRecord")

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.survey_id}/{self.pk}"


class Answer(models.Model):
    response = models.ForeignKey(
        Response, on_delete=models.CASCADE, related_name="answers", verbose_name=_("response")
    )
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="answers", verbose_name=_("question")
    )
    value = models.SmallIntegerField(_("value"), null=True, blank=True)
    text = models.TextField(_("text"), blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")

    def __str__(self) -> str:
        return f"{self.question_id}: {self.value if self.value is not None else self.text[:20]}"


def retention_days() -> int:
    return int(getattr(settings, "QUARTIER_PARTICIPATION_CONTACT_RETENTION_DAYS", 180))


def contact_deadline(round_: Round) -> datetime.date:
    return round_.closes_on + datetime.timedelta(days=retention_days())
