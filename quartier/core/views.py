from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from quartier.core import legal


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness: the process answers. Touches no database on purpose."""
    return JsonResponse({"status": "ok"})


@require_GET
@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness: the database answers a trivial query."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        return JsonResponse({"status": "unavailable", "database": str(exc)[:200]}, status=503)
    return JsonResponse({"status": "ok", "database": connection.vendor})


def _wants_json(request: HttpRequest) -> bool:
    return request.path.startswith("/api/") or "application/json" in request.headers.get(
        "Accept", ""
    )


def _error(request: HttpRequest, status: int, message: str) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse({"message": message}, status=status)
    return render(request, f"errors/{status}.html", {"message": message}, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    from django.utils.translation import gettext as _

    return _error(request, 400, _("The request could not be understood."))


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    from django.utils.translation import gettext as _

    return _error(request, 403, _("You are not allowed to do this."))


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    from django.utils.translation import gettext as _

    return _error(request, 404, _("This page does not exist."))


def server_error(request: HttpRequest) -> HttpResponse:
    from django.utils.translation import gettext as _

    message = _("Something went wrong on our side. Please try again later.")
    if _wants_json(request):
        return JsonResponse({"message": message}, status=500)
    # No context processors here: the failure may lie in them.
    from django.template import loader

    return HttpResponse(
        loader.get_template("errors/500.html").render({"message": message}), status=500
    )


@never_cache
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: a form was refused because its security token did not fit.

    In the house layout and the visitor's language, with what to do about it; Django's reason
    picks the advice (cookies off, a form from another site, or an old form) and is not shown.
    Rendering the page sets a fresh CSRF cookie, so reloading the form and sending it again
    works. API clients get JSON.
    """
    from django.middleware import csrf
    from django.utils.translation import gettext as _

    if reason == csrf.REASON_NO_CSRF_COOKIE:
        cause = "cookies"
    elif reason.startswith(("Origin checking failed", "Referer checking failed")):
        cause = "origin"
    else:
        cause = "expired"
    message = _("The form could not be sent because its security check failed.")
    if _wants_json(request):
        return JsonResponse({"message": message}, status=403)
    return render(request, "errors/csrf.html", {"message": message, "cause": cause}, status=403)


# --- Legal pages (core/legal.py) ----------------------------------------------------------------


@require_GET
def imprint(request: HttpRequest) -> HttpResponse:
    return render(request, "core/legal/imprint.html", legal.imprint_context())


@require_GET
def privacy_policy(request: HttpRequest) -> HttpResponse:
    return render(request, "core/legal/privacy.html", legal.privacy_context())


@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/legal/accessibility.html", legal.accessibility_context())


@require_GET
def contact(request: HttpRequest) -> HttpResponse:
    return render(request, "core/legal/contact.html", legal.contact_context())


@require_GET
def easy_language(request: HttpRequest) -> HttpResponse:
    return render(request, "core/legal/easy_language.html", legal.easy_language_context(request))
