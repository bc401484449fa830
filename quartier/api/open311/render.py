"""The two formats of GeoReport v2 (JSON and XML) and its error format.

Every answer of the API goes through `respond`; every error through `error`, which writes the
specification's array of {code, description} (in XML <errors><error>...), whatever went wrong.
"""

from __future__ import annotations

import json
import re
from typing import Any
from xml.etree import ElementTree as ET

from django.http import HttpResponse

FORMATS = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}


class Open311Error(Exception):
    def __init__(self, code: int, description: str) -> None:
        super().__init__(description)
        self.code = code
        self.description = description


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    # Control characters are not allowed in XML 1.0: a description may carry them.
    return _CONTROL.sub("", str(value))


def _element(parent: ET.Element, name: str, value: Any, item_names: dict[str, str]) -> None:
    node = ET.SubElement(parent, name)
    if isinstance(value, dict):
        for key, inner in value.items():
            _element(node, key, inner, item_names)
    elif isinstance(value, list):
        child = item_names.get(name, "item")
        for inner in value:
            _element(node, child, inner, item_names)
    else:
        node.text = _text(value)


# The element names of list items in the specification's XML.
ITEM_NAMES = {
    "services": "service",
    "service_requests": "request",
    "attributes": "attribute",
    "values": "value",
    "errors": "error",
    "endpoints": "endpoint",
    "formats": "format",
}


def to_xml(root: str, data: Any) -> bytes:
    element = ET.Element(root)
    if isinstance(data, list):
        child = ITEM_NAMES.get(root, "item")
        for item in data:
            _element(element, child, item, ITEM_NAMES)
    else:
        for key, value in data.items():
            _element(element, key, value, ITEM_NAMES)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(element, encoding="utf-8")


def respond(fmt: str, root: str, data: Any, *, status: int = 200) -> HttpResponse:
    """`data` as JSON, or as XML under the element `root` (lists: one child per item)."""
    body = to_xml(root, data) if fmt == "xml" else json.dumps(data, ensure_ascii=False).encode()
    response = HttpResponse(body, status=status, content_type=FORMATS.get(fmt, FORMATS["json"]))
    response["Access-Control-Allow-Origin"] = "*"
    return response


def error(fmt: str, code: int, description: str) -> HttpResponse:
    return respond(
        fmt if fmt in FORMATS else "json",
        "errors",
        [{"code": code, "description": description}],
        status=code,
    )


# --- The OpenAPI description of these answers (quartier.api.base) -----------------------------
# GeoReport v2 answers in the format the path's suffix names, errors included: the document
# states both media types for every answer, and the errors as the specification's list.
ERRORS_SCHEMA: dict[str, Any] = {
    "title": "Open311Errors",
    "description": "GeoReport v2 errors: a list of code and description.",
    "type": "array",
    "minItems": 1,
    "items": {
        "type": "object",
        "properties": {
            "code": {"type": "integer"},
            "description": {"type": "string"},
        },
        "required": ["code", "description"],
    },
}
XML_SCHEMA: dict[str, Any] = {"type": "string", "description": "GeoReport v2 XML"}
ERROR_DESCRIPTIONS = {
    400: "Bad request: a parameter is missing or not valid (GeoReport v2 errors)",
    403: "The api_key is missing or not valid (GeoReport v2 errors)",
    404: "Unknown format, service_code, request or token (GeoReport v2 errors)",
    429: "Too many requests; try again later (GeoReport v2 errors)",
}
# A positive whole number as the views read it (views._int), short enough for any database.
ID = r"0*[1-9][0-9]{0,8}"
# The query parameters of GET requests.{fmt} (the specification's filters and our paging),
# with the constraints the view checks (anything else is a 400 in the errors format).
LIST_PARAMETERS: list[tuple[str, str, dict[str, Any]]] = [
    (
        "service_request_id",
        "Comma-separated request ids; the other filters are then ignored",
        {"type": "string", "pattern": rf"^({ID}(,{ID})*)?$"},
    ),
    ("service_code", "Comma-separated service codes", {"type": "string"}),
    (
        "start_date",
        "Requests created at or after this time (W3C date and time)",
        {"type": "string", "format": "date-time"},
    ),
    (
        "end_date",
        "Requests created at or before this time (W3C date and time)",
        {"type": "string", "format": "date-time"},
    ),
    (
        "status",
        "open, closed or both (comma-separated)",
        {"type": "string", "enum": ["open", "closed", "open,closed", "closed,open"]},
    ),
    ("page", "Page number, from 1 (an extension)", {"type": "string", "pattern": rf"^{ID}$"}),
    (
        "page_size",
        "Results per page, 1 to 1000 (an extension)",
        {"type": "string", "pattern": r"^0*([1-9][0-9]{0,2}|1000)$"},
    ),
    (
        "after",
        "Only requests with a smaller id: the next link's keyset, instead of skipping the "
        "pages before (an extension)",
        {"type": "string", "pattern": rf"^{ID}$"},
    ),
]


def _both(json_schema: dict[str, Any]) -> dict[str, Any]:
    return {
        "application/json": {"schema": json_schema},
        "text/xml": {"schema": XML_SCHEMA},
    }


def openapi_operation(path: str, method: str, operation: dict[str, Any]) -> None:
    """Rewrite an Open311 operation of the generated document to what it answers."""
    for parameter in operation.get("parameters", []):
        if parameter.get("in") != "path":
            continue
        if parameter.get("name") == "fmt":
            parameter["schema"] = {"type": "string", "enum": sorted(FORMATS)}
        elif path.endswith("/requests/{pk}.{fmt}") and parameter.get("name") == "pk":
            parameter["schema"] = {"type": "string", "pattern": rf"^{ID}$"}
    codes = [400, 404]
    if method == "post":
        codes += [403, 429]
    operation["responses"] = {
        "200": {"description": "OK", "content": _both({})},
        **{
            str(code): {
                "description": ERROR_DESCRIPTIONS[code],
                "content": _both({"$ref": "#/components/schemas/Open311Errors"}),
            }
            for code in sorted(codes)
        },
    }
    if path.endswith("/requests.{fmt}") and method == "get":
        operation["responses"]["304"] = {
            "description": "Not modified: If-None-Match names the answer's ETag (no body)"
        }
        operation.setdefault("parameters", []).extend(
            {"in": "query", "name": name, "required": False, "description": text, "schema": rule}
            for name, text, rule in LIST_PARAMETERS
        )
