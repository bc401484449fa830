import datetime as dt

import factory
from django.utils import timezone

from quartier.publications.models import (
    Article,
    Issue,
    IssueStatus,
    NewsletterList,
    Post,
    Subscriber,
)
from tests.factories.areas import AreaFactory
from tests.factories.directory import OrganisationFactory


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post

    title = factory.Sequence(lambda n: f"Neues aus dem Viertel {n}")
    slug = factory.Sequence(lambda n: f"neues-aus-dem-viertel-{n}")
    teaser = "Kurz gesagt."
    text = "<p>Text.</p>"
    organisation = factory.SubFactory(OrganisationFactory)
    published_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(hours=1))


class NewsletterListFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NewsletterList

    name = factory.Sequence(lambda n: f"Viertelbrief {n}")
    slug = factory.Sequence(lambda n: f"viertelbrief-{n}")
    organisation = factory.SubFactory(OrganisationFactory)
    consent_text = "Ich möchte den Viertelbrief per E-Mail erhalten."


class SubscriberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subscriber

    newsletter = factory.SubFactory(NewsletterListFactory)
    email = factory.Sequence(lambda n: f"leser{n}@example.org")
    confirmed_at = factory.LazyFunction(timezone.now)
    consent_version = 1


class IssueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Issue

    title = "Quartierszeitung"
    number = factory.Sequence(lambda n: f"Nr. {n}")
    organisation = factory.SubFactory(OrganisationFactory)
    area = factory.SubFactory(AreaFactory)
    period_start = factory.LazyFunction(timezone.localdate)
    period_end = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=60))
    imprint = "Herausgeber: Stadtteilbüro, Musterstraße 1"
    status = IssueStatus.SCHEDULED
    publish_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(hours=1))


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    issue = factory.SubFactory(IssueFactory)
    title = factory.Sequence(lambda n: f"Artikel {n}")
    text = "<p>Artikeltext.</p>"
