"""Forms of publications: posts, newsletter lists, sign-up, issues and articles."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from quartier.accounts.rules import is_platform_admin
from quartier.areas.models import Area
from quartier.areas.rules import managed_area_ids
from quartier.core.forms import HoneypotMixin
from quartier.directory.models import Organisation
from quartier.networks.models import Body
from quartier.publications.models import Issue, NewsletterList, Post
from quartier.publications.rules import organisation_ids

IMAGE_FORMATS = {"JPEG", "PNG", "WEBP"}
DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def image_max_bytes() -> int:
    return int(getattr(settings, "QUARTIER_NEWS_IMAGE_MAX_BYTES", 2 * 1024 * 1024))


class _Owned(forms.ModelForm):
    """Limits the organisation to those the user acts for (admins: all)."""

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisations = Organisation.objects.order_by("name")
        if not is_platform_admin(user):
            # Planners publish for the organisations working in their areas.
            organisations = organisations.filter(
                Q(pk__in=organisation_ids(user)) | Q(areas__in=managed_area_ids(user))
            ).distinct()
        self.fields["organisation"].queryset = organisations
        if "area" in self.fields:
            self.fields["area"].queryset = Area.objects.order_by("name")
        if "body" in self.fields:
            self.fields["body"].queryset = Body.objects.order_by("name")


class PostForm(_Owned):
    class Meta:
        model = Post
        fields = [
            "title", "teaser", "text", "image", "image_alt", "image_credit",
            "organisation", "area", "body", "tags", "published_at",
        ]  # fmt: skip
        widgets = {"published_at": DATETIME_WIDGET, "text": forms.Textarea(attrs={"rows": 14})}
        help_texts = {
            "text": _(
                "HTML with headings (h2–h4), paragraphs, lists, links and images; anything "
                "else (scripts, styles) is removed."
            ),
            "published_at": _("Empty: a draft. A time in the future: published then."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["image"].help_text = _("JPEG, PNG or WebP, at most %(mb)s MB.") % {
            "mb": image_max_bytes() // (1024 * 1024)
        }

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
        if data.get("image") and not data.get("image_alt"):
            self.add_error("image_alt", _("Describe the image for people who cannot see it."))
        return data


class NewsletterListForm(_Owned):
    class Meta:
        model = NewsletterList
        fields = [
            "name", "description", "organisation", "area", "body", "consent_text", "is_active",
        ]  # fmt: skip


class SignUpForm(HoneypotMixin, forms.Form):
    email = forms.EmailField(label=_("Your e-mail address"), max_length=254)
    consent = forms.BooleanField(
        label=_("I agree to the text above and want to receive this newsletter.")
    )


class LanguageForm(forms.Form):
    """The language of the newsletter mails an address receives (all its lists)."""

    language = forms.ChoiceField(label=_("Language of the e-mails"), choices=settings.LANGUAGES)


class IssueForm(_Owned):
    class Meta:
        model = Issue
        fields = [
            "title", "number", "organisation", "area", "period_start", "period_end",
            "editorial", "imprint",
        ]  # fmt: skip
        widgets = {"period_start": DATE_WIDGET, "period_end": DATE_WIDGET}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period ends before it starts."))
        return data


class ArticleForm(forms.Form):
    post = forms.ModelChoiceField(
        queryset=Post.objects.none(),
        required=False,
        label=_("Take a news post"),
    )
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    text = forms.CharField(
        label=_("Text"), widget=forms.Textarea(attrs={"rows": 10}), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["post"].queryset = Post.objects.published().order_by("-published_at")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("post") and not (data.get("title") or "").strip():
            raise forms.ValidationError(_("Write an article with a title, or take a news post."))
        return data


class ApproveForm(forms.Form):
    publish_at = forms.DateTimeField(
        label=_("Publish at"), widget=DATETIME_WIDGET, input_formats=["%Y-%m-%dT%H:%M"]
    )


class SendForm(forms.Form):
    newsletter = forms.ModelChoiceField(
        queryset=NewsletterList.objects.none(), label=_("Newsletter")
    )

    def __init__(self, *args: Any, lists: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["newsletter"].queryset = lists
