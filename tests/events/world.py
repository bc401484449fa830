"""Events in the shared test world: one by the world's organisation in the Nordviertel (with
registration, a registrant and a helper shift), one by the other organisation elsewhere, and a
feed of each organisation."""

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
    registration = RegistrationFactory(event=event, seat=1)
    shift = ShiftFactory(event=event)
    signup = ShiftSignupFactory(shift=shift)
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
