"""Forms of participation: proposal, code, survey answers (public); round, answer, survey,
question, codes, links and result recording (back office)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from quartier.core.forms import HoneypotMixin
from quartier.participation.models import QuestionKind, Round, Status
from quartier.participation.services import MAX_ANSWER_TEXT, MAX_CODES, MAX_TEXT
from quartier.projects.models import Concept, Indicator, Project

CONSENT_REPLIES = _(
    "I would like replies by e-mail. My e-mail address is stored for this, never shown "
    "publicly, and deleted at the latest 180 days after the round closed."
)
CONSENT_SURVEY = _(
    "You may contact me about the results. My e-mail address is stored for this, kept apart "
    "from the public results and deleted at the latest 180 days after the round closed."
)


class ProposalForm(HoneypotMixin, forms.Form):
    field: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=None,
        label=_("Field of action"),
        empty_label=_("Please choose"),
        error_messages={"invalid_choice": _("Please choose one of the listed fields of action.")},
    )
    title = forms.CharField(label=_("Title of your proposal"), max_length=200)
    text = forms.CharField(
        label=_("Your proposal"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": MAX_TEXT}),
        help_text=_("At most %(max)s characters. Please do not name other people.")
        % {"max": MAX_TEXT},
    )
    lat = forms.FloatField(required=False, widget=forms.HiddenInput, min_value=-90, max_value=90)
    lon = forms.FloatField(required=False, widget=forms.HiddenInput, min_value=-180, max_value=180)
    contact_consent = forms.BooleanField(required=False, label=CONSENT_REPLIES)
    contact_email = forms.EmailField(label=_("Your e-mail address"), required=False)

    def __init__(self, *args, round_: Round, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].queryset = round_.concept.fields.all()  # type: ignore[attr-defined]

    def clean(self):
        data = super().clean()
        if data.get("contact_consent") and not data.get("contact_email"):
            self.add_error(
                "contact_email",
                _("Please give an e-mail address for replies, or untick the box above."),
            )
        return data


class CodeForm(HoneypotMixin, forms.Form):
    code = forms.CharField(label=_("Your code from the printed sheet"), max_length=20)


class SurveyForm(HoneypotMixin, forms.Form):
    """One field per question (`q<id>`), and the optional contact with consent."""

    def __init__(self, *args, survey, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(survey.questions.all())
        for question in self.questions:
            name = f"q{question.pk}"
            options = [(str(value), label) for value, label in question.options()]
            common = {"label": question.text, "required": question.required}
            if question.kind == QuestionKind.TEXT:
                field = forms.CharField(
                    max_length=MAX_ANSWER_TEXT,
                    widget=forms.Textarea(attrs={"rows": 3, "maxlength": MAX_ANSWER_TEXT}),
                    **common,
                )
            elif question.kind == QuestionKind.MULTIPLE:
                field = forms.MultipleChoiceField(
                    choices=options, widget=forms.CheckboxSelectMultiple, **common
                )
            else:
                field = forms.ChoiceField(choices=options, widget=forms.RadioSelect, **common)
                if question.kind == QuestionKind.SCALE:
                    field.help_text = _("1 = not at all, 5 = very much")
            self.fields[name] = field
        if survey.ask_contact:
            self.fields["contact_consent"] = forms.BooleanField(
                required=False, label=CONSENT_SURVEY
            )
            self.fields["contact_email"] = forms.EmailField(
                label=_("Your e-mail address"), required=False
            )

    def answers(self) -> dict[int, object]:
        return {q.pk: self.cleaned_data.get(f"q{q.pk}") for q in self.questions}


class RoundForm(forms.Form):
    concept: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=None, label=_("Development concept")
    )
    title = forms.CharField(label=_("Title"), max_length=250)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=MAX_TEXT, widget=forms.Textarea
    )
    opens_on = forms.DateField(label=_("Open from"), widget=forms.DateInput(attrs={"type": "date"}))
    closes_on = forms.DateField(
        label=_("Open until"), widget=forms.DateInput(attrs={"type": "date"})
    )
    is_published = forms.BooleanField(label=_("Published"), required=False, initial=True)

    def __init__(self, *args, concepts=None, **kwargs):
        super().__init__(*args, **kwargs)
        if concepts is None:
            del self.fields["concept"]
        else:
            self.fields["concept"].queryset = concepts

    def clean(self):
        data = super().clean()
        if data.get("opens_on") and data.get("closes_on") and data["closes_on"] < data["opens_on"]:
            self.add_error("closes_on", _("The round cannot close before it opens."))
        return data


def concepts_for(area_ids) -> object:
    concepts = Concept.objects.filter(is_current=True).select_related("area")
    return concepts if area_ids is None else concepts.filter(area_id__in=area_ids)


class AnswerForm(forms.Form):
    status = forms.ChoiceField(choices=Status.choices, label=_("Status"))
    answer = forms.CharField(
        label=_("Public answer"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    project = forms.ModelChoiceField(
        queryset=Project.objects.none(),
        required=False,
        label=_("Project that carries it"),
        empty_label=_("no project"),
    )

    def __init__(self, *args, area_ids=None, project_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        projects = Project.objects.all()
        if area_ids is not None:
            projects = projects.filter(areas__in=area_ids).distinct()
        field = self.fields["project"]
        field.queryset = projects.order_by("title")  # type: ignore[attr-defined]
        if project_choices is not None:
            # Rendering many answer forms on one page: the choices are read once.
            field.choices = project_choices  # type: ignore[attr-defined]

    @staticmethod
    def choices_for(area_ids) -> list[tuple[object, str]]:
        form = AnswerForm(area_ids=area_ids)
        return list(form.fields["project"].choices)  # type: ignore[attr-defined]


class SurveySetForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=250)
    intro = forms.CharField(
        label=_("Introduction"), required=False, max_length=MAX_TEXT, widget=forms.Textarea
    )
    ask_contact = forms.BooleanField(
        label=_("Ask for an e-mail address (with consent)"), required=False
    )


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(choices=QuestionKind.choices, label=_("Kind"))
    text = forms.CharField(label=_("Question"), max_length=300)
    choices = forms.CharField(
        label=_("Choices, one per line (single and multiple choice)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    required = forms.BooleanField(label=_("Required"), required=False)


class CountForm(forms.Form):
    count = forms.IntegerField(label=_("How many?"), min_value=1, max_value=MAX_CODES, initial=20)


class RecordForm(forms.Form):
    question: forms.ModelChoiceField = forms.ModelChoiceField(queryset=None, label=_("Question"))
    values = forms.CharField(
        label=_("Answers counted (their numbers, comma-separated)"),
        max_length=100,
        help_text=_("For example 4,5 for the two highest points of a scale; choices count from 0."),
    )
    indicator: forms.ModelChoiceField = forms.ModelChoiceField(queryset=None, label=_("Indicator"))
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, survey, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["question"].queryset = survey.questions.exclude(kind=QuestionKind.TEXT)
        self.fields["indicator"].queryset = Indicator.objects.filter(
            concept=survey.round.concept_id
        )

    def clean_values(self) -> list[int]:
        raw = self.cleaned_data["values"]
        try:
            return sorted({int(part) for part in raw.replace(" ", "").split(",") if part})
        except ValueError:
            raise forms.ValidationError(_("Give numbers separated by commas.")) from None
