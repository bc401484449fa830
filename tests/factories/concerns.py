import factory

from quartier.concerns.models import Category, CategoryAttribute, Concern, Source, Update


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"anliegen-{n}")
    name = factory.LazyAttribute(lambda o: o.slug.replace("-", " ").capitalize())


class AttributeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CategoryAttribute

    category = factory.SubFactory(CategoryFactory)
    code = factory.Sequence(lambda n: f"frage{n}")
    description = "Seit wann?"


class ConcernFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Concern

    category = factory.SubFactory(CategoryFactory)
    description = "Die Straßenlaterne vor dem Spielplatz ist seit einer Woche aus."
    source = Source.WEB


class UpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Update

    concern = factory.SubFactory(ConcernFactory)
    text = "Wir kümmern uns."
    is_public = True
