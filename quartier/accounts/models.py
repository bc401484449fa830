from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin, TimestampMixin
from simple_history.models import HistoricalRecords


# django-stubs cannot follow django-otp's (untyped) Device.user to WebAuthnCredential.
class User(AbstractUser):  # type: ignore[django-manager-missing]
    """A login. Residents may have one (optional); contact persons need not (see directory.Person).

    Retention: accounts unused for `ACCOUNT_RETENTION_DAYS` (settings) are deleted by the
    `purge_personal_data` command; see docs/privacy.md.
    """

    email = models.EmailField(_("e-mail address"), unique=True)
    display_name = models.CharField(_("display name"), max_length=150, blank=True)
    # When a link mailed to `email` proved the address (sign-up, an alert's confirmation);
    # cleared when the address changes. Only a proven address skips the alerts' double opt-in.
    email_verified_at = models.DateTimeField(_("e-mail address confirmed"), null=True, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username


class Role(models.TextChoices):
    PLANNER = "planner", _("Area planner")
    COORDINATOR = "coordinator", _("Coordinator")
    EDITOR = "editor", _("Organisation editor")


class RoleAssignmentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def of_role(self, role: str):
        return self.filter(role=role)


class RoleAssignment(models.Model):
    """A user's role with its scope.

    - planner (Sozialraumplanung): an area; sees and manages everything in it and below it.
    - coordinator (of a network, quarter office or social-space centre): an area and/or the
      coordinating organisation; networks add their own coordination through memberships.
    - editor: the organisation whose entries the user maintains.
    Platform admins are users with `is_superuser`; residents are users without assignments.
    """

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="role_assignments", verbose_name=_("user")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    area = models.ForeignKey(
        "areas.Area",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("area"),
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("organisation"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    # Who granted or withdrew which role, and when.
    history = HistoricalRecords()
    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.CheckConstraint(
                condition=~Q(role="planner") | Q(area__isnull=False),
                name="roleassignment_planner_has_area",
            ),
            models.CheckConstraint(
                condition=~Q(role="editor") | Q(organisation__isnull=False),
                name="roleassignment_editor_has_organisation",
            ),
            models.CheckConstraint(
                condition=~Q(role="coordinator")
                | Q(area__isnull=False)
                | Q(organisation__isnull=False),
                name="roleassignment_coordinator_has_scope",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "area", "organisation"],
                name="roleassignment_unique",
            ),
        ]

    def __str__(self) -> str:
        scope = self.area or self.organisation
        return f"{self.user}: {self.get_role_display()} ({scope})"


class PrivacyRequest(models.Model):
    """The record of a data subject's request handled (DSGVO Art. 15/17/20; accountability,
    Art. 5(2)): what was done, how the person was identified, by whom. The address is kept
    only as a keyed hash (core.privacy.address_digest): enough to answer "did we handle a
    request from this address?", not to read it back. Deleted after PRIVACY_REQUEST_DAYS
    (accounts/retention.py)."""

    class Kind(models.TextChoices):
        EXPORT = "export", _("export")
        ERASE = "erase", _("erasure")

    class Channel(models.TextChoices):
        ACCOUNT = "account", _("account page")
        EMAIL = "email", _("confirmed e-mail request")
        LETTER = "letter", _("letter, handled by an admin")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    address_digest = models.CharField(_("address (keyed hash)"), max_length=64)
    reference = models.CharField(_("reference"), max_length=200, blank=True)
    handled_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handled by"),
    )
    records = models.PositiveIntegerField(_("records"), default=0)
    created_at = models.DateTimeField(_("handled"), auto_now_add=True)

    class Meta:
        verbose_name = _("data subject request")
        verbose_name_plural = _("data subject requests")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_channel_display()})"


class WebAuthnCredential(ThrottlingMixin, TimestampMixin, Device):
    """A security key or passkey (WebAuthn) registered as a second factor (accounts/passkeys.py).

    A django-otp device, so that a login verified with it is kept in the session like one
    verified with the app, and removing the key ends that verification at once (OTPMiddleware
    looks the device up on every request). Only the public key is stored; `name` is the owner's
    label ("YubiKey blau"). Deleted with the account (personal data: accounts/privacy.py).
    """

    # base64url of the authenticator's credential id (at most 1023 bytes, WebAuthn L3 §5.1).
    credential_id = models.CharField(_("credential id"), max_length=1400, unique=True)
    public_key = models.BinaryField(_("public key (COSE)"))
    # The authenticator's signature counter; a response that does not raise it is refused
    # (a cloned key). Authenticators without a counter always send 0.
    sign_count = models.PositiveBigIntegerField(_("signature counter"), default=0)
    transports = models.JSONField(_("transports"), default=list, blank=True)
    aaguid = models.CharField(_("authenticator model (AAGUID)"), max_length=36, blank=True)
    backed_up = models.BooleanField(_("synced passkey"), default=False)

    class Meta(Device.Meta):
        verbose_name = _("security key")
        verbose_name_plural = _("security keys")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.name

    def get_throttle_factor(self) -> int:
        # The same doubling wait after a failure as the app's codes (settings.OTP_TOTP_...).
        return int(getattr(settings, "OTP_TOTP_THROTTLE_FACTOR", 1))
