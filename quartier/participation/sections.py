"""Blocks on shared pages: the open rounds on an area's page, the proposals a project came
from on the project's page (registered in apps.py)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from quartier.participation import selectors
from quartier.participation.models import Proposal

SECTION_SIZE = 5


def area_context(request: HttpRequest, area) -> dict[str, Any] | None:
    rounds = list(selectors.open_rounds(area)[:SECTION_SIZE])
    if not rounds:
        return None
    return {"rounds": rounds, "area": area}


def project_context(request: HttpRequest, project) -> dict[str, Any] | None:
    proposals = list(
        Proposal.objects.filter(project=project, round__is_published=True).only(
            "pk", "title", "supports", "round_id"
        )[:50]
    )
    if not proposals:
        return None
    return {"proposals": proposals}
