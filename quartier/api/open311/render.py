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
