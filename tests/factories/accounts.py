import factory
from django.utils import timezone

from quartier.accounts.models import User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.django.Password("test-password-123")
    # Factory accounts have a proven address, as after sign-up; pass None for one that has not.
    email_verified_at = factory.LazyFunction(timezone.now)
