import factory

from quartier.monitoring.models import Indicator, IndicatorKind, Value


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"indikator-{n}")
    name = factory.LazyAttribute(lambda o: o.slug.replace("-", " ").capitalize())
    kind = IndicatorKind.COUNT


class ValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Value

    indicator = factory.SubFactory(IndicatorFactory)
    area = None
    year = 2023
    value = 100
