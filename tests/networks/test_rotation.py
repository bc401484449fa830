import datetime

from hypothesis import given
from hypothesis import strategies as st

from quartier.networks.models import HostTurn
from quartier.networks.rotation import Candidate, choose_host, order
from quartier.networks.services import (
    host_turn_answer,
    meeting_propose_host,
    membership_end,
)
from tests.factories.networks import BodyFactory, MeetingFactory, MembershipFactory

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
