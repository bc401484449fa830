"""Blocks on shared pages (registered in apps.py through quartier.core.registry)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from django.utils import formats
from django.utils.translation import gettext as _

from quartier.projects import selectors
from quartier.projects.models import FundApplication, Status
from quartier.projects.rules import seen_area_ids

SECTION_SIZE = 5
NEWSPAPER_SIZE = 40


def area_context(request: HttpRequest, area) -> dict[str, Any] | None:
    projects = list(selectors.public_projects(area, Status.RUNNING)[:SECTION_SIZE])
    if not projects:
        return None
    return {"projects": projects, "area": area}


def dashboard_context(request: HttpRequest, user) -> dict[str, Any] | None:
    """Continuation gaps: tasks ending within six months that nobody carries on yet."""
    if not user.has_perm("projects.access_backoffice"):
        return None
    areas = None if user.is_superuser else seen_area_ids(user)
    gaps = list(selectors.continuation_gaps(areas)[: SECTION_SIZE + 1])
    return {"gaps": gaps[:SECTION_SIZE], "more": len(gaps) > SECTION_SIZE}


def vote_prefix(application: FundApplication) -> str:
    """Each application's vote form on the meeting page has its own field names and ids."""
    return f"fund-{application.pk}"


def minutes_context(request: HttpRequest, meeting) -> dict[str, Any] | None:
    """The minutes editor of a meeting (networks.hooks.minutes_sections): the district fund's
    applications on its agenda, each with the vote form for whoever may record the vote on
    the application's page (projects.change_fund_application). Two queries."""
    # Imported here: this module loads in AppConfig.ready(), and the forms pull in the
    # services and their tasks (a task binds its backend when it is created).
    from quartier.projects.forms import FundDecisionForm

    applications = list(
        FundApplication.objects.filter(agenda_item__meeting=meeting)
        .select_related("fund__area", "agenda_item", "decision")
        .order_by("agenda_item__position", "pk")
    )
    if not applications:
        return None
    left = selectors.funds_left({application.fund_id for application in applications})
    entries = []
    for application in applications:
        may_vote = application.is_pending and request.user.has_perm(
            "projects.change_fund_application", application
        )
        form = (
            FundDecisionForm(
                prefix=vote_prefix(application),
                initial={"amount_granted": application.amount_requested},
            )
            if may_vote
            else None
        )
        entries.append(
            {"application": application, "form": form, "left": left[application.fund_id]}
        )
    return {"entries": entries}


def newspaper_projects(area, start: dt.date, end: dt.date) -> list:
    """The district newspaper's section: projects running in the issue's period, with their
    lead organisation; a project without dates counts while its status is running."""
    from quartier.core.registry import NewspaperItem

    projects = (
        selectors.public_projects(area, Status.RUNNING)
        .filter(Q(starts_on__isnull=True) | Q(starts_on__lte=end))
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=start))
        .order_by("title", "pk")
    )
    items = []
    for project in projects[:NEWSPAPER_SIZE]:
        if project.ends_on:
            when = _("until %(date)s") % {"date": formats.date_format(project.ends_on)}
        else:
            when = ""
        items.append(
            NewspaperItem(
                title=project.title,
                when=when,
                text=project.lead_organisation.name,
                url=project.get_absolute_url(),
            )
        )
    return items


def register_newspaper() -> None:
    """publications never imports projects: the section comes through the registry."""
    from django.utils.translation import gettext_lazy

    from quartier.core.registry import NewspaperSection, registry

    registry.add_newspaper_section(
        NewspaperSection("projects", gettext_lazy("Running projects"), newspaper_projects, 30)
    )
