"""Blocks this app contributes to shared pages (networks' body page, the dashboard)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from quartier.statements import selectors

BODY_LIMIT = 20


def body_context(request: HttpRequest, body) -> dict[str, Any] | None:
    """The body's published statements with their signers; None hides the block."""
    statements = list(selectors.published_of_body(body)[:BODY_LIMIT])
    return {"statements": statements} if statements else None
