from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "quartier.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from quartier.accounts.middleware import mark_login
        from quartier.core.registry import NavItem, registry

        user_logged_in.connect(
            lambda sender, request, **kwargs: mark_login(request) if request else None,
            dispatch_uid="quartier.accounts.mark_login",
            weak=False,
        )

        registry.add_nav(
            NavItem(
                "backoffice:accounts:roles",
                _("Roles"),
                order=90,
                backoffice=True,
                visible=lambda user: user.has_perm("accounts.manage_roles"),
            )
        )
        registry.add_nav(
            NavItem(
                "backoffice:accounts:security",
                _("Login security"),
                order=91,
                backoffice=True,
                visible=lambda user: user.has_perm("accounts.manage_security"),
            )
        )
        registry.add_nav(
            NavItem(
                "backoffice:accounts:privacy",
                _("Data protection"),
                order=92,
                backoffice=True,
                visible=lambda user: user.has_perm("accounts.handle_privacy_requests"),
            )
        )
