import datetime

from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from quartier.networks.models import HostTurn
from quartier.networks.rotation import NO_ROOM, TOO_SMALL, Candidate, choose_host, order, plan
from quartier.networks.services import (
    host_turn_answer,
    meeting_propose_host,
    membership_end,
    rotation_plan,
)
from tests.factories.networks import (
    BodyFactory,
    DelegateFactory,
    MeetingFactory,
    MembershipFactory,
)

UTC = datetime.UTC

candidates = st.lists(
    st.builds(
        Candidate,
        membership_id=st.integers(min_value=1, max_value=10_000),
        name=st.text(min_size=1, max_size=10),
        room_capacity=st.one_of(st.none(), st.integers(min_value=1, max_value=50)),
        last_hosted=st.one_of(
            st.none(),
            st.datetimes(
                min_value=datetime.datetime(2020, 1, 1), max_value=datetime.datetime(2030, 1, 1)
            ).map(lambda d: d.replace(tzinfo=UTC)),
        ),
    ),
    max_size=12,
    unique_by=lambda c: c.membership_id,
)


@given(candidates, st.integers(min_value=1, max_value=40), st.sets(st.integers(1, 10_000)))
def test_choice_is_eligible_and_least_recently_hosted(pool, needed, excluded):
    chosen = choose_host(pool, needed_capacity=needed, excluded=excluded)
    fitting = [
        c
        for c in pool
        if c.membership_id not in excluded and c.room_capacity and c.room_capacity >= needed
    ]
    if not fitting:
        assert chosen is None
        return
    assert chosen in fitting
    if chosen.last_hosted is not None:
        # Nobody eligible went without hosting, and nobody hosted longer ago.
        assert all(c.last_hosted is not None for c in fitting)
        assert all(c.last_hosted >= chosen.last_hosted for c in fitting)


@given(candidates)
def test_order_is_a_permutation(pool):
    assert sorted(c.membership_id for c in order(pool)) == sorted(c.membership_id for c in pool)


def _body_with_members(db):
    body = BodyFactory()
    a = MembershipFactory(body=body, organisation__name="A-Verein", room_capacity=30)
    b = MembershipFactory(body=body, organisation__name="B-Haus", room_capacity=30)
    c = MembershipFactory(body=body, organisation__name="C-Kita", room_capacity=None)
    return body, a, b, c


def test_rotation_asks_members_in_turn_and_skips_those_without_room(db):
    body, a, b, _c = _body_with_members(db)
    first = MeetingFactory(body=body)
    turn = meeting_propose_host(meeting=first)
    assert turn.membership == a
    host_turn_answer(turn=turn, accept=True)
    first.refresh_from_db()
    assert first.host == a
    assert first.location_name == a.organisation.name
    # No invitation went out yet: nobody holds the entry, the first invitation stays SEQUENCE 0.
    assert first.sequence == 0
    second = MeetingFactory(
        body=body,
        start=first.start + datetime.timedelta(days=90),
        end=first.end + datetime.timedelta(days=90),
    )
    assert meeting_propose_host(meeting=second).membership == b


def test_passing_asks_the_next_member_and_history_is_kept(db):
    body, a, b, _c = _body_with_members(db)
    meeting = MeetingFactory(body=body)
    turn = meeting_propose_host(meeting=meeting)
    host_turn_answer(turn=turn, accept=False, note="Umbau")
    statuses = list(meeting.host_turns.values_list("membership_id", "status"))
    assert statuses == [(a.pk, HostTurn.Status.PASSED), (b.pk, HostTurn.Status.PROPOSED)]


def test_nobody_left_returns_none(db):
    body, _a, b, _c = _body_with_members(db)
    meeting = MeetingFactory(body=body)
    host_turn_answer(turn=meeting_propose_host(meeting=meeting), accept=False)
    host_turn_answer(turn=meeting.host_turns.get(membership=b), accept=False)
    assert meeting_propose_host(meeting=meeting) is None


def test_host_who_leaves_is_replaced_by_the_next_in_rotation(db):
    body, a, b, _c = _body_with_members(db)
    meeting = MeetingFactory(body=body)
    host_turn_answer(turn=meeting_propose_host(meeting=meeting), accept=True)
    meeting.refresh_from_db()
    assert meeting.host == a
    membership_end(membership=a)
    meeting.refresh_from_db()
    assert meeting.host is None
    assert meeting.location_name == ""
    assert meeting.host_turns.get(membership=a).status == HostTurn.Status.WITHDRAWN
    assert meeting.host_turns.get(membership=b).status == HostTurn.Status.PROPOSED


@given(candidates, st.integers(min_value=1, max_value=40), st.sets(st.integers(1, 10_000)))
def test_plan_lists_everyone_in_order_and_its_first_askable_is_the_choice(pool, needed, excluded):
    steps = plan(pool, needed_capacity=needed, excluded=dict.fromkeys(excluded, "passed"))
    assert [s.candidate for s in steps] == order(pool)
    askable = [s.candidate for s in steps if s.skip is None]
    assert (askable[0] if askable else None) == choose_host(
        pool, needed_capacity=needed, excluded=excluded
    )
    for step in steps:
        if step.candidate.membership_id in excluded:
            assert step.skip == "passed"
        elif step.candidate.room_capacity is None:
            assert step.skip == NO_ROOM
        elif step.candidate.room_capacity < needed:
            assert step.skip == TOO_SMALL


def test_rotation_plan_says_why_each_member_is_skipped(db):
    body, a, b, c = _body_with_members(db)
    small = MembershipFactory(body=body, organisation__name="D-Laden", room_capacity=2)
    for membership in (a, b, c, small):
        DelegateFactory(membership=membership)
    meeting = MeetingFactory(body=body)
    host_turn_answer(turn=meeting_propose_host(meeting=meeting), accept=False)
    needed, steps = rotation_plan(meeting)
    assert needed == 4
    assert [(s.candidate.name, s.skip) for s in steps] == [
        ("A-Verein", "passed"),
        ("B-Haus", "proposed"),
        ("C-Kita", NO_ROOM),
        ("D-Laden", TOO_SMALL),
    ]


def test_meeting_page_shows_the_order_and_the_ask_says_why(world):
    meeting = MeetingFactory(
        body=world.body,
        start=world.meeting.start + datetime.timedelta(days=7),
        end=world.meeting.end + datetime.timedelta(days=7),
    )
    client = world.client("coordinator")
    url = reverse("backoffice:networks:meeting", kwargs={"pk": meeting.pk})
    html = client.get(url).content.decode()
    assert "Reihenfolge der Gastgeber" in html
    # world.membership has no room: skipped, with a link to set it.
    assert "keine Raumgröße eingetragen" in html
    assert f"#member-{world.membership.pk}" in html
    response = client.post(
        reverse("backoffice:networks:host_propose", kwargs={"pk": meeting.pk}), follow=True
    )
    text = response.content.decode()
    # The other member is already asked for world.meeting: it counts as its latest turn.
    assert f"{world.other_organisation.name} wurde gebeten, Gastgeber zu sein" in text
    assert "am längsten nicht" in text


def test_the_room_of_a_member_can_be_set_and_bad_input_is_refused(world):
    url = reverse(
        "backoffice:networks:membership_room",
        kwargs={"slug": world.body.slug, "pk": world.membership.pk},
    )
    client = world.client("coordinator")
    response = client.post(url, {"room_capacity": "0", "room_name": "Saal"}, follow=True)
    assert "größer oder gleich 1" in response.content.decode()
    world.membership.refresh_from_db()
    assert world.membership.room_capacity is None
    client.post(url, {"room_capacity": "15", "room_name": "Saal"})
    world.membership.refresh_from_db()
    assert (world.membership.room_capacity, world.membership.room_name) == (15, "Saal")
    client.post(url, {"room_capacity": "", "room_name": ""})
    world.membership.refresh_from_db()
    assert world.membership.room_capacity is None
    assert world.client("editor").post(url, {"room_capacity": "15"}).status_code == 403
    world.membership.refresh_from_db()
    assert world.membership.room_capacity is None
