from django.contrib import admin
from django.urls import include, path

from quartier.api.urls import api_urlpatterns

handler400 = "quartier.core.views.bad_request"
handler403 = "quartier.core.views.permission_denied"
handler404 = "quartier.core.views.page_not_found"
handler500 = "quartier.core.views.server_error"

urlpatterns = [
    path("", include("quartier.core.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("konto/", include("quartier.accounts.urls")),
    path("verwaltung/", include("quartier.core.backoffice_urls")),
    path("", include("quartier.areas.urls")),
    path("", include("quartier.directory.urls")),
    path("", include("quartier.offers.urls")),
    path("", include("quartier.search.urls")),
    path("", include("quartier.alerts.urls")),
    path("", include("quartier.networks.urls")),
    path("", include("quartier.venues.urls")),
    path("", include("quartier.events.urls")),
    path("", include("quartier.monitoring.urls")),
    path("", include("quartier.projects.urls")),
    path("", include("quartier.participation.urls")),
    path("", include("quartier.concerns.urls")),
    path("", include("quartier.statements.urls")),
    path("", include("quartier.publications.urls")),
    *api_urlpatterns,
]
