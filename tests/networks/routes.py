import datetime

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from quartier.networks.models import Document, DocumentVersion, Meeting
from quartier.networks.tokens import rsvp_token
from tests.matrix import LOGGED_IN, Route, everyone, only

MANAGERS = {"coordinator", "planner", "admin"}
PARTICIPANTS = {"editor", *MANAGERS}
BACKOFFICE = {"editor", "coordinator", "planner", "admin"}
PLANNERS = {"planner", "admin"}

STORED_NAME = "networks/test/world-document.txt"


def _document(world) -> dict:
    """A members-only document with one version (the file is written once, not per test)."""
    if not default_storage.exists(STORED_NAME):
        default_storage.save(STORED_NAME, ContentFile(b"Rahmenkonzept"))
    document = Document.objects.create(body=world.body, title="Rahmenkonzept", kind="concept")
    DocumentVersion.objects.create(
        document=document, number=1, file=STORED_NAME, file_name="rahmenkonzept.txt"
    )
    return {"pk": document.pk, "number": 1}


def _org_request(world) -> dict:
    """An open request to add an organisation to the world's body (made with the URL)."""
    from quartier.networks.models import OrganisationRequest

    request = OrganisationRequest.objects.create(
        body=world.body,
        organisation_name="Nachbarschaftsverein Nordstern",
        contact_name="Nora Nachbar",
        contact_email="nora@example.org",
        message="Wir organisieren Nachbarschaftshilfe.",
    )
    return {"pk": request.pk}


def _slug(world) -> dict:
    return {"slug": world.body.slug}


def _meeting(world) -> dict:
    return {"pk": world.meeting.pk}


def _past(world) -> dict:
    return {"pk": world.past_meeting.pk}


HELD_TITLE = "Netzwerktreffen Frühherbst"


def _past_with_held_meeting(world) -> dict:
    """The past meeting, and a later one that has taken place (it approves the minutes);
    made with the URL, so before the matrix takes its fingerprint."""
    from tests.factories.networks import MeetingFactory

    start = timezone.now() - datetime.timedelta(days=7)
    MeetingFactory(
        body=world.body, title=HELD_TITLE, start=start, end=start + datetime.timedelta(hours=2)
    )
    return _past(world)


def _held_meeting_pk(world) -> int:
    return Meeting.objects.get(body=world.body, title=HELD_TITLE).pk


UNREACHED_NAME = "Mieterverein Nord"


def _meeting_with_unreached_member(world) -> dict:
    """The coming meeting, and a member without delegates but with a general address; made
    with the URL, so before the matrix takes its fingerprint."""
    from quartier.directory.models import Organisation
    from quartier.networks.models import Membership

    organisation, _created = Organisation.objects.get_or_create(
        name=UNREACHED_NAME,
        defaults={"slug": "mieterverein-nord", "email": "info@mieterverein.example"},
    )
    Membership.objects.get_or_create(body=world.body, organisation=organisation)
    return _meeting(world)


def _unreached_member(world) -> dict:
    from quartier.networks.models import Membership

    membership = Membership.objects.get(body=world.body, organisation__name=UNREACHED_NAME)
    return {"membership": membership.pk}


def _post(name, kwargs, allowed, data=None, changes=True) -> Route:
    return Route(
        name,
        only(allowed, ok=302),
        kwargs=kwargs,
        method="post",
        data=data or (lambda w: {}),
        changes=changes,
    )


ROUTES = [
    Route("networks:list", everyone()),
    Route("networks:body", everyone(), kwargs=_slug),
    # Who may not ask to join learns who can and how (and may ask for a new organisation).
    Route("networks:join", everyone(), kwargs=_slug),
    Route("networks:organisation_request", everyone(), kwargs=_slug),
    Route(
        "networks:organisation_request",
        everyone(302),
        kwargs=_slug,
        method="post",
        data=lambda w: {
            "organisation_name": "Nachbarschaftsverein Nord",
            "message": "Wir organisieren Nachbarschaftshilfe.",
            "contact_name": "Nora Nachbar",
            "contact_email": "nora@example.org",
            "consent": "on",
        },
    ),
    Route("networks:contact", everyone(), kwargs=_slug),
    Route("networks:body_feed", everyone(), kwargs=_slug),
    Route("networks:meeting", everyone(), kwargs=_meeting),
    Route(
        "networks:rsvp",
        everyone(),
        kwargs=lambda w: {"token": rsvp_token(w.invitation, "yes")},
    ),
    Route(
        "networks:rsvp",
        everyone(),
        kwargs=lambda w: {"token": rsvp_token(w.invitation, "yes")},
        method="post",
        data=lambda w: {},
    ),
    Route("networks:person_feed", everyone(), kwargs=lambda w: {"token": w.calendar_token.token}),
    Route("networks:organisation_feed", everyone(), kwargs=lambda w: {"slug": w.organisation.slug}),
    Route("networks:document", only(PARTICIPANTS), kwargs=_document),
    Route("api:networks_body_list", everyone()),
    Route("api:networks_body_detail", everyone(), kwargs=_slug),
    Route("api:networks_body_meetings", everyone(), kwargs=_slug, query="?upcoming=true"),
    Route("backoffice:networks:index", only(BACKOFFICE)),
    Route("backoffice:networks:body_create", only(PLANNERS)),
    Route("backoffice:networks:overview", only(PLANNERS)),
    Route("backoffice:networks:report", only(PLANNERS), kwargs=lambda w: {"year": 2026}),
    Route("backoffice:networks:report_pdf", only(PLANNERS), kwargs=lambda w: {"year": 2026}),
    Route("backoffice:networks:calendar", only(LOGGED_IN)),
    Route("backoffice:networks:meeting", only(PARTICIPANTS), kwargs=_meeting),
    Route("backoffice:networks:meeting_history", only(MANAGERS), kwargs=_meeting),
    _post(
        "backoffice:networks:meeting_edit",
        _meeting,
        MANAGERS,
        data=lambda w: {
            "meeting-title": "Netzwerktreffen Herbst (verschoben)",
            "meeting-kind": "meeting",
            "meeting-start": "2030-10-01 18:00",
            "meeting-end": "2030-10-01 20:00",
            "meeting-is_public": "on",
        },
    ),
    _post("backoffice:networks:meeting_cancel", _meeting, MANAGERS),
    # The world's meeting has asked its one member with a room already: nobody is left to
    # ask, so the allowed request changes nothing (a message says so).
    _post("backoffice:networks:host_propose", _meeting, MANAGERS, changes=False),
    _post(
        "backoffice:networks:agenda_propose",
        _meeting,
        PARTICIPANTS,
        data=lambda w: {"proposal-title": "Neuer Punkt"},
    ),
    _post("backoffice:networks:agenda_publish", _meeting, MANAGERS),
    _post("backoffice:networks:invitations_send", _meeting, MANAGERS),
    _post(
        "backoffice:networks:invite_contact",
        _meeting_with_unreached_member,
        MANAGERS,
        data=_unreached_member,
    ),
    _post("backoffice:networks:attendance", _past, MANAGERS),
    _post(
        "backoffice:networks:minutes_edit",
        _past,
        MANAGERS,
        data=lambda w: {"text": "x", "visibility": "public"},
    ),
    _post(
        "backoffice:networks:minutes_approve",
        _past_with_held_meeting,
        MANAGERS,
        data=lambda w: {"at_meeting": _held_meeting_pk(w)},
    ),
    _post(
        "backoffice:networks:decision_add",
        _past,
        MANAGERS,
        data=lambda w: {"decision-text": "Beschluss"},
    ),
    _post(
        "backoffice:networks:action_item_add",
        _past,
        MANAGERS,
        data=lambda w: {"task-title": "Aufgabe"},
    ),
    _post(
        "backoffice:networks:host_answer",
        lambda w: {"pk": w.turn.pk},
        MANAGERS,
        data=lambda w: {"accept": "1"},
    ),
    _post(
        "backoffice:networks:agenda_item",
        lambda w: {"pk": w.agenda_item.pk},
        MANAGERS,
        data=lambda w: {"action": "accept"},
    ),
    _post(
        "backoffice:networks:action_item_status",
        lambda w: {"pk": w.action_item.pk},
        MANAGERS,
        data=lambda w: {"status": "done"},
    ),
    Route("backoffice:networks:body", only(PARTICIPANTS), kwargs=_slug),
    Route("backoffice:networks:body_edit", only(MANAGERS), kwargs=_slug),
    _post(
        "backoffice:networks:membership_add",
        _slug,
        MANAGERS,
        data=lambda w: {"organisation": w.join_request.organisation_id, "role": "member"},
    ),
    _post(
        "backoffice:networks:membership_end",
        lambda w: {"slug": w.body.slug, "pk": w.other_membership.pk},
        MANAGERS,
    ),
    _post(
        "backoffice:networks:membership_room",
        lambda w: {"slug": w.body.slug, "pk": w.membership.pk},
        MANAGERS,
        data=lambda w: {"room_capacity": "12", "room_name": "Saal"},
    ),
    _post(
        "backoffice:networks:delegate_add",
        lambda w: {"slug": w.body.slug, "pk": w.other_membership.pk},
        MANAGERS,
        data=lambda w: {"person": w.public_person.pk},
    ),
    Route("backoffice:networks:join_requests", only(MANAGERS), kwargs=_slug),
    _post(
        "backoffice:networks:join_request_decide",
        lambda w: {"slug": w.body.slug, "pk": w.join_request.pk},
        MANAGERS,
        data=lambda w: {"accept": "1", "message": "Willkommen"},
    ),
    # Without a file the form is refused with a message: permission only (the upload itself
    # is tested in test_backoffice.py, with a temporary media folder).
    _post("backoffice:networks:document_upload", _slug, MANAGERS, changes=False),
    Route("backoffice:networks:meeting_create", only(MANAGERS), kwargs=_slug),
    Route("backoffice:networks:series_create", only(MANAGERS), kwargs=_slug),
    # Requests to add an organisation: those who manage the body it names decide.
    Route("backoffice:networks:organisation_requests", only(MANAGERS)),
    Route("backoffice:networks:organisation_requests", only(MANAGERS), query="?status=decided"),
    Route("backoffice:networks:organisation_request", only(MANAGERS), kwargs=_org_request),
    Route(
        "backoffice:networks:organisation_request_accept",
        only(MANAGERS, ok=302),
        method="post",
        kwargs=_org_request,
        data=lambda w: {"accept-name": "Nachbarschaftsverein Nordstern", "accept-kind": "other"},
    ),
    Route(
        "backoffice:networks:organisation_request_decline",
        only(MANAGERS, ok=302),
        method="post",
        kwargs=_org_request,
        data=lambda w: {"decline-reason": "Schon als Teil des Trägers erfasst."},
    ),
]
