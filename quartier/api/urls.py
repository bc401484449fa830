"""The JSON API: one NinjaAPI, with a router from every app that has an `api.py`.

An app's `api.py` defines `router` (a ninja Router) and optionally `PREFIX` (default: the app
label). The standard APIs (hsds, oparl, open311) live in subpackages of this app and are found
the same way, so adding an API never means editing this file.
"""

from django.urls import path

from quartier.api.base import api

api_urlpatterns = [path("api/", api.urls)]
