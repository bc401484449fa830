from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from quartier.areas.models import Area
from quartier.core.forms import HoneypotMixin
from quartier.directory.models import Organisation
from quartier.networks.models import Body
from quartier.offers.models import TargetGroup
from quartier.projects import csvimport
from quartier.projects.models import (
    Concept,
    ConceptKind,
    ContinuationTask,
    FieldOfAction,
    FileKind,
    Fund,
    FundStatus,
    Goal,
    Indicator,
    Programme,
    Project,
    Status,
)
from quartier.projects.rules import coordinated_area_ids, organisation_ids
from quartier.projects.services import FUND_MAX_AMOUNT, FUND_MAX_TEXT

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MAX_CSV_BYTES = 2 * 1024 * 1024


class AmountField(forms.DecimalField):
    """A decimal in the page's language; in German with thousands points as people type them
    ("1.234,50"), which Django's localized input rejects without USE_THOUSAND_SEPARATOR."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("localize", True)
        super().__init__(**kwargs)

    def to_python(self, value):
        if value not in self.empty_values and get_language().startswith("de"):
            parsed = csvimport.parse_number(str(value))
            if parsed is None:
                raise forms.ValidationError(
                    _("Enter a number in German notation, for example 1.234,5."), code="invalid"
                )
            return parsed
        return super().to_python(value)


def _areas(user):
    areas = Area.objects.order_by("name")
    return areas if user.is_superuser else areas.filter(pk__in=coordinated_area_ids(user))


class ConceptForm(forms.Form):
    area = forms.ModelChoiceField(Area.objects.none(), label=_("Area"))
    kind = forms.ChoiceField(choices=ConceptKind.choices, label=_("Kind"))
    title = forms.CharField(max_length=250, label=_("Title"))
    summary = forms.CharField(widget=forms.Textarea, required=False, label=_("Summary"))
    adopted_on = forms.DateField(widget=DATE, required=False, label=_("Adopted on"))

    def __init__(self, *args: Any, user, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = _areas(user)


class FieldForm(forms.Form):
    title = forms.CharField(max_length=250, label=_("Field of action"))


class GoalForm(forms.Form):
    field = forms.ModelChoiceField(FieldOfAction.objects.none(), label=_("Field of action"))
    title = forms.CharField(max_length=300, label=_("Goal"))
    description = forms.CharField(widget=forms.Textarea, required=False, label=_("Description"))

    def __init__(self, *args: Any, concept: Concept, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["field"].queryset = concept.fields.all()


class IndicatorForm(forms.ModelForm):
    goal = forms.ModelChoiceField(Goal.objects.none(), label=_("Goal"))

    class Meta:
        model = Indicator
        fields = [
            "goal", "code", "name", "unit", "baseline", "baseline_date", "target",
            "target_date", "direction", "source",
        ]  # fmt: skip
        widgets = {"baseline_date": DATE, "target_date": DATE}

    def __init__(self, *args: Any, concept: Concept, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = Goal.objects.filter(field__concept=concept)
        for name in ("baseline", "target"):
            self.fields[name] = AmountField(
                max_digits=16, decimal_places=3, label=self.fields[name].label
            )

    def _post_clean(self) -> None:
        # The service validates the model (the concept is set there).
        pass


class MeasurementForm(forms.Form):
    indicator = forms.ModelChoiceField(Indicator.objects.none(), label=_("Indicator"))
    date = forms.DateField(widget=DATE, label=_("Date"))
    value = AmountField(max_digits=16, decimal_places=3, label=_("Value"))
    note = forms.CharField(max_length=250, required=False, label=_("Note"))

    def __init__(self, *args: Any, concept: Concept, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = concept.indicators.all()


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns Kennzahl;Datum;Wert (semicolon), German numbers (1.234,5), UTF-8 or "
            "Windows-1252. Either all rows are imported or none."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_CSV_BYTES:
            raise forms.ValidationError(_("The file is larger than 2 MB."))
        return upload


class UpdateForm(forms.Form):
    note = forms.CharField(max_length=300, label=_("What this version changes"))
    adopted_on = forms.DateField(widget=DATE, required=False, label=_("Adopted on"))


class ProjectForm(forms.ModelForm):
    class Meta:
        model = Project
        fields = [
            "title", "description", "investive", "lead_organisation", "partners", "areas",
            "goals", "target_groups", "starts_on", "ends_on", "results", "lat", "lon",
        ]  # fmt: skip
        widgets = {"starts_on": DATE, "ends_on": DATE}

    def __init__(self, *args: Any, user, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["areas"].queryset = Area.objects.order_by("name")
        orgs = Organisation.objects.order_by("name")
        if not user.is_superuser and not coordinated_area_ids(user):
            # Editors lead only their own organisations' projects.
            self.fields["lead_organisation"].queryset = orgs.filter(pk__in=organisation_ids(user))
        else:
            self.fields["lead_organisation"].queryset = orgs
        self.fields["partners"].queryset = orgs
        self.fields["goals"].queryset = Goal.objects.filter(
            field__concept__is_current=True
        ).select_related("field__concept")
        self.fields["target_groups"].queryset = TargetGroup.objects.all()

    def _post_clean(self) -> None:
        pass


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=Status.choices, label=_("Status"))


class MilestoneForm(forms.Form):
    title = forms.CharField(max_length=250, label=_("Milestone"))
    due_on = forms.DateField(widget=DATE, label=_("Due on"))


class BudgetForm(forms.Form):
    programme = forms.ModelChoiceField(Programme.objects.all(), label=_("Funding programme"))
    year = forms.IntegerField(min_value=1990, max_value=2100, label=_("Year"))
    planned = AmountField(max_digits=12, decimal_places=2, min_value=0, label=_("Planned"))
    approved = AmountField(max_digits=12, decimal_places=2, min_value=0, label=_("Approved"))
    spent = AmountField(max_digits=12, decimal_places=2, min_value=0, label=_("Spent"))


class ProgrammeForm(forms.ModelForm):
    class Meta:
        model = Programme
        fields = ["name", "kind", "areas", "starts_on", "ends_on", "coordinator"]
        widgets = {"starts_on": DATE, "ends_on": DATE}

    def __init__(self, *args: Any, user, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["areas"].queryset = _areas(user)
        self.fields["areas"].required = True
        from django.contrib.auth import get_user_model

        self.fields["coordinator"].queryset = (
            get_user_model()
            .objects.filter(Q(is_superuser=True) | Q(role_assignments__role="coordinator"))
            .distinct()
            .order_by("username")
        )

    def _post_clean(self) -> None:
        pass


class ContinuationTaskForm(forms.ModelForm):
    class Meta:
        model = ContinuationTask
        fields = [
            "title", "area", "programme", "project", "ends_on", "successor_organisation",
            "successor_body", "successor_partnership",
        ]  # fmt: skip
        widgets = {"ends_on": DATE}

    def __init__(self, *args: Any, user, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = _areas(user)
        self.fields["successor_body"].queryset = Body.objects.order_by("name")
        self.fields["successor_organisation"].queryset = Organisation.objects.order_by("name")

    def _post_clean(self) -> None:
        pass


class FileForm(forms.Form):
    kind = forms.ChoiceField(choices=FileKind.choices, label=_("Kind"))
    title = forms.CharField(max_length=250, label=_("Title"))
    upload = forms.FileField(
        label=_("File"),
        help_text=_("PDF, JPEG, PNG, DOCX, XLSX, ODT or ODS, up to 10 MB."),
    )


# --- District fund (Verfügungsfonds) -------------------------------------------------------

FUND_CONSENT = _(
    "I agree that my name and e-mail address are stored to handle this application and to "
    "tell me the decision. They are never published and are deleted at the latest 180 days "
    "after the application is closed."
)


def _fund_areas():
    year = timezone.localdate().year
    return (
        Area.objects.public()
        .filter(funds__year=year, funds__is_open=True)
        .select_related("kind")
        .order_by("name")
        .distinct()
    )


class FundApplicationForm(HoneypotMixin, forms.Form):
    area = forms.ModelChoiceField(
        Area.objects.none(),
        to_field_name="slug",
        label=_("Area"),
        empty_label=_("Please choose"),
        error_messages={"invalid_choice": _("Please choose one of the listed areas.")},
    )
    title = forms.CharField(label=_("Title of your project"), max_length=200)
    initiative = forms.CharField(
        label=_("Initiative or group (optional)"), max_length=200, required=False
    )
    purpose = forms.CharField(
        label=_("What is the money for?"),
        max_length=FUND_MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": FUND_MAX_TEXT}),
        help_text=_(
            "At most %(max)s characters. Who takes part, what you plan, what you need to buy."
        )
        % {"max": FUND_MAX_TEXT},
    )
    amount = AmountField(
        label=_("Amount requested (EUR)"),
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=FUND_MAX_AMOUNT,
    )
    planned_on = forms.DateField(label=_("Planned date (optional)"), required=False, widget=DATE)
    applicant_name = forms.CharField(label=_("Your name"), max_length=150)
    applicant_email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_("Only for the receipt and the decision; never published."),
    )
    consent = forms.BooleanField(label=FUND_CONSENT, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = _fund_areas()

    def clean_consent(self) -> bool:
        if not self.cleaned_data.get("consent"):
            raise forms.ValidationError(
                _("Please agree to the storage of your data; we cannot help without it.")
            )
        return True


class FundForm(forms.ModelForm):
    class Meta:
        model = Fund
        fields = [
            "area", "year", "title", "description", "budget", "cap", "programme", "body",
            "is_open",
        ]  # fmt: skip
        field_classes = {"budget": AmountField, "cap": AmountField}

    def __init__(self, *args: Any, user, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = _areas(user)
        self.fields["programme"].queryset = Programme.objects.filter(kind="fund")
        self.fields["budget"].min_value = 0
        self.fields["year"].min_value = 1990
        self.fields["year"].max_value = 2100
        self.fields["year"].validators.append(MinValueValidator(1990))
        self.fields["year"].validators.append(MaxValueValidator(2100))
        self.fields["budget"].validators.append(MinValueValidator(0))
        self.fields["cap"].validators.append(MinValueValidator(Decimal("0.01")))

    def _post_clean(self) -> None:
        pass


class FundAgendaForm(forms.Form):
    meeting = forms.ModelChoiceField(queryset=None, label=_("Meeting"))

    def __init__(self, *args: Any, meetings=None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings


class FundDecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (FundStatus.GRANTED, _("granted")),
            (FundStatus.PARTLY, _("partly granted")),
            (FundStatus.REFUSED, _("refused")),
        ],
    )
    amount_granted = AmountField(
        label=_("Amount granted (EUR)"),
        max_digits=12,
        decimal_places=2,
        min_value=0,
        required=False,
    )
    votes_for = forms.IntegerField(label=_("Votes for"), min_value=0, max_value=1000)
    votes_against = forms.IntegerField(label=_("Votes against"), min_value=0, max_value=1000)
    abstentions = forms.IntegerField(label=_("Abstentions"), min_value=0, max_value=1000)
    note = forms.CharField(
        label=_("Reasons (public)"),
        required=False,
        max_length=FUND_MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class FundStatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("New status"),
        choices=[(FundStatus.PAID, _("paid / settled")), (FundStatus.WITHDRAWN, _("withdrawn"))],
    )


MAX_REPORT_YEARS = 20


class ReportForm(forms.Form):
    """The period and the area or programme of a progress report (by its address, so a link to a
    report can be shared; unknown addresses are a form error, others' areas a 403)."""

    area = forms.SlugField(required=False, label=_("Area"))
    programme = forms.SlugField(required=False, label=_("Funding programme"))
    start = forms.DateField(widget=DATE, label=_("From"))
    end = forms.DateField(widget=DATE, label=_("To"))

    def __init__(self, *args: Any, user, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from quartier.projects.rules import seen_area_ids

        areas = Area.objects.order_by("name")
        programmes = Programme.objects.order_by("name")
        if not user.is_superuser:
            seen = seen_area_ids(user)
            areas = areas.filter(pk__in=seen)
            programmes = programmes.filter(areas__in=seen).distinct()
        blank = [("", "—")]
        self.fields["area"].widget = forms.Select(
            choices=blank + [(a.slug, a.name) for a in areas[:500]]
        )
        self.fields["programme"].widget = forms.Select(
            choices=blank + [(p.slug, p.name) for p in programmes[:500]]
        )

    def clean_area(self):
        slug = self.cleaned_data.get("area")
        if not slug:
            return None
        area = Area.objects.filter(slug=slug).first()
        if area is None:
            raise forms.ValidationError(_("There is no such area."))
        return area

    def clean_programme(self):
        slug = self.cleaned_data.get("programme")
        if not slug:
            return None
        programme = Programme.objects.prefetch_related("areas").filter(slug=slug).first()
        if programme is None:
            raise forms.ValidationError(_("There is no such funding programme."))
        return programme

    def clean(self):
        data = super().clean()
        area, programme = data.get("area"), data.get("programme")
        if "area" in data and "programme" in data and bool(area) == bool(programme):
            raise forms.ValidationError(_("Choose either an area or a funding programme."))
        start, end = data.get("start"), data.get("end")
        if start and end:
            if start > end:
                self.add_error("end", _("The end of the period must not be before its start."))
            elif end.year - start.year >= MAX_REPORT_YEARS:
                self.add_error(
                    "end", _("A report covers at most %(n)d years.") % {"n": MAX_REPORT_YEARS}
                )
        return data
