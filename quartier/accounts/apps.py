from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "quartier.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from quartier.core.registry import NavItem, registry

        registry.add_nav(
            NavItem(
                "backoffice:accounts:roles",
                _("Roles"),
                order=90,
                backoffice=True,
                visible=lambda user: user.has_perm("accounts.manage_roles"),
            )
        )
