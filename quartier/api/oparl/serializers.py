"""OParl 1.1 objects for the system, areas (Body), networks (Organization), people, memberships.

Serializers read only what the selectors prefetched; none of them queries the database, so a
list page costs the same number of queries at 10 or 100 objects.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.urls import NoReverseMatch

from quartier.api.oparl.links import absolute, type_uri, url

OPARL_VERSION = "https://schema.oparl.org/1.1/"
# OParl is a German standard and its clients expect German vocabulary in these free-text fields.
ORGANIZATION_TYPE = "Gremium"


def compact(data: dict[str, Any], keep: tuple[str, ...] = ()) -> dict[str, Any]:
    """Drop empty values: OParl asks servers to leave out properties that have no value."""
    return {
        key: value for key, value in data.items() if key in keep or value not in (None, "", [], {})
    }


def when(value: datetime.datetime | None) -> str | None:
    """A date-time with the offset of the site's time zone, as OParl clients expect."""
    if value is None:
        return None
    from django.utils import timezone

    return timezone.localtime(value).isoformat(timespec="seconds")


def day(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def web(obj: Any) -> str | None:
    """The object's public HTML page, if its app offers one."""
    try:
        return absolute(obj.get_absolute_url())
    except (AttributeError, NoReverseMatch):
        return None


def stamps(obj: Any) -> dict[str, str | None]:
    modified = getattr(obj, "oparl_modified", None) or getattr(obj, "updated_at", None)
    return {"created": when(obj.created_at), "modified": when(modified)}


def system() -> dict[str, Any]:
    site = settings.SITE_URL + "/"
    return {
        "id": url("system"),
        "type": type_uri("System"),
        "oparlVersion": OPARL_VERSION,
        "body": url("body_list"),
        "name": "Quartier",
        "website": site,
        "web": site,
    }


def body(area: Any) -> dict[str, Any]:
    """An area that hosts public networks; its lists are external, as OParl demands for Body."""
    pk = area.pk
    key = area.official_key or ""
    data = {
        "id": url("body", pk=pk),
        "type": type_uri("Body"),
        "system": url("system"),
        "name": area.name,
        # AGS has 8 digits, the Regionalschlüssel 12 (areas store either).
        "ags": key if len(key) == 8 else None,
        "rgs": key if len(key) == 12 else None,
        "classification": area.kind.name if area.kind_id else None,
        "website": web(area),
        "organization": url("body_organization", pk=pk),
        "person": url("body_person", pk=pk),
        "meeting": url("body_meeting", pk=pk),
        "paper": url("body_paper", pk=pk),
        "membership": url("body_membership", pk=pk),
        "agendaItem": url("body_agenda_item", pk=pk),
        "file": url("body_file", pk=pk),
        "locationList": url("body_location", pk=pk),
        # Networks have no electoral terms; the property is required, so it is empty.
        "legislativeTerm": [],
        **stamps(area),
        "web": web(area),
    }
    return compact(data, keep=("legislativeTerm",))


def organization(gremium: Any) -> dict[str, Any]:
    """A network (Gremium). `body` is left out: a network may work in several areas."""
    delegations = [
        delegate
        for membership in getattr(gremium, "oparl_memberships", [])
        for delegate in membership.oparl_delegations
    ]
    data = {
        "id": url("organization", pk=gremium.pk),
        "type": type_uri("Organization"),
        "name": gremium.name,
        "shortName": gremium.short_name,
        "membership": [url("membership", pk=delegate.pk) for delegate in delegations],
        "meeting": url("organization_meeting", pk=gremium.pk),
        "organizationType": ORGANIZATION_TYPE,
        "classification": gremium.kind.name,
        "startDate": day(gremium.founded_on),
        "endDate": day(gremium.dissolved_on),
        "website": gremium.website,
        "keyword": [topic.name for topic in gremium.topics.all()],
        **stamps(gremium),
        "web": web(gremium),
    }
    return compact(data)


# OParl's word for an organisation that is neither a body nor a party (strings.yml).
INSTITUTION_TYPE = "Institution"


def member_organization(organisation: Any) -> dict[str, Any]:
    """A member organisation of networks that signed a published joint statement (the
    originator of that Paper): its public directory entry, nothing more."""
    data = {
        "id": url("member_organization", pk=organisation.pk),
        "type": type_uri("Organization"),
        "name": organisation.name,
        "organizationType": INSTITUTION_TYPE,
        "classification": str(organisation.get_kind_display()) if organisation.kind else None,
        "website": organisation.website,
        **stamps(organisation),
        "web": web(organisation) if organisation.is_active else None,
    }
    return compact(data)


def any_organization(obj: Any) -> dict[str, Any]:
    """A network (networks.Body) or a signing member organisation (directory.Organisation)."""
    if obj._meta.label == "directory.Organisation":
        return member_organization(obj)
    return organization(obj)


def membership(delegate: Any, *, embedded: bool = False) -> dict[str, Any]:
    """A delegate of a member organisation: a person's membership in the network."""
    member = delegate.membership
    role = str(member.get_role_display())
    if delegate.is_deputy:
        role = f"{role} (Stellvertretung)"
    data = {
        "id": url("membership", pk=delegate.pk),
        "type": type_uri("Membership"),
        # Inside a Person the person is implied (OParl leaves the back-reference out there).
        "person": None if embedded else url("person", pk=delegate.person_id),
        "organization": url("organization", pk=member.body_id),
        "role": role,
        "startDate": day(delegate.start_date or member.start_date),
        "endDate": day(delegate.end_date or member.end_date),
        **stamps(delegate),
    }
    return compact(data)


def person(person_obj: Any) -> dict[str, Any]:
    """Name and the contact fields the person marked public; nothing else."""
    contact = person_obj.public_contact()
    phones = [contact[key] for key in ("phone", "mobile") if key in contact]
    data = {
        "id": url("person", pk=person_obj.pk),
        "type": type_uri("Person"),
        "name": person_obj.full_name,
        "familyName": person_obj.family_name,
        "givenName": person_obj.given_name,
        "email": [contact["email"]] if "email" in contact else [],
        "phone": phones,
        "membership": [
            membership(delegate, embedded=True)
            for delegate in getattr(person_obj, "oparl_delegations", [])
        ],
        **stamps(person_obj),
    }
    return compact(data)
