"""The OParl API is public: every role reads the same; hidden objects answer 404 to everyone."""

from tests.matrix import Route, everyone


def _pk(attribute: str):
    def kwargs(world):
        obj = world.oparl
        for part in attribute.split("."):
            obj = getattr(obj, part)
        return {"pk": obj.pk}

    return kwargs


_area = _pk("area")

ROUTES = [
    Route("api:oparl_system", everyone()),
    Route("api:oparl_body_list", everyone()),
    Route("api:oparl_body", everyone(), kwargs=_area),
    Route("api:oparl_body_organization", everyone(), kwargs=_area),
    Route("api:oparl_body_person", everyone(), kwargs=_area),
    Route("api:oparl_body_membership", everyone(), kwargs=_area),
    Route("api:oparl_body_meeting", everyone(), kwargs=_area),
    Route("api:oparl_body_agenda_item", everyone(), kwargs=_area),
    Route("api:oparl_body_paper", everyone(), kwargs=_area),
    Route("api:oparl_body_file", everyone(), kwargs=_area),
    Route("api:oparl_body_location", everyone(), kwargs=_area),
    Route("api:oparl_organization", everyone(), kwargs=_pk("gremium")),
    Route("api:oparl_organization_meeting", everyone(), kwargs=_pk("gremium")),
    Route("api:oparl_person", everyone(), kwargs=_pk("contact")),
    Route("api:oparl_member_organization", everyone(), kwargs=_pk("signer")),
    # An organisation that signed nothing published is no OParl object.
    Route(
        "api:oparl_member_organization",
        everyone(404),
        kwargs=lambda w: {"pk": w.other_organisation.pk},
        query="?hidden",
    ),
    Route("api:oparl_membership", everyone(), kwargs=_pk("delegate")),
    Route("api:oparl_meeting", everyone(), kwargs=_pk("meeting")),
    Route("api:oparl_meeting_location", everyone(), kwargs=_pk("meeting")),
    Route("api:oparl_meeting_minutes", everyone(), kwargs=_pk("meeting")),
    Route("api:oparl_meeting_minutes_text", everyone(), kwargs=_pk("meeting")),
    Route("api:oparl_agenda_item", everyone(), kwargs=_pk("item")),
    Route("api:oparl_paper", everyone(), kwargs=_pk("statement")),
    Route("api:oparl_file", everyone(), kwargs=lambda w: {"pk": _version(w).pk}),
    # The shared world stores no file content: the download is "not available" for everyone.
    Route("api:oparl_file_download", everyone(404), kwargs=lambda w: {"pk": _version(w).pk}),
    # Members-only objects are hidden from every role: OParl is the public record only.
    Route("api:oparl_meeting", everyone(404), kwargs=_pk("private_meeting"), query="?hidden"),
    Route("api:oparl_organization", everyone(404), kwargs=_pk("private_gremium"), query="?h"),
    Route("api:oparl_person", everyone(404), kwargs=_pk("hidden_person"), query="?hidden"),
    Route("api:oparl_paper", everyone(404), kwargs=_pk("private_document"), query="?hidden"),
    Route("api:oparl_agenda_item", everyone(404), kwargs=_pk("hidden_item"), query="?hidden"),
    Route(
        "api:oparl_meeting_minutes",
        everyone(404),
        kwargs=_pk("members_minutes_meeting"),
        query="?hidden",
    ),
]


def _version(world):
    return world.oparl.statement.versions.get()
