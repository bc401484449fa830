"""Writes for concepts, indicators, projects, programmes and continuation tasks.

Views, the API, tasks and the demo call these; each is keyword-only, typed and atomic, and
raises ValidationError with a message people can act on instead of writing half.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from quartier.areas.models import Area
from quartier.areas.selectors import descendant_ids
from quartier.core import consent
from quartier.core.tasks import enqueue_on_commit
from quartier.core.text import unique_slug
from quartier.networks.models import AgendaItem, Meeting, Minutes
from quartier.networks.services import agenda_item_propose, decision_add
from quartier.projects import csvimport, mail, tokens
from quartier.projects.models import (
    GRANTING,
    BudgetLine,
    Concept,
    ContinuationTask,
    FieldOfAction,
    Fund,
    FundApplication,
    FundStatus,
    Goal,
    Indicator,
    Measurement,
    Milestone,
    Programme,
    Project,
    ProjectFile,
    Status,
)


def _current(concept: Concept) -> None:
    """Only the current version changes; read from the database, since the caller's object may
    predate a Fortschreibung."""
    if not Concept.objects.filter(pk=concept.pk, is_current=True).exists():
        raise ValidationError(
            _(
                "This is an earlier version of the concept; it is kept as it was. "
                "Edit the current version."
            )
        )


@transaction.atomic
def concept_create(*, area, kind: str, title: str, summary: str = "", adopted_on=None) -> Concept:
    """A new concept in its first version."""
    concept = Concept.objects.create(
        area=area, kind=kind, title=title, summary=summary, adopted_on=adopted_on
    )
    concept.lineage = concept.pk
    concept.save(update_fields=["lineage"])
    return concept


@transaction.atomic
def field_add(*, concept: Concept, title: str) -> FieldOfAction:
    _current(concept)
    position = concept.fields.count()
    return FieldOfAction.objects.create(concept=concept, title=title, position=position)


@transaction.atomic
def goal_add(*, field: FieldOfAction, title: str, description: str = "") -> Goal:
    _current(field.concept)
    position = field.goals.count()
    return Goal.objects.create(field=field, title=title, description=description, position=position)


@transaction.atomic
def indicator_create(*, goal: Goal, fields: dict[str, Any]) -> Indicator:
    concept = goal.field.concept
    _current(concept)
    indicator = Indicator(goal=goal, concept=concept, **fields)
    indicator.full_clean(exclude=["concept", "goal"])
    if Indicator.objects.filter(concept=concept, code=indicator.code).exists():
        raise ValidationError({"code": _("The concept has an indicator with this code already.")})
    indicator.save()
    return indicator


@transaction.atomic
def measurement_record(
    *, indicator: Indicator, date: datetime.date, value: Decimal, note: str = ""
) -> Measurement:
    """Record a value; a value for the same date is replaced (a corrected figure)."""
    _current(indicator.concept)
    measurement, _created = Measurement.objects.update_or_create(
        indicator=indicator, date=date, defaults={"value": value, "note": note}
    )
    return measurement


@transaction.atomic
def measurements_import(*, concept: Concept, data: bytes) -> dict[str, int]:
    """Import a CSV (csvimport.py) into the concept's indicators: all rows or none.

    Raises ValidationError listing every bad row; otherwise returns counts of created and
    replaced measurements (a row for a date that has a value replaces it)."""
    _current(concept)
    indicators = {ind.code: ind for ind in concept.indicators.all()}
    rows, problems = csvimport.parse(data, set(indicators))
    if problems:
        raise ValidationError([str(problem) for problem in problems])
    if not rows:
        raise ValidationError(_("The file holds no measurements."))
    existing = {
        (m.indicator_id, m.date): m for m in Measurement.objects.filter(indicator__concept=concept)
    }
    new, changed = [], []
    for row in rows:
        indicator = indicators[row.code]
        current = existing.get((indicator.pk, row.date))
        if current is None:
            new.append(Measurement(indicator=indicator, date=row.date, value=row.value))
        elif current.value != row.value:
            current.value = row.value
            changed.append(current)
    Measurement.objects.bulk_create(new)
    Measurement.objects.bulk_update(changed, ["value"])
    return {
        "created": len(new),
        "replaced": len(changed),
        "unchanged": len(rows) - len(new) - len(changed),
    }


@transaction.atomic
def concept_update(*, concept: Concept, note: str = "", adopted_on=None) -> Concept:
    """Fortschreibung: a new current version with a copy of the fields of action, goals,
    indicators and measurements; the earlier version stays as it was, read-only. Projects keep
    serving the earlier goals until they are linked to the new ones."""
    concept = Concept.objects.select_for_update().get(pk=concept.pk)
    if not concept.is_current:
        _current(concept)
    old_pk = concept.pk
    concept.is_current = False
    concept.save(update_fields=["is_current", "updated_at"])
    new = Concept.objects.get(pk=old_pk)
    new.pk = None
    new.version = concept.version + 1
    new.is_current = True
    new.note = note
    new.adopted_on = adopted_on
    new.save(force_insert=True)
    for field in FieldOfAction.objects.filter(concept_id=old_pk).prefetch_related(
        "goals__indicators__measurements"
    ):
        goals = list(field.goals.all())
        field.pk = None
        field.concept = new
        field.save(force_insert=True)
        for goal in goals:
            indicators = list(goal.indicators.all())
            goal.pk = None
            goal.field = field
            goal.save(force_insert=True)
            for indicator in indicators:
                measurements = list(indicator.measurements.all())
                indicator.pk = None
                indicator.goal = goal
                indicator.concept = new
                indicator.save(force_insert=True)
                Measurement.objects.bulk_create(
                    Measurement(indicator=indicator, date=m.date, value=m.value, note=m.note)
                    for m in measurements
                )
    return new


def project_slug(title: str, *, exclude_pk: int | None = None) -> str:
    others = Project.objects.exclude(pk=exclude_pk)
    return unique_slug(title, lambda slug: others.filter(slug=slug).exists(), max_length=240)


def _check_goals(areas: Iterable[Any], goals: Iterable[Goal]) -> None:
    """A project serves goals of concepts for its areas or areas enclosing them."""
    area_ids = {area.pk for area in areas}
    bad = [
        goal.title
        for goal in goals
        if not (area_ids & descendant_ids({goal.field.concept.area_id}))
    ]
    if bad:
        raise ValidationError(
            _(
                "These goals belong to concepts of other areas: %(goals)s. Remove them or keep "
                "an area they belong to."
            )
            % {"goals": ", ".join(bad)}
        )


def _check_runtime(starts_on, ends_on) -> None:
    if starts_on and ends_on and ends_on < starts_on:
        raise ValidationError({"ends_on": _("The end lies before the start.")})


@transaction.atomic
def project_create(
    *,
    fields: dict[str, Any],
    areas: Iterable[Any],
    partners: Iterable[Any] = (),
    goals: Iterable[Goal] = (),
    target_groups: Iterable[Any] = (),
    user=None,
) -> Project:
    areas, goals = list(areas), list(goals)
    if not areas:
        raise ValidationError({"areas": _("Choose at least one area.")})
    _check_runtime(fields.get("starts_on"), fields.get("ends_on"))
    _check_goals(areas, goals)
    project = Project(**fields)
    project.slug = project_slug(project.title)
    project._history_user = user
    project.save()
    project.areas.set(areas)
    project.partners.set(partners)
    project.goals.set(goals)
    project.target_groups.set(target_groups)
    return project


@transaction.atomic
def project_update(
    *,
    project: Project,
    fields: dict[str, Any],
    areas: Iterable[Any] | None = None,
    partners: Iterable[Any] | None = None,
    goals: Iterable[Goal] | None = None,
    target_groups: Iterable[Any] | None = None,
    user=None,
) -> Project:
    """Change a project. Moving it to other areas keeps its history, budget and milestones;
    goals of the old areas' concepts must go first (a clear message says which)."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    new_areas = list(areas) if areas is not None else list(project.areas.all())
    new_goals = (
        list(goals) if goals is not None else list(project.goals.select_related("field__concept"))
    )
    if not new_areas:
        raise ValidationError({"areas": _("Choose at least one area.")})
    for name, value in fields.items():
        setattr(project, name, value)
    _check_runtime(project.starts_on, project.ends_on)
    _check_goals(new_areas, new_goals)
    project._history_user = user
    project.save(update_fields=[*fields, "updated_at"])
    for name, values in (
        ("areas", areas),
        ("partners", partners),
        ("goals", goals),
        ("target_groups", target_groups),
    ):
        if values is not None:
            getattr(project, name).set(values)
    return project


@transaction.atomic
def project_set_status(*, project: Project, status: str, user=None) -> Project:
    """Every change lands in the project's history (django-simple-history) with its author."""
    if status not in Status.values:
        raise ValidationError(_("Unknown status."))
    project = Project.objects.select_for_update().get(pk=project.pk)
    if project.status == status:
        return project
    if status == Status.RUNNING and not project.starts_on:
        raise ValidationError(_("A running project needs a start date."))
    project.status = status
    project._history_user = user
    project.save(update_fields=["status", "updated_at"])
    return project


@transaction.atomic
def milestone_add(*, project: Project, title: str, due_on: datetime.date) -> Milestone:
    return Milestone.objects.create(project=project, title=title, due_on=due_on)


@transaction.atomic
def budget_line_set(
    *,
    project: Project,
    programme: Programme,
    year: int,
    planned: Decimal,
    approved: Decimal,
    spent: Decimal,
) -> BudgetLine:
    """Create or replace the line of one programme and year. Spent beyond approved is allowed
    (and flagged); a year outside the programme's runtime is not."""
    if min(planned, approved, spent) < 0:
        raise ValidationError(_("Amounts cannot be negative."))
    if year < programme.starts_on.year or (programme.ends_on and year > programme.ends_on.year):
        raise ValidationError(
            _("%(programme)s runs %(start)s–%(end)s; %(year)s lies outside.")
            % {
                "programme": programme.name,
                "start": programme.starts_on.year,
                "end": programme.ends_on.year if programme.ends_on else "…",
                "year": year,
            }
        )
    line, _created = BudgetLine.objects.update_or_create(
        project=project,
        programme=programme,
        year=year,
        defaults={"planned": planned, "approved": approved, "spent": spent},
    )
    return line


@transaction.atomic
def programme_create(*, fields: dict[str, Any], areas: Iterable[Any], user=None) -> Programme:
    _check_runtime(fields.get("starts_on"), fields.get("ends_on"))
    programme = Programme(**fields)
    programme.slug = _programme_slug(programme.name)
    programme._history_user = user
    try:
        with transaction.atomic():
            programme.save()
    except IntegrityError as exc:
        raise ValidationError(_("The runtime is not valid.")) from exc
    programme.areas.set(areas)
    return programme


def _programme_slug(name: str) -> str:
    return unique_slug(
        name, lambda slug: Programme.objects.filter(slug=slug).exists(), max_length=240
    )


@transaction.atomic
def programme_update(
    *, programme: Programme, fields: dict[str, Any], areas: Iterable[Any] | None = None, user=None
) -> Programme:
    """A changed runtime: budget lines outside the new runtime are refused (named in the
    message); continuation tasks that ended with the programme move with its new end."""
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    old_end = programme.ends_on
    for name, value in fields.items():
        setattr(programme, name, value)
    _check_runtime(programme.starts_on, programme.ends_on)
    outside = programme.budget_lines.filter(year__lt=programme.starts_on.year)
    if programme.ends_on:
        outside = outside | programme.budget_lines.filter(year__gt=programme.ends_on.year)
    outside_list = list(outside.select_related("project"))
    if outside_list:
        raise ValidationError(
            _("Budget lines lie outside the new runtime: %s. Move or delete them first.")
            % ", ".join(f"{line.project.title} {line.year}" for line in outside_list)
        )
    programme._history_user = user
    programme.save(update_fields=[*fields, "updated_at"])
    if areas is not None:
        programme.areas.set(areas)
    if old_end and programme.ends_on and old_end != programme.ends_on:
        programme.continuation_tasks.filter(ends_on=old_end).update(ends_on=programme.ends_on)
    return programme


@transaction.atomic
def continuation_task_save(
    *, task: ContinuationTask | None = None, fields: dict[str, Any]
) -> ContinuationTask:
    task = task or ContinuationTask()
    for name, value in fields.items():
        setattr(task, name, value)
    if not task.programme_id and not task.project_id:
        raise ValidationError(_("Name the programme or project the task comes from."))
    if task.pk:
        task.save(update_fields=[*fields, "updated_at"])
    else:
        task.save()
    return task


# Extension → (MIME type, how the file starts). Office formats are ZIP containers.
FILE_TYPES = {
    "pdf": ("application/pdf", (b"%PDF-",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (b"PK\x03\x04",),
    ),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (b"PK\x03\x04",)),
    "odt": ("application/vnd.oasis.opendocument.text", (b"PK\x03\x04",)),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", (b"PK\x03\x04",)),
}


def file_max_bytes() -> int:
    from django.conf import settings

    return int(getattr(settings, "QUARTIER_PROJECTS_FILE_MAX_BYTES", 10 * 1024 * 1024))


@transaction.atomic
def project_file_add(*, project: Project, kind: str, title: str, upload) -> ProjectFile:
    """Store an application, report or photo: PDF, JPEG, PNG or office documents up to
    QUARTIER_PROJECTS_FILE_MAX_BYTES (10 MB); the content must match the extension."""
    name = upload.name.rsplit("/", 1)[-1]
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in FILE_TYPES:
        raise ValidationError(
            {"upload": _("Allowed are PDF, JPEG, PNG, DOCX, XLSX, ODT and ODS files.")}
        )
    if upload.size > file_max_bytes():
        raise ValidationError(
            {"upload": _("The file is larger than %(mb)s MB.") % {"mb": file_max_bytes() // 2**20}}
        )
    mime_type, magics = FILE_TYPES[extension]
    head = upload.read(16)
    upload.seek(0)
    if not head.startswith(magics):
        raise ValidationError({"upload": _("The content of the file does not match its type.")})
    return ProjectFile.objects.create(
        project=project, kind=kind, title=title, file=upload, file_name=name,
        mime_type=mime_type, size=upload.size,
    )  # fmt: skip


# --- District fund (Verfügungsfonds) -------------------------------------------------------

FUND_MAX_TEXT = 5000
FUND_MAX_AMOUNT = Decimal("1000000")


def _no_nul(text: str) -> str:
    return (text or "").replace("\x00", "").strip()


@transaction.atomic
def fund_save(*, fields: dict[str, Any], fund: Fund | None = None) -> Fund:
    """Create or change a district fund (one per area and year)."""
    area = fields.get("area", fund.area if fund else None)
    year = fields.get("year", fund.year if fund else None)
    clash = Fund.objects.filter(area=area, year=year)
    if fund is not None:
        clash = clash.exclude(pk=fund.pk)
        fund = Fund.objects.select_for_update().get(pk=fund.pk)
    if clash.exists():
        raise ValidationError({"year": _("This area has a fund for this year already.")})
    fund = fund or Fund()
    for name, value in fields.items():
        setattr(fund, name, value)
    if fund.budget is None or fund.budget < 0:
        raise ValidationError({"budget": _("The budget cannot be negative.")})
    if fund.pk and fund.budget < fund_granted(fund):
        raise ValidationError(
            {"budget": _("The budget cannot be less than what has been granted already.")}
        )
    fund.save()
    return fund


def fund_granted(fund: Fund) -> Decimal:
    total = fund.applications.filter(status__in=GRANTING).aggregate(total=Sum("amount_granted"))
    return total["total"] or Decimal(0)


def open_fund_for(area: Area | None, year: int) -> Fund | None:
    if area is None:
        return None
    return Fund.objects.filter(area=area, year=year, is_open=True).first()


@dataclass(frozen=True)
class Applied:
    application: FundApplication
    token: str


@transaction.atomic
def fund_apply(
    *,
    area: Area | None,
    title: str,
    purpose: str,
    amount: Decimal | None,
    applicant_name: str,
    applicant_email: str,
    consent_text: str | Promise,
    consent_given: bool,
    initiative: str = "",
    planned_on: datetime.date | None = None,
    language: str = "de",
    today: datetime.date | None = None,
) -> Applied:
    """Store an application to the open fund of the area for this year, with the consent, and
    queue the receipt. Raises ValidationError keyed by field, with nothing stored."""
    today = today or timezone.localdate()
    if not consent_given:
        raise ValidationError(
            {"consent": _("Please agree to the storage of your data; we cannot help without it.")}
        )
    if area is None or not area.is_public:
        raise ValidationError({"area": _("Please choose one of the listed areas.")})
    fund = open_fund_for(area, today.year)
    if fund is None:
        raise ValidationError(
            {"area": _("This area has no district fund open for applications this year.")}
        )
    title, purpose = _no_nul(title), _no_nul(purpose)
    name, email = _no_nul(applicant_name), _no_nul(applicant_email)
    errors: dict[str, str] = {}
    if not title:
        errors["title"] = _("Please give your project a title.")
    elif len(title) > 200:
        errors["title"] = _("At most %(max)s characters, please.") % {"max": 200}
    if len(_no_nul(initiative)) > 200:
        errors["initiative"] = _("At most %(max)s characters, please.") % {"max": 200}
    if len(purpose) < 10:
        errors["purpose"] = _("Please say in a few words what the money is for.")
    elif len(purpose) > FUND_MAX_TEXT:
        errors["purpose"] = _("At most %(max)s characters, please.") % {"max": FUND_MAX_TEXT}
    if amount is None or amount <= 0:
        errors["amount"] = _("Please give an amount greater than zero.")
    elif amount > FUND_MAX_AMOUNT or (fund.cap is not None and amount > fund.cap):
        cap = fund.cap if fund.cap is not None else FUND_MAX_AMOUNT
        errors["amount"] = _("This fund grants at most %(cap)s EUR per application.") % {"cap": cap}
    if not name:
        errors["applicant_name"] = _("Please give your name.")
    elif len(name) > 150:
        errors["applicant_name"] = _("At most %(max)s characters, please.") % {"max": 150}
    if not email:
        errors["applicant_email"] = _("Please give your e-mail address.")
    if errors:
        raise ValidationError(errors)
    application = FundApplication.objects.create(
        fund=fund,
        title=title,
        initiative=_no_nul(initiative),
        purpose=purpose,
        amount_requested=amount,
        planned_on=planned_on,
        applicant_name=name,
        applicant_email=email,
        language=language,
    )
    consent.record(application, purpose="projects.fund_applicant", text=consent_text)
    enqueue_on_commit(mail.send_fund_receipt, application.pk)
    return Applied(application=application, token=tokens.fund_track_token(application))


def _closed(application: FundApplication) -> None:
    if not application.is_pending:
        raise ValidationError(_("This application has been decided or withdrawn already."))


@transaction.atomic
def fund_application_put_on_agenda(
    *, application: FundApplication, meeting: Meeting, user
) -> FundApplication:
    """Put the application on a meeting's agenda (as the coordination: accepted at once)."""
    application = FundApplication.objects.select_for_update().get(pk=application.pk)
    _closed(application)
    if application.agenda_item_id:
        raise ValidationError(_("This application is on an agenda already."))
    item = agenda_item_propose(
        meeting=meeting,
        title=_("District fund, application %(number)s: %(title)s")
        % {"number": application.number, "title": application.title},
        description=_("Requested: %(amount)s EUR. %(purpose)s")
        % {"amount": application.amount_requested, "purpose": application.purpose},
        membership=None,
        user=user,
        by_coordinator=True,
    )
    application.agenda_item = item
    application.status = FundStatus.AGENDA
    application.save(update_fields=["agenda_item", "status", "updated_at"])
    return application


def decision_text(application: FundApplication) -> str:
    outcome = {
        FundStatus.GRANTED: _("Granted: %(amount)s EUR."),
        FundStatus.PARTLY: _("Partly granted: %(amount)s EUR."),
        FundStatus.REFUSED: _("Refused."),
    }[FundStatus(application.status)] % {"amount": application.amount_granted}
    text = _(
        "District fund, application %(number)s (%(title)s, requested %(requested)s EUR): "
        "%(outcome)s Vote: %(for)s for, %(against)s against, %(abstentions)s abstentions."
    ) % {
        "number": application.number,
        "title": application.title,
        "requested": application.amount_requested,
        "outcome": outcome,
        "for": application.votes_for,
        "against": application.votes_against,
        "abstentions": application.abstentions,
    }
    if application.decision_note:
        text += " " + application.decision_note
    return text


@transaction.atomic
def fund_application_decide(
    *,
    application: FundApplication,
    outcome: str,
    votes_for: int,
    votes_against: int,
    abstentions: int,
    amount_granted: Decimal | None,
    note: str = "",
    now: datetime.datetime | None = None,
) -> FundApplication:
    """Record the body's vote on an application on its meeting's agenda: the decision goes
    into that meeting's minutes, the application is closed and the applicant told.

    The fund's row is locked while the granted total is checked, so two decisions at once
    cannot grant more than the fund has left."""
    now = now or timezone.now()
    # Locked without joins: PostgreSQL locks no row on the nullable side of an outer join.
    application = FundApplication.objects.select_for_update().get(pk=application.pk)
    fund = Fund.objects.select_for_update().get(pk=application.fund_id)
    _closed(application)
    if not application.agenda_item_id:
        raise ValidationError(_("Put the application on a meeting's agenda first."))
    item = AgendaItem.objects.select_related("meeting__body").get(pk=application.agenda_item_id)
    meeting = item.meeting
    if meeting.is_cancelled:
        raise ValidationError(_("The meeting was cancelled; put the application on another."))
    if meeting.start > now:
        raise ValidationError(_("The vote can be recorded once the meeting has begun."))
    if outcome not in (FundStatus.GRANTED, FundStatus.PARTLY, FundStatus.REFUSED):
        raise ValidationError({"outcome": _("Unknown decision.")})
    if min(votes_for, votes_against, abstentions) < 0:
        raise ValidationError({"votes_for": _("Votes cannot be negative.")})
    if outcome == FundStatus.REFUSED:
        amount_granted = Decimal(0)
    else:
        if amount_granted is None or amount_granted <= 0:
            raise ValidationError(
                {"amount_granted": _("Give the amount granted (more than zero).")}
            )
        if amount_granted > application.amount_requested:
            raise ValidationError(
                {"amount_granted": _("More than the amount requested cannot be granted.")}
            )
        if outcome == FundStatus.GRANTED and amount_granted != application.amount_requested:
            outcome = FundStatus.PARTLY
        left = fund.budget - fund_granted(fund)
        if amount_granted > left:
            raise ValidationError(
                {
                    "amount_granted": _(
                        "The fund has only %(left)s EUR left for %(year)s; %(amount)s EUR "
                        "cannot be granted."
                    )
                    % {"left": left, "year": fund.year, "amount": amount_granted}
                }
            )
    minutes, _created = Minutes.objects.get_or_create(
        meeting=meeting, defaults={"visibility": meeting.body.minutes_visibility}
    )
    application.status = outcome
    application.amount_granted = amount_granted
    application.votes_for = votes_for
    application.votes_against = votes_against
    application.abstentions = abstentions
    application.decision_note = _no_nul(note)[:FUND_MAX_TEXT]
    application.decided_at_meeting = meeting
    application.closed_at = now
    application.decision = decision_add(
        minutes=minutes, text=decision_text(application), agenda_item=item
    )
    application.save()
    enqueue_on_commit(mail.send_fund_decision, application.pk)
    return application


@transaction.atomic
def fund_application_set_status(
    *, application: FundApplication, status: str, now: datetime.datetime | None = None
) -> FundApplication:
    """Mark a granted application paid / settled, or withdraw a pending one."""
    application = FundApplication.objects.select_for_update().get(pk=application.pk)
    if status == FundStatus.PAID:
        if application.status not in (FundStatus.GRANTED, FundStatus.PARTLY):
            raise ValidationError({"status": _("Only a granted application can be paid.")})
    elif status == FundStatus.WITHDRAWN:
        _closed(application)
        application.closed_at = now or timezone.now()
    else:
        raise ValidationError({"status": _("Unknown status.")})
    application.status = status
    application.save()
    return application


def fund_contacts_purge(*, now: datetime.datetime, dry_run: bool = False) -> int:
    """Blank the applicants' contact data of applications closed longer than the retention."""
    days = settings.QUARTIER_FUND_CONTACT_RETENTION_DAYS
    expired = FundApplication.objects.filter(
        closed_at__lt=now - datetime.timedelta(days=days)
    ).exclude(applicant_name="", applicant_email="")
    count = expired.count()
    if not dry_run and count:
        expired.update(applicant_name="", applicant_email="", contact_purged_at=now)
    return count
