"""The back office (/verwaltung/): the dashboard lives in core, each app adds its own pages
under its own prefix from its `backoffice_urls` module (found by app label)."""

import importlib

from django.apps import apps
from django.urls import include, path

from quartier.core import backoffice

app_name = "backoffice"

urlpatterns = [path("", backoffice.dashboard, name="dashboard")]

for _config in apps.get_app_configs():
    if _config.name.startswith("quartier.") and _config.name != "quartier.core":
        try:
            importlib.import_module(f"{_config.name}.backoffice_urls")
        except ModuleNotFoundError as exc:
            if exc.name != f"{_config.name}.backoffice_urls":
                raise
            continue
        urlpatterns.append(path(f"{_config.label}/", include(f"{_config.name}.backoffice_urls")))
