import factory

from quartier.areas.models import Area, AreaKind, AreaLink, Coverage


class AreaKindFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AreaKind
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"kind{n}")
    name = factory.LazyAttribute(lambda o: o.slug.capitalize())
    level = 0


def square(lon: float, lat: float, size: float = 0.05) -> dict:
    """A GeoJSON square with its south-west corner at (lon, lat)."""
    return {
        "type": "Polygon",
        "coordinates": [
            [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
        ],
    }


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area
        django_get_or_create = ("slug",)

    kind = factory.SubFactory(AreaKindFactory)
    name = factory.Sequence(lambda n: f"Gebiet {n}")
    slug = factory.Sequence(lambda n: f"gebiet-{n}")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        area = model_class(*args, **kwargs)
        area.full_clean(exclude=["slug"] if not kwargs.get("slug") else None)
        area.save()
        return area


def link(parent: Area, child: Area, coverage: str = Coverage.FULL) -> AreaLink:
    return AreaLink.objects.create(parent=parent, child=child, coverage=coverage)
