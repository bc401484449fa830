from __future__ import annotations

from typing import Any

from django import forms
from django.apps import apps
from django.contrib.auth.forms import UserCreationForm
from django.utils.translation import gettext_lazy as _

from quartier.accounts import twofactor
from quartier.accounts.models import Role, User
from quartier.core.forms import HoneypotMixin

# accounts sits above areas and directory in the app order: their models by name, not import.
Area = apps.get_model("areas", "Area")
Organisation = apps.get_model("directory", "Organisation")


class SignupForm(HoneypotMixin, UserCreationForm):
    """Self-registration for residents: a username, an e-mail address and a password.

    An address that already has an account is not refused here: the answer must not tell
    (services.user_register mails the address's owner instead). Nor is a username that is
    taken: the account gets a free variant of it, which the confirmation mail names (issue 19).
    """

    class Meta:
        model = User
        fields = ["username", "email"]

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    def clean_username(self) -> str:
        # UserCreationForm's own check would say that the name is taken.
        return self.cleaned_data.get("username")

    def _get_validation_exclusions(self) -> set[str]:
        # The model's unique checks would say that the address or the name is taken.
        return {*super()._get_validation_exclusions(), "email", "username"}


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


class CodeForm(forms.Form):
    """A code from the authenticator app or, where `recovery`, a recovery code."""

    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )

    def __init__(self, *args: Any, user: User, device: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.device = device  # the device to check; None: the user's confirmed devices
        self.verified: Any = None
        if device is None:
            self.fields["code"].help_text = _(
                "The six digits your authenticator app shows, or one of your recovery codes."
            )
        else:
            self.fields["code"].help_text = _("The six digits your authenticator app shows.")

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split()).lower()
        # django-otp's throttle: after a wrong code the next waits (1, 2, 4, ... seconds).
        wait = twofactor.wait_seconds(self.user, self.device)
        if wait:
            raise forms.ValidationError(
                _("Too many wrong codes. Please wait %(seconds)s seconds and try again.")
                % {"seconds": wait}
            )
        if self.device is not None:
            self.verified = self.device if self.device.verify_token(code) else None
        else:
            self.verified = twofactor.verify_code(self.user, code)
        if self.verified is None:
            raise forms.ValidationError(_("This code is not correct."))
        return code


def _password_field() -> forms.CharField:
    return forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class PasswordCheckForm(forms.Form):
    """Asks for the password again before a change of the second factor."""

    password = _password_field()

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("The password is not correct."))
        return password


class DisableTwoFactorForm(CodeForm):
    """Password and a current code: a stolen session alone cannot turn the factor off."""

    password = _password_field()
    field_order = ["password", "code"]
    clean_password = PasswordCheckForm.clean_password

    def clean_code(self) -> str:
        # A wrong password ends it here: the code is neither used up nor counted as a failure.
        if "password" not in self.cleaned_data:
            return self.cleaned_data["code"]
        return super().clean_code()


class SecurityKeyNameForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the key"),
        max_length=64,
        help_text=_("So that you can tell your keys apart, for example “YubiKey blue”."),
    )

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Please name the key."))
        return name


class PasswordResetRequestForm(HoneypotMixin, forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


class UsernameForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)

    def clean_username(self) -> User:
        username = self.cleaned_data["username"].strip()
        try:
            return User.objects.get(username=username)
        except User.DoesNotExist as exc:
            raise forms.ValidationError(_("There is no user with this username.")) from exc


class PrivacyRequestForm(HoneypotMixin, forms.Form):
    """Asking for one's data without an account: the link goes to the address typed."""

    email = forms.EmailField(label=_("E-mail address"), max_length=254)


class EraseConfirmForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Yes, erase these data. I know this cannot be undone."), required=True
    )


class LetterRequestForm(forms.Form):
    """An admin handles a request received by letter (the identity checked by the admin)."""

    email = forms.EmailField(label=_("E-mail address the person gave"), max_length=254)
    reference = forms.CharField(
        label=_("Reference"),
        max_length=200,
        help_text=_("For example the date of the letter and the file number; no other data."),
    )
    action = forms.ChoiceField(
        label=_("Request"),
        choices=[("export", _("Access (export)")), ("erase", _("Erasure"))],
        widget=forms.RadioSelect,
    )
    confirm = forms.BooleanField(
        label=_("The person's identity has been checked; for an erasure: erase now."),
        required=True,
    )
