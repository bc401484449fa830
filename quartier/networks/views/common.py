"""Helpers shared by the back-office views: object loaders for permission checks, errors."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from quartier.core.permissions import loader
from quartier.networks.models import ActionItem, AgendaItem, Body, HostTurn, Meeting


@loader
def body_by_slug(request: HttpRequest, slug: str, **kwargs) -> Body:
    return get_object_or_404(
        Body.objects.select_related("kind", "coordinating_organisation"), slug=slug
    )


@loader
def meeting_by_pk(request: HttpRequest, pk: int, **kwargs) -> Meeting:
    return get_object_or_404(Meeting.objects.select_related("body", "host__organisation"), pk=pk)


@loader
def host_turn_by_pk(request: HttpRequest, pk: int, **kwargs) -> HostTurn:
    turns = HostTurn.objects.select_related("meeting__body", "membership__organisation")
    return get_object_or_404(turns, pk=pk)


@loader
def agenda_item_by_pk(request: HttpRequest, pk: int, **kwargs) -> AgendaItem:
    return get_object_or_404(AgendaItem.objects.select_related("meeting__body"), pk=pk)


@loader
def action_item_by_pk(request: HttpRequest, pk: int, **kwargs) -> ActionItem:
    items = ActionItem.objects.select_related("body", "owner")
    return get_object_or_404(items, pk=pk)


def report_error(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def report_form_errors(request: HttpRequest, form) -> None:
    """Show a form's errors as messages (for actions that redirect back instead of re-rendering)."""
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
