import factory

from quartier.directory.models import Organisation, OrganisationKind, Person, Position


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.LazyAttribute(lambda o: _slug(o.name))
    kind = OrganisationKind.ASSOCIATION
    street = "Hauptstraße 1"
    postcode = "54290"
    city = "Trier"
    lat = 49.75
    lon = 6.64
    email = factory.LazyAttribute(lambda o: f"info@{_slug(o.name)}.example.org")

    @factory.post_generation
    def areas(self, create, extracted, **kwargs):
        if create and extracted:
            self.areas.set(extracted)


def _slug(text: str) -> str:
    from django.utils.text import slugify

    return slugify(text)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    given_name = "Max"
    family_name = factory.Sequence(lambda n: f"Muster{n}")
    email = factory.LazyAttribute(lambda o: f"{o.given_name}.{o.family_name}@example.org".lower())
    email_public = True
    phone = "0651 000000"
    phone_public = False


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position

    person = factory.SubFactory(PersonFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = "Ansprechpartner"
    is_public = True
