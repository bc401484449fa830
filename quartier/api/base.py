from __future__ import annotations

import importlib
import logging
import pkgutil

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

import quartier
from quartier.core.registry import app_modules

logger = logging.getLogger(__name__)

ERROR_SCHEMA = {
    "title": "Error",
    "type": "object",
    "properties": {
        "message": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
            },
        },
    },
    "required": ["message"],
}
# The answers every operation may give besides its own (base.py's handlers, the NUL guard in
# core/middleware.py, the URL resolver for path parameters that do not fit their type).
COMMON_ERRORS = {
    400: "Bad request (for example a NUL character in the input)",
    404: "Not found",
    422: "The input is not valid; `errors` names each field",
}
# ... and those of writes and of operations that need a session.
WRITE_ERRORS = {
    401: "Not logged in",
    403: "Not allowed for this account, organisation or object",
    413: "The request body is too large",
    429: "Too many requests; try again later",
}


class QuartierAPI(NinjaAPI):
    """NinjaAPI whose OpenAPI document names every error answer an operation can give, so
    that clients (and schemathesis, tests/core/test_openapi_schemathesis.py) can rely on it."""

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        from quartier.api.open311 import render as open311_render  # after the apps' routers

        schemas = schema.setdefault("components", {}).setdefault("schemas", {})
        schemas["Error"] = ERROR_SCHEMA
        schemas["Open311Errors"] = open311_render.ERRORS_SCHEMA
        for path, methods in schema["paths"].items():
            for method, operation in methods.items():
                if path.startswith("/api/open311/"):
                    # GeoReport v2's own formats and error list (api/open311/render.py).
                    open311_render.openapi_operation(path, method, operation)
                    continue
                errors = dict(COMMON_ERRORS)
                if method != "get" or operation.get("security"):
                    errors.update(WRITE_ERRORS)
                responses = operation.setdefault("responses", {})
                declared = {str(code) for code in responses}
                for code, description in errors.items():
                    if str(code) not in declared:
                        responses[code] = {
                            "description": description,
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Error"}
                                }
                            },
                        }
        return schema


api = QuartierAPI(
    title="Quartier API",
    version=quartier.__version__,
    description=(
        "JSON API of Quartier. Public reads need no login; writes need a session. "
        "Errors are JSON objects with `message` and, for invalid input, `errors` "
        "(a list of `field` and `message`)."
    ),
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)


def _field_name(loc: list) -> str:
    # ninja reports e.g. ["query", "bbox"] or ["body", "payload", "name"]; the first part is
    # where, the last the field.
    parts = [str(part) for part in loc if part not in ("body", "query", "path", "payload")]
    return ".".join(parts) or "request"


@api.exception_handler(NinjaValidationError)
def on_validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors = [
        {"field": _field_name(list(err.get("loc", []))), "message": str(err.get("msg", ""))}
        for err in exc.errors
    ]
    return api.create_response(
        request, {"message": _("The input is not valid."), "errors": errors}, status=422
    )


@api.exception_handler(DjangoValidationError)
def on_django_validation_error(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    if hasattr(exc, "error_dict"):
        errors = [
            {"field": field, "message": str(message)}
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    else:
        errors = [{"field": "request", "message": str(message)} for message in exc.messages]
    return api.create_response(
        request, {"message": _("The input is not valid."), "errors": errors}, status=422
    )


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"message": _("Not found.")}, status=404)


@api.exception_handler(PermissionDenied)
def on_forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(
        request, {"message": _("You are not allowed to do this.")}, status=403
    )


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(request, {"message": _("Please log in.")}, status=401)


@api.exception_handler(RequestDataTooBig)
def on_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return api.create_response(
        request, {"message": _("The request body is too large.")}, status=413
    )


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return api.create_response(request, {"message": str(exc)}, status=exc.status_code)


@api.exception_handler(Exception)
def on_any_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("Unhandled error in API %s", request.path)
    return api.create_response(
        request, {"message": _("Something went wrong on our side.")}, status=500
    )


@api.get("/", url_name="index", tags=["meta"])
def index(request: HttpRequest) -> dict:
    """Where to start: the machine-readable description and the standard APIs."""
    base = request.build_absolute_uri("/api/")
    return {
        "name": "Quartier API",
        "version": quartier.__version__,
        "openapi": f"{base}openapi.json",
        "docs": f"{base}docs",
    }


def _discover() -> None:
    """Add the router of every app's `api` module and of each standard API subpackage."""
    modules = [
        (module, config.label)
        for config, module in app_modules("api")
        if config.name != "quartier.api"
    ]
    import quartier.api as api_package

    for info in pkgutil.iter_modules(api_package.__path__):
        if info.ispkg:
            modules.append((importlib.import_module(f"quartier.api.{info.name}"), info.name))
    for module, label in modules:
        router = getattr(module, "router", None)
        if router is not None:
            api.add_router(getattr(module, "PREFIX", f"/{label}/"), router)


_discover()
