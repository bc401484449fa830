from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "quartier.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from quartier.core import db

        db.connect()
        from quartier.core.models import LegalPage
        from quartier.core.registry import registry

        # The footer's legal pages show the admins' texts.
        registry.add_page_models(LegalPage)
