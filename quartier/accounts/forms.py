from __future__ import annotations

from typing import Any

from django import forms
from django.apps import apps
from django.contrib.auth.forms import UserCreationForm
from django.utils.translation import gettext_lazy as _

from quartier.accounts.models import Role, User

# accounts sits above areas and directory in the app order: their models by name, not import.
Area = apps.get_model("areas", "Area")
Organisation = apps.get_model("directory", "Organisation")


class SignupForm(UserCreationForm):
    """Self-registration for residents: a username, an e-mail address and a password."""

    class Meta:
        model = User
        fields = ["username", "email"]

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("An account with this e-mail address already exists."))
        return email


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["email", "display_name"]
        help_texts = {"display_name": _("Optional; shown instead of your username.")}

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("An account with this e-mail address already exists."))
        return email


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("The password is not correct."))
        return password


class RoleAssignmentForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    area = forms.ModelChoiceField(
        label=_("Area"),
        queryset=Area.objects.select_related("kind").order_by("kind__level", "name"),
        required=False,
        help_text=_("Needed for planners; optional for coordinators."),
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
        help_text=_("Needed for editors; optional for coordinators."),
    )

    def clean_username(self) -> User:
        username = self.cleaned_data["username"].strip()
        try:
            return User.objects.get(username=username)
        except User.DoesNotExist as exc:
            raise forms.ValidationError(_("There is no user with this username.")) from exc

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        role, area, organisation = data.get("role"), data.get("area"), data.get("organisation")
        if role == Role.PLANNER and area is None:
            self.add_error("area", _("A planner needs an area."))
        if role == Role.EDITOR and organisation is None:
            self.add_error("organisation", _("An editor needs an organisation."))
        if role == Role.COORDINATOR and area is None and organisation is None:
            self.add_error("area", _("A coordinator needs an area or an organisation."))
        if role == Role.PLANNER:
            data["organisation"] = None
        if role == Role.EDITOR:
            data["area"] = None
        return data
