"""The mails of the projects app: the continuation warning to a programme's coordinator; the
district fund's receipt and decision to the applicant (only to the address given).

Reads models and selectors, never the services (docs/architecture.md, "Background work").
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from quartier.projects import tokens
from quartier.projects.models import ContinuationTask, FundApplication


@task()
def send_continuation_warning(user_id: int, task_ids: list[int]) -> None:
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    tasks = list(ContinuationTask.objects.filter(pk__in=task_ids).select_related("area"))
    if user is None or not user.email or not tasks:
        return
    context = {
        "user": user,
        "tasks": tasks,
        "url": f"{settings.SITE_URL}{reverse('backoffice:projects:index')}",
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("projects/emails/warning_subject.txt", context).strip()
        body = render_to_string("projects/emails/warning.txt", context)
    send_mail(subject, body, None, [user.email])


def _to_applicant(application_id: int, template: str) -> None:
    application = (
        FundApplication.objects.select_related("fund__area", "decided_at_meeting")
        .filter(pk=application_id)
        .first()
    )
    if application is None or not application.applicant_email:
        return
    context = {
        "application": application,
        "track_url": tokens.fund_track_url(application),
    }
    with translation.override(application.language):
        subject = render_to_string(f"projects/emails/{template}_subject.txt", context).strip()
        body = render_to_string(f"projects/emails/{template}.txt", context)
    send_mail(subject, body, None, [application.applicant_email])


@task()
def send_fund_receipt(application_id: int) -> None:
    _to_applicant(application_id, "fund_receipt")


@task()
def send_fund_decision(application_id: int) -> None:
    _to_applicant(application_id, "fund_decision")
