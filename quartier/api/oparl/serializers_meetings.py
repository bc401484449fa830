"""OParl 1.1 objects for meetings: Meeting, AgendaItem, Location, File, Paper.

Minutes are text, not an upload; OParl wants a File for the results protocol, so public minutes
become a text/plain File with the text inline and a download of its own.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist

from quartier.api.oparl.links import type_uri, url
from quartier.api.oparl.selectors import minutes_of
from quartier.api.oparl.serializers import compact, day, stamps, web, when

# Free-text meeting states in the German vocabulary OParl clients show as they are.
_STATES = {"scheduled": "terminiert", "held": "durchgeführt", "cancelled": "abgesagt"}


def meeting_state(meeting: Any) -> str:
    if meeting.status == "scheduled" and meeting.invitations_sent_at:
        return "eingeladen"
    return _STATES.get(meeting.status, meeting.status)


def has_place(meeting: Any) -> bool:
    return bool(meeting.location_name or meeting.location_street or meeting.location_lat)


def location(meeting: Any, *, embedded: bool = False) -> dict[str, Any]:
    """The meeting's place (a copy of the host's address, so history stays right)."""
    geojson = None
    if meeting.location_lat is not None and meeting.location_lon is not None:
        geojson = {
            "type": "Feature",
            "geometry": {
                "type": "Point",
                "coordinates": [meeting.location_lon, meeting.location_lat],
            },
            "properties": {"name": meeting.location_name or meeting.title},
        }
    data = {
        "id": url("meeting_location", pk=meeting.pk),
        "type": type_uri("Location"),
        "description": meeting.location_text,
        "geojson": geojson,
        "streetAddress": meeting.location_street,
        "room": meeting.location_room,
        "postalCode": meeting.location_postcode,
        "locality": meeting.location_city,
        "meetings": None if embedded else [url("meeting", pk=meeting.pk)],
        # The meeting row's own times: the place does not change with the agenda.
        "created": when(meeting.created_at),
        "modified": when(meeting.updated_at),
    }
    return compact(data)


def minutes_file(minutes: Any, meeting: Any) -> dict[str, Any]:
    text = minutes.text or ""
    decisions = [decision.text for decision in minutes.decisions.all()]
    if decisions:
        text = "\n\n".join([text, "Beschlüsse:", *decisions]).strip()
    data = {
        "id": url("meeting_minutes", pk=meeting.pk),
        "type": type_uri("File"),
        "name": "Protokoll",
        "fileName": f"protokoll-{meeting.pk}.txt",
        "mimeType": "text/plain",
        "date": day(minutes.approved_at.date()) if minutes.approved_at else None,
        "size": len(text.encode("utf-8")),
        "text": text,
        "accessUrl": url("meeting_minutes_text", pk=meeting.pk),
        "downloadUrl": url("meeting_minutes_text", pk=meeting.pk),
        "meeting": [url("meeting", pk=meeting.pk)],
        "created": when(minutes.created_at),
        "modified": when(minutes.updated_at),
    }
    return compact(data)


def minutes_text(minutes: Any, meeting: Any) -> str:
    return minutes_file(minutes, meeting).get("text", "")


def file(
    version: Any, *, meeting_urls: list[str] | None = None, item_urls: list[str] | None = None
) -> dict[str, Any]:
    """A document version. Links to meeting and agenda item only where those are public.

    `meeting_urls` is given by callers that embed the file in a meeting (they know it);
    otherwise the prefetched `document.meeting` / `document.agenda_item` (None when hidden)
    decide.
    """
    document = version.document
    if meeting_urls is None:
        meeting = document.meeting
        meeting_urls = [url("meeting", pk=meeting.pk)] if meeting else []
        item = document.agenda_item
        item_urls = [url("agenda_item", pk=item.pk)] if item else []
    data = {
        "id": url("file", pk=version.pk),
        "type": type_uri("File"),
        "name": document.title if version.number == 1 else f"{document.title} ({version.number})",
        "fileName": version.file_name,
        "mimeType": version.mime_type,
        "date": day(document.date) or day(version.created_at.date()),
        "size": version.size,
        "accessUrl": url("file_download", pk=version.pk),
        "downloadUrl": url("file_download", pk=version.pk),
        "paper": [url("paper", pk=document.pk)],
        "meeting": meeting_urls,
        "agendaItem": item_urls,
        "created": when(version.created_at),
        "modified": when(version.created_at),
    }
    return compact(data)


def _current_files(
    documents: list[Any], meeting_urls: list[str], item_urls: list[str] | None = None
) -> list[dict[str, Any]]:
    files = []
    for document in documents:
        versions = list(document.versions.all())
        if versions:
            newest = max(versions, key=lambda version: version.number)
            files.append(file(newest, meeting_urls=meeting_urls, item_urls=item_urls or []))
    return files


def agenda_item(item: Any, *, order: int, meeting: Any, minutes: Any) -> dict[str, Any]:
    """An agenda item; its result and decisions only where the minutes are public."""
    meeting_url = url("meeting", pk=meeting.pk)
    decisions = getattr(item, "oparl_decisions", None)
    if decisions is None:
        decisions = (
            [d for d in minutes.decisions.all() if d.agenda_item_id == item.pk] if (minutes) else []
        )
    data = {
        "id": url("agenda_item", pk=item.pk),
        "type": type_uri("AgendaItem"),
        "meeting": meeting_url,
        "number": str(order + 1),
        "order": order,
        "name": item.title,
        "public": True,
        "result": item.result if minutes else None,
        "resolutionText": "\n\n".join(d.text for d in decisions) if minutes else None,
        "auxiliaryFile": _current_files(
            getattr(item, "oparl_documents", []),
            [meeting_url],
            [url("agenda_item", pk=item.pk)],
        ),
        **stamps(item),
    }
    return compact(data, keep=("order",))


def meeting(obj: Any) -> dict[str, Any]:
    minutes = minutes_of(obj)
    meeting_url = url("meeting", pk=obj.pk)
    items = getattr(obj, "oparl_items", [])
    data = {
        "id": meeting_url,
        "type": type_uri("Meeting"),
        "name": obj.title,
        "meetingState": meeting_state(obj),
        "cancelled": obj.status == "cancelled",
        "start": when(obj.start),
        "end": when(obj.end),
        "location": location(obj, embedded=True) if has_place(obj) else None,
        "organization": [url("organization", pk=obj.body_id)],
        "resultsProtocol": minutes_file(minutes, obj) if minutes else None,
        "auxiliaryFile": _current_files(getattr(obj, "oparl_documents", []), [meeting_url]),
        "agendaItem": [
            agenda_item(item, order=order, meeting=obj, minutes=minutes)
            for order, item in enumerate(items)
        ],
        **stamps(obj),
        "web": web(obj),
    }
    return compact(data)


def standalone_agenda_item(item: Any) -> dict[str, Any]:
    """An agenda item fetched on its own or from a body's list (meeting prefetched)."""
    meeting = item.meeting
    siblings = [sibling.pk for sibling in getattr(meeting, "oparl_items", [])]
    order = siblings.index(item.pk) if item.pk in siblings else 0
    return agenda_item(item, order=order, meeting=meeting, minutes=minutes_of(meeting))


def _statement(document: Any) -> Any:
    """The published joint statement behind the document (prefetched), or None."""
    try:
        return document.statement
    except ObjectDoesNotExist:
        return None


def paper(document: Any) -> dict[str, Any]:
    """A public document of a network (a joint statement, a concept, a founding paper).

    A joint statement published through the statements app names its signing member
    organisations as originators (OParl: "Urheber ..., falls der Urheber eine Gruppierung
    ist"); the network stays `underDirectionOf`. Other documents originate from the network.
    """
    versions = sorted(document.versions.all(), key=lambda version: -version.number)
    gremium = [url("organization", pk=document.body_id)]
    statement = _statement(document)
    originators = gremium
    if statement is not None:
        originators = [
            url("member_organization", pk=signature.organisation_id)
            for signature in getattr(statement, "oparl_signatures", [])
        ]
    data = {
        "id": url("paper", pk=document.pk),
        "type": type_uri("Paper"),
        "name": document.title,
        "reference": document.reference,
        "date": day(document.date),
        "paperType": str(document.get_kind_display()),
        "mainFile": file(versions[0]) if versions else None,
        "auxiliaryFile": [file(version) for version in versions[1:]],
        "originatorOrganization": originators,
        "keyword": [statement.topic.name] if statement is not None and statement.topic else [],
        "underDirectionOf": gremium,
        **stamps(document),
    }
    return compact(data)
