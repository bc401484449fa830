"""The back office (/verwaltung/): the dashboard lives in core, each app adds its own pages
under its own prefix from its `backoffice_urls` module (found by app label)."""

from django.urls import URLPattern, URLResolver, include, path

from quartier.core import backoffice
from quartier.core.registry import app_modules

app_name = "backoffice"

urlpatterns: list[URLPattern | URLResolver] = [path("", backoffice.dashboard, name="dashboard")]

for _config, _module in app_modules("backoffice_urls"):
    if _config.name != "quartier.core":
        urlpatterns.append(path(f"{_config.label}/", include(_module)))
