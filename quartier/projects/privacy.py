"""Personal data of the projects app for the DSGVO registry (core/privacy.py).

District fund applicants give their name and e-mail address with consent; erasure blanks them.
The application itself stays, without anything that points to the person: it is the record of
a public grant decided at a meeting."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from quartier.core import consent
from quartier.core.privacy import Category, Subject, rows
from quartier.projects.models import FundApplication

CATEGORIES = [
    Category(
        key="projects.fund_applicant",
        name=_("Applicants to a district fund"),
        purpose=_("Handling the application and telling the applicant the decision"),
        data=_("name, e-mail address, the application's text and amounts, times"),
        subjects=_("residents and initiatives who apply for a grant"),
        recipients=_("the coordinators of the fund's area"),
        retention=_(
            "name and address blanked QUARTIER_FUND_CONTACT_RETENTION_DAYS (default 180) "
            "days after the application was closed"
        ),
        legal_basis=_("Art. 6(1)(a) DSGVO (consent on the application form)"),
        kept=_(
            "the application without name and address, as the record of the decision on a "
            "public grant"
        ),
    ),
]


def _applications(subject: Subject):
    return (
        FundApplication.objects.filter(applicant_email__iexact=subject.email)
        .select_related("fund__area")
        .prefetch_related("consents")
    )


def export(subject: Subject) -> dict[str, list[dict[str, Any]]]:
    return {
        "projects.fund_applicant": rows(
            _applications(subject),
            [
                "number",
                "fund.title",
                "fund.year",
                "fund.area",
                "title",
                "initiative",
                "purpose",
                "amount_requested",
                "planned_on",
                ("status", lambda a: a.get_status_display()),
                "amount_granted",
                "applicant_name",
                "applicant_email",
                "created_at",
                "closed_at",
                ("consent", consent.describe),
            ],
        )
    }


def erase(subject: Subject) -> dict[str, int]:
    applications = list(_applications(subject))
    if not applications:
        return {"projects.fund_applicant": 0}
    FundApplication.objects.filter(pk__in=[a.pk for a in applications]).update(
        applicant_name="", applicant_email="", contact_purged_at=timezone.now()
    )
    subject.notes.append(
        str(
            _(
                "Your applications to a district fund stay without your name and address: "
                "they are the record of public grants."
            )
        )
    )
    return {"projects.fund_applicant": len(applications)}
