"""Events in the shared test world: one by the world's organisation in the Nordviertel (with
registration, a registrant and a helper shift), one by the other organisation elsewhere, and a
feed of each organisation."""

from tests import sentinels
from tests.factories.events import (
    CategoryFactory,
    EventFactory,
    IcalFeedFactory,
    RegistrationFactory,
    ShiftFactory,
    ShiftSignupFactory,
)


def extend(world) -> None:
    category = CategoryFactory(slug="stadtteilfest", name="Stadtteilfest")
    event = EventFactory(
        title="Nordfest",
        slug="nordfest",
        category=category,
        registration_required=True,
        capacity=20,
        organisations=[world.organisation],
        areas=[world.district],
    )
    other_event = EventFactory(
        title="Anderfest",
        slug="anderfest",
        organisations=[world.other_organisation],
        areas=[world.other_city],
    )
    event.description = f"Musik und Essen. {sentinels.public('event description')}"
    event.save(update_fields=["description"])
    registration = RegistrationFactory(event=event, seat=1)
    # Registrants and helpers are never named publicly (tests/sentinels.py).
    RegistrationFactory(
        event=event,
        seat=2,
        name=sentinels.secret("events registrant name"),
        email=sentinels.secret_email("events registrant"),
    )
    RegistrationFactory(
        event=event,
        seat=None,
        status="waitlisted",
        name=sentinels.secret("events waitlisted name"),
        email=sentinels.secret_email("events waitlisted"),
    )
    shift = ShiftFactory(event=event)
    # A helper who did not agree to be named: the page only counts them (issue 18).
    signup = ShiftSignupFactory(
        shift=shift, first_name=sentinels.secret("events unconsenting helper first name")
    )
    ShiftSignupFactory(
        shift=shift,
        # The first name shows on the event's page with consent (docs/privacy-events.md).
        first_name=sentinels.public("events helper first name"),
        show_name=True,
        last_name=sentinels.secret("events helper last name"),
        email=sentinels.secret_email("events helper"),
    )
    world.extra.update(
        event_category=category,
        event=event,
        other_event=other_event,
        registration=registration,
        shift=shift,
        shift_signup=signup,
        feed=IcalFeedFactory(organisation=world.organisation),
        other_feed=IcalFeedFactory(organisation=world.other_organisation),
    )
