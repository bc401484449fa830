"""Helpers shared by the back-office views: object loaders for permission checks, errors."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from quartier.networks.models import Body, Meeting


def body_by_slug(request: HttpRequest, slug: str, **kwargs) -> Body:
    return get_object_or_404(
        Body.objects.select_related("kind", "coordinating_organisation"), slug=slug
    )


def meeting_by_pk(request: HttpRequest, pk: int, **kwargs) -> Meeting:
    return get_object_or_404(Meeting.objects.select_related("body", "host__organisation"), pk=pk)


def add_form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def report_error(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def report_form_errors(request: HttpRequest, form) -> None:
    """Show a form's errors as messages (for actions that redirect back instead of re-rendering)."""
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
