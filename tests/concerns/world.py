"""Concerns in the shared test world: one in the Nordviertel routed to the world's
organisation (with a consenting reporter, a public and an internal answer), one in Anderstadt
that no rule matched (the default inbox), a category with a required question, an Open311
client whose key is world.open311_key."""

import io

from django.core.files.base import ContentFile
from PIL import Image

from quartier.concerns.models import Photo, RoutingRule, Status
from quartier.concerns.services import api_client_create
from tests import sentinels
from tests.factories.concerns import (
    AttributeFactory,
    CategoryFactory,
    ConcernFactory,
    UpdateFactory,
)

ORDER = 110  # after networks (world.body)


def tiny_jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(out, format="JPEG")
    return out.getvalue()


def extend(world) -> None:
    lights = CategoryFactory(slug="beleuchtung", name="Straßenbeleuchtung")
    housing = CategoryFactory(slug="wohnen", name="Wohnung und Hausverwaltung")
    AttributeFactory(category=housing, code="hausnummer", description="Hausnummer", required=True)
    RoutingRule.objects.create(area=world.district, organisation=world.organisation)
    concern = ConcernFactory(
        category=lights,
        area=world.district,
        lat=49.7561234,
        lon=6.6412345,
        address=sentinels.secret("concerns reporter address"),
        organisation=world.organisation,
        description=f"Laterne aus. {sentinels.public('concerns description')}",
        reporter_name=sentinels.secret("concerns reporter name"),
        reporter_email=sentinels.secret_email("concerns reporter"),
        contact_consent=True,
    )
    UpdateFactory(concern=concern, status=Status.RECEIVED, text="")
    UpdateFactory(concern=concern, text=f"Gemeldet. {sentinels.public('concerns public answer')}")
    UpdateFactory(
        concern=concern, is_public=False, text=sentinels.secret("concerns internal answer")
    )
    photo = Photo(concern=concern, width=4, height=4)
    photo.image.save("photo.jpg", ContentFile(tiny_jpeg()), save=True)
    other = ConcernFactory(category=housing, area=world.other_city, flagged=True)
    client, key = api_client_create(name="Mängelmelder-App")
    world.extra.update(
        concern_category=lights,
        concern_housing=housing,
        concern=concern,
        concern_photo=photo,
        other_concern=other,
        open311_client=client,
        open311_key=key,
    )
