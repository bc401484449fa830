"""Public pages of published joint statements: the statement with its signers, and its PDF."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from quartier.offers.presentation import json_ld_script
from quartier.statements import selectors
from quartier.statements.jsonld import statement_jsonld
from quartier.statements.models import Statement


def _published(pk: int) -> Statement:
    return get_object_or_404(
        Statement.objects.published().select_related("body", "topic", "document"), pk=pk
    )


@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    statement = _published(pk)
    areas = list(statement.areas.all())
    signatures = selectors.public_signatures(statement)
    data = statement_jsonld(
        statement, signatures=signatures, areas=areas, absolute=request.build_absolute_uri
    )
    context = {
        "statement": statement,
        "areas": areas,
        "signatures": signatures,
        "json_ld": json_ld_script(data),
        "can_manage": request.user.has_perm("statements.view_statement", statement),
    }
    return render(request, "statements/detail.html", context)


@require_GET
def pdf(request: HttpRequest, pk: int) -> HttpResponse:
    statement = _published(pk)
    version = (
        statement.document.versions.order_by("-number").first() if statement.document else None
    )
    content = None
    if version is not None:
        try:
            with version.file.open("rb") as handle:
                content = handle.read()
        except (FileNotFoundError, ValueError):
            content = None
    if content is None:
        # The stored document was removed or lost: the frozen text renders the same PDF.
        from quartier.statements.pdf import render_pdf

        content = render_pdf(statement)
    if not content:
        raise Http404
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = (
        content_disposition_header(False, f"stellungnahme-{statement.pk}.pdf") or ""
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
