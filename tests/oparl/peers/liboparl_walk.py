"""Walk an OParl API with liboparl in strict mode (run by tests/oparl/test_consumers.py with
the peers' Python, which has GObject introspection; not imported by the suite).

Usage: python liboparl_walk.py SYSTEM_URL
Walks system -> bodies -> organisations -> meetings -> agenda items -> files, and every file
of the meetings; prints one line per object type with its count, and exits 1 with liboparl's
message (and the last URL it resolved) on the first error.
"""

import sys

import gi
import requests

gi.require_version("OParl", "0.4")
from gi.repository import OParl  # noqa: E402

last_urls = []


def resolve(_client, url):
    last_urls.append(url)
    response = requests.get(url, timeout=30)
    text = response.content.decode("utf-8")
    ok = response.status_code == 200
    return OParl.ResolveUrlResult(resolved_data=text, success=ok, status_code=response.status_code)


def files_of(obj, names):
    found = []
    for name in names:
        value = getattr(obj.props, name, None)
        if value is None:
            continue
        found.extend(value if isinstance(value, list) else [value])
    return found


def walk(url):
    client = OParl.Client()
    client.set_strict(True)
    client.connect("resolve_url", resolve)
    counts = {}

    def seen(kind, obj=None):
        # Strict mode: liboparl raised already if it could not parse the object.
        counts[kind] = counts.get(kind, 0) + 1
        if obj is not None:
            assert obj.props.id, f"a {kind} without id"

    system = client.open(url)
    seen("System", system)
    for body in system.get_body() or []:
        seen("Body", body)
        for organization in body.get_organization() or []:
            seen("Organization", organization)
            for meeting in organization.get_meeting() or []:
                seen("Meeting", meeting)
                for file in files_of(
                    meeting,
                    ["invitation", "results_protocol", "verbatim_protocol", "auxiliary_file"],
                ):
                    seen("File", file)
                    assert file.props.id, "a meeting's file without id"
                    assert file.props.access_url, f"{file.props.id}: no accessUrl"
                # liboparl hands out an empty Location (no id) where a meeting has none, as
                # the schema allows; only a location the API sent is checked.
                location = meeting.props.location
                if location is not None and location.props.id:
                    seen("Location", location)
                for organization_of in meeting.get_organization() or []:
                    assert organization_of.props.id
                for item in meeting.props.agenda_item or []:
                    seen("AgendaItem", item)
                    assert item.props.id, "an agenda item without id"
                    for file in files_of(item, ["resolution_file", "auxiliary_file"]):
                        seen("File", file)
                        assert file.props.id, f"{item.props.id}: a file without id"
                        for back in file.get_meeting() or []:
                            assert back.props.id
                    assert item.get_meeting().props.id
            for membership in organization.get_membership() or []:
                seen("Membership", membership)
                assert membership.props.id
        for _meeting in body.get_meeting() or []:
            seen("Body.meeting")
        for person in body.get_person() or []:
            seen("Person", person)
            assert person.props.id
            for membership in person.props.membership or []:
                assert membership.props.id
        for paper in body.get_paper() or []:
            seen("Paper", paper)
            assert paper.props.id
            for file in files_of(paper, ["main_file", "auxiliary_file"]):
                seen("File", file)
                assert file.props.id, f"{paper.props.id}: a file without id"
    return counts


def main():
    # GLib criticals (a failed `g_return_if_fail`, say) go to stderr; the test fails on them.
    try:
        counts = walk(sys.argv[1])
    except Exception as exc:  # GLib.Error from liboparl, or an assertion above
        print(f"liboparl: {type(exc).__name__}: {exc} (last URL: {last_urls[-1:]})")
        return 1
    for kind, n in sorted(counts.items()):
        print(f"{kind} {n}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
